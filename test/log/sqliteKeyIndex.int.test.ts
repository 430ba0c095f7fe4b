import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { partitionForKey } from '../../src/log/partitioner.js';
import { TOPICS, type EventLog } from '../../src/log/port.js';
import { openSqliteLog, type SqliteLogOptions } from '../../src/log/sqlite/index.js';
import { readAll, readKeyAll } from './eventLogContract.js';

// The embedded log's index by key and time: schema v2, the upgrade of a v1 file written with
// the frozen v1 schema, and which topics get the index.

const V1_SCHEMA = readFileSync(join(import.meta.dirname, 'fixtures', 'schema-v1.sql'), 'utf8');
const PARTITIONS = 2;
const BASE = Date.parse('2026-11-27T00:00:00.000Z');
const KEYS = ['srx1/vpn-a', 'srx1/vpn-b', 'srx2/vpn-c', 'srx3/vpn-d'];

/**
 * A v1 file as samon 0.1 left it: the lifecycle topic (id 1) and the observation topic (id 2),
 * 40 records each, a group's committed offsets.
 */
function writeV1File(path: string): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(V1_SCHEMA);
  db.pragma('user_version = 1');
  const insert = db.prepare(
    'INSERT INTO records (topic_id, partition_no, record_offset, ts, record_key, headers, value) ' +
      'VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  [TOPICS.lifecycle, TOPICS.observations].forEach((name, index) => {
    const topicId = index + 1;
    db.prepare('INSERT INTO topics (id, name, partitions) VALUES (?, ?, ?)').run(
      topicId,
      name,
      PARTITIONS,
    );
    const next = new Array<number>(PARTITIONS).fill(0);
    for (let i = 0; i < 40; i++) {
      const key = KEYS[i % KEYS.length]!;
      const partition = partitionForKey(key, PARTITIONS);
      const headers = JSON.stringify({ type: 'TunnelUp' });
      insert.run(
        topicId,
        partition,
        next[partition]!++,
        BASE + i * 60_000,
        key,
        headers,
        Buffer.from(`${key}#${i}`),
      );
    }
    next.forEach((offset, partition) =>
      db
        .prepare('INSERT INTO partitions (topic_id, partition_no, next_offset) VALUES (?, ?, ?)')
        .run(topicId, partition, offset),
    );
  });
  db.prepare(
    'INSERT INTO group_offsets (group_id, topic_id, partition_no, next_offset, committed_at) ' +
      'VALUES (?, 2, 0, 3, 0)',
  ).run('samon-projector');
  db.close();
}

