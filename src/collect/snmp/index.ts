import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { SnmpConfig, SnmpTargetConfig } from '../../config/schema.js';
import type { Observation } from '../../domain/index.js';
import type { LogAppender } from '../appender.js';
import { SnmpMetrics, type CollectMetrics } from '../metrics.js';
import { toRecord } from '../syslog/ingest.js';
import { pollTarget, type PollDeps } from './poll.js';
import { PollScheduler, type SchedulerClock } from './scheduler.js';
import { startTrapReceiver, type RunningTrapReceiver } from './traps.js';

export { pollTarget, targetAddress, type PollOutcome } from './poll.js';
export { PollScheduler } from './scheduler.js';
export { startTrapReceiver } from './traps.js';

export interface RunningSnmp {
  /** The trap receiver's address, e.g. `udp://127.0.0.1:10162`, when enabled. */
  readonly traps?: string;
  readonly targets: number;
  readonly metrics: SnmpMetrics;
  /** Stops polling (waits for the polls in flight) and closes the trap receiver. */
  close(): Promise<void>;
}

const TRAP_LABELS = new Set(['ike-peer-down', 'ike-peer-ipsec-tunnel-down']);

/** True when the configuration asks for SNMP at all (targets or the trap receiver). */
export function snmpEnabled(config: SnmpConfig): boolean {
  return config.targets.length > 0 || config.traps.enabled;
}

/**
 * The SNMP part of the collect role: the poller on its schedule and the trap receiver, their
 * observations appended like syslog's (keyed by router, so one router's observations keep
 * their order).
 */
export async function startSnmp(deps: {
  config: SnmpConfig;
  appender: LogAppender;
  collectMetrics: CollectMetrics;
  registry: Registry;
  logger: Logger;
  /** A router that SNMP names gets clock ticks like a syslog sender. */
  onRouterSeen: (router: string) => void;
  now?: () => number;
  clock?: SchedulerClock;
  random?: () => number;
  poll?: PollDeps;
}): Promise<RunningSnmp> {
  const { config, appender, collectMetrics, logger } = deps;
  const now = deps.now ?? Date.now;
  const metrics = new SnmpMetrics(deps.registry);
  // Every target's series from the start: its first failure is then a rise, which rate() sees.
  for (const t of config.targets)
    for (const outcome of ['ok', 'error'])
      metrics.polls.inc({ target: t.name, platform: t.platform, outcome }, 0);
  const log = logger.child({ component: 'snmp' });
  const failing = new Set<string>();

  const append = (observations: readonly Observation[]) => {
    const receivedMs = now();
    return observations.map((o) => {
      collectMetrics.countObservation(o.source, o.kind);
      return toRecord(o, receivedMs);
    });
  };

  const poll = async (target: SnmpTargetConfig, signal: AbortSignal): Promise<boolean> => {
    const outcome = await pollTarget(target, { now, ...deps.poll, signal });
    // A poll cut short by the stop is not a failure of the target: nothing is recorded.
    if (signal.aborted) return false;
    const labels = { target: target.name, platform: target.platform };
    metrics.polls.inc({ ...labels, outcome: outcome.ok ? 'ok' : 'error' });
    metrics.pollDuration.observe(labels, outcome.durationMs / 1000);
    if (outcome.decodeErrors) {
      metrics.decodeErrors.inc({ platform: target.platform }, outcome.decodeErrors);
    }
    const last = outcome.observations.at(-1);
    const error = last?.kind === 'snmp-poll' ? last.data.error : undefined;
    // One line when a target starts failing and one when it recovers, not one per poll.
    if (!outcome.ok && !failing.has(target.name)) {
      failing.add(target.name);
      log.warn({ target: target.name, error }, 'SNMP polls of this target fail');
    } else if (outcome.ok && failing.delete(target.name)) {
      log.info({ target: target.name }, 'SNMP polls of this target succeed again');
    }
    deps.onRouterSeen(target.name);
    await appender.push(append(outcome.observations));
    return outcome.ok;
  };

  const scheduler = new PollScheduler(config.targets, poll, {
    concurrency: config.concurrency,
    jitter: config.jitter,
    maxBackoffMs: config.maxBackoffSeconds * 1000,
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.random ? { random: deps.random } : {}),
  });

  let receiver: RunningTrapReceiver | undefined;
  if (config.traps.enabled) {
    receiver = await startTrapReceiver({
      ...config.traps,
      targets: config.targets,
      logger: log,
      now,
      onTrap: (observation) => {
        const trap = observation.data.trap;
        metrics.traps.inc({ trap: TRAP_LABELS.has(trap) ? trap : 'other' });
        deps.onRouterSeen(observation.router);
        appender.push(append([observation])).catch((error: unknown) => {
          log.error({ err: error }, 'an SNMP trap could not be queued for the log');
        });
      },
      onRejected: () => metrics.trapsRejected.inc(),
    });
  }
  scheduler.start();
  log.info(
    { targets: config.targets.length, traps: receiver?.listening },
    'SNMP collector started',
  );
  return {
    ...(receiver ? { traps: receiver.listening } : {}),
    targets: config.targets.length,
    metrics,
    async close() {
      await scheduler.stop();
      await receiver?.close();
    },
  };
}
