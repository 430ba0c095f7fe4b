import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '../../src/domain/lifecycle.js';
import { replayFiles, replayObservations } from '../../src/project/replay.js';
import { compareLifecycle, SCENARIOS, simulate } from '../../src/sim/index.js';
import type { Simulation } from '../../src/sim/index.js';
import { configChangesOf, configsOf, observationsOf, run, START } from './helpers.js';

// The key test: samon's replay of a simulated day yields the lifecycle the simulator caused.
// TunnelDiscovered is samon's own bookkeeping and not compared; every other type is, both ways.
const TYPES = [
  'TunnelUp',
  'TunnelDown',
  'IkeSaEstablished',
  'IkeSaRekeyed',
  'IkeSaExpired',
  'IpsecSaEstablished',
  'IpsecSaRekeyed',
  'IpsecSaRekeyOverdue',
  'IpsecSaExpired',
  'NegotiationFailed',
  'CertificateCheckFailed',
  'InvalidSpiDetected',
  'InvalidSpiRecovered',
  'ConfigChanged',
];
/** Phase 2 is logged a second after phase 1; BSD stamps have whole seconds. */
const TOLERANCE_MS = 1000;

function fidelity(sim: Simulation, events: readonly LifecycleEvent[]) {
  return compareLifecycle(sim.truth, events, { types: TYPES, toleranceMs: TOLERANCE_MS });
}

const count = (events: readonly LifecycleEvent[], type: string) =>
  events.filter((e) => e.type === type).length;

describe('samon replay of a simulated day matches the ground truth', () => {
  for (const scenario of SCENARIOS) {
    it(scenario, () => {
      const sim = run(scenario === 'steady' ? ['steady'] : ['steady', scenario], 7, 6, 86_400);
      const owned = sim.header.simulation.tunnels.filter((t) => t.scenario === scenario);
      expect(owned.length).toBeGreaterThan(0);
      const result = replayObservations({
        files: [observationsOf(sim), configChangesOf(sim)],
        configs: configsOf(sim),
        nowMs: START + 86_400_000,
      });
      const c = fidelity(sim, result.events);
      expect({ missing: c.missing.slice(0, 3), extra: c.extra.slice(0, 3) }).toEqual({
        missing: [],
        extra: [],
      });
      expect(c.matched).toBe(sim.truth.length);
      // The scenario's signature is really there (not an empty comparison).
      const signature: Record<string, string> = {
        steady: 'IpsecSaRekeyed',
        'missed-rekey': 'IpsecSaExpired',
        'proposal-mismatch': 'NegotiationFailed',
        'auth-failure': 'NegotiationFailed',
        'crl-enforced': 'CertificateCheckFailed',
        'crl-fail-open': 'CertificateCheckFailed',
        'peer-unreachable': 'NegotiationFailed',
        'certificate-revoked': 'CertificateCheckFailed',
        'responder-rekey': 'NegotiationFailed',
        'dpd-dead-peer': 'TunnelDown',
        'traffic-selector-mismatch': 'NegotiationFailed',
        'router-reboot': 'InvalidSpiRecovered',
        'router-reboot-respond-bad-spi': 'InvalidSpiRecovered',
        'lifetime-change': 'ConfigChanged',
        'tunnel-deleted': 'ConfigChanged',
      };
      expect(count(sim.truth, signature[scenario]!)).toBeGreaterThan(0);
    });
  }

  it('all scenarios at once, through replayFiles (syslog and Junos configuration files)', async () => {
    // replay imports each configuration once, before the lines: no change during the run.
    const scenarios = SCENARIOS.filter((s) => s !== 'lifetime-change' && s !== 'tunnel-deleted');
    const sim = run([...scenarios], 3, 10, 86_400);
    expect(sim.configVersions).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'samon-sim-'));
    const log = join(dir, 'fleet.log');
    writeFileSync(log, sim.lines.map((l) => `${l.line}\n`).join(''));
    // BSD stamps take their year from the file's modification time.
    utimesSync(log, new Date(START + 86_400_000), new Date(START + 86_400_000));
    const configs = sim.fleet.routers.map((r) => {
      const path = join(dir, `${r.name}.conf`);
      writeFileSync(path, r.configText);
      return path;
    });
    const result = await replayFiles({
      files: [log],
      junosConfigs: configs,
      nowMs: START + 86_400_000,
    });
    expect(result.kinds['unrecognized'] ?? 0).toBe(0);
    const c = fidelity(sim, result.events);
    expect({ missing: c.missing.slice(0, 3), extra: c.extra.slice(0, 3) }).toEqual({
      missing: [],
      extra: [],
    });
    expect(c.matched).toBe(sim.truth.length);
    expect(new Set(sim.header.simulation.tunnels.map((t) => t.scenario))).toEqual(
      new Set(scenarios),
    );
  });

  it('with 5 % of the lines lost, reports recall and precision (no assertion of exactness)', () => {
    const lossless = run([...SCENARIOS], 5, 8, 86_400);
    const lossy = simulate({
      routers: 8,
      scenarios: [...SCENARIOS],
      seed: 5,
      startMs: START,
      durationSeconds: 86_400,
      loss: 0.05,
    });
    // Loss removes lines and nothing else.
    expect(lossy.truth).toEqual(lossless.truth);
    const kept = new Set(lossy.lines.map((l) => l.line));
    expect(lossless.lines.filter((l) => kept.has(l.line)).length).toBe(lossy.lines.length);
    const dropped = lossless.lines.length - lossy.lines.length;
    expect(dropped / lossless.lines.length).toBeGreaterThan(0.02);
    expect(dropped / lossless.lines.length).toBeLessThan(0.08);
    const result = replayObservations({
      files: [observationsOf(lossy), configChangesOf(lossy)],
      configs: configsOf(lossy),
      nowMs: START + 86_400_000,
    });
    const c = fidelity(lossy, result.events);
    const recall = c.matched / (c.matched + c.missing.length);
    const precision = c.matched / (c.matched + c.extra.length);
    console.log(
      `5 % loss: recall ${recall.toFixed(3)}, precision ${precision.toFixed(3)} (${c.missing.length} missing, ${c.extra.length} extra)`,
    );
    expect(recall).toBeLessThan(1);
    expect(recall).toBeGreaterThan(0.8);
  });

  it('the comparison fails when samon misses or invents an event', () => {
    const sim = run(['steady', 'missed-rekey'], 7, 4, 6 * 3600);
    const truth = sim.truth;
    const dropped = truth.filter((_, i) => i !== 3);
    const shifted = truth.map((e, i) =>
      i === 5 ? { ...e, at: new Date(Date.parse(e.at) + 5000).toISOString() } : e,
    );
    expect(fidelity(sim, dropped).missing).toEqual([truth[3]]);
    expect(fidelity(sim, shifted).missing).toEqual([truth[5]]);
    expect(fidelity(sim, shifted).extra).toHaveLength(1);
  });
});
