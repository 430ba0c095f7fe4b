import type { Observation } from '../../src/domain/observation.js';
import {
  decodeSystem,
  decodeTable,
  describeSystem,
  type SnmpVarbind,
} from '../../src/junos/snmp/decode.js';
import { walkPlan } from '../../src/junos/snmp/oids.js';
import type { Simulation } from '../../src/sim/index.js';
import { snmpModel } from '../../src/sim/snmp/state.js';
import { routerVarbinds } from '../../src/sim/snmp/varbinds.js';

// Offline SNMP polls of a simulation: what the simulator's agents would answer at each poll
// time (its state model, encoded as the agents encode it) decoded as the collector decodes it,
// in the collector's order (snmp-system, the walk plan's rows, snmp-poll). No sockets: the live
// path (agents, poller) has its own tests; this one checks what the fold makes of the data.

export function snmpPollsOf(sim: Simulation, intervalSeconds: number): Observation[] {
  const model = snmpModel(sim);
  const platformOf = new Map(sim.fleet.routers.map((r) => [r.name, r.platform] as const));
  const out: Observation[] = [];
  for (let ms = model.startMs; ms <= model.endMs; ms += intervalSeconds * 1000) {
    for (const router of model.routers) {
      out.push(...pollAt(router, platformOf.get(router) ?? 'srx', ms, model.viewAt(router, ms)));
    }
  }
  return out;
}

function pollAt(
  router: string,
  platform: 'srx' | 'mx',
  ms: number,
  view: Parameters<typeof routerVarbinds>[0],
): Observation[] {
  const varbinds: SnmpVarbind[] = routerVarbinds(view).map((v) => ({
    oid: v.oid,
    type: v.type,
    value: v.value,
  }));
  const time = new Date(ms).toISOString();
  const envelope = { v: 1 as const, router, time, receivedAt: time, source: 'snmp' as const };
  const out: Observation[] = [];
  const system = decodeSystem(varbinds);
  if (system)
    out.push({ ...envelope, kind: 'snmp-system', raw: describeSystem(system), data: system });
  const tables: string[] = [];
  for (const table of walkPlan(platform)) {
    const prefix = `${table.oid}.`;
    const decoded = decodeTable(
      platform,
      table,
      varbinds.filter((v) => v.oid.startsWith(prefix)),
    );
    if (decoded.errors.length > 0)
      throw new Error(`${router} ${table.name}: ${JSON.stringify(decoded.errors.slice(0, 3))}`);
    for (const o of decoded.observations) out.push({ ...envelope, ...o });
    tables.push(table.name);
  }
  out.push({
    ...envelope,
    kind: 'snmp-poll',
    raw: `poll ${router} ok`,
    data: { target: router, ok: true, durationMs: 1, rows: out.length, platform, tables },
  });
  return out;
}
