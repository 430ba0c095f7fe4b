import type { LifecycleEvent } from '../domain/lifecycle.js';
import { certificateRevoked, crlDownloadFailed } from './assumedLines.js';
import type { SimTunnelEnd } from './configs/end.js';
import type { SimTunnel } from './fleet.js';
import { ikeCompleted, ikeFailed, saEstablished, vpnUp } from './lines.js';
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

export interface TunnelRun {
  readonly records: SimRecord[];
  readonly truth: LifecycleEvent[];
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
  // The end that starts the next negotiation; they swap when the responder has to rekey.
  let ini = tunnel.initiator;
  let res = tunnel.responder;
  const v = ini.ikeVersion;
  const L = tunnel.lifetimes;
  const ipsecL = {
    ini: negotiatedLifetime(v, L.initiator.ipsec, L.responder.ipsec),
    res: negotiatedLifetime(v, L.responder.ipsec, L.initiator.ipsec),
  };
  const ikeL = {
    ini: negotiatedLifetime(v, L.initiator.ike, L.responder.ike),
    res: negotiatedLifetime(v, L.responder.ike, L.initiator.ike),
  };
  const emit = (r: SimRecord) => {
    if (r.ms < endMs) records.push(r);
  };
  const fact = (e: LifecycleEvent) => {
    if (Date.parse(e.at) < endMs) truth.push(e);
  };
  const first = startMs + random.int(5, 120) * S;
  let ipsecEstablishedAt = 0;

  const failLoop = (from: number, until: number, step: number, attempt: (t: number) => void) => {
    for (let t = from; t < until; t += step) attempt(t);
  };
  const down = new Set<SimTunnelEnd>();
  /** A tunnel that never came up is down from its first failure on (traffic cannot flow). */
  const neverUp = (t: number, e: SimTunnelEnd, reason: string, reasonText: string) => {
    if (down.has(e)) return;
    down.add(e);
    fact(truthEvent('TunnelDown', t, e, { reason: reason as 'timed-out', reasonText }, true));
  };
  const negotiationFailed = (
    t: number,
    e: SimTunnelEnd,
    initiating: boolean,
    text: string,
    reason: string,
  ) => {
    emit(ikeFailed(t, e, initiating, text));
    if (ipsecEstablishedAt === 0) neverUp(t, e, reason, text);
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
    return { records, truth };
  }
  if (scenario === 'peer-unreachable') {
    failLoop(first + TIMEOUT_AFTER, endMs, RETRY_FAILING, (t) =>
      negotiationFailed(t, ini, true, 'Timed out', 'timed-out'),
    );
    return { records, truth };
  }
  if (scenario === 'certificate-revoked') {
    failLoop(first, endMs, RETRY_FAILING, (t) => {
      const line = certificateRevoked(t, res.router, res.caProfile!, `CN=${ini.router}`);
      emit(line);
      fact(certificateFailed(t, res, true, 'revoked'));
      neverUp(t, res, 'certificate-invalid', line.text);
      negotiationFailed(t + S, ini, true, 'Authentication failed', 'authentication-failed');
    });
    return { records, truth };
  }
  if (scenario === 'crl-enforced') {
    failLoop(first, endMs, RETRY_FAILING, (t) => {
      const line = crlDownloadFailed(t, res.router, res.caProfile!, res.crlUrl!);
      emit(line);
      fact(certificateFailed(t, res, true));
      neverUp(t, res, 'crl-unavailable', line.text);
      negotiationFailed(t + S, ini, true, 'Authentication failed', 'authentication-failed');
    });
    return { records, truth };
  }
  if (scenario === 'crl-fail-open') {
    emit(crlDownloadFailed(first - S, res.router, res.caProfile!, res.crlUrl!));
    fact(certificateFailed(first - S, res, false));
  }

