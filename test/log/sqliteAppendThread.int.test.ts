import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LogAppender } from '../../src/collect/appender.js';
import { LogUnavailableError } from '../../src/log/errors.js';
import { TOPICS, type AppendRecord, type EventLog } from '../../src/log/port.js';
import { AppendThread } from '../../src/log/sqlite/appendThread.js';
import { openSqliteLog } from '../../src/log/sqlite/index.js';
import { SqliteStore } from '../../src/log/sqlite/sqliteStore.js';
import { readAll } from './eventLogContract.js';

// The embedded log's append thread (src/log/sqlite/appendThread.ts): the observation log's
// appends are inserted, committed and fsynced there, and a thread that dies is an error of the
// appends it held, never a silent loss. (Durability across kill -9 is sqliteDurability's; the
// contract suite runs on it too, as the default.)

const DYING = new URL('./fixtures/dyingAppendWorker.js', import.meta.url);
const DIST_LOG = new URL('../../dist/log/index.js', import.meta.url).href;
const record = (i: number, topic: string = TOPICS.observations): AppendRecord => ({
  topic,
  key: `srx-${i % 5}`,
  value: Buffer.from(`record ${i}`),
  headers: Object.freeze({ kind: 'clock', source: 'clock' }),
  timestamp: 1_700_000_000_000 + i,
});

describe('SQLite append thread', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'samon-append-thread-'));
    path = join(dir, 'log.db');
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it("appends the observation log on the thread, other topics on the caller's connection", async () => {
    const insertedHere = vi.spyOn(SqliteStore.prototype, 'append');
    const log = await openSqliteLog({ path });
    try {
      await log.ensureTopic(TOPICS.observations, 2);
      await log.ensureTopic(TOPICS.lifecycle, 1);
      const results = await log.append([record(0), record(1), record(2)]);
      expect(insertedHere).not.toHaveBeenCalled();
      expect(results.map((r) => r.topic)).toEqual(Array(3).fill(TOPICS.observations));
      await log.append([record(3, TOPICS.lifecycle)]);
      expect(insertedHere).toHaveBeenCalledTimes(1);
      const stored = [
        ...(await readAll(log, TOPICS.observations, 0)),
        ...(await readAll(log, TOPICS.observations, 1)),
      ];
      expect(stored.map((r) => r.value.toString()).sort()).toEqual([
        'record 0',
        'record 1',
        'record 2',
      ]);
      for (const [i, result] of results.entries()) {
        const found = stored.find((r) => r.value.toString() === `record ${i}`)!;
        expect([found.partition, found.offset]).toEqual([result.partition, result.offset]);
        expect(found.headers).toEqual({ kind: 'clock', source: 'clock' });
        expect(found.timestamp).toBe(1_700_000_000_000 + i);
      }
    } finally {
      await log.close();
    }
  });

  it("keeps order per key when an append on the caller's connection follows the thread's", async () => {
    const log = await openSqliteLog({ path });
    try {
      await log.ensureTopic(TOPICS.observations, 1);
      const first = log.append([record(0), record(5)]);
      // A mixed batch is inserted on the caller's connection, after the thread's appends.
      const second = log.append([record(10), record(11, TOPICS.lifecycle)]);
      const third = log.append([record(15)]);
      const offsets = [...(await first), ...(await second).slice(0, 1), ...(await third)].map(
        (r) => r.offset,
      );
      expect(offsets).toEqual([0, 1, 2, 3]);
      const stored = await readAll(log, TOPICS.observations, 0);
      expect(stored.map((r) => r.value.toString())).toEqual([
        'record 0',
        'record 5',
        'record 10',
        'record 15',
      ]);
    } finally {
      await log.close();
    }
  });

  for (const how of ['throw', 'exit'] as const) {
    it(`fails the appends a thread held when it dies (${how}), and starts a new one`, async () => {
      const log = await openSqliteLog({ path, appendInWorker: false });
      await log.ensureTopic(TOPICS.observations, 1);
      await log.close();
      const thread = new AppendThread({ path, busyTimeoutMs: 1_000, test: { how } }, DYING);
      const first = thread.append([record(0)], Date.now());
      const second = thread.append([record(1)], Date.now());
      const said = how === 'throw' ? /failed: boom in the append thread/ : /exit code 7/;
      await expect(first).rejects.toBeInstanceOf(LogUnavailableError);
      await expect(first).rejects.toThrow(said);
      await expect(first).rejects.toThrow(/1 records in hand: they may or may not be stored/);
      await expect(second).rejects.toThrow(said);
      expect(thread.inFlight).toBe(0);
      // A new thread (dying again: the fixture always does without a marker).
      await expect(thread.append([record(2)], Date.now())).rejects.toThrow(said);
      await thread.close();
    });
  }

  it('is an append failure the collector reports and retries until a new thread stores it', async () => {
    const setup = await openSqliteLog({ path, appendInWorker: false });
    await setup.ensureTopic(TOPICS.observations, 1);
    const thread = new AppendThread(
      { path, busyTimeoutMs: 1_000, test: { how: 'exit', marker: join(dir, 'died') } },
      DYING,
    );
    const log = { append: (records) => thread.append(records, Date.now()) } as EventLog;
    const failures: unknown[] = [];
    const appender = new LogAppender(
      log,
      pino({ level: 'silent' }),
      { lingerMs: 0, maxBackoffMs: 50 },
      { onAppendFailed: (error) => failures.push(error) },
    );
    try {
      await appender.push([record(0), record(1), record(2)]);
      await appender.drain();
      expect(failures).toHaveLength(1);
      expect(failures[0]).toBeInstanceOf(LogUnavailableError);
      const stored = await readAll(setup, TOPICS.observations, 0);
      expect(stored.map((r) => r.value.toString())).toEqual(['record 0', 'record 1', 'record 2']);
    } finally {
      await appender.close();
      await thread.close();
      await setup.close();
    }
  });

  for (const closes of [true, false]) {
    it(`leaves nothing running once idle (the log ${closes ? 'closed' : 'left open'})`, async () => {
      // A process whose last append is done exits by itself: the idle thread does not hold it.
      const script = [
        `import { openSqliteLog, TOPICS } from ${JSON.stringify(DIST_LOG)};`,
        `const log = await openSqliteLog({ path: ${JSON.stringify(path)} });`,
        'await log.ensureTopic(TOPICS.observations, 1);',
        "await log.append([{ topic: TOPICS.observations, key: 'srx', value: Buffer.from('x') }]);",
        closes ? 'await log.close();' : '',
        "console.log('appended');",
      ].join('\n');
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        timeout: 20_000,
        encoding: 'utf8',
      });
      expect(child.stderr).toBe('');
      expect([child.status, child.signal, child.stdout]).toEqual([0, null, 'appended\n']);
      const log = await openSqliteLog({ path });
      expect(await readAll(log, TOPICS.observations, 0)).toHaveLength(1);
      await log.close();
    });
  }
});
