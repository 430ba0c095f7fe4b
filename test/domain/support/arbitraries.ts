import fc from 'fast-check';
import { Observation } from '../../../src/domain/observation.js';
import { REASONS } from '../../../src/domain/reason.js';
import { configModel, iso, T0 } from './observations.js';

// Arbitrary valid observations of one router, following the zod shapes of observation.ts.
// Small pools of names, addresses and SPIs make them collide: rekeys, merges, aliases,
// failures on known tunnels, duplicates. The raw line carries kind, time and data, as a real
// line does, so equal raw lines are equal observations.

const vpns = ['vpn-a', 'vpn-b', 'vpn-c'];
const locals = ['10.0.0.1', '10.0.0.1', '10.0.0.1', '10.0.0.2'];
const remotes = ['203.0.113.5', '203.0.113.5', '198.51.100.7', '2001:db8::7'];
const selectors = [undefined, undefined, undefined, undefined, 'ts-1', 'ts-2', ''];
const spis = [
  '0x11111111',
  '0x22222222',
  '0x33333333',
  '0x44444444',
  '0xdeadbeef',
  '0x00000001',
  '0xffffffff',
];

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);
const compact = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const endpoint = (ips: string[]) => fc.record({ ip: pick(ips), port: pick([500, 4500]) });
const ikeFields = fc.record(
  {
    ikeVersion: pick([1, 2] as const),
    vpn: pick(vpns),
    gateway: pick(['gw-1', 'gw-2']),
    local: endpoint(locals),
    remote: endpoint(remotes),
    role: pick(['initiator', 'responder'] as const),
  },
  { requiredKeys: [] },
);
const reason = pick(REASONS);
const tunnelFields = fc.record(
  {
    vpn: pick(vpns),
    peer: pick(remotes),
    localIp: pick(locals),
    gateway: pick(['gw-1', 'gw-2']),
    tunnelId: pick(['131073', '131074']),
    tunnelInterface: pick(['st0.1', 'st0.2']),
    trafficSelector: pick(selectors.filter((s): s is string => s !== undefined)),
  },
  { requiredKeys: [] },
);

const snmpRow = {
  table: fc.constant('t'),
  index: pick(['1.4.203.0.113.5.131073', '1.4.198.51.100.7.131074']),
  remoteGateway: pick(remotes),
  serviceSet: opt(pick(['ss-1'])),
};
const counters = fc.dictionary(
  pick(['invalidSpi', 'noProposalChosen', 'authFail']),
  pick(['0', '1', '7']),
);

// SNMP rows as the decoder gives them (snmp-model.md), from the same small pools.
function snmpBodies() {
  const row = <T extends Record<string, fc.Arbitrary<unknown>>>(kind: string, fields: T) => ({
    weight: 2,
    arbitrary: fc
      .record(
        { ...snmpRow, ...fields },
        {
          requiredKeys: [...Object.keys(snmpRow), ...Object.keys(fields)].filter(
            (k) => k !== 'serviceSet',
          ),
        },
      )
      .map((data) => ({ kind, data: compact(data) })),
  });
  return [
    row('snmp-system', { sysUpTimeSeconds: pick([5, 600, 86_400]) }),
    row('snmp-ike-sa', {
      ikeIndex: pick([1, 2]),
      state: pick(['up', 'down', 'unknown'] as const),
      role: opt(pick(['initiator', 'responder'] as const)),
      ikeVersion: opt(pick([1, 2] as const)),
      gateway: opt(pick(['gw-1', 'gw-2'])),
      lifetimeSeconds: opt(pick([3600, 28_800])),
      activeSeconds: opt(pick([0, 12.5, 4000])),
    }),
    row('snmp-ipsec-tunnel', {
      tunnelIndex: pick([131073, 131074]),
      vpn: opt(pick(vpns)),
      trafficSelector: opt(pick(['ts-1', 'ts-2'])),
      counters: opt(counters),
    }),
    row('snmp-ipsec-sa', {
      tunnelIndex: pick([131073, 131074]),
      saIndex: pick([1, 2, 3]),
      inSpi: pick(spis),
      outSpi: pick(spis),
      state: pick(['active', 'expiring', 'unknown'] as const),
      lifetimeSeconds: opt(pick([0, 1800, 3600])),
      activeSeconds: opt(pick([0, 30, 3500, 99_999])),
    }),
    row('snmp-ike-peer', {
      peerIndex: pick([1, 2]),
      state: pick(['active', 'inactive', 'unknown'] as const),
      counters,
    }),
    {
      weight: 1,
      arbitrary: counters.map((c) => ({ kind: 'snmp-counters', data: { counters: c } })),
    },
  ];
}

