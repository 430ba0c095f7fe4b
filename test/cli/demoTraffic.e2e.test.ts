import { describe, expect, it } from 'vitest';
import { junosConfigObservation } from '../../src/collect/junosConfigImporter.js';
import { DEMO_DEFAULTS, DEMO_SCENARIOS, DemoTraffic } from '../../src/cli/demo/traffic.js';
import type { LifecycleEvent } from '../../src/domain/lifecycle.js';
import { createSyslogParser } from '../../src/junos/syslog/index.js';
import { replayObservations } from '../../src/project/replay.js';

// The demo's endless traffic, replayed by samon: windows hand over without a trace (no overdue
// SA, expiry or tunnel down on a tunnel whose scenario has none), and every failure shows.

const START = Date.parse('2026-11-27T10:00:00.000Z');
const MINUTES = 25; // crosses two window seams at 10-minute windows

describe('samon run --demo: the simulated traffic', () => {
  it('replays into rekeys across window seams, with no false overdue or expiry, and every failure', () => {
    const traffic = new DemoTraffic({ ...DEMO_DEFAULTS, startMs: START });
    expect(traffic.fleet.routers).toHaveLength(12);
    expect(traffic.fleet.tunnels.length).toBeGreaterThanOrEqual(250);
    expect(traffic.fleet.tunnels.length).toBeLessThanOrEqual(350);
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
      const list = byScenario.get(scenario) ?? [];
      list.push(e);
      byScenario.set(scenario, list);
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

    const tunnelOfEnd = new Map<string, string>();
    for (const t of traffic.fleet.tunnels)
      for (const e of [t.initiator, t.responder]) tunnelOfEnd.set(`${e.router}/${e.vpn}`, t.id);
    const tunnelsWith = (type: string) =>
      new Set(events.filter((e) => e.type === type).map((e) => tunnelOfEnd.get(e.tunnel!)));
    const tunnelsOf = (...scenarios: string[]) =>
      new Set(
        traffic.fleet.tunnels
          .filter((t) => scenarios.includes(traffic.scenarioOf(t.index)))
          .map((t) => t.id),
      );
    // Every healthy tunnel rekeyed about every 45 s (+ up to 5 s of jitter), seams included, from
    // its first negotiation (up to 150 s in) on.
    const steadyRekeys = (byScenario.get('steady') ?? []).filter(
      (e) => e.type === 'IpsecSaRekeyed' && e.data.direction === 'inbound',
    );
    const perTunnel = new Map<string, number[]>();
    for (const e of steadyRekeys) {
      const times = perTunnel.get(e.tunnel!) ?? [];
      times.push(Date.parse(e.at));
      perTunnel.set(e.tunnel!, times);
    }
    expect(perTunnel.size).toBe(2 * tunnelsOf('steady').size);
    for (const [tunnel, times] of perTunnel) {
      expect(times.length, tunnel).toBeGreaterThanOrEqual((MINUTES * 60 - 180) / 50);
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      expect(Math.max(...gaps), tunnel).toBeLessThanOrEqual(55_000);
    }

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
    // Attribution tunnel by tunnel: DPD and reboot lines name a peer address, and every tunnel
    // between two routers has gateway addresses of its own, so each such tunnel shows its failure
    // and no other tunnel does.
    expect(tunnelsWith('InvalidSpiDetected')).toEqual(
      tunnelsOf('router-reboot', 'router-reboot-respond-bad-spi'),
    );
    const dpd = tunnelsOf('dpd-dead-peer');
    expect(dpd.size).toBeGreaterThan(5);
    const down = tunnelsWith('TunnelDown');
    for (const id of dpd) expect(down, id).toContain(id);
    expect(new Set(byScenario.keys())).toEqual(new Set(DEMO_SCENARIOS));
  });
});
