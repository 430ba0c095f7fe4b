import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { partitionForKey } from '../../src/log/partitioner.js';
import type { EventLog } from '../../src/log/port.js';
import { openSqliteLog } from '../../src/log/sqlite/index.js';
import { readAll, readKeyAll } from './eventLogContract.js';

// Schema upgrades of the embedded log, from a file written with the frozen v1 schema.

const V1_SCHEMA = readFileSync(join(import.meta.dirname, 'fixtures', 'schema-v1.sql'), 'utf8');
const TOPIC = 'samon.lifecycle.v1';
const PARTITIONS = 2;
const BASE = Date.parse('2026-11-27T00:00:00.000Z');
const KEYS = ['srx1/vpn-a', 'srx1/vpn-b', 'srx2/vpn-c', 'srx3/vpn-d'];

/** A v1 file as samon 0.1 left it: one topic, 40 records, a group's committed offsets. */
function writeV1File(path: string): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(V1_SCHEMA);
  db.pragma('user_version = 1');
  db.prepare('INSERT INTO topics (id, name, partitions) VALUES (1, ?, ?)').run(TOPIC, PARTITIONS);
  const next = new Array<number>(PARTITIONS).fill(0);
  const insert = db.prepare(
    'INSERT INTO records (topic_id, partition_no, record_offset, ts, record_key, headers, value) ' +
      'VALUES (1, ?, ?, ?, ?, ?, ?)',
  );
  for (let i = 0; i < 40; i++) {
    const key = KEYS[i % KEYS.length]!;
    const partition = partitionForKey(key, PARTITIONS);
    insert.run(
      partition,
      next[partition]!++,
      BASE + i * 60_000,
      key,
      JSON.stringify({ type: 'TunnelUp' }),
      Buffer.from(`${key}#${i}`),
    );
  }
  const partitionRow = db.prepare(
    'INSERT INTO partitions (topic_id, partition_no, next_offset) VALUES (1, ?, ?)',
  );
  next.forEach((offset, partition) => partitionRow.run(partition, offset));
  db.prepare(
    'INSERT INTO group_offsets (group_id, topic_id, partition_no, next_offset, committed_at) ' +
      'VALUES (?, 1, 0, 3, 0)',
  ).run('samon-projector');
  db.close();
}

function inspect(path: string): { version: number; plan: string } {
  const db = new Database(path, { readonly: true });
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    const plan = (
      db
        .prepare(
          'EXPLAIN QUERY PLAN SELECT rowid FROM records ' +
            'WHERE topic_id = 1 AND record_key = ? AND ts >= ? AND ts < ? ORDER BY record_offset',
        )
        .all('k', 0, 1) as { detail: string }[]
    )
      .map((row) => row.detail)
      .join('; ');
    return { version, plan };
  } finally {
    db.close();
  }
}

describe('SQLite event log schema migration', () => {
  let dir: string;
  let path: string;
  const logs: EventLog[] = [];
  const open = async () => {
    const log = await openSqliteLog({ path });
    logs.push(log);
    return log;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'samon-migrate-'));
    path = join(dir, 'samon.db');
  });

  afterEach(async () => {
    await Promise.all(logs.splice(0).map((log) => log.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a new file at version 2, with the key index', async () => {
    await open();
    const { version, plan } = inspect(path);
    expect(version).toBe(2);
    expect(plan).toContain('USING COVERING INDEX records_by_key');
  });

  it('upgrades a version 1 file in place, keeping its records, offsets and groups', async () => {
    writeV1File(path);
    const before = inspect(path);
    expect(before.version).toBe(1);
    expect(before.plan).not.toContain('records_by_key');

    const log = await open();
    const after = inspect(path);
    expect(after.version).toBe(2);
    expect(after.plan).toContain('USING COVERING INDEX records_by_key');

    const partition = partitionForKey('srx1/vpn-a', PARTITIONS);
    expect(
      (await readKeyAll(log, TOPIC, 'srx1/vpn-a', { from: BASE + 10 * 60_000 })).map((r) => [
        r.value.toString(),
        r.partition,
        r.headers,
      ]),
    ).toEqual(
      [12, 16, 20, 24, 28, 32, 36].map((i) => [`srx1/vpn-a#${i}`, partition, { type: 'TunnelUp' }]),
    );
    const infos = await log.partitions(TOPIC);
    expect(infos.reduce((sum, p) => sum + p.endOffset, 0)).toBe(40);
    for (const { partition: p, endOffset } of infos) {
      expect((await readAll(log, TOPIC, p)).map((r) => r.offset)).toEqual(
        Array.from({ length: endOffset }, (_, i) => i),
      );
    }
    expect(await log.committed('samon-projector', TOPIC)).toEqual(new Map([[0, 3]]));

    // Appends go on from the v1 offsets, and the new index covers them.
    const [appended] = await log.append([
      { topic: TOPIC, key: 'srx1/vpn-a', value: Buffer.from('new'), timestamp: BASE + 1 },
    ]);
    expect(appended?.offset).toBe(infos.find((p) => p.partition === partition)?.endOffset);
    expect(
      (await readKeyAll(log, TOPIC, 'srx1/vpn-a', { to: BASE + 60_000 })).map((r) =>
        r.value.toString(),
      ),
    ).toEqual(['srx1/vpn-a#0', 'new']);

    // Opening the upgraded file again changes nothing.
    await log.close();
    const again = await open();
    expect(inspect(path).version).toBe(2);
    expect(await readKeyAll(again, TOPIC, 'srx2/vpn-c')).toHaveLength(10);
  });
});
