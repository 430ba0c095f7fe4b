import type { LifecycleEvent } from '../lifecycle.js';
import type { Observation } from '../observation.js';
import { DEADLINE_IKE_HARD, DEADLINE_IPSEC_HARD, DEADLINE_IPSEC_OVERDUE } from './deadlines.js';
import { evidenceOf, spiValue } from './emit.js';
import {
  certificateCheckFailed,
  legacyFailure,
  negotiationFailed,
  trafficSelectorMismatch,
} from './failures.js';
import { given } from './identity.js';
import { parseIsoTime } from './isoTime.js';
import { establishIke, expireIke } from './ike.js';
import { invalidSpi, progressEpisode } from './invalidSpi.js';
import { establishIpsec, expireIpsec, fireOverdue } from './ipsec.js';
import { resolveByGateways, resolveNamed, tunnelsTowards } from './resolve.js';
import {
  applyConfig,
  applyPeers,
  fireSilence,
  routerAlive,
  showsRouterAlive,
  silenceDeadline,
} from './router.js';
import {
  snmpIkeRow,
  snmpPeerRow,
  snmpPollEnd,
  snmpSaRow,
  snmpSystem,
  snmpTrap,
  snmpTunnelRow,
} from './snmp.js';
import { SA_DEAD, type IkeSa, type IpsecSa, type RouterState, type Tunnel } from './state.js';
import { clearSas, markDown, upFromSas, upObserved } from './tunnelState.js';

export interface Evolution {
  readonly state: RouterState;
  readonly events: readonly LifecycleEvent[];
}

const NO_EVENTS: readonly LifecycleEvent[] = Object.freeze([]);

/**
 * The SA lifecycle fold of one router: pure (no I/O, no clock, no randomness: time comes only
 * from observations) and total (never throws on a valid observation, in any order, duplicated
 * or not). It takes ownership of `state` and returns it updated with the lifecycle events the
 * observation implies: first the deadlines its time reveals, in deadline order, then its own.
 */
export function evolve(state: RouterState, observation: Observation): Evolution {
  const atMs = parseIsoTime(observation.time);
  if (Number.isNaN(atMs) || observation.router !== state.router)
    return { state, events: NO_EVENTS };
  const dedupe =
    observation.kind !== 'clock' &&
    observation.kind !== 'junos-config' &&
    observation.kind !== 'junos-peers' &&
    observation.raw !== '';
  if (dedupe && state.recent.has(observation.raw, observation.kind, atMs)) {
    return { state, events: NO_EVENTS };
  }
  state.pending = null;

  // Silence is a deadline like the others: whatever observation reveals it (a clock tick, or
  // the router's next line when no tick came in between, as in a replay of archived files), it
  // fires dated when the gap ran out, so a log with or without clock ticks gives the same events.
  const silentAt = silenceDeadline(state, atMs);
  if (!Number.isNaN(silentAt)) {
    fireDeadlines(state, silentAt, false);
    fireSilence(state, silentAt);
  }
  fireDeadlines(state, atMs, true);
  if (showsRouterAlive(observation)) routerAlive(state, atMs, observation);
  if (atMs > state.clockMs) state.clockMs = atMs;

  apply(state, observation, atMs);
  // An out-of-order line can add a deadline the router's clock has already passed.
  fireDeadlines(state, state.clockMs, true);

  if (dedupe) {
    const s = state.settings;
    state.recent.remember(
      observation.raw,
      observation.kind,
      atMs,
      state.clockMs,
      s.dedupeWindowSeconds * 1000,
      s.dedupeMaxEntries,
    );
  }
  const events = state.pending ?? NO_EVENTS;
  state.pending = null;
  return { state, events };
}

/** Fires the deadlines due by `limitMs` (inclusive or not) in deadline order. */
function fireDeadlines(state: RouterState, limitMs: number, inclusive: boolean): void {
  const heap = state.deadlines;
  for (;;) {
    const next = heap.peek();
    if (inclusive ? next > limitMs : next >= limitMs) return;
    const sa = heap.pop()!;
    if ((sa.flags & SA_DEAD) !== 0 || sa.serial !== heap.poppedSerial) continue;
    const at = heap.poppedAt;
    switch (heap.poppedKind) {
      case DEADLINE_IPSEC_OVERDUE:
        fireOverdue(state, sa as IpsecSa, at);
        break;
      case DEADLINE_IPSEC_HARD:
        expireIpsec(state, sa as IpsecSa, at);
        break;
      case DEADLINE_IKE_HARD:
        expireIke(state, sa as IkeSa, at);
        break;
    }
  }
}