const bodies: fc.Arbitrary<{ kind: string; data: Record<string, unknown> }> = fc.oneof(
  { weight: 3, arbitrary: ikeFields.map((data) => ({ kind: 'ike-sa-established', data })) },
  {
    weight: 12,
    arbitrary: fc
      .record({
        localGateway: pick(locals),
        remoteGateway: pick(remotes),
        direction: pick(['inbound', 'outbound'] as const),
        spi: pick(spis),
        trafficSelector: pick(selectors),
        localId: opt(pick(['ipv4_subnet(any:0,[0..7]=0.0.0.0/0)', 'ipv4(10.1.0.0/16)'])),
      })
      .map((d) => ({ kind: 'ipsec-sa-established', data: compact(d) })),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(ikeFields, reason).map(([d, r]) => ({
      kind: 'ike-negotiation-failed',
      data: { ...d, reason: r, reasonText: r },
    })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(ikeFields, reason)
      .map(([d, r]) => ({ kind: 'ipsec-negotiation-failed', data: { ...d, reason: r } })),
  },
  { weight: 2, arbitrary: tunnelFields.map((data) => ({ kind: 'tunnel-up', data })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(tunnelFields, reason)
      .map(([d, r]) => ({ kind: 'tunnel-down', data: { ...d, reason: r } })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ peer: pick(remotes) }, { requiredKeys: [] })
      .map((data) => ({ kind: 'dpd-peer-dead', data })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ vpn: pick(vpns), peer: pick(remotes) }, { requiredKeys: [] })
      .map((data) => ({ kind: 'traffic-selector-mismatch', data })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        pick(['phase1-failure', 'phase2-failure']),
        reason,
        opt(pick([...locals, ...remotes])),
        opt(pick([...locals, ...remotes])),
      )
      .map(([kind, r, src, dst]) => ({ kind, data: compact({ reason: r, src, dst }) })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'config-applied', data: {} }) },
  {
    weight: 1,
    arbitrary: fc
      .record({
        caProfile: opt(pick(['ca-corp', 'ca-x'])),
        check: pick(['crl-download', 'revoked', 'expired', 'other'] as const),
      })
      .map((d) => ({ kind: 'certificate-check-failed', data: compact(d) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ spi: opt(pick(spis)), peer: opt(pick(remotes)), count: opt(fc.nat(1000)) })
      .map((d) => ({ kind: 'invalid-spi', data: compact(d) })),
  },
  {
    weight: 1,
    arbitrary: fc.constant({ kind: 'unrecognized', data: { program: 'kmd', tag: 'KMD_X' } }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'ignored', data: { program: 'sshd' } }) },
  ...snmpBodies(),
  {
    weight: 1,
    arbitrary: fc
      .dictionary(
        pick(['10.0.0.1|203.0.113.5', '10.0.0.1|198.51.100.7', '10.0.0.2|2001:db8::7']),
        fc.record(
          { ikeLifetimeSeconds: pick([600, 3600]), ipsecLifetimeSeconds: pick([300, 1800]) },
          { requiredKeys: [] },
        ),
      )
      .map((peers) => ({ kind: 'junos-peers', data: { peers } })),
  },
  {
    weight: 1,
    arbitrary: fc
      .boolean()
      .map((ok) => ({ kind: 'snmp-poll', data: { target: 'srx1', ok, durationMs: 12, rows: 3 } })),
  },
  {
    weight: 1,
    arbitrary: fc.constant({
      kind: 'snmp-trap',
      data: { trap: 'ike-peer-down', varbinds: [{ oid: '1.3.6', value: 1 }] },
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .subarray(
        [
          { vpn: 'vpn-a', ipsecLifetime: 3600, respondBadSpi: true },
          {
            vpn: 'vpn-b',
            remote: '198.51.100.7',
            ikeVersion: 1 as const,
            caProfile: 'ca-corp',
            crlEnforced: false,
          },
          { vpn: 'vpn-c', trafficSelector: 'ts-1', ipsecLifetime: 1800 },
        ],
        { minLength: 0 },
      )
      .map((tunnels) => ({
        kind: 'junos-config',
        data: configModel(tunnels, {
          caProfiles: [{ name: 'ca-corp', revocationCheck: 'crl', disableOnDownloadFailure: true }],
        }),
      })),
  },
  { weight: 3, arbitrary: fc.constant({ kind: 'clock', data: {} }) },
);

function build(body: { kind: string; data: Record<string, unknown> }, s: number): Observation {
  const time = iso(T0 + s * 1000);
  const source =
    body.kind === 'clock'
      ? 'clock'
      : body.kind === 'junos-config'
        ? 'config'
        : body.kind.startsWith('snmp')
          ? 'snmp'
          : 'syslog';
  const raw = body.kind === 'clock' ? '' : `${time} srx1 ${body.kind} ${JSON.stringify(body.data)}`;
  return Observation.parse({
    v: 1,
    kind: body.kind,
    router: 'srx1',
    time,
    source,
    raw,
    data: body.data,
  });
}

/** Seconds to the next line: often the same second (SA pairs), often minutes, sometimes hours. */
const gap = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 0, max: 120 }),
  fc.integer({ min: 0, max: 9000 }),
);
/** Most lines in order; some arrive late (out of order). */
const lateness = fc.oneof(
  { weight: 9, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 4000 }) },
);

export const observation: fc.Arbitrary<Observation> = fc
  .tuple(bodies, fc.integer({ min: 0, max: 40_000 }))
  .map(([body, s]) => build(body, s));

/** A router's log: time mostly moving forward, with rekeys, expiries and late lines. */
export const observations = (maxLength = 60): fc.Arbitrary<Observation[]> =>
  fc
    .array(fc.tuple(bodies, gap, lateness), { minLength: 0, maxLength, size: 'max' })
    .map((steps) => {
      let now = 0;
      return steps.map(([body, g, late]) => {
        now += g;
        return build(body, Math.max(0, now - late));
      });
    });

export const byTime = (list: readonly Observation[]) =>
  [...list].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
