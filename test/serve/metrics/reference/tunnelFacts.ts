import { ikeRole } from '../../../../src/domain/sa/ike.js';
import { hardMs, ipsecSource } from '../../../../src/domain/sa/ipsec.js';
import { softLeadMs } from '../../../../src/domain/sa/lifetimes.js';
import {
  LIFETIME_DEFAULT,
  SA_OVERDUE_FIRED,
  type IkeSa,
  type InvalidSpiEpisode,
  type IpsecSa,
  type RouterState,
  type Tunnel,
} from '../../../../src/domain/sa/state.js';
import { tunnelStatus } from '../../../../src/domain/sa/tunnelState.js';

// What the exporter reads from the fold's state (read-only): the fold owns these records and
// updates them in place, so everything here is computed at scrape time from the current state.

/** The `state` values of samon_tunnel_state, in exposition order; a tunnel's code indexes it. */
export const TUNNEL_STATES = ['up', 'rekeying', 'down', 'expected-but-absent', 'unknown'] as const;
export type StateCode = 0 | 1 | 2 | 3 | 4;
const STATE_REKEYING = 1;
const STATE_DOWN = 2;
const STATE_EXPECTED_BUT_ABSENT = 3;

export function stateCode(state: RouterState, tunnel: Tunnel): StateCode {
  switch (tunnelStatus(tunnel, state.settings.pairWindowSeconds * 1000)) {
    case 'up':
      return 0;
    case 'rekeying':
      return 1;
    case 'down':
      return 2;
    case 'expected-but-absent':
      return 3;
    case 'unknown':
      return 4;
  }
}

/** Traffic can flow: up, and rekeying (two generations overlapping is never an outage). */
export const carriesTraffic = (code: number): boolean => code <= STATE_REKEYING;

/** Soft deadline + grace passed with no successor: the fold marks it when the deadline fires. */
export const isOverdue = (sa: IpsecSa): boolean => (sa.flags & SA_OVERDUE_FIRED) !== 0;

export const lifetimeAssumed = (sa: IpsecSa): boolean => ipsecSource(sa) === LIFETIME_DEFAULT;

export const ikeHardMs = (sa: IkeSa): number => sa.establishedMs + sa.lifetimeS * 1000;

/**
 * The fold keeps no IKE soft deadline: it is derived by the IPsec rule (hard − 135 s as
 * initiator, − 90 s as responder or when the role is unknown).
 */
export const ikeSoftMs = (sa: IkeSa): number => ikeHardMs(sa) - softLeadMs(ikeRole(sa));

/** With `respond-bad-spi` Junos resynchronises the SAs at once; allow it a minute. */
export const RESPOND_BAD_SPI_RECOVERY_MS = 60_000;

/**
 * When an invalid-SPI episode should be over: start + 60 s with `respond-bad-spi`; else when the
 * SA in use when it started reaches its hard deadline (traffic stays black-holed until then);
 * with no SA known, one IPsec lifetime after the start (no SA can outlive it).
 */
export function expectedRecoveryMs(
  state: RouterState,
  tunnel: Tunnel,
  episode: InvalidSpiEpisode,
): number {
  if (tunnel.config?.respondBadSpi === true) return episode.startMs + RESPOND_BAD_SPI_RECOVERY_MS;
  if (episode.oldHardMs !== undefined) return episode.oldHardMs;
  let latest = Number.NEGATIVE_INFINITY;
  for (const sa of [tunnel.inbound, tunnel.outbound]) if (sa) latest = Math.max(latest, hardMs(sa));
  if (Number.isFinite(latest)) return latest;
  const lifetimeS =
    tunnel.config?.ipsecLifetimeSeconds?.value ?? state.settings.defaultIpsecLifetimeSeconds;
  return episode.startMs + lifetimeS * 1000;
}

/** Cap priority (lower is kept first): broken, then rekeying, then the rest. */
export function priority(code: StateCode, tunnel: Tunnel): 0 | 1 | 2 {
  if (code === STATE_DOWN || code === STATE_EXPECTED_BUT_ABSENT) return 0;
  if (tunnel.extra?.episode !== undefined) return 0;
  const { inbound, outbound } = tunnel;
  if ((inbound !== null && isOverdue(inbound)) || (outbound !== null && isOverdue(outbound)))
    return 0;
  return code === STATE_REKEYING ? 1 : 2;
}
