import type { Observation } from '../observation.js';
import { spiText } from '../spi.js';
import { emit, evidenceOf, seconds, spiValue } from './emit.js';
import { given } from './identity.js';
import { hardMs } from './ipsec.js';
import { tunnelsTowards } from './resolve.js';
import type { InvalidSpiEpisode, RouterState, Tunnel } from './state.js';
import { clearSas, markDown } from './tunnelState.js';

// Invalid SPI (junos-ipsec.md): packets for an SPI the receiver has no SA for. An episode starts
// with the first such evidence for a tunnel and ends when a new SA pair (both directions) is
// established. With `respond-bad-spi` Junos resynchronises at once; without it, traffic stays
// black-holed until the SAs are renegotiated, normally when they reach their hard lifetime.

type InvalidSpiData = Extract<Observation, { kind: 'invalid-spi' }>['data'];

const usesSpi = (t: Tunnel, spi: number): boolean =>
  t.inbound?.spi === spi || t.outbound?.spi === spi;

function findTunnel(state: RouterState, peer: string | undefined, spi: number): Tunnel | undefined {
  const candidates = peer !== undefined ? tunnelsTowards(state, peer) : [...state.tunnels.values()];
  if (peer !== undefined && candidates.length === 1) return candidates[0];
  if (Number.isNaN(spi)) return undefined;
  const matching = candidates.filter((t) => usesSpi(t, spi));
  return matching.length === 1 ? matching[0] : undefined;
}

export function invalidSpi(
  state: RouterState,
  data: InvalidSpiData,
  atMs: number,
  observation: Observation,
): void {
  const spiString = given(data.spi);
  const spi = spiString === undefined ? Number.NaN : spiValue(spiString);
  const tunnel = findTunnel(state, given(data.peer), spi);
  if (tunnel?.extra?.episode) return; // the episode is already open
  const episode = startEpisode(
    state,
    tunnel,
    atMs,
    [observation.raw],
    evidenceOf(observation),
    spiString !== undefined && !Number.isNaN(spi) ? spi : undefined,
    data.count,
    false,
  );
  // The router says it has no SA for what samon holds as its live inbound SPI: it lost its SAs
  // (a reboot, or SAs cleared on this side), so they are gone here too and the tunnel is down
  // until a new pair comes; that pair is a new SA, not a rekey.
  if (episode && tunnel && !Number.isNaN(spi) && tunnel.inbound?.spi === spi) {
    clearSas(tunnel);
    markDown(state, tunnel, atMs, true, [observation.raw], 'invalid-spi');
  }
}

/**
 * Opens an invalid-SPI episode on `tunnel` (none: reported, not attributed) with its
 * InvalidSpiDetected event. Evidence is the syslog line, or an SNMP counter that grew (inferred).
 */
export function startEpisode(
  state: RouterState,
  tunnel: Tunnel | undefined,
  atMs: number,
  evidence: string[],
  ref: string,
  spi: number | undefined,
  count: number | undefined,
  inferred = true,
): InvalidSpiEpisode | undefined {
  const respondBadSpi = tunnel?.config?.respondBadSpi;
  emit(state, 'InvalidSpiDetected', atMs, tunnel, inferred, evidence, {
    ...(spi !== undefined ? { spi: spiText(spi) } : {}),
    ...(count !== undefined ? { count } : {}),
    ...(respondBadSpi !== undefined ? { respondBadSpi } : {}),
  });
  if (!tunnel) return undefined;
  let oldHard: number | undefined;
  for (const sa of [tunnel.inbound, tunnel.outbound]) {
    if (sa && (oldHard === undefined || hardMs(sa) > oldHard)) oldHard = hardMs(sa);
  }
  const episode: InvalidSpiEpisode = {
    startMs: atMs,
    oldHardMs: oldHard,
    evidence: ref,
    directions: 0,
  };
  tunnel.more().episode = episode;
  return episode;
}

/** A new SA in one direction; the second direction closes the episode. */
export function progressEpisode(
  state: RouterState,
  tunnel: Tunnel,
  outbound: boolean,
  atMs: number,
  raw: string,
): void {
  const episode = tunnel.extra?.episode;
  if (!episode || atMs < episode.startMs) return;
  episode.directions |= outbound ? 2 : 1;
  if (episode.directions !== 3) return;
  tunnel.extra!.episode = undefined;
  const config = tunnel.config;
  const via =
    config === undefined || config.respondBadSpi === undefined
      ? 'unknown'
      : config.respondBadSpi && (episode.oldHardMs === undefined || atMs < episode.oldHardMs)
        ? 'respond-bad-spi'
        : 'rekey';
  const other = outbound ? tunnel.inbound : tunnel.outbound;
  emit(
    state,
    'InvalidSpiRecovered',
    atMs,
    tunnel,
    true,
    other ? [episode.evidence, other.evidence, raw] : [episode.evidence, raw],
    { durationSeconds: seconds(atMs - episode.startMs), via },
  );
}
