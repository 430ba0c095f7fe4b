import { junosConfigObservation } from '../../src/collect/junosConfigImporter.js';
import type { Observation } from '../../src/domain/observation.js';
import { createSyslogParser } from '../../src/junos/syslog/index.js';
import { simulate, type Simulation } from '../../src/sim/index.js';
import type { ScenarioName } from '../../src/sim/scenarios.js';

export const START = Date.parse('2026-11-27T00:00:00.000Z');

export function run(
  scenarios: ScenarioName[],
  seed = 7,
  routers = 6,
  durationSeconds = 86_400,
): Simulation {
  return simulate({ routers, scenarios, seed, startMs: START, durationSeconds });
}

export function observationsOf(sim: Simulation): Observation[] {
  const parse = createSyslogParser({ year: 2026 });
  return sim.lines.map((l) => parse(l.line, { referenceTime: l.ms }));
}

/** Every router's configuration as the collector imports it. */
export function configsOf(sim: Simulation): Observation[] {
  return sim.fleet.routers.map(
    (r) =>
      junosConfigObservation(r.configText, `${r.name}.conf`, { now: () => START - 86_400_000 })
        .observation,
  );
}

/** The configurations committed during the run, imported when they were committed. */
export function configChangesOf(sim: Simulation): Observation[] {
  return sim.configVersions.map(
    (v) => junosConfigObservation(v.text, `${v.router}.conf`, { now: () => v.ms }).observation,
  );
}
