import type { LifecycleEvent } from '../domain/lifecycle.js';
import {
  certificateRevoked,
  crlDownloadFailed,
  dpdPeerDown,
  invalidSpi,
  tsMismatch,
} from './assumedLines.js';
import type { SimTunnelEnd } from './configs/end.js';
import type { SimTunnel } from './fleet.js';
import {
  CONFIG_DELETED_TEXT,
  ikeCompleted,
  ikeFailed,
  ipsecFailed,
  proxyId,
  saEstablished,
  vpnDownDeleted,
  vpnUp,
} from './lines.js';
import type { Random } from './random.js';
import type { SimRecord } from './record.js';
import { negotiatedLifetime, REKEY_JITTER_SECONDS, rekeyStartMs, softDeadlineMs } from './rekey.js';
import type { ScenarioName } from './scenarios.js';
import { certificateFailed, spiHex, truthEvent } from './truth.js';

// One tunnel's life in virtual time: negotiations, rekeys and failures as both routers would log
// them, and the lifecycle events that happened. Pure: the clock is the loop variable, chance
// comes from the seeded Random.

const S = 1000;
/** Phase 2 completes a second after phase 1 (the IKE line, then the two SA lines). */
const PHASE2_DELAY = 1 * S;
/** A rekey attempt that gets no answer is logged as timed out after this long. */
const TIMEOUT_AFTER = 30 * S;
const RETRY_BEFORE_HARD = 60 * S;
const RETRY_FAILING = 240 * S;
/** samon's default grace after the soft deadline (contracts.md IpsecSaRekeyOverdue). */
export const OVERDUE_GRACE = 60 * S;

/** Outage of the path in `dpd-dead-peer` (the initiator's DPD gives up 50 s into it). */
const DPD_OUTAGE = 300 * S;
const DPD_DETECTION = 50 * S;
/** With respond-bad-spi, the peer renegotiates this long after the first refused packet. */
const RESPOND_BAD_SPI_DELAY = 2 * S;

/** A configuration change the scenario made at `ms` (both ends' routers commit it). */
export interface ConfigChange {
  readonly ms: number;
  readonly kind: 'lifetime' | 'deleted';
}

export interface TunnelRun {
  readonly records: SimRecord[];
  readonly truth: LifecycleEvent[];
  readonly changes: ConfigChange[];
}

