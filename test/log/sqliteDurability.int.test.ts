import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteLog } from '../../src/log/sqlite/index.js';
import { readAll } from './eventLogContract.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const fixture = join(here, 'fixtures', 'appendUntilKilled.js');
const builtLog = join(root, 'dist', 'log', 'sqlite', 'sqliteLog.js');
const sourceLog = join(root, 'src', 'log', 'sqlite', 'sqliteLog.ts');

interface Ack {
  readonly batch: number;
  readonly index: number;
  readonly size: number;
  readonly partition: number;
  readonly offset: number;
}

/** Runs the writer until it has acknowledged at least `minAcks` records, then kill -9s it. */
async function appendThenKill(
  path: string,
  topic: string,
  firstBatch: number,
  minAcks: number,
): Promise<Ack[]> {
  const child = spawn(process.execPath, [fixture, path, topic, String(firstBatch)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const acks: Ack[] = [];
  let pending = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_code, signal) => resolve(signal)),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? ''; // a line cut by the kill is not an acknowledgement
      for (const line of lines) {
        const [tag, batch, index, size, partition, offset] = line.split(' ');
        if (tag !== 'ACK') continue;
        acks.push({
          batch: Number(batch),
          index: Number(index),
          size: Number(size),
          partition: Number(partition),
          offset: Number(offset),
        });
      }
      if (acks.length >= minAcks) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    void exited.then((signal) => {
      if (signal !== 'SIGKILL')
        reject(new Error(`writer exited on its own (signal ${String(signal)}): ${stderr}`));
    });
  });
  expect(await exited).toBe('SIGKILL');
  return acks;
}

function parseValue(value: Buffer): {
  batch: number;
  index: number;
  size: number;
  intact: boolean;
} {
  const text = value.toString('utf8');
  const bar = text.indexOf('|');
  const digest = text.slice(0, bar);
  const body = text.slice(bar + 1);
  const match = /^batch=(\d+);index=(\d+);size=(\d+);x*$/.exec(body);
  return {
    batch: Number(match?.[1]),
    index: Number(match?.[2]),
    size: Number(match?.[3]),
    intact: match !== null && createHash('sha256').update(body).digest('hex') === digest,
  };
}

describe('SQLite log durability across kill -9 of the writer', () => {
  let dir: string;

  beforeAll(() => {
    if (!existsSync(builtLog) || statSync(builtLog).mtimeMs < statSync(sourceLog).mtimeMs) {
      throw new Error(
        'dist/ is missing or older than src/log: run `npm run build` first (`npm test` does it as pretest).',
      );
    }
    dir = mkdtempSync(join(tmpdir(), 'samon-durability-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged record intact, once, with whole batches only', async () => {
    const path = join(dir, 'log.db');
    const topic = 'durability';
    const acked: Ack[] = [];
    let nextBatch = 0;
    // Several rounds, each killed at a different point, each resuming on the same file.
    for (const minAcks of [500, 1_333, 2_711]) {
      const acks = await appendThenKill(path, topic, nextBatch, minAcks);
      acked.push(...acks);
      const log = await openSqliteLog({ path });
      try {
        const ends = await log.partitions(topic);
        const stored = (
          await Promise.all(ends.map((p) => readAll(log, topic, p.partition)))
        ).flat();
        const maxStoredBatch = Math.max(...stored.map((r) => parseValue(r.value).batch));
        nextBatch = maxStoredBatch + 1;
      } finally {
        await log.close();
      }
    }

    const db = new Database(path, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();

    const log = await openSqliteLog({ path });
    try {
      const partitions = await log.partitions(topic);
      const byPlace = new Map<string, ReturnType<typeof parseValue>>();
      const batches = new Map<number, Set<number>>();
      const sizes = new Map<number, number>();
      for (const { partition, endOffset } of partitions) {
        const records = await readAll(log, topic, partition);
        expect(records.map((r) => r.offset)).toEqual(
          Array.from({ length: endOffset }, (_, i) => i),
        );
        for (const record of records) {
          const parsed = parseValue(record.value);
          expect(parsed.intact).toBe(true);
          byPlace.set(`${partition}:${record.offset}`, parsed);
          const members = batches.get(parsed.batch) ?? new Set<number>();
          expect(members.has(parsed.index)).toBe(false); // never stored twice
          members.add(parsed.index);
          batches.set(parsed.batch, members);
          sizes.set(parsed.batch, parsed.size);
        }
      }
      for (const ack of acked) {
        const stored = byPlace.get(`${ack.partition}:${ack.offset}`);
        expect(
          stored,
          `acknowledged record ${ack.batch}/${ack.index} at ${ack.partition}:${ack.offset}`,
        ).toEqual({
          batch: ack.batch,
          index: ack.index,
          size: ack.size,
          intact: true,
        });
      }
      for (const [batch, members] of batches) {
        expect(members.size, `batch ${batch} is stored whole`).toBe(sizes.get(batch));
      }
      expect(acked.length).toBeGreaterThanOrEqual(500 + 1_333 + 2_711);
    } finally {
      await log.close();
    }
  });
});