  // Healthy negotiations, until the scenario stops them.
  const stopAtRekey = scenario === 'missed-rekey' ? random.int(1, 3) : Number.POSITIVE_INFINITY;
  const retryAtRekey = scenario === 'responder-rekey' ? random.int(1, 2) : 0;
  let ikeEstablished = 0;
  let spis = { iniOut: 0, resOut: 0 };
  let rekeys = 0;
  let t = first;
  for (;;) {
    const isFirst = ipsecEstablishedAt === 0;
    // Phase 1.
    emit(ikeCompleted(t, ini, true));
    emit(ikeCompleted(t, res, false));
    for (const [e, role, life] of [
      [ini, 'initiator', ikeL.ini],
      [res, 'responder', ikeL.res],
    ] as const) {
      // samon reports every new SA as established, and a replacement also as a rekey.
      fact(
        truthEvent('IkeSaEstablished', t, e, {
          ikeVersion: v,
          role,
          local: { ip: e.localAddress, port: 500 },
          remote: { ip: e.remoteAddress, port: 500 },
          lifetimeSeconds: life,
          hardDeadline: new Date(t + life * S).toISOString(),
        }),
      );
      if (!isFirst) {
        fact(
          truthEvent('IkeSaRekeyed', t, e, {
            previousEstablishedAt: new Date(ikeEstablished).toISOString(),
            leadSeconds: (ikeEstablished + life * S - t) / S,
          }),
        );
      }
    }
    ikeEstablished = t;
    // Phase 2: one SA per direction; the initiator's outbound SA is the responder's inbound.
    const p2 = t + PHASE2_DELAY;
    const next = { iniOut: nextSpi(), resOut: nextSpi() };
    const sides = [
      [ini, 'initiator', ipsecL.ini, next.resOut, next.iniOut, spis.resOut, spis.iniOut],
      [res, 'responder', ipsecL.res, next.iniOut, next.resOut, spis.iniOut, spis.resOut],
    ] as const;
    for (const [e, role, life, inSpi, outSpi, oldIn, oldOut] of sides) {
      emit(saEstablished(p2, e, 'inbound', inSpi));
      emit(saEstablished(p2, e, 'outbound', outSpi));
      if (isFirst) emit(vpnUp(p2, e));
      const hard = p2 + life * S;
      for (const [direction, spi, old] of [
        ['inbound', inSpi, oldIn],
        ['outbound', outSpi, oldOut],
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
        if (!isFirst) {
          fact(
            truthEvent('IpsecSaRekeyed', p2, e, {
              direction,
              oldSpi: spiHex(old),
              newSpi: spiHex(spi),
              leadSeconds: (ipsecEstablishedAt + life * S - p2) / S,
              outcome: 'on-time',
            }),
          );
        }
      }
      if (isFirst) fact(truthEvent('TunnelUp', p2, e, {}));
    }
    spis = next;
    ipsecEstablishedAt = p2;
    // The next rekey: the initiator's soft deadline (hard − 135 s) with jitter comes first.
    const hardIni = p2 + ipsecL.ini * S;
    const rekeyAt = rekeyStartMs(
      hardIni,
      'initiator',
      random.int(-REKEY_JITTER_SECONDS, REKEY_JITTER_SECONDS),
    );
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
      const hardRes = ipsecEstablishedAt + ipsecL.res * S;
      t = rekeyStartMs(
        hardRes,
        'responder',
        random.int(-REKEY_JITTER_SECONDS, REKEY_JITTER_SECONDS),
      );
      [ini, res] = [res, ini];
      spis = { iniOut: spis.resOut, resOut: spis.iniOut };
      continue;
    }
    t = rekeyAt;
  }
  return { records, truth };

  /** The responder stops answering at `from`: only the initiator logs, every SA runs out. */
  function missedRekey(from: number): void {
    const hardIni = ipsecEstablishedAt + ipsecL.ini * S;
    failLoop(from, endMs, RETRY_BEFORE_HARD, (attempt) => {
      if (attempt >= hardIni && (attempt - from) % RETRY_FAILING !== 0) return;
      negotiationFailed(attempt + TIMEOUT_AFTER, ini, true, 'Timed out', 'timed-out');
    });
    const sides = [
      [ini, 'initiator', ipsecL.ini, spis.resOut, spis.iniOut, ikeL.ini],
      [res, 'responder', ipsecL.res, spis.iniOut, spis.resOut, ikeL.res],
    ] as const;
    for (const [e, role, life, inSpi, outSpi, ikeLife] of sides) {
      const hard = ipsecEstablishedAt + life * S;
      const soft = softDeadlineMs(hard, role);
      for (const [direction, spi] of [
        ['inbound', inSpi],
        ['outbound', outSpi],
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
      const ikeHard = ikeEstablished + ikeLife * S;
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
