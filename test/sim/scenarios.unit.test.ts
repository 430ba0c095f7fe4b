import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJunosConfig } from '../../src/junos/config/index.js';
import { SCENARIO_SPECS, SCENARIOS } from '../../src/sim/scenarios.js';
import { run } from './helpers.js';

// The configurations behind the scenarios of issue 7 item 1: what samon imports must say what
// the simulator does (respond-bad-spi, a shortened lifetime, a deleted tunnel).

const tunnelsOf = (text: string) => parseJunosConfig(text).model.tunnels;

describe('scenario configurations', () => {
  const sim = run([...SCENARIOS], 4, 16, 86_400);
  const owned = (scenario: string) =>
    sim.fleet.tunnels.filter((t) => sim.header.simulation.tunnels[t.index]!.scenario === scenario);

  it('parse back without problems on every router', () => {
    for (const r of sim.fleet.routers) expect(parseJunosConfig(r.configText).problems).toEqual([]);
    for (const v of sim.configVersions) expect(parseJunosConfig(v.text).problems).toEqual([]);
  });

  it('respond-bad-spi is configured on the rebooted end with it, and only there', () => {
    const flag = (router: string, vpn: string) =>
      tunnelsOf(sim.fleet.routers.find((r) => r.name === router)!.configText).find(
        (t) => t.vpn === vpn,
      )?.respondBadSpi;
    for (const [scenario, expected] of [
      ['router-reboot-respond-bad-spi', true],
      ['router-reboot', false],
    ] as const) {
      expect(owned(scenario).length).toBeGreaterThan(0);
      for (const t of owned(scenario)) {
        expect(flag(t.responder.router, t.responder.vpn)).toBe(expected);
        expect(flag(t.initiator.router, t.initiator.vpn)).toBe(false);
      }
    }
  });

  it('lifetime-change: both routers commit half the IPsec lifetime; tunnel-deleted: both drop the VPN', () => {
    const lastVersion = (router: string, beforeMs = Number.POSITIVE_INFINITY) =>
      sim.configVersions.filter((v) => v.router === router && v.ms <= beforeMs).at(-1);
    for (const t of owned('lifetime-change')) {
      for (const [end, lifetimes] of [
        [t.initiator, t.lifetimes.initiator],
        [t.responder, t.lifetimes.responder],
      ] as const) {
        const version = lastVersion(end.router);
        expect(version).toBeDefined();
        const now = tunnelsOf(version!.text).find((x) => x.vpn === end.vpn)!;
        expect(now.ipsecLifetimeSeconds.value).toBe(lifetimes.ipsec / 2);
      }
    }
    expect(owned('tunnel-deleted').length).toBeGreaterThan(0);
    for (const t of owned('tunnel-deleted')) {
      for (const end of [t.initiator, t.responder]) {
        const version = lastVersion(end.router);
        expect(tunnelsOf(version!.text).map((x) => x.vpn)).not.toContain(end.vpn);
        expect(tunnelsOf(version!.text).length).toBeGreaterThan(0);
      }
    }
    // Versions are in time order, each a ConfigChanged of the truth at the same moment.
    const times = sim.configVersions.map((v) => v.ms);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const changed = sim.truth.filter((e) => e.type === 'ConfigChanged');
    expect(changed.map((e) => [Date.parse(e.at), e.router])).toEqual(
      sim.configVersions.map((v) => [v.ms, v.router]),
    );
  });

  it('expects only alerts that deploy/prometheus/rules defines', () => {
    const rules = readFileSync(
      join(import.meta.dirname, '..', '..', 'deploy', 'prometheus', 'rules', 'samon-alerts.yml'),
      'utf8',
    );
    const defined = new Set([...rules.matchAll(/- alert: (\w+)/g)].map((m) => m[1]));
    expect(defined.size).toBeGreaterThan(10);
    for (const spec of Object.values(SCENARIO_SPECS))
      for (const alert of spec.alerts) expect(defined).toContain(alert);
  });
});
