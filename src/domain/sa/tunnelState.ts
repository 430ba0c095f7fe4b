import type { Reason } from '../reason.js';
import { emit } from './emit.js';
import {
  SA_DEAD,
  STATUS_DOWN,
  STATUS_UNKNOWN,
  STATUS_UP,
  type RouterState,
  type Tunnel,
} from './state.js';

// Tunnel state (architecture.md principle 7): up from a tunnel-up line or from live SAs in both
// directions; down from a tunnel-down line, from expiry, or from a failure while no SA is live;
// rekeying while two SA generations overlap, which is never counted as down.

export type TunnelStatus = 'up' | 'rekeying' | 'down' | 'unknown' | 'expected-but-absent';

export const hasLiveIpsec = (tunnel: Tunnel): boolean =>
  tunnel.inbound !== null || tunnel.outbound !== null;

/** Live SAs in both directions make a tunnel up (inferred from the two SA lines). */
export function upFromSas(state: RouterState, tunnel: Tunnel, atMs: number): void {
  const { inbound, outbound } = tunnel;
  if (tunnel.status === STATUS_UP || inbound === null || outbound === null) return;
  tunnel.status = STATUS_UP;
  if (tunnel.extra) tunnel.extra.downReason = undefined;
  emit(state, 'TunnelUp', atMs, tunnel, true, [inbound.evidence, outbound.evidence], {});
}

export function upObserved(
  state: RouterState,
  tunnel: Tunnel,
  atMs: number,
  evidence: string[],
): void {
  if (tunnel.status === STATUS_UP) return;
  tunnel.status = STATUS_UP;
  if (tunnel.extra) tunnel.extra.downReason = undefined;
  emit(state, 'TunnelUp', atMs, tunnel, false, evidence, {});
}

export function markDown(
  state: RouterState,
  tunnel: Tunnel,
  atMs: number,
  inferred: boolean,
  evidence: string[],
  reason: Reason,
  reasonText?: string,
): void {
  if (tunnel.status === STATUS_DOWN) return;
  tunnel.status = STATUS_DOWN;
  tunnel.more().downReason = reason;
  emit(state, 'TunnelDown', atMs, tunnel, inferred, evidence, {
    reason,
    ...(reasonText !== undefined ? { reasonText } : {}),
  });
}

/** Junos deletes the SAs of a tunnel that goes down (`Corresponding IKE/IPSec SAs are deleted`). */
export function clearSas(tunnel: Tunnel): void {
  for (const sa of [tunnel.inbound, tunnel.outbound, tunnel.ike]) if (sa) sa.flags |= SA_DEAD;
  tunnel.inbound = null;
  tunnel.outbound = null;
  tunnel.ike = null;
}

const notUp = (tunnel: Tunnel): TunnelStatus =>
  tunnel.config !== undefined && !hasLiveIpsec(tunnel) ? 'expected-but-absent' : 'unknown';

/** The status of a `--state` row. */
export function tunnelStatus(tunnel: Tunnel, pairWindowMs: number): TunnelStatus {
  switch (tunnel.status) {
    case STATUS_UP: {
      const { inbound, outbound } = tunnel;
      if (
        inbound &&
        outbound &&
        Math.abs(inbound.establishedMs - outbound.establishedMs) > pairWindowMs
      ) {
        return 'rekeying'; // one direction already runs on the new generation, the other not yet
      }
      return 'up';
    }
    case STATUS_DOWN:
      // Deleted from the configuration on purpose: nothing is expected of it any more.
      return tunnel.extra?.downReason === 'config-deleted' ? notUp(tunnel) : 'down';
    case STATUS_UNKNOWN:
      return notUp(tunnel);
  }
}
