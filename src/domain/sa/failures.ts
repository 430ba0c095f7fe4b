import type { Observation } from '../observation.js';
import type { Reason } from '../reason.js';
import { crlDownloadEnforced } from './config.js';
import { emit } from './emit.js';
import { roleName } from './ike.js';
import { given } from './identity.js';
import { resolveByGateways, resolveNamed, tunnelsBetween } from './resolve.js';
import type { RouterState, Tunnel } from './state.js';
import { hasLiveIpsec, markDown } from './tunnelState.js';

// Failures: NegotiationFailed attached to the tunnel the line names (by VPN, else by gateway
// addresses); CertificateCheckFailed with `enforced` from the configuration. A failure while
// the tunnel has no live SA means it is down.

type FailedData = Extract<Observation, { kind: 'ike-negotiation-failed' }>['data'];
type LegacyData = Extract<Observation, { kind: 'phase1-failure' }>['data'];
type Phase = 'ike' | 'ipsec';

/** Tunnels at these gateways; a new provisional one when there is none; none when ambiguous. */
function byAddresses(
  state: RouterState,
  local: string | undefined,
  remote: string | undefined,
  atMs: number,
  evidence: string[],
): Tunnel[] {
  if (remote === undefined) return [];
  const fitting = tunnelsBetween(state, local, remote);
  if (fitting.length === 1) return [fitting[0]!];
  if (fitting.length > 1) return [];
  return [resolveByGateways(state, { local, remote }, atMs, evidence)];
}

function report(
  state: RouterState,
  targets: readonly Tunnel[],
  phase: Phase,
  reason: Reason,
  reasonText: string | undefined,
  ikeVersion: 1 | 2 | undefined,
  role: 'initiator' | 'responder' | undefined,
  atMs: number,
  observation: Observation,
): void {
  const evidence = [observation.raw];
  const data = (tunnel: Tunnel | undefined) => {
    const r = role ?? (phase === 'ipsec' && tunnel ? roleName(tunnel.role) : undefined);
    return {
      phase,
      reason,
      ...(reasonText !== undefined ? { reasonText } : {}),
      ...(ikeVersion !== undefined ? { ikeVersion } : {}),
      ...(r !== undefined ? { role: r } : {}),
    };
  };
  if (targets.length === 0) {
    emit(state, 'NegotiationFailed', atMs, undefined, false, evidence, data(undefined));
    return;
  }
  for (const tunnel of targets) {
    emit(state, 'NegotiationFailed', atMs, tunnel, false, evidence, data(tunnel));
    (tunnel.more().failedMs ??= {})[reason] = atMs;
    if (!hasLiveIpsec(tunnel)) {
      markDown(state, tunnel, atMs, true, [observation.raw], reason, reasonText);
    }
  }
}

/** `IKE negotiation failed …` / `IPSec negotiation failed …` (syslog-catalog.md §2.2). */
export function negotiationFailed(
  state: RouterState,
  phase: Phase,
  data: FailedData,
  atMs: number,
  observation: Observation,
): void {
  const evidence = [observation.raw];
  const vpn = given(data.vpn);
  const local = given(data.local?.ip);
  const remote = given(data.remote?.ip);
  const targets =
    vpn !== undefined
      ? resolveNamed(state, { vpn, gateway: given(data.gateway), local, remote }, atMs, evidence)
      : byAddresses(state, local, remote, atMs, evidence);
  report(
    state,
    targets,
    phase,
    data.reason,
    data.reasonText,
    data.ikeVersion,
    data.role,
    atMs,
    observation,
  );
}

/**
 * Older `KMD_VPN_PV_PHASE1/2` lines name only `src_ip`/`dst_ip`, not which end is ours: the
 * tunnel whose gateways are those two addresses, either way round, when there is exactly one.
 */
export function legacyFailure(
  state: RouterState,
  phase: Phase,
  data: LegacyData,
  atMs: number,
  observation: Observation,
): void {
  const src = given(data.src);
  const dst = given(data.dst);
  const found = new Set<Tunnel>();
  for (const [local, remote] of [
    [src, dst],
    [dst, src],
  ] as const) {
    for (const t of tunnelsBetween(state, local, remote)) found.add(t);
  }
  const targets = found.size === 1 ? [...found] : [];
  report(
    state,
    targets,
    phase,
    data.reason,
    data.reasonText,
    undefined,
    undefined,
    atMs,
    observation,
  );
}

/** `KMD_VPN_TS_MISMATCH`: a phase-2 failure for the traffic-selector reason. */
export function trafficSelectorMismatch(
  state: RouterState,
  data: Extract<Observation, { kind: 'traffic-selector-mismatch' }>['data'],
  atMs: number,
  observation: Observation,
): void {
  const evidence = [observation.raw];
  const vpn = given(data.vpn);
  const peer = given(data.peer);
  const targets =
    vpn !== undefined
      ? resolveNamed(state, { vpn, remote: peer }, atMs, evidence)
      : byAddresses(state, undefined, peer, atMs, evidence);
  report(
    state,
    targets,
    'ipsec',
    'traffic-selector-mismatch',
    undefined,
    undefined,
    undefined,
    atMs,
    observation,
  );
}

/**
 * CRL download failure, revoked or invalid certificate. A failed CRL download stops the tunnel
 * unless the CA profile says `revocation-check crl disable on-download-failure`; with no
 * configuration, the Junos default (enforced). A revoked certificate always fails.
 */
export function certificateCheckFailed(
  state: RouterState,
  data: Extract<Observation, { kind: 'certificate-check-failed' }>['data'],
  atMs: number,
  observation: Observation,
): void {
  const caProfile = given(data.caProfile);
  const profile =
    caProfile === undefined
      ? undefined
      : state.config?.caProfiles.find((p) => p.name === caProfile);
  const users: Tunnel[] = [];
  if (caProfile !== undefined) {
    for (const t of state.tunnels.values()) if (t.config?.caProfile === caProfile) users.push(t);
    users.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
  const enforced =
    data.check === 'crl-download' ? crlDownloadEnforced(profile, users[0]?.config) : true;
  const tunnel = users.length === 1 ? users[0] : undefined;
  emit(state, 'CertificateCheckFailed', atMs, tunnel, false, [observation.raw], {
    check: data.check,
    enforced,
    ...(caProfile !== undefined ? { caProfile } : {}),
    ...(data.reasonText !== undefined ? { reasonText: data.reasonText } : {}),
    ...(users.length > 1 ? { tunnels: users.map((t) => t.id) } : {}),
  });
  for (const t of users) (t.more().failedMs ??= {})['certificate'] = atMs;
  if (!enforced) return;
  const reason: Reason = data.check === 'crl-download' ? 'crl-unavailable' : 'certificate-invalid';
  for (const t of users) {
    if (!hasLiveIpsec(t))
      markDown(state, t, atMs, true, [observation.raw], reason, data.reasonText);
  }
}
