import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Observation } from '../../src/domain/observation.js';
import { openEventLog } from '../../src/log/index.js';
import { Projector } from '../../src/project/projector.js';
import { saFold } from '../../src/project/saFold.js';
import { SqliteSnapshotStore } from '../../src/project/snapshotStore.js';
import { caughtUp } from './support/projection.js';

// Records that are not valid observations are skipped, reported with zod's wording of what is
// wrong, and kept in the log; the valid ones around them are folded (the structural check the
// projector tries first never changes which records are valid, nor the messages).

const TOPIC = 'invalid.observations.v1';

const valid = {
  v: 1,
  kind: 'ipsec-sa-established',
  router: 'r1',
  time: '2026-11-27T10:00:00.000Z',
  source: 'syslog',
  raw: 'KMD_PM_SA_ESTABLISHED: …',
  data: { remoteGateway: '10.0.0.2', direction: 'inbound', spi: '0x1234abcd' },
};

function zodProblem(value: unknown): string {
  const parsed = Observation.safeParse(value);
  if (parsed.success) throw new Error('expected an invalid value');
  return parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
}

describe('projector and records that are not observations', () => {
  it('reports each with its problem, keeps it in the log, folds the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'samon-invalid-'));
    const log = await openEventLog({ kind: 'sqlite', path: join(dir, 'log.db') });
    const store = new SqliteSnapshotStore(join(dir, 'snapshots.db'));
    try {
      const badSpi = { ...valid, data: { ...valid.data, spi: '0x1234ABCD' } };
      const badTime = { ...valid, time: '2026-11-27T10:00:00Z', kind: 'clock', data: {} };
      const values = [
        Buffer.from(JSON.stringify(valid)),
        Buffer.from('{"v":1,'),
        Buffer.from(JSON.stringify(badSpi)),
        Buffer.from(JSON.stringify(badTime)),
        Buffer.from(
          JSON.stringify({ ...valid, time: '2026-11-27T10:00:01.000Z', kind: 'clock', data: {} }),
        ),
      ];
      await log.append(values.map((value) => ({ topic: TOPIC, key: 'r1', value })));
      const invalid: { offset: number; problem: string }[] = [];
      let folded = 0;
      const projector = new Projector(
        log,
        saFold(),
        store,
        pino({ level: 'silent' }),
        {
          groupId: 'invalid',
          snapshotEveryRecords: 1_000,
          topics: { observations: TOPIC, lifecycle: 'invalid.lifecycle.v1' },
        },
        {
          onFolded: (n) => (folded += n),
          onInvalidRecord: (record, problem) => invalid.push({ offset: record.offset, problem }),
        },
      );
      await projector.start();
      await caughtUp(projector);
      await projector.stop();
      expect(invalid).toEqual([
        { offset: 1, problem: 'not JSON' },
        { offset: 2, problem: zodProblem(badSpi) },
        { offset: 3, problem: zodProblem(badTime) },
      ]);
      expect(invalid[1]!.problem).toContain('data.spi');
      expect(folded).toBe(2);
      let kept = 0;
      for await (const record of log.read(TOPIC, { partition: 0, from: 'beginning' })) {
        expect(record.value).toEqual(values[record.offset]);
        kept++;
      }
      expect(kept).toBe(values.length);
    } finally {
      store.close();
      await log.close();
    }
  });
});