export function simulateTunnel(
  tunnel: SimTunnel,
  scenario: ScenarioName,
  random: Random,
  startMs: number,
  endMs: number,
  nextSpi: () => number,
): TunnelRun {
  const records: SimRecord[] = [];
  const truth: LifecycleEvent[] = [];
  const changes: ConfigChange[] = [];
  // The end that starts the next negotiation; they swap when the responder has to rekey.
  let ini = tunnel.initiator;
  let res = tunnel.responder;
  const v = ini.ikeVersion;
  const L = tunnel.lifetimes;
  // Lifetimes belong to an end (its configuration), whatever role it plays in a negotiation.
  const ipsecBase = new Map([
    [tunnel.initiator, negotiatedLifetime(v, L.initiator.ipsec, L.responder.ipsec)],
    [tunnel.responder, negotiatedLifetime(v, L.responder.ipsec, L.initiator.ipsec)],
  ]);
  const ikeLife = new Map([
    [tunnel.initiator, negotiatedLifetime(v, L.initiator.ike, L.responder.ike)],
    [tunnel.responder, negotiatedLifetime(v, L.responder.ike, L.initiator.ike)],
  ]);
  /** `lifetime-change` halves both ends' configured IPsec lifetime at `changedAt`. */
  let changedAt = Number.POSITIVE_INFINITY;
  const ipsecLife = (e: SimTunnelEnd, at: number) => ipsecBase.get(e)! / (at >= changedAt ? 2 : 1);
  const emit = (r: SimRecord) => {
    if (r.ms < endMs) records.push(r);
  };
  const fact = (e: LifecycleEvent) => {
    if (Date.parse(e.at) < endMs) truth.push(e);
  };
  const first = startMs + random.int(5, 120) * S;
  let everUp = false;

  const failLoop = (from: number, until: number, step: number, attempt: (t: number) => void) => {
    for (let t = from; t < until; t += step) attempt(t);
  };
  const down = new Set<SimTunnelEnd>();
  /** A tunnel that never came up is down from its first failure on (traffic cannot flow). */
  const neverUp = (t: number, e: SimTunnelEnd, reason: string, reasonText?: string) => {
    if (down.has(e)) return;
    down.add(e);
    const data = {
      reason: reason as 'timed-out',
      ...(reasonText === undefined ? {} : { reasonText }),
    };
    fact(truthEvent('TunnelDown', t, e, data, true));
  };
  const negotiationFailed = (
    t: number,
    e: SimTunnelEnd,
    initiating: boolean,
    text: string,
    reason: string,
  ) => {
    emit(ikeFailed(t, e, initiating, text));
    if (!everUp) neverUp(t, e, reason, text);
    fact(
      truthEvent('NegotiationFailed', t, e, {
        phase: 'ike',
        reason: reason as 'timed-out',
        reasonText: text,
        ikeVersion: v,
        role: initiating ? 'initiator' : 'responder',
      }),
    );
  };

  if (scenario === 'proposal-mismatch' || scenario === 'auth-failure') {
    const text = scenario === 'auth-failure' ? 'Authentication failed' : 'No proposal chosen';
    const reason = scenario === 'auth-failure' ? 'authentication-failed' : 'no-proposal-chosen';
    failLoop(first, endMs, RETRY_FAILING, (t) => {
      negotiationFailed(t, res, false, text, reason);
      negotiationFailed(t, ini, true, text, reason);
    });
    return { records, truth, changes };
  }
  if (scenario === 'peer-unreachable') {
    failLoop(first + TIMEOUT_AFTER, endMs, RETRY_FAILING, (t) =>
      negotiationFailed(t, ini, true, 'Timed out', 'timed-out'),
    );
    return { records, truth, changes };
  }
  if (scenario === 'certificate-revoked') {
    failLoop(first, endMs, RETRY_FAILING, (t) => {
      const line = certificateRevoked(t, res.router, res.caProfile!, `CN=${ini.router}`);
      emit(line);
      fact(certificateFailed(t, res, true, 'revoked'));
      neverUp(t, res, 'certificate-invalid', line.text);
      negotiationFailed(t + S, ini, true, 'Authentication failed', 'authentication-failed');
    });
    return { records, truth, changes };
  }
  if (scenario === 'crl-enforced') {
    failLoop(first, endMs, RETRY_FAILING, (t) => {
      const line = crlDownloadFailed(t, res.router, res.caProfile!, res.crlUrl!);
      emit(line);
      fact(certificateFailed(t, res, true));
      neverUp(t, res, 'crl-unavailable', line.text);
      negotiationFailed(t + S, ini, true, 'Authentication failed', 'authentication-failed');
    });
    return { records, truth, changes };
  }
  if (scenario === 'traffic-selector-mismatch') {
    trafficSelectorMismatch();
    return { records, truth, changes };
  }
  if (scenario === 'crl-fail-open') {
    emit(crlDownloadFailed(first - S, res.router, res.caProfile!, res.crlUrl!));
    fact(certificateFailed(first - S, res, false));
  }

  // Healthy negotiations, until the scenario stops them.
  const stopAtRekey = scenario === 'missed-rekey' ? random.int(1, 3) : Number.POSITIVE_INFINITY;
  const retryAtRekey = scenario === 'responder-rekey' ? random.int(1, 2) : 0;
  /** The negotiation after which a one-off scenario strikes: the first, or the first rekey. */
  const strikeAt = DISRUPTIONS.has(scenario) ? random.int(0, 1) : -1;
  /** What each end holds: an end that lost its SAs (reboot, DPD) negotiates afresh. */
  const held = new Map<SimTunnelEnd, Held>([
    [tunnel.initiator, emptyHeld()],
    [tunnel.responder, emptyHeld()],
  ]);
  let episode: { readonly end: SimTunnelEnd; readonly startMs: number } | undefined;
  let rekeys = 0;
  let t = first;
  for (;;) {
    const p2 = negotiate(t);
    if (episode && p2 < endMs) {
      // The rebooted end has SAs in both directions again: the invalid-SPI episode is over.
      fact(
        truthEvent(
          'InvalidSpiRecovered',
          p2,
          episode.end,
          {
            durationSeconds: (p2 - episode.startMs) / S,
            via: episode.end.respondBadSpi ? 'respond-bad-spi' : 'rekey',
          },
          true,
        ),
      );
      episode = undefined;
    }
    // The next rekey: the initiator's soft deadline (hard − 135 s) with jitter comes first.
    const hardIni = held.get(ini)!.ipsecHard;
    const rekeyAt = rekeyStartMs(
      hardIni,
      'initiator',
      random.int(-REKEY_JITTER_SECONDS, REKEY_JITTER_SECONDS),
    );
    if (rekeys === strikeAt) {
      const span = rekeyAt - p2;
      const at = (from: number, to: number) =>
        p2 + Math.round((span * random.int(from, to)) / 100 / S) * S;
      if (scenario === 'lifetime-change') {
        changedAt = at(30, 45);
        if (changedAt < endMs) changes.push({ ms: changedAt, kind: 'lifetime' });
      } else if (scenario === 'tunnel-deleted') {
        const deletedAt = at(30, 50);
        if (deletedAt < endMs) changes.push({ ms: deletedAt, kind: 'deleted' });
        for (const e of [ini, res]) {
          emit(vpnDownDeleted(deletedAt, e));
          fact(
            truthEvent('TunnelDown', deletedAt, e, {
              reason: 'config-deleted',
              reasonText: CONFIG_DELETED_TEXT,
            }),
          );
        }
        return { records, truth, changes };
      } else if (scenario === 'router-reboot' || scenario === 'router-reboot-respond-bad-spi') {
        // The responder comes back without SAs; the initiator's next packet carries the old SPI.
        const detectedAt = at(20, 50);
        const lost = held.get(res)!;
        const spi = spiHex(lost.inSpi);
        emit(invalidSpi(detectedAt, res.router, spi, res.remoteAddress));
        fact(
          truthEvent('InvalidSpiDetected', detectedAt, res, {
            spi,
            respondBadSpi: res.respondBadSpi === true,
          }),
        );
        fact(truthEvent('TunnelDown', detectedAt, res, { reason: 'invalid-spi' }, true));
        held.set(res, emptyHeld());
        episode = { end: res, startMs: detectedAt };
        if (res.respondBadSpi) {
          // Told of the bad SPI, the initiator drops its SAs and negotiates new ones at once.
          t = detectedAt + RESPOND_BAD_SPI_DELAY;
          rekeys++;
          continue;
        }
      } else if (scenario === 'dpd-dead-peer') {
        // The path breaks; DPD on the initiator gives up, its SAs go. It retries at once, every
        // 240 s after, and succeeds at the first attempt after the path is back.
        const brokenAt = at(10, 20);
        const deadAt = brokenAt + DPD_DETECTION;
        emit(dpdPeerDown(deadAt, ini));
        fact(truthEvent('TunnelDown', deadAt, ini, { reason: 'dpd-peer-dead' }, true));
        held.set(ini, emptyHeld());
        let attempt = deadAt;
        for (; attempt < brokenAt + DPD_OUTAGE; attempt += RETRY_FAILING) {
          negotiationFailed(attempt + TIMEOUT_AFTER, ini, true, 'Timed out', 'timed-out');
        }
        t = attempt;
        rekeys++;
        continue;
      }
    }
    if (rekeyAt >= endMs) break;
    rekeys++;
    if (rekeys >= stopAtRekey) {
      missedRekey(rekeyAt);
      break;
    }
    if (rekeys === retryAtRekey) {
      // The initiator's attempt gets no answer; the responder reaches its own soft deadline
      // (hard − 90 s) and rekeys, initiating this negotiation: from now on the roles are swapped.
      negotiationFailed(rekeyAt + TIMEOUT_AFTER, ini, true, 'Timed out', 'timed-out');
      t = rekeyStartMs(
        held.get(res)!.ipsecHard,
        'responder',
        random.int(-REKEY_JITTER_SECONDS, REKEY_JITTER_SECONDS),
      );
      [ini, res] = [res, ini];
      continue;
    }
    t = rekeyAt;
  }
  return { records, truth, changes };

  /** The truth of a new IKE SA seen from end `e`. */
  function ikeEstablished(
    at: number,
    e: SimTunnelEnd,
    role: 'initiator' | 'responder',
    life: number,
  ) {
    fact(
      truthEvent('IkeSaEstablished', at, e, {
        ikeVersion: v,
        role,
        local: { ip: e.localAddress, port: 500 },
        remote: { ip: e.remoteAddress, port: 500 },
        lifetimeSeconds: life,
        hardDeadline: new Date(at + life * S).toISOString(),
      }),
    );
  }

  /**
   * Phase 1 at `t`, phase 2 a second later, `ini` initiating; returns the phase-2 time. An end
   * still holding SAs sees them replaced (rekeyed); an end without comes up afresh.
   */
  function negotiate(at: number): number {
    emit(ikeCompleted(at, ini, true));
    emit(ikeCompleted(at, res, false));
    for (const [e, role] of [
      [ini, 'initiator'],
      [res, 'responder'],
    ] as const) {
      const h = held.get(e)!;
      const life = ikeLife.get(e)!;
      // samon reports every new SA as established, and a replacement also as a rekey.
      ikeEstablished(at, e, role, life);
      if (h.holds) {
        fact(
          truthEvent('IkeSaRekeyed', at, e, {
            previousEstablishedAt: new Date(h.ikeAt).toISOString(),
            leadSeconds: (h.ikeAt + life * S - at) / S,
          }),
        );
      }
    }
    // Phase 2: one SA per direction; the initiator's outbound SA is the responder's inbound.
    const p2 = at + PHASE2_DELAY;
    const iniOut = nextSpi();
    const resOut = nextSpi();
    for (const [e, role, inSpi, outSpi] of [
      [ini, 'initiator', resOut, iniOut],
      [res, 'responder', iniOut, resOut],
    ] as const) {
      const h = held.get(e)!;
      const life = ipsecLife(e, at);
      emit(saEstablished(p2, e, 'inbound', inSpi));
      emit(saEstablished(p2, e, 'outbound', outSpi));
      if (!h.holds) emit(vpnUp(p2, e));
      const hard = p2 + life * S;
      for (const [direction, spi, old] of [
        ['inbound', inSpi, h.inSpi],
        ['outbound', outSpi, h.outSpi],
      ] as const) {
        fact(
          truthEvent('IpsecSaEstablished', p2, e, {
            direction,
            spi: spiHex(spi),
            role,
            lifetimeSeconds: life,
            softDeadline: new Date(softDeadlineMs(hard, role)).toISOString(),
            hardDeadline: new Date(hard).toISOString(),
          }),
        );
        if (h.holds) {
          fact(
            truthEvent('IpsecSaRekeyed', p2, e, {
              direction,
              oldSpi: spiHex(old),
              newSpi: spiHex(spi),
              leadSeconds: (h.ipsecHard - p2) / S,
              outcome: 'on-time',
            }),
          );
        }
      }
      if (!h.holds) fact(truthEvent('TunnelUp', p2, e, {}));
      held.set(e, { holds: true, ikeAt: at, ipsecAt: p2, ipsecHard: hard, inSpi, outSpi });
    }
    everUp = true;
    return p2;
  }

  /**
   * Phase 1 succeeds, then the responder refuses the proposed selectors: IKEv2 ends log the
   * verbatim `IPSec negotiation failed` form, IKEv1 ends the older KMD_VPN_TS_MISMATCH. The
   * initiator logs nothing known. The IKE SA stays and is rekeyed at its own soft deadline.
   */
  function trafficSelectorMismatch(): void {
    const text = 'Peer proposed traffic-selectors are not in configured range';
    let ikeAt = 0;
    let ikeNext = first;
    for (let attempt = first; attempt < endMs; attempt += RETRY_FAILING) {
      while (ikeNext <= attempt) {
        phase1(ikeNext, ikeAt);
        ikeAt = ikeNext;
        ikeNext = rekeyStartMs(ikeAt + ikeLife.get(ini)! * S, 'initiator', 0);
      }
      const failedAt = attempt + PHASE2_DELAY;
      emit(
        v === 2
          ? ipsecFailed(failedAt, res, text)
          : tsMismatch(failedAt, res, proxyId(ini.localSubnet), proxyId(ini.remoteSubnet)),
      );
      neverUp(failedAt, res, 'traffic-selector-mismatch', v === 2 ? text : undefined);
      fact(
        truthEvent('NegotiationFailed', failedAt, res, {
          phase: 'ipsec',
          reason: 'traffic-selector-mismatch',
          ...(v === 2 ? { reasonText: text, ikeVersion: v } : {}),
          role: 'responder',
        }),
      );
    }
    // The IKE SA keeps being rekeyed after the last refused phase 2, to the end of the run.
    while (ikeNext < endMs) {
      phase1(ikeNext, ikeAt);
      ikeAt = ikeNext;
      ikeNext = rekeyStartMs(ikeAt + ikeLife.get(ini)! * S, 'initiator', 0);
    }
  }

  /** An IKE SA alone (both ends), replacing the one of `previous` when there is one. */
  function phase1(at: number, previous: number): void {
    emit(ikeCompleted(at, ini, true));
    emit(ikeCompleted(at, res, false));
    for (const [e, role] of [
      [ini, 'initiator'],
      [res, 'responder'],
    ] as const) {
      const life = ikeLife.get(e)!;
      ikeEstablished(at, e, role, life);
      if (previous !== 0) {
        fact(
          truthEvent('IkeSaRekeyed', at, e, {
            previousEstablishedAt: new Date(previous).toISOString(),
            leadSeconds: (previous + life * S - at) / S,
          }),
        );
      }
    }
  }

  /** The responder stops answering at `from`: only the initiator logs, every SA runs out. */
  function missedRekey(from: number): void {
    const hardIni = held.get(ini)!.ipsecHard;
    failLoop(from, endMs, RETRY_BEFORE_HARD, (attempt) => {
      if (attempt >= hardIni && (attempt - from) % RETRY_FAILING !== 0) return;
      negotiationFailed(attempt + TIMEOUT_AFTER, ini, true, 'Timed out', 'timed-out');
    });
    for (const [e, role] of [
      [ini, 'initiator'],
      [res, 'responder'],
    ] as const) {
      const h = held.get(e)!;
      const hard = h.ipsecHard;
      const soft = softDeadlineMs(hard, role);
      for (const [direction, spi] of [
        ['inbound', h.inSpi],
        ['outbound', h.outSpi],
      ] as const) {
        const data = {
          direction,
          spi: spiHex(spi),
          softDeadline: new Date(soft).toISOString(),
          hardDeadline: new Date(hard).toISOString(),
        };
        if (soft + OVERDUE_GRACE < hard)
          fact(truthEvent('IpsecSaRekeyOverdue', soft + OVERDUE_GRACE, e, data, true));
        fact(truthEvent('IpsecSaExpired', hard, e, { direction, spi: spiHex(spi) }, true));
      }
      fact(truthEvent('TunnelDown', hard, e, { reason: 'lifetime-expired' }, true));
      const ikeHard = h.ikeAt + ikeLife.get(e)! * S;
      fact(
        truthEvent(
          'IkeSaExpired',
          ikeHard,
          e,
          { hardDeadline: new Date(ikeHard).toISOString() },
          true,
        ),
      );
    }
  }
}

/** Scenarios that strike once, after the first negotiation or the first rekey. */
const DISRUPTIONS = new Set<ScenarioName>([
  'dpd-dead-peer',
  'router-reboot',
  'router-reboot-respond-bad-spi',
  'lifetime-change',
  'tunnel-deleted',
]);

interface Held {
  readonly holds: boolean;
  readonly ikeAt: number;
  readonly ipsecAt: number;
  readonly ipsecHard: number;
  readonly inSpi: number;
  readonly outSpi: number;
}

const emptyHeld = (): Held => ({
  holds: false,
  ikeAt: 0,
  ipsecAt: 0,
  ipsecHard: 0,
  inSpi: 0,
  outSpi: 0,
});
