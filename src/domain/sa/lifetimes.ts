import { peerKey } from './config.js';
import {
  LIFETIME_CONFIG,
  LIFETIME_CONFIG_DEFAULT,
  LIFETIME_DEFAULT,
  LIFETIME_NEGOTIATED,
  LIFETIME_SNMP,
  ROLE_INITIATOR,
  type RouterState,
  type Tunnel,
} from './state.js';

// Lifetimes of a new SA (junos-ipsec.md): the imported configuration, else what SNMP reported,
// else the Junos default (marked assumed). IKEv1 negotiates the lifetime and the shorter of the
// two ends wins, which samon can know only when the peer router's configuration is imported too
// (the fleet peer index in the state); IKEv2 keeps each end's own. The result is packed as
// `seconds * 8 + source` so that placing an SA allocates nothing.

export const lifetimeSeconds = (packed: number): number => Math.floor(packed / 8);
export const lifetimeSource = (packed: number): number => packed % 8;

function choose(
  state: RouterState,
  tunnel: Tunnel,
  configured: { value: number; assumed: boolean } | undefined,
  snmp: number | undefined,
  fallback: number,
  ike: boolean,
): number {
  let seconds: number;
  let source: number;
  if (configured) {
    seconds = configured.value;
    source = configured.assumed ? LIFETIME_CONFIG_DEFAULT : LIFETIME_CONFIG;
  } else if (snmp !== undefined && snmp > 0) {
    seconds = snmp;
    source = LIFETIME_SNMP;
  } else {
    seconds = fallback;
    source = LIFETIME_DEFAULT;
  }
  // Only a configured end can be compared with its peer, and only IKEv1 negotiates lifetimes.
  if (
    configured &&
    tunnel.local !== undefined &&
    tunnel.remote !== undefined &&
    ikeVersionOf(tunnel) === 1
  ) {
    const peer = state.peers[peerKey(tunnel.local, tunnel.remote)];
    const theirs = ike ? peer?.ikeLifetimeSeconds : peer?.ipsecLifetimeSeconds;
    if (theirs !== undefined && theirs > 0 && theirs < seconds) {
      seconds = theirs;
      source = LIFETIME_NEGOTIATED;
    }
  }
  return Math.max(1, Math.round(seconds)) * 8 + source;
}

/** IKE version of the tunnel's latest negotiation, else its configuration's; 0 when unknown. */
export function ikeVersionOf(tunnel: Tunnel): 0 | 1 | 2 {
  if (tunnel.ikeVersion !== 0) return tunnel.ikeVersion;
  return tunnel.config?.ikeVersion?.value ?? 0;
}

export function ikeLifetime(state: RouterState, tunnel: Tunnel): number {
  return choose(
    state,
    tunnel,
    tunnel.config?.ikeLifetimeSeconds,
    tunnel.extra?.snmpIkeLifetimeS,
    state.settings.defaultIkeLifetimeSeconds,
    true,
  );
}

export function ipsecLifetime(state: RouterState, tunnel: Tunnel): number {
  return choose(
    state,
    tunnel,
    tunnel.config?.ipsecLifetimeSeconds,
    tunnel.extra?.snmpIpsecLifetimeS,
    state.settings.defaultIpsecLifetimeSeconds,
    false,
  );
}

/**
 * Soft lifetime = hard − 135 s for the initiator, hard − 90 s for the responder (junos-ipsec.md,
 * "IPsec SA lifetimes"). With the role unknown, the responder's (later) one: a peer-initiated
 * rekey before it is normal, so it raises no false "overdue".
 */
export const softLeadMs = (role: number): number => (role === ROLE_INITIATOR ? 135_000 : 90_000);
