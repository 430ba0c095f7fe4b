import { describe, expect, it } from 'vitest';
import { junosConfigObservation } from '../../src/collect/junosConfigImporter.js';
import { DEMO_SCENARIOS, DemoTraffic } from '../../src/cli/demo/traffic.js';
import type { LifecycleEvent } from '../../src/domain/lifecycle.js';
import { createSyslogParser } from '../../src/junos/syslog/index.js';
import { replayObservations } from '../../src/project/replay.js';

// The demo's endless traffic, replayed by samon: windows hand over without a trace (no overdue
// SA, expiry or tunnel down on a tunnel whose scenario has none), and every failure shows.

const START = Date.parse('2026-11-27T10:00:00.000Z');
const MINUTES = 25; // crosses two window seams at 10-minute windows

describe('samon run --demo: the simulated traffic', () => {
  it('replays into rekeys across window seams, with no false overdue or expiry, and every failure', () => {
    const traffic = new DemoTraffic({
      routers: 12,
      neighbours: 5,
      seed: 1,
      startMs: START,
      windowSeconds: 600,
    });
    expect(traffic.fleet.routers).toHaveLength(12);
    expect(traffic.fleet.tunnels.length).toBeGreaterThanOrEqual(50);
    const end = START + MINUTES * 60_000;
    const lines = [...traffic.take(START + 7 * 60_000), ...traffic.take(end)];
    expect(lines.every((l, i) => i === 0 || lines[i - 1]!.ms <= l.ms)).toBe(true);
    expect(lines.at(-1)!.ms).toBeLessThan(end);
    expect(traffic.nextMs()).toBeGreaterThanOrEqual(end);

    const parse = createSyslogParser({ year: 2026 });
    const configs = traffic.fleet.routers.map(
      (r) =>
        junosConfigObservation(r.configText, `${r.name}.conf`, { now: () => START }).observation,
    );
    const { events } = replayObservations({
      files: [lines.map((l) => parse(l.line, { referenceTime: l.ms }))],
      configs,
      nowMs: end,
    });

    const scenarioOfEnd = new Map<string, string>();
    for (const t of traffic.fleet.tunnels) {
      const scenario = traffic.scenarioOf(t.index);
      for (const e of [t.initiator, t.responder])
        scenarioOfEnd.set(`${e.router}/${e.vpn}`, scenario);
    }
    const byScenario = new Map<string, LifecycleEvent[]>();
    for (const e of events) {
      const scenario = scenarioOfEnd.get(e.tunnel ?? '') ?? 'unattributed';
      byScenario.set(scenario, [...(byScenario.get(scenario) ?? []), e]);
    }
    const types = (scenario: string) =>
      new Set((byScenario.get(scenario) ?? []).map((e) => e.type));
    expect(byScenario.has('unattributed')).toBe(false);

    // SAs run out without a successor only where the scenario takes the peer away.
    const losesSas = ['missed-rekey', 'dpd-dead-peer'];
    for (const scenario of DEMO_SCENARIOS.filter((x) => !losesSas.includes(x))) {
      for (const bad of ['IpsecSaRekeyOverdue', 'IpsecSaExpired', 'IkeSaExpired'])
        expect(types(scenario), `${scenario}: ${bad}`).not.toContain(bad);
    }
    for (const healthy of ['steady', 'responder-rekey', 'crl-fail-open']) {
      expect(types(healthy), healthy).toContain('IpsecSaRekeyed');
      expect(types(healthy), healthy).not.toContain('TunnelDown');
    }
    // Every healthy tunnel rekeyed about every 45 s, seams included: at least 25 min / 50 s.
    const steadyRekeys = (byScenario.get('steady') ?? []).filter(
      (e) => e.type === 'IpsecSaRekeyed' && e.data.direction === 'inbound',
    );
    const perTunnel = new Map<string, number>();
    for (const e of steadyRekeys) perTunnel.set(e.tunnel!, (perTunnel.get(e.tunnel!) ?? 0) + 1);
    expect(Math.min(...perTunnel.values())).toBeGreaterThanOrEqual((MINUTES * 60) / 50);

    expect(types('missed-rekey')).toContain('IpsecSaRekeyOverdue');
    expect(types('missed-rekey')).toContain('IpsecSaExpired');
    for (const failing of [
      'proposal-mismatch',
      'auth-failure',
      'peer-unreachable',
      'crl-enforced',
      'certificate-revoked',
    ]) {
      expect(types(failing), failing).toContain('NegotiationFailed');
      expect(types(failing), failing).not.toContain('TunnelUp');
    }
    for (const cert of ['crl-enforced', 'crl-fail-open', 'certificate-revoked'])
      expect(types(cert), cert).toContain('CertificateCheckFailed');
    expect(types('traffic-selector-mismatch')).toContain('NegotiationFailed');
    expect(types('traffic-selector-mismatch')).not.toContain('TunnelUp');
    expect(types('dpd-dead-peer')).toContain('TunnelDown');
    expect(types('dpd-dead-peer')).toContain('IpsecSaRekeyed');
    for (const reboot of ['router-reboot', 'router-reboot-respond-bad-spi']) {
      expect(types(reboot), reboot).toContain('InvalidSpiDetected');
      expect(types(reboot), reboot).toContain('InvalidSpiRecovered');
    }
    expect(new Set(byScenario.keys())).toEqual(new Set(DEMO_SCENARIOS));
  });
});
