import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { clockObservation } from '../../src/domain/observation.js';
import { isoFromMillis } from '../../src/domain/time.js';
import { openEventLog } from '../../src/log/index.js';
import { Projector } from '../../src/project/projector.js';
import { saFold } from '../../src/project/saFold.js';
import { SqliteSnapshotStore, type PartitionSnapshot } from '../../src/project/snapshotStore.js';

// While catching up on a long log, a snapshot (the whole partition state) waits for ten times
// the cost of the previous one, so a large state is not written over and over.

const TOPIC = 'snap.observations.v1';

describe('projector snapshots while catching up', () => {
  it('waits ten times the last snapshot cost before the next', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'samon-snap-'));
    const log = await openEventLog({ kind: 'sqlite', path: join(dir, 'log.db') });
    const t0 = Date.parse('2026-11-27T00:00:00.000Z');
    await log.append(
      Array.from({ length: 10_000 }, (_, i) => {
        const o = clockObservation(`r${i % 4}`, isoFromMillis(t0 + i * 1000));
        return { topic: TOPIC, key: o.router, value: Buffer.from(JSON.stringify(o)) };
      }),
    );
    // The projector's clock: 10 s per 1 000 records folded, 30 s per snapshot written.
    let now = t0;
    class SlowStore extends SqliteSnapshotStore {
      override save(scope: string, partition: number, snapshot: PartitionSnapshot): void {
        super.save(scope, partition, snapshot);
        now += 30_000;
      }
    }
    const store = new SlowStore(join(dir, 'snapshots.db'));
    const snapshotsAt: number[] = [];
    let folded = 0;
    const projector = new Projector(
      log,
      saFold(),
      store,
      pino({ level: 'silent' }),
      {
        groupId: 'snap',
        snapshotEveryRecords: 1_000,
        snapshotMinIntervalMs: 0,
        topics: { observations: TOPIC, lifecycle: 'snap.lifecycle.v1' },
      },
      {
        onFolded: (n) => {
          folded += n;
          now += n * 10;
        },
        onSnapshot: () => snapshotsAt.push(folded),
      },
      () => now,
    );
    try {
      await projector.start();
      expect(folded).toBe(10_000);
      // The first after 1 000 records (cost 30 s); the next once 300 s have passed: 20 s of
      // folding per 2 000 records… 10 000 records take 100 s, so no second one during catch-up.
      expect(snapshotsAt).toEqual([1_000]);
      await projector.stop();
      expect(snapshotsAt).toEqual([1_000, 10_000]);
      expect(store.load(`snap/${TOPIC}`, 0)?.next).toBe(10_000);
    } finally {
      store.close();
      await log.close();
    }
  });
});
