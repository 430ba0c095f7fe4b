import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../src/domain/index.js';
import { stateRows, type RouterState } from '../../src/domain/sa/index.js';
import { openEventLog } from '../../src/log/index.js';
import type { EventLog } from '../../src/log/port.js';
import { Projector } from '../../src/project/projector.js';
import { saFold } from '../../src/project/saFold.js';
import { SqliteSnapshotStore, type SnapshotStore } from '../../src/project/snapshotStore.js';
import { syntheticFleet } from '../support/syntheticFleet.js';
import { caughtUp, lifecycle, observationRecords } from './support/projection.js';

// A snapshot this version cannot read (an older snapshot format): the projector rebuilds the
// partition's state from the log, appends none of the events the lifecycle log already has,
// and goes on exactly as a projector that never stopped.

const PARTITIONS = 2;
const OBSERVATIONS = 'rebuild.observations.v1';

async function append(log: EventLog, observations: readonly Observation[]): Promise<void> {
  await log.append(observationRecords(OBSERVATIONS, observations));
}

/** The log, counting the reads of one topic. */
function countingReads(log: EventLog, topic: string): { log: EventLog; reads: () => number } {
  let reads = 0;
  const counted: EventLog = {
    ensureTopic: (t, partitions) => log.ensureTopic(t, partitions),
    append: (records) => log.append(records),
    read: (t, options) => {
      if (t === topic) reads++;
      return log.read(t, options);
    },
    subscribe: (options) => log.subscribe(options),
    partitions: (t) => log.partitions(t),
    committed: (groupId, t) => log.committed(groupId, t),
    close: () => log.close(),
  };
  return { log: counted, reads: () => reads };
}

/** Runs a projector until it has caught up; returns its state rows and what it reported. */
async function project(
  log: EventLog,
  store: SnapshotStore,
  groupId: string,
  lifecycleTopic: string,
): Promise<{ rows: string; folded: number; events: number }> {
  let folded = 0;
  let events = 0;
  const projector = new Projector<RouterState>(
    log,
    saFold(),
    store,
    pino({ level: 'silent' }),
    {
      groupId,
      snapshotEveryRecords: 300,
      snapshotMinIntervalMs: 0,
      topics: { observations: OBSERVATIONS, lifecycle: lifecycleTopic },
    },
    { onFolded: (n) => (folded += n), onEvents: (list) => (events += list.length) },
  );
  await projector.start();
  await caughtUp(projector);
  await projector.stop();
  const rows = JSON.stringify(stateRows(projector.routers().map(([, s]) => s)));
  return { rows, folded, events };
}

describe('projector with a snapshot it cannot read', () => {
  it('rebuilds the state from the log without appending any event twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'samon-rebuild-'));
    const log = await openEventLog({
      kind: 'sqlite',
      path: join(dir, 'log.db'),
      partitions: PARTITIONS,
    });
    try {
      const all = syntheticFleet({ routers: 4, tunnelsPerRouter: 3, hours: 8, seed: 11 });
      const first = all.slice(0, Math.floor((all.length * 2) / 3));
      const rest = all.slice(first.length);
      await append(log, first);

      const store = new SqliteSnapshotStore(join(dir, 'snapshots.db'));
      const before = await project(log, store, 'rebuild', 'rebuild.lifecycle.v1');
      expect(before.events).toBeGreaterThan(100);
      const appendedBefore = await lifecycle(log, 'rebuild.lifecycle.v1');
      expect(appendedBefore).toHaveLength(before.events);

      // Every partition's snapshot now says it is of another version.
      const scope = `rebuild/${OBSERVATIONS}`;
      for (let p = 0; p < PARTITIONS; p++) {
        const snapshot = store.load(scope, p);
        expect(snapshot).toBeDefined();
        const routers = Object.fromEntries(
          Object.entries(snapshot!.routers).map(([r, s]) => [r, { ...(s as object), v: 0 }]),
        );
        store.save(scope, p, { ...snapshot!, routers });
      }

      // Restarted on the same log: everything refolded, nothing appended again. The progress
      // recorded at the stop is the end of the log: nothing to look for in the lifecycle log.
      const counted = countingReads(log, 'rebuild.lifecycle.v1');
      const rebuilt = await project(counted.log, store, 'rebuild', 'rebuild.lifecycle.v1');
      expect(counted.reads()).toBe(0);
      expect(rebuilt.folded).toBe(first.length);
      expect(rebuilt.events).toBe(0);
      expect(rebuilt.rows).toBe(before.rows);
      expect(await lifecycle(log, 'rebuild.lifecycle.v1')).toEqual(appendedBefore);

      // And it goes on as a projector that folded the whole log in one run.
      await append(log, rest);
      await project(log, store, 'rebuild', 'rebuild.lifecycle.v1');
      const referenceStore = new SqliteSnapshotStore(join(dir, 'reference.db'));
      const reference = await project(
        log,
        referenceStore,
        'rebuild-reference',
        'rebuild.lifecycle-reference.v1',
      );
      referenceStore.close();
      const continued = await project(log, store, 'rebuild', 'rebuild.lifecycle.v1');
      store.close();
      expect(continued.rows).toBe(reference.rows);
      expect(await lifecycle(log, 'rebuild.lifecycle.v1')).toEqual(
        await lifecycle(log, 'rebuild.lifecycle-reference.v1'),
      );
    } finally {
      await log.close();
    }
  }, 120_000);
});

describe('projector with no recorded progress beside a lifecycle log that has events', () => {
  it('a lost snapshot store: refolds, appends only what the lifecycle log lacks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'samon-noprogress-'));
    const log = await openEventLog({
      kind: 'sqlite',
      path: join(dir, 'log.db'),
      partitions: PARTITIONS,
    });
    try {
      const all = syntheticFleet({ routers: 4, tunnelsPerRouter: 3, hours: 8, seed: 12 });
      const first = all.slice(0, Math.floor(all.length / 2));
      await append(log, first);
      const lost = new SqliteSnapshotStore(join(dir, 'lost.db'));
      const before = await project(log, lost, 'np', 'np.lifecycle.v1');
      lost.close();
      expect(before.events).toBeGreaterThan(100);

      // The store is gone; the rest of the observations arrive; a new store starts empty.
      await append(log, all.slice(first.length));
      const fresh = new SqliteSnapshotStore(join(dir, 'fresh.db'));
      const after = await project(log, fresh, 'np', 'np.lifecycle.v1');
      fresh.close();
      expect(after.folded).toBe(all.length);

      const referenceStore = new SqliteSnapshotStore(join(dir, 'reference.db'));
      const reference = await project(log, referenceStore, 'np-ref', 'np.lifecycle-ref.v1');
      referenceStore.close();
      expect(after.rows).toBe(reference.rows);
      expect(before.events + after.events).toBe(reference.events);
      expect(await lifecycle(log, 'np.lifecycle.v1')).toEqual(
        await lifecycle(log, 'np.lifecycle-ref.v1'),
      );
    } finally {
      await log.close();
    }
  }, 120_000);
});
