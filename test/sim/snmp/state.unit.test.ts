import { describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '../../../src/domain/lifecycle.js';
import { SCENARIOS, type ScenarioName } from '../../../src/sim/scenarios.js';
import {
  EXPIRING_SECONDS,
  snmpModel,
  tunnelIndexOf,
  type RouterSnmpView,
} from '../../../src/sim/snmp/state.js';
import { run } from '../helpers.js';

// The agents' view checked against the truth, not against the model's own bookkeeping: at
// sampled times, the SA rows, tunnel rows, failure counters and uptime follow from the events.

const S = 1000;
const at = (e: LifecycleEvent) => Date.parse(e.at);
const spi = (hex: string) => Number.parseInt(hex, 16);

/** Per tunnel end, from the truth alone: what should be there at `t`. */
function expected(truth: LifecycleEvent[], tunnel: string, t: number) {
  const mine = truth.filter((e) => e.tunnel === tunnel && at(e) <= t);
  let up = false;
  const pairs: { spis: number[]; hardMs: number; expiringFrom?: number; gone?: boolean }[] = [];
  const pairWith = (hex: string) => pairs.find((p) => p.spis.includes(spi(hex)));
  const failures: Record<string, number> = {};
  for (const e of mine) {
    if (e.type === 'TunnelUp') up = true;
    if (e.type === 'TunnelDown') {
      up = false;
      for (const p of pairs) p.gone = true;
    }
    if (e.type === 'IpsecSaEstablished') {
      const last = pairs.at(-1);
      if (last && last.spis.length === 1 && last.hardMs === Date.parse(e.data.hardDeadline))
        last.spis.push(spi(e.data.spi));
      else pairs.push({ spis: [spi(e.data.spi)], hardMs: Date.parse(e.data.hardDeadline) });
    }
    if (e.type === 'IpsecSaRekeyed') pairWith(e.data.oldSpi)!.expiringFrom ??= at(e);
    if (e.type === 'IpsecSaExpired') pairWith(e.data.spi)!.gone = true;
    if (e.type === 'NegotiationFailed')
      failures[e.data.reason] = (failures[e.data.reason] ?? 0) + 1;
    if (e.type === 'CertificateCheckFailed') failures.ca = (failures.ca ?? 0) + 1;
  }
  const present = pairs.filter((p) => !p.gone && p.spis.length === 2);
  const active = present.filter((p) => p.expiringFrom === undefined).map((p) => p.spis);
  const expiring = present
    .filter((p) => p.expiringFrom !== undefined)
    .filter((p) => Math.min(p.expiringFrom! + EXPIRING_SECONDS * S, p.hardMs) > t)
    .map((p) => p.spis);
  return {
    up,
    active,
    expiring,
    failures,
  };
}

function check(scenario: ScenarioName) {
  const sim = run([scenario], 11, 6, 6 * 3600);
  const model = snmpModel(sim);
  const start = Date.parse(sim.header.simulation.start);
  // Every 7 minutes and a few seconds after every rekey (inside the expiring window).
  const times = new Set<number>();
  for (let t = start; t < model.endMs; t += 419 * S) times.add(t);
  for (const e of sim.truth)
    if (e.type === 'IpsecSaRekeyed' || e.type === 'TunnelDown') {
      times.add(at(e) + 3 * S);
      times.add(at(e) - S);
    }
  let rows = 0;
  let expiringSeen = 0;
  for (const t of times) {
    for (const router of sim.fleet.routers) {
      const view: RouterSnmpView = model.viewAt(router.name, t);
      for (const end of router.ends) {
        const want = expected(sim.truth, `${router.name}/${end.vpn}`, t);
        const mine = (r: { remoteGateway: string; tunnelIndex: number }) =>
          r.remoteGateway === end.remoteAddress && r.tunnelIndex === tunnelIndexOf(end);
        const tunnelRows = view.tunnels.filter(mine);
        expect(tunnelRows.length, `${end.vpn} tunnel row at ${t}`).toBe(want.up ? 1 : 0);
        const sas = view.sas.filter(mine);
        const active = sas.filter((s) => s.state === 'active').map((s) => [s.inSpi, s.outSpi]);
        const expiring = sas.filter((s) => s.state === 'expiring').map((s) => [s.inSpi, s.outSpi]);
        expect(
          active.map((p) => [...p].sort()),
          `${end.vpn} active at ${t}`,
        ).toEqual(want.active.map((p) => [...p].sort()));
        expect(expiring.map((p) => [...p].sort())).toEqual(want.expiring.map((p) => [...p].sort()));
        expiringSeen += expiring.length;
        rows += sas.length;
        const peer = view.peers.find((p) => p.remoteGateway === end.remoteAddress);
        const f = want.failures;
        expect(peer?.counters.NoProposalChosen ?? 0).toBe(f['no-proposal-chosen'] ?? 0);
        expect(peer?.counters.AuthenticationFailed ?? 0).toBe(f['authentication-failed'] ?? 0);
        expect(peer?.counters.TsUnacceptable ?? 0).toBe(f['traffic-selector-mismatch'] ?? 0);
        expect(peer?.counters.ResGetCAsFail ?? 0).toBe(f.ca ?? 0);
      }
      // saIndex is unique per tunnel and grows with each pair.
      const keys = view.sas.map((s) => `${s.remoteGateway}/${s.tunnelIndex}/${s.saIndex}`);
      expect(new Set(keys).size).toBe(keys.length);
    }
  }
  return { sim, model, rows, expiringSeen };
}

describe('SNMP state model agrees with the truth', () => {
  for (const scenario of SCENARIOS) {
    it(scenario, () => {
      const { rows, expiringSeen } = check(scenario);
      // Every scenario leaves some tunnels steady: rows and rekeys are always sampled.
      expect(rows).toBeGreaterThan(0);
      expect(expiringSeen).toBeGreaterThan(0);
    });
  }

  it('a rekey shows the new pair active and the previous one expiring, then gone', () => {
    const sim = run(['steady'], 3, 4, 4 * 3600);
    const model = snmpModel(sim);
    const rekey = sim.truth.find((e) => e.type === 'IpsecSaRekeyed')!;
    const end = sim.fleet.routers
      .flatMap((r) => r.ends)
      .find((e) => `${e.router}/${e.vpn}` === rekey.tunnel)!;
    const rowsAt = (t: number) =>
      model
        .viewAt(end.router, t)
        .sas.filter(
          (s) => s.remoteGateway === end.remoteAddress && s.tunnelIndex === tunnelIndexOf(end),
        );
    const during = rowsAt(at(rekey) + 5 * S);
    expect(during.map((s) => s.state).sort()).toEqual(['active', 'expiring']);
    const [older, newer] = [...during].sort((a, b) => a.saIndex - b.saIndex);
    expect(newer!.saIndex).toBe(older!.saIndex + 1);
    expect(newer!.state).toBe('active');
    expect(newer!.activeHundredths).toBe(500);
    expect(rowsAt(at(rekey) + (EXPIRING_SECONDS + 1) * S)).toHaveLength(1);
  });

  it('a per-tunnel reboot keeps sysUpTime counting (the router’s other SAs live on); the invalid-SPI counter grows during the episode', () => {
    const sim = run(['router-reboot'], 11, 6, 6 * 3600);
    const model = snmpModel(sim);
    const detected = sim.truth.find((e) => e.type === 'InvalidSpiDetected')!;
    const before = model.viewAt(detected.router, at(detected) - S);
    const after = model.viewAt(detected.router, at(detected) + 60 * S);
    expect(before.sysUpTimeHundredths).toBeGreaterThan(86_400 * 100);
    expect(after.sysUpTimeHundredths).toBe(before.sysUpTimeHundredths + 6100);
    expect(after.global.invalidSpi).toBeGreaterThan(before.global.invalidSpi);
    // An unrelated router's uptime keeps counting.
    const other = sim.fleet.routers.find((r) => r.name !== detected.router)!.name;
    expect(model.viewAt(other, at(detected) + 60 * S).sysUpTimeHundredths).toBe(
      model.viewAt(other, at(detected) - S).sysUpTimeHundredths + 6100,
    );
  });

  it('IKE rows: one per end while its IKE SA lives, cookies shared by both ends', () => {
    const sim = run(['steady'], 5, 6, 2 * 3600);
    const model = snmpModel(sim);
    const t = model.endMs - S;
    const cookies = new Map<string, string[]>();
    for (const r of sim.fleet.routers) {
      const view = model.viewAt(r.name, t);
      expect(view.ike).toHaveLength(r.ends.length);
      for (const row of view.ike) {
        const key = [row.localGateway, row.remoteGateway].sort().join('~');
        cookies.set(key, [
          ...(cookies.get(key) ?? []),
          `${row.initiatorCookie}/${row.responderCookie}`,
        ]);
        expect(row.activeHundredths).toBeLessThan(row.lifetimeSeconds * 100);
      }
    }
    for (const pair of cookies.values()) {
      expect(pair).toHaveLength(2);
      expect(pair[0]).toBe(pair[1]);
    }
  });

  it('traps: one per tunnel that was up and went down, peer-down when its IKE SA went too', () => {
    for (const [scenario, reason] of [
      ['dpd-dead-peer', 'dpd-peer-dead'],
      ['missed-rekey', 'lifetime-expired'],
      ['tunnel-deleted', 'config-deleted'],
    ] as const) {
      const sim = run([scenario], 11, 6, 6 * 3600);
      const downs = sim.truth.filter((e) => e.type === 'TunnelDown' && e.data.reason === reason);
      const traps = snmpModel(sim).traps;
      expect(downs.length, scenario).toBeGreaterThan(0);
      expect(traps.map((t) => `${t.router}/${t.end.vpn}@${t.ms}`)).toEqual(
        downs.map((e) => `${e.tunnel}@${at(e)}`),
      );
      for (const t of traps) {
        // The peer is gone when the end's IKE SA is (DPD, deletion) or expired already.
        const ikeGone =
          reason !== 'lifetime-expired' ||
          sim.truth.some(
            (e) =>
              e.type === 'IkeSaExpired' && e.tunnel === `${t.router}/${t.end.vpn}` && at(e) <= t.ms,
          );
        expect(t.trap, scenario).toBe(ikeGone ? 'peer-down' : 'ipsec-tunnel-down');
      }
    }
    // A reboot sends nothing for the SAs it lost.
    expect(snmpModel(run(['router-reboot'], 11, 6, 6 * 3600)).traps).toEqual([]);
  });

  it('one peer row per gateway pair, counting the failures of every tunnel between them', () => {
    // Four routers on a ring with two neighbours: routers 0 and 2 share two tunnels.
    const sim = run(['auth-failure'], 3, 4, 2 * 3600);
    const model = snmpModel(sim);
    let shared = 0;
    for (const r of sim.fleet.routers) {
      const view = model.viewAt(r.name, model.endMs - S);
      const keys = view.peers.map((p) => `${p.localGateway}>${p.remoteGateway}`);
      expect(new Set(keys).size).toBe(keys.length);
      shared += r.ends.length - new Set(r.ends.map((e) => e.remoteAddress)).size;
      const failures = sim.truth.filter(
        (e) =>
          e.router === r.name &&
          e.type === 'NegotiationFailed' &&
          e.data.reason === 'authentication-failed',
      ).length;
      const counted = view.peers.reduce((n, p) => n + p.counters.AuthenticationFailed, 0);
      expect(counted).toBe(failures);
    }
    expect(shared).toBeGreaterThan(0);
  });
});
