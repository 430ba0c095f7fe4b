import snmp from 'net-snmp';
import type { Simulation } from '../simulate.js';
import { cachedSnapshot, startSimAgent, type SimAgent, type SnmpV3User } from './agent.js';
import { snmpModel, type SimTrap, type SnmpModel } from './state.js';
import { routerVarbinds, trapOidOf, trapVarbinds } from './varbinds.js';

// The fleet's agents for a run: router i on 127.0.0.1:(basePort + i), all showing the state at
// the run's current virtual time, and the traps sent as their virtual time passes.

export interface SnmpTrapTarget {
  readonly host: string;
  readonly port: number;
  readonly community: string;
}

export interface SnmpServeOptions {
  readonly basePort: number;
  readonly address?: string;
  readonly community: string;
  readonly v3?: SnmpV3User;
  readonly trap?: SnmpTrapTarget;
  /** The run's virtual time now (ms). */
  readonly virtualNow: () => number;
  /** Real clock (ms), for the snapshot cache. */
  readonly realNow: () => number;
  /** A router's varbinds are recomputed when older than this, real ms (default 1000). */
  readonly maxAgeMs?: number;
  /** How often due traps are looked for, real ms (default 250). */
  readonly trapCheckMs?: number;
}

export interface ServedRouter {
  readonly router: string;
  readonly platform: 'srx' | 'mx';
  readonly port: number;
}

export interface SnmpFleet {
  readonly model: SnmpModel;
  readonly routers: readonly ServedRouter[];
  /** Traps sent so far. */
  readonly sent: () => number;
  /** Sends every trap due by the virtual time now (also run on a timer). */
  flushTraps(): Promise<void>;
  close(): Promise<void>;
}

function trapSender(target: SnmpTrapTarget) {
  const session = snmp.createSession(target.host, target.community, {
    version: snmp.Version2c,
    trapPort: target.port,
  });
  return {
    send: (trap: SimTrap, upTime: number) =>
      new Promise<void>((resolve) => {
        session.trap(trapOidOf(trap), trapVarbinds(trap), { upTime }, () => resolve());
      }),
    close: () => session.close(),
  };
}

export async function serveSnmp(sim: Simulation, options: SnmpServeOptions): Promise<SnmpFleet> {
  const model = snmpModel(sim);
  const agents: SimAgent[] = [];
  const routers: ServedRouter[] = [];
  try {
    for (const [i, router] of sim.fleet.routers.entries()) {
      const cache = cachedSnapshot(
        () => routerVarbinds(model.viewAt(router.name, options.virtualNow())),
        options.realNow,
        options.maxAgeMs ?? 1000,
      );
      const agent = await startSimAgent({
        port: options.basePort + i,
        ...(options.address === undefined ? {} : { address: options.address }),
        community: options.community,
        ...(options.v3 === undefined ? {} : { v3: options.v3 }),
        snapshot: cache.snapshot,
      });
      agents.push(agent);
      routers.push({ router: router.name, platform: router.platform, port: agent.port });
    }
  } catch (err) {
    await Promise.all(agents.map((a) => a.close()));
    throw err;
  }
  const sender = options.trap ? trapSender(options.trap) : undefined;
  // Traps already in the past when the agents start are history, not news.
  let next = model.traps.findIndex((t) => t.ms > options.virtualNow());
  if (next < 0) next = model.traps.length;
  let sent = 0;
  let flushing: Promise<void> = Promise.resolve();
  const flushTraps = () => {
    flushing = flushing.then(async () => {
      const now = options.virtualNow();
      while (next < model.traps.length && model.traps[next]!.ms <= now) {
        const trap = model.traps[next++]!;
        if (!sender) continue;
        await sender.send(trap, model.viewAt(trap.router, trap.ms).sysUpTimeHundredths);
        sent++;
      }
    });
    return flushing;
  };
  const timer = sender
    ? setInterval(() => void flushTraps(), options.trapCheckMs ?? 250)
    : undefined;
  timer?.unref();
  return {
    model,
    routers,
    sent: () => sent,
    flushTraps,
    close: async () => {
      if (timer) clearInterval(timer);
      // Traps already due go out before the agents stop.
      await flushTraps();
      sender?.close();
      await Promise.all(agents.map((a) => a.close()));
    },
  };
}
