import type * as NodeFs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LogUnavailableError } from '../../src/log/errors.js';
import { TOPICS, type AppendRecord } from '../../src/log/port.js';
import { openSqliteLog } from '../../src/log/sqlite/index.js';
import { readAll } from './eventLogContract.js';

// For the flushOffLoop topics (samon's observation log by default) with appendInWorker false, the
// embedded log commits an append without fsync and flushes the WAL on libuv's thread pool
// (src/log/sqlite/walSync.ts): the append must still resolve only once that flush is done, and
// appends arriving during a flush must wait for one that starts after their commit. (By default
// those appends go to the append thread: sqliteAppendThread.int.test.ts.)

type Done = (error: NodeJS.ErrnoException | null) => void;
const flushes = vi.hoisted(() => ({
  /** When set, each fdatasync waits here for the test to finish it. */
  hold: false,
  waiting: [] as { fd: number; done: Done }[],
  calls: 0,
}));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof NodeFs>();
  const fdatasync = (fd: number, done: Done) => {
    flushes.calls++;
    if (flushes.hold) flushes.waiting.push({ fd, done });
    else fs.fdatasync(fd, done);
  };
  return { ...fs, default: { ...fs, fdatasync }, fdatasync };
});

const TOPIC = 'samon.wal-flush';
const record = (i: number): AppendRecord => ({
  topic: TOPIC,
  key: `srx${i % 3}`,
  value: Buffer.from(`record ${i}`),
});

