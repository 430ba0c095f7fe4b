import type { Observation, ObservationOf } from '../observation.js';
import { isoTime as isoFromMillis } from './isoTime.js';
import { canonicalJson } from './canonical.js';
import { readConfig, type PeerLifetimes } from './config.js';
import { summarizeConfigChange } from './configChange.js';
import { emit, evidenceOf, seconds } from './emit.js';
import { namedTunnelId } from './identity.js';
import { absorbProvisional, announce, createTunnel, learnAddresses, lookup } from './resolve.js';
import type { RouterState, Tunnel } from './state.js';

// Router-level facts: silence (no observation other than clock ticks for longer than the gap,
// revealed by the clock ticks the collectors append per router, or by the router's next
// observation when no tick came in between) and imported configuration.

/** Observations that show the router alive: not clock ticks, not imports, not failed polls. */
export function showsRouterAlive(observation: Observation): boolean {
  if (
    observation.kind === 'clock' ||
    observation.kind === 'junos-config' ||
    observation.kind === 'junos-peers'
  )
    return false;
  if (observation.kind === 'snmp-poll') return observation.data.ok;
  return true;
}

/** The moment the router became silent, when an observation at `nowMs` reveals it; else NaN. */
export function silenceDeadline(state: RouterState, nowMs: number): number {
  if (state.silent || Number.isNaN(state.lastSeenMs)) return Number.NaN;
  const gapMs = state.settings.silenceGapSeconds * 1000;
  return nowMs - state.lastSeenMs > gapMs ? state.lastSeenMs + gapMs : Number.NaN;
}

export function fireSilence(state: RouterState, atMs: number): void {
  state.silent = true;
  emit(
    state,
    'RouterSilent',
    atMs,
    undefined,
    true,
    state.lastSeenEvidence ? [state.lastSeenEvidence] : [],
    {
      silentSinceSeconds: seconds(atMs - state.lastSeenMs),
      lastSeenAt: isoFromMillis(state.lastSeenMs),
    },
  );
}

export function routerAlive(state: RouterState, atMs: number, observation: Observation): void {
  if (state.silent) {
    state.silent = false;
    emit(state, 'RouterResumed', atMs, undefined, false, [observation.raw], {
      silentSinceSeconds: seconds(Math.max(0, atMs - state.lastSeenMs)),
      lastSeenAt: isoFromMillis(state.lastSeenMs),
    });
  }
  if (!(atMs < state.lastSeenMs)) {
    state.lastSeenMs = atMs;
    state.lastSeenEvidence = evidenceOf(observation);
  }
}

/**
 * An imported configuration: its tunnels are expected (discovered now, down while they have no
 * SA); a changed configuration is a ConfigChanged. Lifetimes apply to SAs established from now.
 */
export function applyConfig(
  state: RouterState,
  data: unknown,
  atMs: number,
  observation: Observation,
): void {
  const view = readConfig(data);
  if (!view) return;
  const previous = state.config;
  if (previous && canonicalJson(previous.model) === canonicalJson(view.model)) return;
  state.config = view;
  const evidence = [observation.raw];
  const expected = new Set<Tunnel>();
  for (const et of view.tunnels) {
    const id = namedTunnelId(state.router, et.vpn, et.trafficSelector);
    let tunnel = lookup(state, id);
    const fresh = tunnel === undefined;
    // The tunnel shares the configuration's VPN and gateway names (its view keeps them anyway):
    // a copy, or an interned entry, of names unique to each tunnel would only double them.
    tunnel ??= createTunnel(state, id, et.vpn, et.trafficSelector, false, true);
    tunnel.config = et;
    learnAddresses(state, tunnel, et.localAddress, et.remoteAddress, true);
    if (et.gateway !== undefined) tunnel.gateway ??= et.gateway;
    if (et.bindInterface !== undefined) tunnel.more().tunnelInterface ??= et.bindInterface;
    const merged = absorbProvisional(state, tunnel);
    if (fresh || merged) announce(state, tunnel, atMs, evidence);
    expected.add(tunnel);
  }
  for (const tunnel of state.tunnels.values()) {
    if (tunnel.config !== undefined && !expected.has(tunnel)) tunnel.config = undefined;
  }
  if (previous) {
    emit(
      state,
      'ConfigChanged',
      atMs,
      undefined,
      false,
      evidence,
      summarizeConfigChange(previous.model, view.model),
    );
  }
}

/**
 * The other routers' lifetimes for the tunnels towards this one (`junos-peers`, joined by the
 * config importer): SAs established from now on take the shorter IKEv1 lifetime.
 */
export function applyPeers(state: RouterState, data: ObservationOf<'junos-peers'>['data']): void {
  const peers: Record<string, PeerLifetimes> = {};
  for (const key of Object.keys(data.peers).sort()) {
    const p = data.peers[key]!;
    peers[key] = {
      ...(typeof p.ikeLifetimeSeconds === 'number'
        ? { ikeLifetimeSeconds: p.ikeLifetimeSeconds }
        : {}),
      ...(typeof p.ipsecLifetimeSeconds === 'number'
        ? { ipsecLifetimeSeconds: p.ipsecLifetimeSeconds }
        : {}),
    };
  }
  state.peers = peers;
}