/** The schema version, and how SQLite would find one key's records in each topic. */
function inspect(path: string): { version: number; plans: Map<string, string> } {
  const db = new Database(path, { readonly: true });
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    const topics = db.prepare('SELECT id, name FROM topics').all() as {
      id: number;
      name: string;
    }[];
    const plans = new Map<string, string>();
    for (const { id, name } of topics) {
      const plan = db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT rowid FROM records WHERE topic_id = ${id} ` +
            'AND record_key = ? AND ts >= ? AND ts < ? ORDER BY record_offset',
        )
        .all('k', 0, 1) as { detail: string }[];
      plans.set(name, plan.map((row) => row.detail).join('; '));
    }
    return { version, plans };
  } finally {
    db.close();
  }
}

const KEY_INDEX = /USING COVERING INDEX records_by_key_\d+/;

describe('SQLite event log: index by key and time', () => {
  let dir: string;
  let path: string;
  const logs: EventLog[] = [];
  const open = async (options: Partial<SqliteLogOptions> = {}) => {
    const log = await openSqliteLog({ path, ...options });
    logs.push(log);
    return log;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'samon-key-index-'));
    path = join(dir, 'samon.db');
  });

  afterEach(async () => {
    await Promise.all(logs.splice(0).map((log) => log.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('indexes every topic but the observation log by default, at version 3', async () => {
    const log = await open();
    for (const topic of [TOPICS.lifecycle, TOPICS.observations, 'other']) {
      await log.ensureTopic(topic, 1);
    }
    const { version, plans } = inspect(path);
    expect(version).toBe(3);
    expect(plans.get(TOPICS.lifecycle)).toMatch(KEY_INDEX);
    expect(plans.get('other')).toMatch(KEY_INDEX);
    expect(plans.get(TOPICS.observations)).not.toMatch(/records_by_key/);
  });

  it('reads a topic without the index by scanning its partition, with the same result', async () => {
    const log = await open({ keyIndexed: (topic) => topic === 'indexed' });
    for (const topic of ['indexed', 'plain']) {
      await log.ensureTopic(topic, 3);
      await log.append(
        Array.from({ length: 60 }, (_, i) => ({
          topic,
          key: KEYS[i % KEYS.length]!,
          value: Buffer.from(`v${i}`),
          timestamp: BASE + (i % 7) * 1_000,
        })),
      );
    }
    const { plans } = inspect(path);
    expect(plans.get('indexed')).toMatch(KEY_INDEX);
    expect(plans.get('plain')).not.toMatch(/records_by_key/);
    const window = { from: BASE + 2_000, to: BASE + 5_000 };
    const indexed = await readKeyAll(log, 'indexed', 'srx1/vpn-b', window);
    const plain = await readKeyAll(log, 'plain', 'srx1/vpn-b', window);
    expect(indexed.length).toBeGreaterThan(3);
    expect(plain.map((r) => [r.partition, r.offset, r.value.toString()])).toEqual(
      indexed.map((r) => [r.partition, r.offset, r.value.toString()]),
    );
  });

  it('upgrades a version 1 file in place, keeping its records, offsets and groups', async () => {
    writeV1File(path);
    const before = inspect(path);
    expect(before.version).toBe(1);
    expect([...before.plans.values()].join()).not.toMatch(/records_by_key/);

    const log = await open();
    const after = inspect(path);
    expect(after.version).toBe(3);
    expect(after.plans.get(TOPICS.lifecycle)).toMatch(KEY_INDEX);
    expect(after.plans.get(TOPICS.observations)).not.toMatch(/records_by_key/);

    const topic = TOPICS.lifecycle;
    const partition = partitionForKey('srx1/vpn-a', PARTITIONS);
    expect(
      (await readKeyAll(log, topic, 'srx1/vpn-a', { from: BASE + 10 * 60_000 })).map((r) => [
        r.value.toString(),
        r.partition,
        r.headers,
      ]),
    ).toEqual(
      [12, 16, 20, 24, 28, 32, 36].map((i) => [`srx1/vpn-a#${i}`, partition, { type: 'TunnelUp' }]),
    );
    for (const name of [TOPICS.lifecycle, TOPICS.observations]) {
      const infos = await log.partitions(name);
      expect(infos.reduce((sum, p) => sum + p.endOffset, 0)).toBe(40);
      for (const { partition: p, endOffset } of infos) {
        expect((await readAll(log, name, p)).map((r) => r.offset)).toEqual(
          Array.from({ length: endOffset }, (_, i) => i),
        );
      }
    }
    expect(await log.committed('samon-projector', TOPICS.observations)).toEqual(new Map([[0, 3]]));

    // Appends go on from the v1 offsets, and the index covers them.
    const end = (await log.partitions(topic)).find((p) => p.partition === partition)?.endOffset;
    const [appended] = await log.append([
      { topic, key: 'srx1/vpn-a', value: Buffer.from('new'), timestamp: BASE + 1 },
    ]);
    expect(appended?.offset).toBe(end);
    expect(
      (await readKeyAll(log, topic, 'srx1/vpn-a', { to: BASE + 60_000 })).map((r) =>
        r.value.toString(),
      ),
    ).toEqual(['srx1/vpn-a#0', 'new']);

    // Opening the upgraded file again changes nothing.
    await log.close();
    const again = await open();
    expect(inspect(path)).toEqual(after);
    expect(await readKeyAll(again, topic, 'srx2/vpn-c')).toHaveLength(10);
  });

  it('refuses a keyIndexed option that is not a function', async () => {
    await expect(
      open({ keyIndexed: 'all' as unknown as (topic: string) => boolean }),
    ).rejects.toMatchObject({ code: 'invalid-argument' });
  });
});
