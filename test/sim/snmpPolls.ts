import { pollTarget } from '../../src/collect/snmp/poll.js';
import type { SnmpSession, SnmpVarbind } from '../../src/collect/snmp/session.js';
import type { Observation } from '../../src/domain/observation.js';
import type { Simulation } from '../../src/sim/index.js';
import { answerBulk, answerGet } from '../../src/sim/snmp/agent.js';
import { snmpModel } from '../../src/sim/snmp/state.js';
import { routerVarbinds, type SimVarbind } from '../../src/sim/snmp/varbinds.js';

// Offline SNMP polls of a simulation: samon's poller (pollTarget: the walk plan, GETBULK walks,
// decoding, the observations it appends) against what the simulator's agents would answer at
// each poll time (their state model, answered by the agents' own GET/GETBULK functions). No
// sockets: the live path has its own tests (snmpLive.e2e, agent.int); this one checks what the
// fold makes of the data, at any poll time of a long simulation.

/** An SNMP session whose answers are the agent's, computed in memory. */
function inMemorySession(list: readonly SimVarbind[]): SnmpSession {
  const session: SnmpSession = {
    get(oids, callback) {
      callback(null, answerGet(list, oids));
    },
    getBulk(oids, nonRepeaters, maxRepetitions, callback) {
      const flat = answerBulk(list, oids, nonRepeaters, maxRepetitions);
      // net-snmp's shape: the non-repeaters, then one list per repeated OID (the flat answer
      // goes row by row: every repeated OID once per repetition).
      const repeaters = oids.length - nonRepeaters;
      const columns: SnmpVarbind[][] = Array.from({ length: repeaters }, () => []);
      flat.slice(nonRepeaters).forEach((vb, i) => columns[i % repeaters]!.push(vb));
      callback(null, [...flat.slice(0, nonRepeaters).map((vb) => [vb]), ...columns]);
    },
    close() {},
    on: () => session,
  };
  return session;
}

export async function snmpPollsOf(
  sim: Simulation,
  intervalSeconds: number,
): Promise<Observation[]> {
  const model = snmpModel(sim);
  const platformOf = new Map(sim.fleet.routers.map((r) => [r.name, r.platform] as const));
  const out: Observation[] = [];
  for (let ms = model.startMs; ms <= model.endMs; ms += intervalSeconds * 1000) {
    for (const router of model.routers) {
      const list = routerVarbinds(model.viewAt(router, ms));
      const outcome = await pollTarget(
        {
          name: router,
          address: '192.0.2.1',
          port: 161,
          platform: platformOf.get(router) ?? 'srx',
          version: '2c',
          community: 'public',
          timeout: 1000,
          retries: 0,
          maxRepetitions: 25,
        },
        { now: () => ms, openSession: () => inMemorySession(list) },
      );
      if (!outcome.ok || outcome.decodeErrors > 0) {
        throw new Error(`poll of ${router}: ${JSON.stringify(outcome.observations.at(-1)?.data)}`);
      }
      out.push(...outcome.observations);
    }
  }
  return out;
}
