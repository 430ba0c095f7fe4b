import type { LifecycleEventOf } from '../lifecycle.js';
import type { Reason } from '../reason.js';
import { isoTime as isoFromMillis } from './isoTime.js';
import { DEADLINE_IPSEC_HARD, DEADLINE_IPSEC_OVERDUE } from './deadlines.js';
import { spiText } from '../spi.js';
import { emit, seconds } from './emit.js';
import { roleName } from './ike.js';
import { ipsecLifetime, lifetimeSeconds, lifetimeSource, softLeadMs } from './lifetimes.js';
import {
  IpsecSa,
  LIFETIME_DEFAULT,
  LIFETIME_SOURCES,
  SA_DEAD,
  SA_OUTBOUND,
  SA_OVERDUE_FIRED,
  SA_ROLE_MASK,
  SA_SOURCE_SHIFT,
  type RouterState,
  type Tunnel,
} from './state.js';
import { markDown } from './tunnelState.js';

// IPsec SAs, one per direction (junos-ipsec.md): a new SPI in a direction with a live SA is a
// rekey; soft deadline + grace with no successor is overdue; hard deadline with no successor is
// an expiry, and a tunnel left with no SA is down. Inferred events carry the deadline's time.

export const direction = (sa: IpsecSa): 'inbound' | 'outbound' =>
  (sa.flags & SA_OUTBOUND) !== 0 ? 'outbound' : 'inbound';
export const hardMs = (sa: IpsecSa): number => sa.establishedMs + sa.lifetimeS * 1000;
export const softMs = (sa: IpsecSa): number => hardMs(sa) - softLeadMs(sa.flags & SA_ROLE_MASK);
export const ipsecSource = (sa: IpsecSa): number => (sa.flags >> SA_SOURCE_SHIFT) & 0b111;

/** Pushes the SA's next deadline: overdue (soft + grace) first, then hard. */
export function schedule(state: RouterState, sa: IpsecSa): void {
  const hard = hardMs(sa);
  const overdue = softMs(sa) + state.settings.graceSeconds * 1000;
  if ((sa.flags & SA_OVERDUE_FIRED) === 0 && overdue < hard) {
    state.deadlines.push(overdue, sa.serial, DEADLINE_IPSEC_OVERDUE, sa);
  } else {
    state.deadlines.push(hard, sa.serial, DEADLINE_IPSEC_HARD, sa);
  }
}

/**
 * A phase-2 SA came up in one direction. Returns the new SA, or null when the line adds nothing
 * (the live SA logged again, or a line older than the live SA).
 */
export function establishIpsec(
  state: RouterState,
  tunnel: Tunnel,
  outbound: boolean,
  spi: number,
  atMs: number,
  raw: string,
  ref: string,
  /** Inferred from SNMP rows (age of the SA), not logged by the router. */
  inferred = false,
): IpsecSa | null {
  const current = outbound ? tunnel.outbound : tunnel.inbound;
  if (current !== null && (current.spi === spi || atMs < current.establishedMs)) return null;
  const packed = ipsecLifetime(state, tunnel);
  const source = lifetimeSource(packed);
  const role = tunnel.role;
  const flags = role | (source << SA_SOURCE_SHIFT) | (outbound ? SA_OUTBOUND : 0);
  const dir = outbound ? 'outbound' : 'inbound';
  const evidence = [raw]; // shared by both events of this line
  const newSpi = spiText(spi);
  let rekeyed: LifecycleEventOf<'IpsecSaRekeyed'>['data'] | undefined;
  let sa: IpsecSa;
  if (current !== null) {
    rekeyed = {
      direction: dir,
      oldSpi: spiText(current.spi),
      newSpi,
      leadSeconds: seconds(hardMs(current) - atMs),
      outcome: atMs < softMs(current) + state.settings.graceSeconds * 1000 ? 'on-time' : 'late',
    };
    // The record is updated in place: a rekey allocates no long-lived object, so the young
    // generation stays garbage and scavenges stay cheap with 1 M SAs. The old generation's
    // deadline entry is now stale (its serial no longer matches).
    sa = current;
    sa.spi = spi;
    sa.establishedMs = atMs;
    sa.lifetimeS = lifetimeSeconds(packed);
    sa.flags = flags;
    sa.serial = state.serial++;
    sa.evidence = ref;
  } else {
    sa = new IpsecSa(spi, atMs, lifetimeSeconds(packed), flags, state.serial++, tunnel, ref);
    if (outbound) tunnel.outbound = sa;
    else tunnel.inbound = sa;
  }
  schedule(state, sa);
  const established: LifecycleEventOf<'IpsecSaEstablished'>['data'] = {
    direction: dir,
    spi: newSpi,
    // undefined (role unknown) is left out of the JSON
    role: roleName(role),
    lifetimeSeconds: sa.lifetimeS,
    softDeadline: isoFromMillis(softMs(sa)),
    hardDeadline: isoFromMillis(hardMs(sa)),
    lifetimeAssumed: source === LIFETIME_DEFAULT,
    lifetimeSource: LIFETIME_SOURCES[source],
  };
  emit(state, 'IpsecSaEstablished', atMs, tunnel, inferred, evidence, established);
  if (rekeyed) emit(state, 'IpsecSaRekeyed', atMs, tunnel, inferred, evidence, rekeyed);
  return sa;
}

export function fireOverdue(state: RouterState, sa: IpsecSa, atMs: number): void {
  sa.flags |= SA_OVERDUE_FIRED;
  emit(state, 'IpsecSaRekeyOverdue', atMs, sa.tunnel, true, [sa.evidence], {
    direction: direction(sa),
    spi: spiText(sa.spi),
    softDeadline: isoFromMillis(softMs(sa)),
    hardDeadline: isoFromMillis(hardMs(sa)),
  });
  schedule(state, sa);
}

export function expireIpsec(state: RouterState, sa: IpsecSa, atMs: number): void {
  endIpsec(
    state,
    sa,
    atMs,
    [sa.evidence],
    { hardDeadline: isoFromMillis(atMs) },
    'lifetime-expired',
  );
}

/**
 * An SA ends with no successor (inferred): IpsecSaExpired with `data`, and the tunnel down for
 * `reason` when it was the last one. Its hard deadline passing, or its row gone from SNMP.
 */
export function endIpsec(
  state: RouterState,
  sa: IpsecSa,
  atMs: number,
  evidence: string[],
  data: { readonly hardDeadline: string; readonly gone?: string },
  reason: Reason,
  reasonText?: string,
): void {
  const tunnel = sa.tunnel;
  sa.flags |= SA_DEAD;
  if (tunnel.inbound === sa) tunnel.inbound = null;
  if (tunnel.outbound === sa) tunnel.outbound = null;
  emit(state, 'IpsecSaExpired', atMs, tunnel, true, evidence, {
    direction: direction(sa),
    spi: spiText(sa.spi),
    ...data,
  });
  if (tunnel.inbound === null && tunnel.outbound === null) {
    markDown(state, tunnel, atMs, true, evidence, reason, reasonText);
  }
}
