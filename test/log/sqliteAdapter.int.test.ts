import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Batch, EventLog, LogRecord } from '../../src/log/index.js';
import { openSqliteLog, type SqliteLogOptions } from '../../src/log/sqlite/index.js';
import { SqliteStore } from '../../src/log/sqlite/sqliteStore.js';
import { readAll, readKeyAll, waitFor } from './eventLogContract.js';

// Behaviour specific to the embedded log: file settings, errors, and consumer groups across
// processes and stalled members (the contract suite covers what both adapters share).

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const FAST = { sessionTimeoutMs: 1_500, heartbeatIntervalMs: 300, pollIntervalMs: 25 } as const;
const text = (value: string) => Buffer.from(value, 'utf8');

describe('SQLite event log', () => {
  let dir: string;
  let path: string;
  const logs: EventLog[] = [];
  const open = async (options: Partial<SqliteLogOptions> = {}) => {
    const log = await openSqliteLog({ path, ...FAST, ...options });
    logs.push(log);
    return log;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'samon-sqlite-'));
    path = join(dir, 'nested', 'log.db');
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await Promise.all(logs.splice(0).map((log) => log.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the directory and uses WAL with synchronous=FULL', async () => {
    const pragma = vi.spyOn(Database.prototype, 'pragma');
    await open();
    expect(pragma.mock.calls.map(([source]) => source)).toEqual(
      expect.arrayContaining(['journal_mode = WAL', 'synchronous = FULL']),
    );
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('refuses a file written by a newer schema', async () => {
    await (await open()).close();
    const raw = new Database(path);
    raw.pragma('user_version = 99');
    raw.close();
    await expect(open()).rejects.toMatchObject({
      code: 'log-incompatible',
      name: 'LogIncompatibleError',
    });
  });

  it('rejects bad arguments with typed errors, and appends all records or none', async () => {
    const log = await open();
    await log.ensureTopic('t', 2);
    await expect(log.ensureTopic('bad topic', 1)).rejects.toMatchObject({
      code: 'invalid-argument',
    });
    await expect(log.ensureTopic('t2', 0)).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(
      log.append([
        { topic: 't', key: 'a', value: text('ok') },
        { topic: 't', key: 'b', value: 'not a buffer' as unknown as Buffer },
      ]),
    ).rejects.toThrow(/Record 1 of the append \(key "b"\) has a value that is not a Buffer/);
    expect((await log.partitions('t')).map((p) => p.endOffset)).toEqual([0, 0]);
    await expect(open({ sessionTimeoutMs: 100, heartbeatIntervalMs: 200 })).rejects.toMatchObject({
      code: 'invalid-argument',
    });
    await expect(log.partitions('missing')).rejects.toMatchObject({ code: 'unknown-topic' });
  });

  it('reports a write lock held too long as LogBusyError', async () => {
    const log = await open({ busyTimeoutMs: 100 });
    await log.ensureTopic('t', 1);
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    try {
      await expect(log.append([{ topic: 't', key: 'k', value: text('v') }])).rejects.toMatchObject({
        code: 'log-busy',
      });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await log.append([{ topic: 't', key: 'k', value: text('v') }])).toEqual([
      { topic: 't', partition: 0, offset: 0 },
    ]);
  });

  it('refuses every operation after close', async () => {
    const log = await open();
    await log.close();
    await expect(log.append([{ topic: 't', key: 'k', value: text('v') }])).rejects.toMatchObject({
      code: 'log-closed',
    });
    await expect(readAll(log, 't', 0)).rejects.toMatchObject({ code: 'log-closed' });
    await expect(readKeyAll(log, 't', 'k')).rejects.toMatchObject({ code: 'log-closed' });
  });

  it('creates a topic on first append with the default partition count', async () => {
    const log = await open({ partitions: 3 });
    await log.append([{ topic: 'auto', key: 'k', value: text('v') }]);
    expect(await log.partitions('auto')).toHaveLength(3);
  });

  it('starts a new group at the end when fromBeginning is false', async () => {
    const log = await open();
    await log.ensureTopic('t', 1);
    await log.append([{ topic: 't', key: 'k', value: text('old') }]);
    const seen: LogRecord[] = [];
    await log.subscribe({
      groupId: 'g',
      topic: 't',
      fromBeginning: false,
      onBatch: (batch) => {
        seen.push(...batch.records);
        return Promise.resolve();
      },
    });
    await log.append([{ topic: 't', key: 'k', value: text('new') }]);
    await waitFor(() => seen.length >= 1, 'the new record', 5_000);
    expect(seen.map((r) => r.value.toString())).toEqual(['new']);
  });

  it('does not spin while idle', async () => {
    const log = await open({ pollIntervalMs: 50 });
    await log.ensureTopic('t', 2);
    const polls = vi.spyOn(SqliteStore.prototype, 'nextOffsets');
    await log.subscribe({ groupId: 'g', topic: 't', onBatch: () => Promise.resolve() });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // About 20 polls in a second at 50 ms; a busy loop would make many thousands.
    expect(polls.mock.calls.length).toBeGreaterThan(5);
    expect(polls.mock.calls.length).toBeLessThan(100);
  });

  it('expels a member stuck in a handler and refuses its late commit', async () => {
    const slowOptions = { maxPollIntervalMs: 600 };
    const stalled = await open(slowOptions);
    const healthy = await open(slowOptions);
    await stalled.ensureTopic('t', 1);
    await stalled.append(
      Array.from({ length: 5 }, (_, i) => ({ topic: 't', key: 'k', value: text(`a${i}`) })),
    );

    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const stalledBatches: Batch[] = [];
    const stalledSub = await stalled.subscribe({
      groupId: 'g',
      topic: 't',
      onBatch: async (batch) => {
        stalledBatches.push(batch);
        await gate;
      },
    });
    await waitFor(() => stalledBatches.length === 1, 'the stalled member to get its batch', 5_000);

    const seen: LogRecord[] = [];
    const healthySub = await healthy.subscribe({
      groupId: 'g',
      topic: 't',
      onBatch: (batch) => {
        seen.push(...batch.records);
        return Promise.resolve();
      },
    });
    await waitFor(
      () => healthySub.assignment().length === 1,
      'the healthy member to take over',
      10_000,
    );
    await healthy.append(
      Array.from({ length: 3 }, (_, i) => ({ topic: 't', key: 'k', value: text(`b${i}`) })),
    );
    await waitFor(
      async () => (await healthy.committed('g', 't')).get(0) === 8,
      'the healthy member to commit all 8',
      10_000,
    );
    expect(seen.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);

    release();
    // The stalled member finishes its old batch (offsets 0–4) and tries to commit 5: refused.
    await waitFor(
      () => stalledSub.assignment().length === 0,
      'the stalled member to drop the partition',
      5_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await healthy.committed('g', 't')).get(0)).toBe(8);
    expect(stalledBatches).toHaveLength(1);
  });

  describe('across processes', () => {
    let child: ChildProcessWithoutNullStreams | undefined;

    afterEach(() => {
      child?.kill('SIGKILL');
      child = undefined;
    });

    it('takes over the partitions of a member killed with SIGKILL after the session timeout', async () => {
      const built = join(root, 'dist', 'log', 'sqlite', 'groupMember.js');
      const source = join(root, 'src', 'log', 'sqlite', 'groupMember.ts');
      if (!existsSync(built) || statSync(built).mtimeMs < statSync(source).mtimeMs) {
        throw new Error(
          'dist/ is missing or older than src/log: run `npm run build` first (`npm test` does it).',
        );
      }
      const log = await open();
      await log.ensureTopic('t', 2);
      const results = await log.append(
        Array.from({ length: 20 }, (_, i) => ({ topic: 't', key: `k${i}`, value: text(`v${i}`) })),
      );
      expect(new Set(results.map((r) => r.partition))).toEqual(new Set([0, 1]));

      const started = spawn(process.execPath, [
        join(here, 'fixtures', 'stuckGroupMember.js'),
        path,
        't',
        'g',
      ]);
      child = started;
      let output = '';
      started.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      started.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await waitFor(
        () => output.includes('ASSIGNED 0,1') && output.includes('BATCH'),
        'the child to own both partitions',
        10_000,
      );

      const seen: LogRecord[] = [];
      const sub = await log.subscribe({
        groupId: 'g',
        topic: 't',
        onBatch: (batch) => {
          seen.push(...batch.records);
          return Promise.resolve();
        },
      });
      // The child is alive and holds its claims (stuck, but within the max poll interval).
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(sub.assignment()).toEqual([]);
      expect(seen).toEqual([]);

      started.kill('SIGKILL');
      await waitFor(
        () => sub.assignment().length === 2,
        'this member to take both partitions',
        10_000,
      );
      await waitFor(
        () => seen.length >= 20,
        'all records, including the batch the child never committed',
        10_000,
      );
      expect(seen.map((r) => `${r.partition}:${r.offset}`).sort()).toEqual(
        results.map((r) => `${r.partition}:${r.offset}`).sort(),
      );
    });
  });
});