/** Lets the thread pool and timers run: a flush that is not held back completes meanwhile. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

function tracked<T>(promise: Promise<T>) {
  const state = { settled: false, error: undefined as unknown };
  promise.then(
    () => (state.settled = true),
    (error: unknown) => {
      state.settled = true;
      state.error = error;
    },
  );
  return state;
}

describe('SQLite appends and the WAL flush', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'samon-wal-'));
    flushes.hold = false;
    flushes.waiting = [];
    flushes.calls = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('resolves an append only after the WAL flush that follows its commit', async () => {
    const log = await openSqliteLog({
      path: join(dir, 'log.db'),
      flushOffLoop: () => true,
      appendInWorker: false,
    });
    try {
      await log.ensureTopic(TOPIC, 1);
      flushes.hold = true;
      const append = log.append([record(0), record(1)]);
      const state = tracked(append);
      await settle();
      expect(flushes.waiting).toHaveLength(1);
      expect(state.settled).toBe(false);
      // Committed already (visible to a reader), acknowledged only after the flush.
      expect(await readAll(log, TOPIC, 0)).toHaveLength(2);
      flushes.waiting.shift()!.done(null);
      const results = await append;
      expect(results.map((r) => r.offset)).toEqual([0, 1]);
    } finally {
      flushes.hold = false;
      for (const w of flushes.waiting.splice(0)) w.done(null);
      await log.close();
    }
  });

  it('makes appends that commit during a flush wait for the next flush, shared by them', async () => {
    const log = await openSqliteLog({
      path: join(dir, 'log.db'),
      flushOffLoop: () => true,
      appendInWorker: false,
    });
    try {
      await log.ensureTopic(TOPIC, 1);
      flushes.hold = true;
      const first = tracked(log.append([record(0)]));
      await settle();
      expect(flushes.waiting).toHaveLength(1);
      // Committed while the first flush runs: it may have started before these writes.
      const second = log.append([record(1)]);
      const third = log.append([record(2)]);
      const later = [tracked(second), tracked(third)];
      await settle();
      expect(flushes.calls).toBe(1);
      flushes.waiting.shift()!.done(null);
      await settle();
      expect(first.settled).toBe(true);
      expect(later.map((s) => s.settled)).toEqual([false, false]);
      expect(flushes.calls).toBe(2);
      expect(flushes.waiting).toHaveLength(1);
      flushes.waiting.shift()!.done(null);
      expect((await second)[0]!.offset).toBe(1);
      expect((await third)[0]!.offset).toBe(2);
    } finally {
      flushes.hold = false;
      for (const w of flushes.waiting.splice(0)) w.done(null);
      await log.close();
    }
  });

  it('rejects the append when the flush fails, saying the records may not be durable', async () => {
    const log = await openSqliteLog({
      path: join(dir, 'log.db'),
      flushOffLoop: () => true,
      appendInWorker: false,
    });
    try {
      await log.ensureTopic(TOPIC, 1);
      flushes.hold = true;
      const append = log.append([record(0)]);
      await settle();
      const error = Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
      flushes.waiting.shift()!.done(error);
      await expect(append).rejects.toBeInstanceOf(LogUnavailableError);
      await expect(append).rejects.toThrow(/EIO.*may not survive a power loss/);
    } finally {
      flushes.hold = false;
      for (const w of flushes.waiting.splice(0)) w.done(null);
      await log.close();
    }
  });

  it('waits for a flush under way before closing', async () => {
    const log = await openSqliteLog({
      path: join(dir, 'log.db'),
      flushOffLoop: () => true,
      appendInWorker: false,
    });
    await log.ensureTopic(TOPIC, 1);
    flushes.hold = true;
    const append = tracked(log.append([record(0)]));
    await settle();
    const closing = tracked(log.close());
    await settle();
    expect(closing.settled).toBe(false);
    flushes.hold = false;
    flushes.waiting.shift()!.done(null);
    await settle();
    expect(append).toEqual({ settled: true, error: undefined });
    expect(closing).toEqual({ settled: true, error: undefined });
  });

  it("flushes samon's observation log off the loop by default, other topics in the commit", async () => {
    const log = await openSqliteLog({ path: join(dir, 'log.db'), appendInWorker: false });
    try {
      await log.ensureTopic(TOPICS.observations, 1);
      await log.ensureTopic(TOPICS.lifecycle, 1);
      flushes.hold = true;
      // SQLite's own fsync inside the commit: no flush of ours, nothing to wait for.
      const lifecycle = await log.append([{ ...record(0), topic: TOPICS.lifecycle }]);
      expect(lifecycle[0]!.offset).toBe(0);
      // A batch with another topic in it is flushed in the commit too.
      await log.append([
        { ...record(1), topic: TOPICS.observations },
        { ...record(2), topic: TOPICS.lifecycle },
      ]);
      expect(flushes.calls).toBe(0);
      const observations = tracked(log.append([{ ...record(3), topic: TOPICS.observations }]));
      await settle();
      expect(flushes.calls).toBe(1);
      expect(observations.settled).toBe(false);
      flushes.waiting.shift()!.done(null);
      await settle();
      expect(observations).toEqual({ settled: true, error: undefined });
    } finally {
      flushes.hold = false;
      for (const w of flushes.waiting.splice(0)) w.done(null);
      await log.close();
    }
  });

  it('creates new files with 16 KiB pages and keeps the page size of an existing file', async () => {
    const fresh = join(dir, 'new.db');
    const log = await openSqliteLog({ path: fresh });
    await log.ensureTopic(TOPIC, 1);
    await log.append([record(0)]);
    await log.close();
    const db = new Database(fresh, { readonly: true });
    expect(db.pragma('page_size', { simple: true })).toBe(16_384);
    db.close();

    const old = join(dir, 'old.db');
    const raw = new Database(old);
    raw.pragma('page_size = 4096');
    raw.pragma('journal_mode = WAL');
    raw.exec('CREATE TABLE earlier (x)');
    raw.close();
    const reopened = await openSqliteLog({ path: old });
    await reopened.ensureTopic(TOPIC, 1);
    await reopened.append([record(0), record(1)]);
    expect(await readAll(reopened, TOPIC, 0)).toHaveLength(2);
    await reopened.close();
    const check = new Database(old, { readonly: true });
    expect(check.pragma('page_size', { simple: true })).toBe(4096);
    check.close();
  });
});
