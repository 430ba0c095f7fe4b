import type { ByteWriter } from './byteWriter.js';
import { SLOT, SLOTS } from './slots.js';
import {
  CLOSE,
  family,
  head,
  open,
  tailOf,
  tails,
  VALUE_BYTES,
  type Family,
  type Scrape,
} from './families.js';
import type { Survey } from './survey.js';
import { carriesTraffic, TUNNEL_STATES } from './tunnelFacts.js';

// The per-tunnel families of docs/metrics.md, written from the captured values. Labels router,
// tunnel, vpn, peer (the cached prefix) plus the family's own. A series exists while its
// subject does: SA gauges while the SA is current, episode gauges during an episode, counters
// from their first increment.

type Format = 'flag' | 'millis' | 'plain';

interface SlotSeries {
  readonly slot: number;
  readonly tail: Buffer;
}

/** Bytes of one series of each slot, labels excepted: for the size of the body. */
const SLOT_BYTES: number[] = [];

/** A family whose series are captured slots: one series per slot that has a value. */
function slotFamily(
  name: string,
  type: 'gauge' | 'counter',
  help: string,
  format: Format,
  series: readonly SlotSeries[],
  routers?: Family['routers'],
): Family {
  const start = head(name);
  for (const { slot, tail } of series) SLOT_BYTES[slot] = start.length + tail.length + VALUE_BYTES;
  // a flag's value is part of its tail: `} 0\n`, `} 1\n`
  const withFlag = series.map(({ tail }) =>
    [0, 1].map((v) => Buffer.concat([tail, Buffer.from(`${v}\n`)])),
  );
  return family(name, type, help, {
    tunnels({ survey, capture }, w, from, to) {
      const { values, n } = capture;
      const { prefixes } = survey;
      let count = 0;
      for (let j = from; j < to; j++) {
        let first = -1;
        let labelsEnd = -1;
        for (let s = 0; s < series.length; s++) {
          const { slot, tail } = series[s]!;
          const v = values[slot * n + j]!;
          if (Number.isNaN(v)) continue;
          const prefix = prefixes[j]!;
          w.reserve(start.length + prefix.length + tail.length + VALUE_BYTES);
          if (first < 0) {
            first = w.length;
            w.bytes(start);
            w.bytes(prefix);
            labelsEnd = w.length;
          } else {
            w.repeat(first, labelsEnd);
          }
          if (format === 'flag') {
            w.bytes(withFlag[s]![v === 1 ? 1 : 0]!);
          } else {
            w.bytes(tail);
            if (format === 'millis') w.millisAsSeconds(v);
            else w.value(v);
          }
          count++;
        }
      }
      return count;
    },
    ...(routers && { routers }),
  });
}

const only = (slot: number): SlotSeries[] => [{ slot, tail: CLOSE }];
const [IN, OUT] = tails('direction', ['inbound', 'outbound']) as [Buffer, Buffer];
const both = (inbound: number, outbound: number): SlotSeries[] => [
  { slot: inbound, tail: IN },
  { slot: outbound, tail: OUT },
];
const outcomes = (values: readonly string[], slots: readonly number[]): SlotSeries[] =>
  tails('outcome', values).map((tail, k) => ({ slot: slots[k]!, tail }));

const STATE_TAILS = tails('state', TUNNEL_STATES);
const UP = head('samon_tunnel_up');
const UP_0 = Buffer.from('} 0\n');
const UP_1 = Buffer.from('} 1\n');
const STATE = head('samon_tunnel_state');
const FAILURES = head('samon_negotiation_failures_total');

/** Bytes of the series every exported tunnel has (up, state), labels excepted. */
const FIXED_SERIES = 1 + TUNNEL_STATES.length;
const FIXED_BYTES =
  UP.length +
  CLOSE.length +
  STATE_TAILS.reduce((sum, tail) => sum + STATE.length + tail.length, 0) +
  FIXED_SERIES * VALUE_BYTES;
/** Bytes of one negotiation-failure series, labels excepted (the longest tail is ~50 bytes). */
const FAILURE_BYTES = FAILURES.length + 64 + VALUE_BYTES;

function writeFailures(
  w: ByteWriter,
  labels: Buffer,
  failures: ReadonlyMap<string, number> | undefined,
): number {
  if (failures === undefined) return 0;
  for (const [tail, count] of failures) {
    open(w, FAILURES, labels, tailOf(tail));
    w.value(count);
  }
  return failures.size;
}

