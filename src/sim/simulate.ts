import type { LifecycleEvent } from '../domain/lifecycle.js';
import { configHistory, type ConfigVersion } from './configHistory.js';
import { simulateTunnel, type ConfigChange } from './engine.js';
import { buildFleet, type SimFleet, type SimRouter, type SimTunnel } from './fleet.js';
import { formatRecord } from './format.js';
import { seededRandom } from './random.js';
import type { SimRecord } from './record.js';
import { SCENARIO_SPECS, scenarioOf, type ScenarioName } from './scenarios.js';

// A whole run: the fleet, every tunnel's life, merged in time order (ties keep tunnel order, so
// a seed always gives the same bytes), and the ground truth with the expected alerts.

export interface SimulationOptions {
  readonly routers: number;
  readonly scenarios: readonly ScenarioName[];
  readonly seed: number;
  readonly startMs: number;
  readonly durationSeconds: number;
  /** Fraction of messages lost on the way (0…1), as UDP syslog loses datagrams; the truth keeps them. */
  readonly loss?: number;
  /** Tunnels between each pair of neighbouring routers, each on its own gateway addresses (default 1). */
  readonly tunnelsPerPair?: number;
  /** Prepended to every router's host name. */
  readonly hostPrefix?: string;
  /** `A.B`: the routers' addresses are A.B.1.N (SRX) and A.B.2.N (MX). */
  readonly addressPrefix?: string;
}

export interface ExpectedAlert {
  readonly alert: string;
  readonly scenario: ScenarioName;
  readonly tunnel: string;
}

export interface TruthHeader {
  readonly v: 1;
  readonly simulation: {
    readonly seed: number;
    readonly loss: number;
    readonly routers: number;
    readonly scenarios: readonly ScenarioName[];
    readonly start: string;
    readonly end: string;
    readonly tunnels: readonly {
      readonly id: string;
      readonly scenario: ScenarioName;
      readonly ends: readonly string[];
    }[];
    readonly expectedAlerts: readonly ExpectedAlert[];
  };
}

export interface SimLine {
  readonly ms: number;
  readonly router: string;
  readonly line: string;
}

export interface Simulation {
  readonly fleet: SimFleet;
  readonly lines: SimLine[];
  readonly records: SimRecord[];
  readonly truth: LifecycleEvent[];
  readonly header: TruthHeader;
  /**
   * Configurations committed during the run, in time order (each a router's whole text); the
   * routers' `configText` is the configuration at the start.
   */
  readonly configVersions: ConfigVersion[];
}

export function simulate(options: SimulationOptions): Simulation {
  const random = seededRandom(options.seed);
  const scenarioFor = (index: number) => scenarioOf(index, options.scenarios);
  const fleet = buildFleet({
    routers: options.routers,
    random,
    ...(options.tunnelsPerPair === undefined ? {} : { tunnelsPerPair: options.tunnelsPerPair }),
    ...(options.hostPrefix === undefined ? {} : { hostPrefix: options.hostPrefix }),
    ...(options.addressPrefix === undefined ? {} : { addressPrefix: options.addressPrefix }),
    tweak: (index) => SCENARIO_SPECS[scenarioFor(index)].tweak,
  });
  const endMs = options.startMs + options.durationSeconds * 1000;
  let spi = random.int(0x1000_0000, 0x7fff_ffff);
  const nextSpi = () => {
    spi = (spi + random.int(1, 0xffff)) >>> 0 || 0x100;
    return spi;
  };
  const records: { r: SimRecord; seq: number }[] = [];
  const truth: { e: LifecycleEvent; seq: number }[] = [];
  const tunnels: TruthHeader['simulation']['tunnels'][number][] = [];
  const expectedAlerts: ExpectedAlert[] = [];
  const changes: { tunnel: SimTunnel; change: ConfigChange }[] = [];
  for (const tunnel of fleet.tunnels) {
    const scenario = scenarioFor(tunnel.index);
    const run = simulateTunnel(tunnel, scenario, random, options.startMs, endMs, nextSpi);
    for (const r of run.records) records.push({ r, seq: records.length });
    for (const e of run.truth) truth.push({ e, seq: truth.length });
    for (const change of run.changes) changes.push({ tunnel, change });
    tunnels.push({
      id: tunnel.id,
      scenario,
      ends: [tunnel.initiator, tunnel.responder].map((e) => `${e.router}/${e.vpn}`),
    });
    for (const alert of SCENARIO_SPECS[scenario].alerts)
      expectedAlerts.push({ alert, scenario, tunnel: tunnel.id });
  }
  const history = configHistory(fleet, changes);
  for (const e of history.truth) truth.push({ e, seq: truth.length });
  records.sort((a, b) => a.r.ms - b.r.ms || a.seq - b.seq);
  truth.sort((a, b) => Date.parse(a.e.at) - Date.parse(b.e.at) || a.seq - b.seq);
  const byName = new Map<string, SimRouter>(fleet.routers.map((r) => [r.name, r]));
  // Loss draws from its own generator: the surviving lines are the lossless run's, minus some.
  const lossRandom = seededRandom(options.seed ^ 0x5eed_1055);
  const loss = options.loss ?? 0;
  const sorted = records.map((x) => x.r).filter(() => loss === 0 || lossRandom.next() >= loss);
  return {
    fleet,
    records: sorted,
    lines: sorted.map((r) => ({
      ms: r.ms,
      router: r.router,
      line: formatRecord(byName.get(r.router)!, r),
    })),
    truth: truth.map((x) => x.e),
    configVersions: history.versions,
    header: {
      v: 1,
      simulation: {
        seed: options.seed,
        loss: options.loss ?? 0,
        routers: fleet.routers.length,
        scenarios: options.scenarios,
        start: new Date(options.startMs).toISOString(),
        end: new Date(endMs).toISOString(),
        tunnels,
        expectedAlerts,
      },
    },
  };
}
