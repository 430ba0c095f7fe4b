import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { partitionForKey } from '../../src/log/partitioner.js';
import type { EventLog } from '../../src/log/port.js';
import { openSqliteLog } from '../../src/log/sqlite/index.js';

// The embedded log's sparse time index (schema v3, record_times): read from a timestamp finds
// Kafka's answer — the earliest offset stamped at or after it — whatever order the timestamps
// come in, on a new file and on a v1 file upgraded in place.

const V1_SCHEMA = readFileSync(join(import.meta.dirname, 'fixtures', 'schema-v1.sql'), 'utf8');
const TOPIC = 'samon.lifecycle';
const PARTITIONS = 2;
const KEYS = ['srx1/vpn-a', 'srx1/vpn-b', 'srx2/vpn-c', 'srx3/vpn-d', 'srx4/vpn-e'];

/** What the time index must answer, from every stored (partition, offset, ts). */
function expectedOffset(
  stored: readonly { partition: number; offset: number; ts: number }[],
  partition: number,
  t: number,
): number | undefined {
  return stored
    .filter((r) => r.partition === partition && r.ts >= t)
    .reduce<number | undefined>(
      (min, r) => (min === undefined || r.offset < min ? r.offset : min),
      undefined,
    );
}

async function firstFrom(log: EventLog, partition: number, t: number): Promise<number | undefined> {
  for await (const record of log.read(TOPIC, { partition, from: { timestamp: t }, limit: 1 })) {
    return record.offset;
  }
  return undefined;
}

describe('SQLite event log: time index', () => {
  let dir: string;
  let path: string;
  const logs: EventLog[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'samon-time-index-'));
    path = join(dir, 'samon.db');
  });

  afterEach(async () => {
    await Promise.all(logs.splice(0).map((log) => log.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the earliest offset stamped at or after t, timestamps in any order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.array(
            fc.record({ key: fc.constantFrom(...KEYS), ts: fc.integer({ min: 0, max: 50 }) }),
            {
              minLength: 1,
              maxLength: 8,
            },
          ),
          { minLength: 1, maxLength: 6 },
        ),
        async (batches) => {
          const file = join(dir, `p-${Math.random().toString(36).slice(2)}.db`);
          const log = await openSqliteLog({ path: file, partitions: PARTITIONS });
          logs.push(log);
          const stored: { partition: number; offset: number; ts: number }[] = [];
          for (const batch of batches) {
            const results = await log.append(
              batch.map(({ key, ts }) => ({
                topic: TOPIC,
                key,
                value: Buffer.from(key),
                timestamp: ts,
              })),
            );
            results.forEach((r, i) =>
              stored.push({ partition: r.partition, offset: r.offset, ts: batch[i]!.ts }),
            );
          }
          for (let partition = 0; partition < PARTITIONS; partition++) {
            for (let t = -1; t <= 52; t++) {
              expect(await firstFrom(log, partition, t)).toBe(expectedOffset(stored, partition, t));
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('upgrades a version 1 file: the same answers, no per-record time index, appends go on', async () => {
    const stored: { partition: number; offset: number; ts: number }[] = [];
    const raw = new Database(path);
    raw.pragma('journal_mode = WAL');
    raw.exec(V1_SCHEMA);
    raw.pragma('user_version = 1');
    raw
      .prepare('INSERT INTO topics (id, name, partitions) VALUES (1, ?, ?)')
      .run(TOPIC, PARTITIONS);
    const insert = raw.prepare(
      'INSERT INTO records (topic_id, partition_no, record_offset, ts, record_key, headers, value) ' +
        'VALUES (1, ?, ?, ?, ?, NULL, ?)',
    );
    const next = new Array<number>(PARTITIONS).fill(0);
    for (let i = 0; i < 60; i++) {
      const key = KEYS[i % KEYS.length]!;
      const partition = partitionForKey(key, PARTITIONS);
      const ts = (i * 37) % 41; // out of order, with repeats
      const offset = next[partition]!++;
      insert.run(partition, offset, ts, key, Buffer.from(key));
      stored.push({ partition, offset, ts });
    }
    next.forEach((offset, partition) =>
      raw
        .prepare('INSERT INTO partitions (topic_id, partition_no, next_offset) VALUES (1, ?, ?)')
        .run(partition, offset),
    );
    raw.close();

    const log = await openSqliteLog({ path, partitions: PARTITIONS });
    logs.push(log);
    const check = async () => {
      for (let partition = 0; partition < PARTITIONS; partition++) {
        for (let t = -1; t <= 60; t++) {
          expect(await firstFrom(log, partition, t)).toBe(expectedOffset(stored, partition, t));
        }
      }
    };
    await check();
    const results = await log.append(
      KEYS.map((key, i) => ({ topic: TOPIC, key, value: Buffer.from(key), timestamp: 45 + i * 3 })),
    );
    results.forEach((r, i) =>
      stored.push({ partition: r.partition, offset: r.offset, ts: 45 + i * 3 }),
    );
    await check();

    const db = new Database(path, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(3);
      const indexes = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records'")
        .pluck()
        .all();
      expect(indexes).not.toContain('records_by_time');
      expect(indexes).toContain('records_by_offset');
    } finally {
      db.close();
    }
  });
});
