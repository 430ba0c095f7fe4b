import { hardMs, softMs } from '../../domain/sa/ipsec.js';
import type { IpsecSa, RouterState, Tunnel } from '../../domain/sa/state.js';
import type { TunnelCounters } from './lifecycleCounters.js';
import { SLOT, SLOTS } from './slots.js';
import {
  expectedRecoveryMs,
  ikeHardMs,
  ikeSoftMs,
  isOverdue,
  lifetimeAssumed,
} from './tunnelFacts.js';

// The values of every tunnel's series, read from the fold's records once per tunnel (while they
// are in the CPU cache) into flat arrays that the writers then go through family by family.
// NaN means "no series" (no current SA, no episode, a counter not incremented yet). Reading a
// tunnel at once also keeps its series consistent with each other when the render pauses.

/** Scratch arrays, reused by every scrape (grown when the fleet grows). */
export class Capture {
  /** Exported tunnels, indexed by their order of export. */
  n = 0;
  /**
   * Slot-major: the value of `slot` for exported tunnel `i` is at `slot * n + i`, so that each
   * family reads its values in order (and the array is sized by the cap, not by the fleet).
   */
  values = new Float64Array(0);
  /** Negotiation failures by label tail, per tunnel (undefined: none). */
  failures: (ReadonlyMap<string, number> | undefined)[] = [];

  prepare(n: number): void {
    this.n = n;
    if (this.values.length < n * SLOTS) this.values = new Float64Array(Math.ceil(n * 1.25) * SLOTS);
    this.failures.length = n;
  }
}

const counter = (n: number): number => (n === 0 ? Number.NaN : n);

function direction(
  v: Float64Array,
  n: number,
  i: number,
  sa: IpsecSa | null,
  slots: readonly [number, number, number, number, number],
): void {
  const [soft, hard, lifetime, assumed, overdue] = slots;
  if (sa === null) {
    for (const slot of slots) v[slot * n + i] = Number.NaN;
    return;
  }
  v[soft * n + i] = softMs(sa);
  v[hard * n + i] = hardMs(sa);
  v[lifetime * n + i] = sa.lifetimeS;
  v[assumed * n + i] = lifetimeAssumed(sa) ? 1 : 0;
  v[overdue * n + i] = isOverdue(sa) ? 1 : 0;
}

const INBOUND = [
  SLOT.softInbound,
  SLOT.hardInbound,
  SLOT.lifetimeInbound,
  SLOT.assumedInbound,
  SLOT.overdueInbound,
] as const;
const OUTBOUND = [
  SLOT.softOutbound,
  SLOT.hardOutbound,
  SLOT.lifetimeOutbound,
  SLOT.assumedOutbound,
  SLOT.overdueOutbound,
] as const;

/** Reads one tunnel's values into the capture, at index `i`. */
export function captureTunnel(
  capture: Capture,
  i: number,
  state: RouterState,
  tunnel: Tunnel,
  c: TunnelCounters | undefined,
): void {
  const { n, values: v } = capture;
  v[SLOT.configured * n + i] = tunnel.config === undefined ? 0 : 1;
  const ike = tunnel.ike;
  v[SLOT.ikeHard * n + i] = ike === null ? Number.NaN : ikeHardMs(ike);
  v[SLOT.ikeSoft * n + i] = ike === null ? Number.NaN : ikeSoftMs(ike);
  v[SLOT.ikeLifetime * n + i] = ike === null ? Number.NaN : ike.lifetimeS;
  direction(v, n, i, tunnel.inbound, INBOUND);
  direction(v, n, i, tunnel.outbound, OUTBOUND);
  v[SLOT.lastRekey * n + i] = c === undefined ? Number.NaN : c.lastRekeyMs;
  v[SLOT.lastRekeyLead * n + i] = c === undefined ? Number.NaN : c.lastRekeyLeadSeconds;
  v[SLOT.rekeysOnTime * n + i] = c === undefined ? Number.NaN : counter(c.ipsecRekeysOnTime);
  v[SLOT.rekeysLate * n + i] = c === undefined ? Number.NaN : counter(c.ipsecRekeysLate);
  v[SLOT.ikeRekeys * n + i] = c === undefined ? Number.NaN : counter(c.ikeRekeys);
  v[SLOT.ipsecExpirations * n + i] = c === undefined ? Number.NaN : counter(c.ipsecExpirations);
  v[SLOT.ikeExpirations * n + i] = c === undefined ? Number.NaN : counter(c.ikeExpirations);
  v[SLOT.invalidSpiStarted * n + i] = c === undefined ? Number.NaN : counter(c.invalidSpiStarted);
  v[SLOT.invalidSpiRecovered * n + i] =
    c === undefined ? Number.NaN : counter(c.invalidSpiRecovered);
  capture.failures[i] = c?.failures;
  const episode = tunnel.extra?.episode;
  v[SLOT.episodeStart * n + i] = episode === undefined ? Number.NaN : episode.startMs;
  v[SLOT.episodeRecovery * n + i] =
    episode === undefined ? Number.NaN : expectedRecoveryMs(state, tunnel, episode);
}
