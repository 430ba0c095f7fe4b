import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Config } from '../config/index.js';
import { stateRows, type RouterState } from '../domain/sa/index.js';
import type { EventLog } from '../log/port.js';
import { Projector } from '../project/projector.js';
import { saFold } from '../project/saFold.js';
import { SqliteSnapshotStore } from '../project/snapshotStore.js';
import { readTimelineWithLines } from '../project/timeline.js';
import type { TunnelDirectory } from '../serve/api.js';
import type { Readiness } from '../serve/health.js';
import { SaMetrics } from '../serve/metrics/index.js';

export interface RunningProjection {
  readonly projector: Projector<RouterState>;
  readonly directory: TunnelDirectory;
  readonly readiness: Readiness;
  /** The per-tunnel and per-router metrics of the fold's state (appended to the registry's). */
  readonly metrics: SaMetrics;
  close(): Promise<void>;
}

/** Where snapshots live: beside the embedded log, or under ./data with Kafka. */
export function snapshotPath(config: Config): string {
  return config.log.kind === 'sqlite'
    ? join(dirname(config.log.sqlite.path), 'samon-snapshots.db')
    : join('data', 'samon-snapshots.db');
}

/** Starts the projector role: the fold over the observation log, the tunnel directory, readiness. */
export async function startProjection(deps: {
  config: Config;
  log: EventLog;
  logger: Logger;
  registry: Registry;
}): Promise<RunningProjection> {
  const { config, log, logger, registry } = deps;
  const registers = [registry];
  const folded = new Counter({
    name: 'samon_projector_observations_total',
    help: 'Observations folded by this projector.',
    registers,
  });
  const events = new Counter({
    name: 'samon_lifecycle_events_total',
    help: 'Lifecycle events emitted, by type.',
    labelNames: ['type'],
    registers,
  });
  const invalid = new Counter({
    name: 'samon_projector_invalid_records_total',
    help: 'Observation records that were not valid v1 observations (skipped by the fold, kept in the log).',
    registers,
  });
  const store = new SqliteSnapshotStore(snapshotPath(config));
  const metrics = new SaMetrics({
    states: () => projector.routers().map(([, state]) => state),
    maxTunnelSeries: config.metrics.maxTunnelSeries,
  });
  const projector = new Projector(
    log,
    saFold({
      graceSeconds: config.projection.rekeyGraceSeconds,
      silenceGapSeconds: config.projection.routerSilenceSeconds,
    }),
    store,
    logger.child({ component: 'projector' }),
    {
      groupId: config.projection.groupId,
      snapshotEveryRecords: config.projection.snapshotEveryRecords,
      snapshotMinIntervalMs: config.projection.snapshotMinIntervalSeconds * 1000,
      evidence: config.projection.evidence,
    },
    {
      onFolded: (n) => folded.inc(n),
      onEvents: (list) => {
        for (const e of list) events.inc({ type: e.type });
        metrics.onEvents(list);
      },
      onInvalidRecord: () => invalid.inc(),
    },
  );
  let lastLag = { records: 0, seconds: 0, partitions: 0 };
  const refreshLag = async () => {
    lastLag = await projector.lag();
    return lastLag;
  };
  new Gauge({
    name: 'samon_projector_lag_records',
    help: 'Observations in the log not yet folded by this projector.',
    registers,
    async collect() {
      this.set((await refreshLag()).records);
    },
  });
  new Gauge({
    name: 'samon_projector_lag_seconds',
    help: 'Age of the oldest observation not yet folded (0 when caught up).',
    registers,
    collect() {
      this.set(lastLag.seconds);
    },
  });
  new Gauge({
    name: 'samon_projector_snapshot_age_seconds',
    help: 'Time since the oldest of this projector’s partition snapshots was taken.',
    registers,
    collect() {
      this.set(projector.snapshotAgeSeconds());
    },
  });
  await projector.start();
  const directory: TunnelDirectory = {
    rows: () => stateRows(projector.routers().map(([, state]) => state)),
    timeline: (ids, from, to) =>
      readTimelineWithLines(log, {
        ids,
        ...(from !== undefined && { from }),
        ...(to !== undefined && { to }),
      }),
  };
  const readiness: Readiness = {
    async check() {
      const lag = await refreshLag();
      if (lag.partitions === 0) return { ready: false, reason: 'no partition assigned yet' };
      return lag.records === 0
        ? { ready: true, reason: `caught up on ${lag.partitions} partition(s)` }
        : { ready: false, reason: `${lag.records} observation(s) not folded yet` };
    },
  };
  return {
    projector,
    directory,
    readiness,
    metrics,
    async close() {
      await projector.stop();
      store.close();
    },
  };
}