function apply(state: RouterState, observation: Observation, atMs: number): void {
  switch (observation.kind) {
    case 'ike-sa-established': {
      const d = observation.data;
      const evidence = [observation.raw];
      const vpn = given(d.vpn);
      const local = given(d.local?.ip);
      const remote = given(d.remote?.ip);
      const targets =
        vpn !== undefined
          ? resolveNamed(state, { vpn, gateway: given(d.gateway), local, remote }, atMs, evidence)
          : [resolveByGateways(state, { local, remote }, atMs, evidence)];
      const ref = evidenceOf(observation);
      for (const tunnel of targets) establishIke(state, tunnel, d, atMs, observation.raw, ref);
      return;
    }
    case 'ike-negotiation-failed':
      return negotiationFailed(state, 'ike', observation.data, atMs, observation);
    case 'ipsec-negotiation-failed':
      return negotiationFailed(state, 'ipsec', observation.data, atMs, observation);
    case 'ipsec-sa-established': {
      const d = observation.data;
      const spi = spiValue(d.spi);
      if (Number.isNaN(spi)) return;
      const outbound = d.direction === 'outbound';
      const localProxy = given(d.localId);
      const remoteProxy = given(d.remoteId);
      const tunnel = resolveByGateways(
        state,
        {
          local: given(d.localGateway),
          remote: given(d.remoteGateway),
          trafficSelector: given(d.trafficSelector),
          localProxy,
          remoteProxy,
          direction: outbound ? 1 : 0,
        },
        atMs,
        [observation.raw],
      );
      if (localProxy !== undefined && tunnel.localProxy !== localProxy)
        tunnel.localProxy = state.intern(localProxy);
      if (remoteProxy !== undefined && tunnel.remoteProxy !== remoteProxy) {
        tunnel.remoteProxy = state.intern(remoteProxy);
      }
      const sa = establishIpsec(
        state,
        tunnel,
        outbound,
        spi,
        atMs,
        observation.raw,
        evidenceOf(observation),
      );
      if (sa === null) return;
      upFromSas(state, tunnel, atMs);
      progressEpisode(state, tunnel, outbound, atMs, observation.raw);
      return;
    }
    case 'tunnel-up':
    case 'tunnel-down': {
      const d = observation.data;
      const evidence = [observation.raw];
      const vpn = given(d.vpn);
      const local = given(d.localIp);
      const remote = given(d.peer);
      const targets =
        vpn !== undefined
          ? resolveNamed(
              state,
              {
                vpn,
                trafficSelector: given(d.trafficSelector),
                gateway: given(d.gateway),
                local,
                remote,
              },
              atMs,
              evidence,
            )
          : [
              resolveByGateways(
                state,
                { local, remote, trafficSelector: given(d.trafficSelector) },
                atMs,
                evidence,
              ),
            ];
      for (const tunnel of targets) {
        learnTunnelFacts(tunnel, given(d.tunnelId), given(d.tunnelInterface));
        if (observation.kind === 'tunnel-up') upObserved(state, tunnel, atMs, evidence);
        else {
          clearSas(tunnel);
          markDown(
            state,
            tunnel,
            atMs,
            false,
            evidence,
            observation.data.reason,
            observation.data.reasonText,
          );
        }
      }
      return;
    }
    case 'dpd-peer-dead': {
      // Junos deletes the SAs of a peer that DPD declares dead.
      for (const tunnel of tunnelsTowards(state, given(observation.data.peer))) {
        clearSas(tunnel);
        markDown(state, tunnel, atMs, true, [observation.raw], 'dpd-peer-dead');
      }
      return;
    }
    case 'traffic-selector-mismatch':
      return trafficSelectorMismatch(state, observation.data, atMs, observation);
    case 'phase1-failure':
      return legacyFailure(state, 'ike', observation.data, atMs, observation);
    case 'phase2-failure':
      return legacyFailure(state, 'ipsec', observation.data, atMs, observation);
    case 'certificate-check-failed':
      return certificateCheckFailed(state, observation.data, atMs, observation);
    case 'invalid-spi':
      return invalidSpi(state, observation.data, atMs, observation);
    case 'junos-config':
      return applyConfig(state, observation.data, atMs, observation);
    case 'junos-peers':
      return applyPeers(state, observation.data);
    case 'snmp-system':
      return snmpSystem(state, observation, atMs);
    case 'snmp-ipsec-tunnel':
      return snmpTunnelRow(state, observation, atMs);
    case 'snmp-ike-sa':
      return snmpIkeRow(state, observation, atMs);
    case 'snmp-ipsec-sa':
      return snmpSaRow(state, observation, atMs);
    case 'snmp-ike-peer':
      return snmpPeerRow(state, observation, atMs);
    case 'snmp-poll':
      return snmpPollEnd(state, observation, atMs);
    case 'snmp-trap':
      return snmpTrap(state, observation, atMs);
    case 'config-applied':
    case 'unrecognized':
    case 'ignored':
    case 'snmp-counters': // router-wide: no tunnel to attribute them to (the tunnel rows have their own)
    case 'clock':
      return;
    default: {
      const unknownKind: never = observation;
      void unknownKind;
      return;
    }
  }
}

function learnTunnelFacts(
  tunnel: Tunnel,
  tunnelId: string | undefined,
  tunnelInterface: string | undefined,
): void {
  if (tunnelId === undefined && tunnelInterface === undefined) return;
  const extra = tunnel.more();
  if (tunnelId !== undefined) extra.tunnelId = tunnelId;
  if (tunnelInterface !== undefined) extra.tunnelInterface = tunnelInterface;
}