const EPISODES = head('samon_invalid_spi_episodes_total');
const [STARTED, RECOVERED] = tails('outcome', ['started', 'recovered']) as [Buffer, Buffer];

function unattributedEpisodes(survey: Survey, w: ByteWriter): number {
  let count = 0;
  for (const router of survey.routers) {
    const c = router.counters?.unattributed;
    if (c === undefined) continue;
    for (const [n, tail] of [
      [c.invalidSpiStarted, STARTED],
      [c.invalidSpiRecovered, RECOVERED],
    ] as const) {
      if (n === 0) continue;
      open(w, EPISODES, router.label, tail);
      w.value(n);
      count++;
    }
  }
  return count;
}

export const TUNNEL_FAMILIES: readonly Family[] = [
  family(
    'samon_tunnel_up',
    'gauge',
    'Tunnel up: 1 when traffic can flow (up or rekeying), else 0.',
    {
      tunnels({ survey }: Scrape, w: ByteWriter, from: number, to: number) {
        const { prefixes, codes } = survey;
        for (let j = from; j < to; j++)
          open(w, UP, prefixes[j]!, carriesTraffic(codes[j]!) ? UP_1 : UP_0);
        return to - from;
      },
    },
  ),
  family(
    'samon_tunnel_state',
    'gauge',
    'Tunnel state as a StateSet: one series per state (up, rekeying, down, expected-but-absent, unknown), 1 for the current one.',
    {
      tunnels({ survey }: Scrape, w: ByteWriter, from: number, to: number) {
        const { prefixes, codes } = survey;
        for (let j = from; j < to; j++) {
          const prefix = prefixes[j]!;
          const code = codes[j]!;
          w.reserve(STATE_TAILS.length * (STATE.length + prefix.length + 48));
          const first = w.length;
          w.bytes(STATE);
          w.bytes(prefix);
          const labelsEnd = w.length;
          for (let k = 0; k < STATE_TAILS.length; k++) {
            if (k > 0) w.repeat(first, labelsEnd);
            w.bytes(STATE_TAILS[k]!);
            w.flag(k === code);
          }
        }
        return (to - from) * STATE_TAILS.length;
      },
    },
  ),
  slotFamily(
    'samon_tunnel_configured',
    'gauge',
    'Tunnel configured: 1 when the tunnel is in the imported Junos configuration, else 0.',
    'flag',
    only(SLOT.configured),
  ),
  slotFamily(
    'samon_ike_sa_hard_deadline_timestamp_seconds',
    'gauge',
    'Hard deadline of the current IKE SA (Unix seconds).',
    'millis',
    only(SLOT.ikeHard),
  ),
  slotFamily(
    'samon_ike_sa_soft_deadline_timestamp_seconds',
    'gauge',
    'Soft deadline (rekey time) of the current IKE SA (Unix seconds): hard - 135 s as initiator, - 90 s as responder.',
    'millis',
    only(SLOT.ikeSoft),
  ),
  slotFamily(
    'samon_ike_sa_lifetime_seconds',
    'gauge',
    'Lifetime of the current IKE SA.',
    'plain',
    only(SLOT.ikeLifetime),
  ),
  slotFamily(
    'samon_ipsec_sa_soft_deadline_timestamp_seconds',
    'gauge',
    'Soft deadline of the current IPsec SA per direction (Unix seconds): hard - 135 s as initiator, - 90 s as responder.',
    'millis',
    both(SLOT.softInbound, SLOT.softOutbound),
  ),
  slotFamily(
    'samon_ipsec_sa_hard_deadline_timestamp_seconds',
    'gauge',
    'Hard deadline of the current (newest) IPsec SA per direction (Unix seconds): it has no successor yet.',
    'millis',
    both(SLOT.hardInbound, SLOT.hardOutbound),
  ),
  slotFamily(
    'samon_ipsec_sa_lifetime_seconds',
    'gauge',
    'Lifetime of the current IPsec SA per direction.',
    'plain',
    both(SLOT.lifetimeInbound, SLOT.lifetimeOutbound),
  ),
  slotFamily(
    'samon_ipsec_sa_lifetime_assumed',
    'gauge',
    'Lifetime of the current IPsec SA assumed: 1 when it is the Junos default because no configuration or SNMP said otherwise.',
    'flag',
    both(SLOT.assumedInbound, SLOT.assumedOutbound),
  ),
  slotFamily(
    'samon_ipsec_sa_rekey_overdue',
    'gauge',
    'IPsec rekey overdue: 1 from the soft deadline + grace until a successor or expiry, else 0.',
    'flag',
    both(SLOT.overdueInbound, SLOT.overdueOutbound),
  ),
  slotFamily(
    'samon_tunnel_last_rekey_timestamp_seconds',
    'gauge',
    'Time of the last IPsec rekey seen by this samon process (Unix seconds).',
    'millis',
    only(SLOT.lastRekey),
  ),
  slotFamily(
    'samon_tunnel_last_rekey_lead_seconds',
    'gauge',
    "Lead of the last IPsec rekey: the replaced SA's hard deadline - the time its successor came up.",
    'plain',
    only(SLOT.lastRekeyLead),
  ),
  slotFamily(
    'samon_ipsec_sa_rekeys_total',
    'counter',
    'IPsec rekeys by outcome: on-time (before soft deadline + grace) or late.',
    'plain',
    outcomes(['on-time', 'late'], [SLOT.rekeysOnTime, SLOT.rekeysLate]),
  ),
  slotFamily('samon_ike_sa_rekeys_total', 'counter', 'IKE rekeys.', 'plain', only(SLOT.ikeRekeys)),
  slotFamily(
    'samon_ipsec_sa_expirations_total',
    'counter',
    'IPsec SAs that reached their hard deadline with no successor.',
    'plain',
    only(SLOT.ipsecExpirations),
  ),
  slotFamily(
    'samon_ike_sa_expirations_total',
    'counter',
    'IKE SAs that reached their hard deadline with no successor.',
    'plain',
    only(SLOT.ikeExpirations),
  ),
  family(
    'samon_negotiation_failures_total',
    'counter',
    'Failed IKE/IPsec negotiations by phase and reason (a failure the fold could not attribute to a tunnel has the router label only).',
    {
      tunnels({ survey, capture }: Scrape, w: ByteWriter, from: number, to: number) {
        let count = 0;
        for (let j = from; j < to; j++)
          count += writeFailures(w, survey.prefixes[j]!, capture.failures[j]);
        return count;
      },
      routers(survey: Survey, w: ByteWriter) {
        let count = 0;
        for (const router of survey.routers)
          count += writeFailures(w, router.label, router.counters?.unattributed.failures);
        return count;
      },
    },
  ),
  slotFamily(
    'samon_invalid_spi_episodes_total',
    'counter',
    'Invalid-SPI episodes started and recovered (one the fold could not attribute to a tunnel has the router label only).',
    'plain',
    outcomes(['started', 'recovered'], [SLOT.invalidSpiStarted, SLOT.invalidSpiRecovered]),
    unattributedEpisodes,
  ),
  slotFamily(
    'samon_invalid_spi_episode_start_timestamp_seconds',
    'gauge',
    'Start of the current invalid-SPI episode (Unix seconds); absent when there is none.',
    'millis',
    only(SLOT.episodeStart),
  ),
  slotFamily(
    'samon_invalid_spi_episode_expected_recovery_timestamp_seconds',
    'gauge',
    'When the current invalid-SPI episode should have recovered (Unix seconds): start + 60 s with respond-bad-spi, else the hard deadline of the SA in use.',
    'millis',
    only(SLOT.episodeRecovery),
  ),
];

/** At least the bytes the tunnel families will write for this scrape (headers excepted). */
export function tunnelBytesBound({ survey, capture }: Scrape): number {
  const { values, n } = capture;
  const { exported, prefixes } = survey;
  const labels = new Int32Array(exported);
  let bytes = 0;
  for (let j = 0; j < exported; j++) {
    const length = prefixes[j]!.length;
    labels[j] = length;
    bytes += FIXED_BYTES + FIXED_SERIES * length;
    const failures = capture.failures[j];
    if (failures !== undefined) bytes += failures.size * (FAILURE_BYTES + length);
  }
  for (let slot = 0; slot < SLOTS; slot++) {
    const per = SLOT_BYTES[slot]!;
    const base = slot * n;
    for (let j = 0; j < exported; j++)
      if (!Number.isNaN(values[base + j]!)) bytes += per + labels[j]!;
  }
  return bytes;
}
