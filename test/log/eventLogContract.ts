import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  AppendRecord,
  Batch,
  EventLog,
  KeyReadOptions,
  LogRecord,
  ReadFrom,
  Subscription,
} from '../../src/log/index.js';
import { readKey } from '../../src/log/keyScan.js';
import { readAt } from '../../src/log/readAt.js';
import { partitionForKey } from '../../src/log/partitioner.js';
import { readInTimeOrder } from '../../src/log/readInTimeOrder.js';

// The behaviour every EventLog adapter must share. Run from sqlite.int.test.ts and
// kafka.int.test.ts; names are unique per run so runs against one broker never collide.

export interface LogFixture {
  readonly log: EventLog;
  /** Opens the same log again (same file / same brokers), as a restarted process would. */
  readonly reopen: () => Promise<EventLog>;
  readonly cleanup: () => Promise<void>;
}

export type MakeLog = () => Promise<LogFixture>;

export interface ContractOptions {
  /** Upper bound for group handovers and deliveries (Kafka rebalances take seconds). */
  readonly settleTimeoutMs?: number;
}

/** Per test process, so names from runs against the same broker never collide. */
export const TEST_RUN_ID = randomUUID().slice(0, 8);

export function uniqueName(kind: string): string {
  return `samon-test.${TEST_RUN_ID}.${kind}.${randomUUID().slice(0, 8)}`;
}

export async function readAll(
  log: EventLog,
  topic: string,
  partition: number,
  from: ReadFrom = 'beginning',
  limit?: number,
): Promise<LogRecord[]> {
  const records: LogRecord[] = [];
  for await (const record of log.read(topic, {
    partition,
    from,
    ...(limit === undefined ? {} : { limit }),
  })) {
    records.push(record);
  }
  return records;
}

export async function readKeyAll(
  log: EventLog,
  topic: string,
  key: string,
  options?: KeyReadOptions,
): Promise<LogRecord[]> {
  const records: LogRecord[] = [];
  for await (const record of readKey(log, topic, key, options)) records.push(record);
  return records;
}

/** The log without its readKey and readAt, as a wrapper or fake of the port would be. */
function withoutReadKey(log: EventLog): EventLog {
  return {
    ensureTopic: (topic, partitions) => log.ensureTopic(topic, partitions),
    append: (records) => log.append(records),
    read: (topic, options) => log.read(topic, options),
    subscribe: (options) => log.subscribe(options),
    partitions: (topic) => log.partitions(topic),
    committed: (groupId, topic) => log.committed(groupId, topic),
    close: () => log.close(),
  };
}

/** A key other than `key` that hashes to the same partition. */
function neighbourOf(key: string, partitions: number): string {
  for (let i = 0; ; i++) {
    const candidate = `${key}-neighbour-${i}`;
    if (partitionForKey(candidate, partitions) === partitionForKey(key, partitions))
      return candidate;
  }
}

export async function readTopic(log: EventLog, topic: string): Promise<LogRecord[]> {
  const records: LogRecord[] = [];
  for (const { partition } of await log.partitions(topic)) {
    records.push(...(await readAll(log, topic, partition)));
  }
  return records;
}

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Collector {
  readonly records: LogRecord[];
  readonly batches: Batch[];
  readonly assignments: (readonly number[])[];
  readonly onBatch: (batch: Batch) => Promise<void>;
  readonly onAssignment: (partitions: readonly number[]) => void;
}

function collector(): Collector {
  const records: LogRecord[] = [];
  const batches: Batch[] = [];
  const assignments: (readonly number[])[] = [];
  return {
    records,
    batches,
    assignments,
    onBatch: (batch) => {
      batches.push(batch);
      records.push(...batch.records);
      return Promise.resolve();
    },
    onAssignment: (partitions) => {
      assignments.push([...partitions]);
    },
  };
}

const text = (value: string) => Buffer.from(value, 'utf8');
const where = (r: { partition: number; offset: number }) => `${r.partition}:${r.offset}`;

async function endOffsets(log: EventLog, topic: string): Promise<Map<number, number>> {
  return new Map((await log.partitions(topic)).map((p) => [p.partition, p.endOffset]));
}

async function committedAll(log: EventLog, groupId: string, topic: string): Promise<boolean> {
  const [ends, committed] = await Promise.all([
    endOffsets(log, topic),
    log.committed(groupId, topic),
  ]);
  return [...ends].every(([partition, end]) => end === 0 || committed.get(partition) === end);
}

export function describeEventLogContract(
  name: string,
  makeLog: MakeLog,
  options: ContractOptions = {},
): void {
  const settle = options.settleTimeoutMs ?? 20_000;

  describe(`EventLog contract: ${name}`, () => {
    let fixture: LogFixture;
    let log: EventLog;
    const opened: EventLog[] = [];
    const subscriptions: Subscription[] = [];

    const reopen = async () => {
      const again = await fixture.reopen();
      opened.push(again);
      return again;
    };
    const track = (subscription: Subscription) => {
      subscriptions.push(subscription);
      return subscription;
    };

    beforeEach(async () => {
      fixture = await makeLog();
      log = fixture.log;
    });

    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
      await Promise.all(opened.splice(0).map((l) => l.close()));
      await fixture.cleanup();
    });

    it('keeps per-key order across many keys, on the partition the key hashes to', async () => {
      const topic = uniqueName('order');
      await log.ensureTopic(topic, 4);
      const keys = Array.from({ length: 40 }, (_, i) => `router-${i}`);
      const results = [];
      for (let round = 0; round < 5; round++) {
        results.push(
          ...(await log.append(
            keys.map((key) => ({ topic, key, value: text(`${key}#${round}`) })),
          )),
        );
      }
      // One append with several records per key, interleaved.
      const interleaved: AppendRecord[] = [];
      for (let round = 5; round < 10; round++) {
        for (const key of keys) interleaved.push({ topic, key, value: text(`${key}#${round}`) });
      }
      const batchResults = await log.append(interleaved);
      batchResults.forEach((result, i) => {
        expect(result.partition).toBe(partitionForKey(interleaved[i]!.key, 4));
      });
      results.push(...batchResults);
      expect(results).toHaveLength(400);

      const byKey = new Map<string, LogRecord[]>();
      for (const record of await readTopic(log, topic)) {
        byKey.set(record.key, [...(byKey.get(record.key) ?? []), record]);
      }
      expect([...byKey.keys()].sort()).toEqual([...keys].sort());
      for (const key of keys) {
        const records = byKey.get(key)!;
        expect(records.map((r) => r.value.toString())).toEqual(
          Array.from({ length: 10 }, (_, round) => `${key}#${round}`),
        );
        expect(new Set(records.map((r) => r.partition))).toEqual(
          new Set([partitionForKey(key, 4)]),
        );
      }
      // With 40 keys on 4 partitions, every partition should get some keys.
      expect(new Set(results.map((r) => r.partition)).size).toBe(4);
    });

    it('gives dense offsets from 0 per partition, in input order', async () => {
      const topic = uniqueName('dense');
      await log.ensureTopic(topic, 3);
      const results = [];
      for (let a = 0; a < 3; a++) {
        results.push(
          ...(await log.append(
            Array.from({ length: 20 }, (_, i) => ({
              topic,
              key: `k${i % 7}`,
              value: text(`${a}.${i}`),
            })),
          )),
        );
      }
      const perPartition = new Map<number, number[]>();
      for (const r of results)
        perPartition.set(r.partition, [...(perPartition.get(r.partition) ?? []), r.offset]);
      for (const offsets of perPartition.values()) {
        expect(offsets).toEqual(offsets.map((_, i) => i));
      }
      const infos = await log.partitions(topic);
      expect(infos.map((p) => p.partition)).toEqual([0, 1, 2]);
      for (const info of infos) {
        const count = perPartition.get(info.partition)?.length ?? 0;
        expect(info).toEqual({ partition: info.partition, startOffset: 0, endOffset: count });
        const stored = await readAll(log, topic, info.partition);
        expect(stored.map((r) => r.offset)).toEqual(stored.map((_, i) => i));
      }
    });

    it('reads from an offset, with a limit, up to the end seen at the start', async () => {
      const topic = uniqueName('read-offset');
      await log.ensureTopic(topic, 1);
      await log.append(
        Array.from({ length: 20 }, (_, i) => ({ topic, key: 'k', value: text(`v${i}`) })),
      );

      expect((await readAll(log, topic, 0, { offset: 5 })).map((r) => r.offset)).toEqual(
        Array.from({ length: 15 }, (_, i) => 5 + i),
      );
      const limited = await readAll(log, topic, 0, { offset: 5 }, 3);
      expect(limited.map((r) => [r.offset, r.value.toString()])).toEqual([
        [5, 'v5'],
        [6, 'v6'],
        [7, 'v7'],
      ]);
      expect(await readAll(log, topic, 0, 'end')).toEqual([]);
      expect(await readAll(log, topic, 0, { offset: 100 })).toEqual([]);

      let seen = 0;
      for await (const record of log.read(topic, { partition: 0, from: 'beginning' })) {
        if (seen === 0) {
          await log.append([{ topic, key: 'k', value: text('late') }]);
        }
        expect(record.value.toString()).toBe(`v${seen}`);
        seen += 1;
      }
      expect(seen).toBe(20);
      expect((await readAll(log, topic, 0, { offset: 20 })).map((r) => r.value.toString())).toEqual(
        ['late'],
      );

      await expect(readAll(log, topic, 1)).rejects.toMatchObject({ code: 'unknown-partition' });
      await expect(readAll(log, uniqueName('missing'), 0)).rejects.toMatchObject({
        code: 'unknown-topic',
      });
    });

    it('reads from a timestamp: the first record at or after it', async () => {
      const topic = uniqueName('read-time');
      await log.ensureTopic(topic, 1);
      const base = Date.now() - 60_000;
      await log.append(
        Array.from({ length: 10 }, (_, i) => ({
          topic,
          key: 'k',
          value: text(`v${i}`),
          timestamp: base + i * 1000,
        })),
      );
      const all = await readAll(log, topic, 0);
      expect(all.map((r) => r.timestamp)).toEqual(all.map((_, i) => base + i * 1000));

      const fromBetween = await readAll(log, topic, 0, { timestamp: base + 2500 });
      expect(fromBetween.map((r) => r.offset)).toEqual([3, 4, 5, 6, 7, 8, 9]);
      const fromExact = await readAll(log, topic, 0, { timestamp: base + 3000 });
      expect(fromExact[0]?.offset).toBe(3);
      expect(await readAll(log, topic, 0, { timestamp: base - 1 })).toHaveLength(10);
      expect(await readAll(log, topic, 0, { timestamp: base + 100_000 })).toEqual([]);
      expect(
        (await readAll(log, topic, 0, { timestamp: base + 2500 }, 2)).map((r) => r.offset),
      ).toEqual([3, 4]);
    });

    it('reads a whole topic in (timestamp, partition, offset) order', async () => {
      const topic = uniqueName('time-order');
      await log.ensureTopic(topic, 3);
      const base = Date.now() - 60_000;
      // Ten routers, each stamping its records in increasing time; some share a timestamp.
      const records = Array.from({ length: 60 }, (_, i) => ({
        topic,
        key: `router-${i % 10}`,
        value: text(`v${i}`),
        timestamp: base + Math.floor(i / 4) * 1000,
      }));
      await log.append(records);
      const merged = [];
      for await (const record of readInTimeOrder(log, topic)) merged.push(record);
      expect(merged).toHaveLength(60);
      const order = merged.map((r) => [r.timestamp, r.partition, r.offset] as const);
      const sorted = [...order].sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
      expect(order).toEqual(sorted);

      const window = [];
      for await (const record of readInTimeOrder(log, topic, {
        from: base + 3000,
        until: base + 6000,
      })) {
        window.push(record.value.toString());
      }
      expect(window.sort()).toEqual(
        records
          .filter((r) => r.timestamp >= base + 3000 && r.timestamp < base + 6000)
          .map((r) => r.value.toString())
          .sort(),
      );
    });

    it('reads one key in a time range, in offset order, from its partition only', async () => {
      expect(typeof log.readKey).toBe('function');
      const topic = uniqueName('read-key');
      await log.ensureTopic(topic, 3);
      const base = Date.now() - 3_600_000;
      const key = 'srx1/vpn-a';
      const neighbour = neighbourOf(key, 3);
      const records: AppendRecord[] = [];
      for (let i = 0; i < 20; i++) {
        for (const k of [key, neighbour, 'srx2/vpn-b']) {
          records.push({ topic, key: k, value: text(`${k}#${i}`), timestamp: base + i * 1000 });
        }
      }
      await log.append(records);
      // Appended last but stamped in the middle: found by time, delivered in offset order.
      await log.append([{ topic, key, value: text(`${key}#late`), timestamp: base + 5_500 }]);

      const values = (list: LogRecord[]) => list.map((r) => r.value.toString());
      const all = await readKeyAll(log, topic, key);
      expect(values(all)).toEqual([
        ...Array.from({ length: 20 }, (_, i) => `${key}#${i}`),
        `${key}#late`,
      ]);
      expect(new Set(all.map((r) => [r.topic, r.key, r.partition].join(' ')))).toEqual(
        new Set([`${topic} ${key} ${partitionForKey(key, 3)}`]),
      );
      const offsets = all.map((r) => r.offset);
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
      expect(all[3]?.timestamp).toBe(base + 3_000);

      const window = { from: base + 5_000, to: base + 10_000 };
      expect(values(await readKeyAll(log, topic, key, window))).toEqual([
        ...[5, 6, 7, 8, 9].map((i) => `${key}#${i}`),
        `${key}#late`,
      ]);
      expect(values(await readKeyAll(log, topic, key, { ...window, limit: 2 }))).toEqual([
        `${key}#5`,
        `${key}#6`,
      ]);
      expect(values(await readKeyAll(log, topic, key, { to: base + 2_000 }))).toEqual([
        `${key}#0`,
        `${key}#1`,
      ]);
      expect(values(await readKeyAll(log, topic, key, { from: base + 19_000 }))).toEqual([
        `${key}#19`,
      ]);
      expect(await readKeyAll(log, topic, key, { from: base + 60_000 })).toEqual([]);
      expect(await readKeyAll(log, topic, key, { from: base + 9_000, to: base + 9_000 })).toEqual(
        [],
      );
      expect(await readKeyAll(log, topic, 'srx9/nobody')).toEqual([]);
      expect(await readKeyAll(log, topic, key, { limit: 0 })).toEqual([]);

      // The scan every log can do gives the same records as the adapter's own readKey.
      const plain = withoutReadKey(log);
      for (const options of [{}, window, { ...window, limit: 2 }, { to: base + 2_000 }]) {
        expect((await readKeyAll(plain, topic, key, options)).map(where)).toEqual(
          (await readKeyAll(log, topic, key, options)).map(where),
        );
      }
    });

    it('reads a key up to the end seen at the start, and refuses bad arguments', async () => {
      const topic = uniqueName('read-key-end');
      await log.ensureTopic(topic, 2);
      await log.append(
        Array.from({ length: 5 }, (_, i) => ({ topic, key: 'k', value: text(`v${i}`) })),
      );
      const seen: string[] = [];
      for await (const record of log.readKey!(topic, 'k')) {
        if (seen.length === 0) await log.append([{ topic, key: 'k', value: text('late') }]);
        seen.push(record.value.toString());
      }
      expect(seen).toEqual(['v0', 'v1', 'v2', 'v3', 'v4']);
      expect((await readKeyAll(log, topic, 'k')).map((r) => r.value.toString())).toContain('late');

      await expect(readKeyAll(log, uniqueName('missing'), 'k')).rejects.toMatchObject({
        code: 'unknown-topic',
      });
      for (const bad of [{ from: 1.5 }, { to: Number.NaN }, { limit: -1 }] as KeyReadOptions[]) {
        await expect(readKeyAll(log, topic, 'k', bad)).rejects.toMatchObject({
          code: 'invalid-argument',
        });
      }
      await expect(readKeyAll(log, topic, 7 as unknown as string)).rejects.toMatchObject({
        code: 'invalid-argument',
      });
    });

    it('reads the records at given offsets, each once, leaving out offsets it does not hold', async () => {
      const topic = uniqueName('read-at');
      await log.ensureTopic(topic, 2);
      const partition = partitionForKey('k', 2);
      // ~3 MiB: more than one Kafka fetch, so far-apart offsets need a seek each.
      const pad = 'x'.repeat(1_000);
      await log.append(
        Array.from({ length: 3_000 }, (_, i) => ({ topic, key: 'k', value: text(`v${i} ${pad}`) })),
      );
      const asked = [2_999, 5, 1_500, 5, 0, 1_501, 3_000, 99_999];
      const fetchAt = async (l: EventLog) =>
        (await readAt(l, topic, partition, asked)).map((r) => [
          r.offset,
          r.key,
          r.partition,
          r.value.toString().split(' ')[0],
        ]);
      const expected = [0, 5, 1_500, 1_501, 2_999].map((o) => [o, 'k', partition, `v${o}`]);
      expect(typeof log.readAt).toBe('function');
      expect(await fetchAt(log)).toEqual(expected);
      // A wrapper of the port without readAt reads offset by offset, to the same result.
      expect(await fetchAt(withoutReadKey(log))).toEqual(expected);
      expect(await readAt(log, topic, partition, [])).toEqual([]);
      expect(await readAt(log, topic, 1 - partition, [0, 1])).toEqual([]);

      await expect(readAt(log, topic, 2, [0])).rejects.toMatchObject({
        code: 'unknown-partition',
      });
      await expect(readAt(log, uniqueName('missing'), 0, [0])).rejects.toMatchObject({
        code: 'unknown-topic',
      });
      for (const bad of [[-1], [1.5], [Number.NaN]]) {
        await expect(readAt(log, topic, partition, bad)).rejects.toMatchObject({
          code: 'invalid-argument',
        });
      }
    });

    it('resumes a group exactly after its committed offsets when the log is reopened', async () => {
      const topic = uniqueName('resume');
      const groupId = uniqueName('group');
      await log.ensureTopic(topic, 2);
      await log.append(
        Array.from({ length: 30 }, (_, i) => ({ topic, key: `k${i % 6}`, value: text(`a${i}`) })),
      );

      const first = collector();
      const sub = track(await log.subscribe({ groupId, topic, onBatch: first.onBatch }));
      await waitFor(
        () => committedAll(log, groupId, topic),
        'the first 30 records to be committed',
        settle,
      );
      expect(first.records).toHaveLength(30);
      await sub.stop();
      await sub.done;
      const endsBefore = await endOffsets(log, topic);
      await log.close();

      const again = await reopen();
      expect(await again.committed(groupId, topic)).toEqual(endsBefore);
      await again.append(
        Array.from({ length: 10 }, (_, i) => ({ topic, key: `k${i % 6}`, value: text(`b${i}`) })),
      );

      const second = collector();
      track(await again.subscribe({ groupId, topic, onBatch: second.onBatch }));
      await waitFor(
        () => committedAll(again, groupId, topic),
        'the 10 new records to be committed',
        settle,
      );
      expect(second.records.map((r) => r.value.toString()).sort()).toEqual(
        Array.from({ length: 10 }, (_, i) => `b${i}`).sort(),
      );
      for (const record of second.records) {
        expect(record.offset).toBeGreaterThanOrEqual(endsBefore.get(record.partition) ?? 0);
      }
    });

    it('stops on a handler error without committing that batch, and delivers it again', async () => {
      const topic = uniqueName('handler-error');
      const groupId = uniqueName('group');
      await log.ensureTopic(topic, 1);
      await log.append(
        Array.from({ length: 10 }, (_, i) => ({ topic, key: 'k', value: text(`a${i}`) })),
      );

      const seen: LogRecord[] = [];
      let failNow = false;
      const sub = track(
        await log.subscribe({
          groupId,
          topic,
          onBatch: (batch) => {
            if (failNow) return Promise.reject(new Error('handler failed on purpose'));
            seen.push(...batch.records);
            return Promise.resolve();
          },
        }),
      );
      await waitFor(
        () => committedAll(log, groupId, topic),
        'the first 10 records to be committed',
        settle,
      );
      failNow = true;
      // Expected before the append: a member may see records before their append resolves (a
      // Kafka consumer once the replicas have them, a SQLite member once they are committed,
      // before the flush), so the handler can fail before the append returns.
      const failed = expect(sub.done).rejects.toThrow('handler failed on purpose');
      await log.append(
        Array.from({ length: 5 }, (_, i) => ({ topic, key: 'k', value: text(`b${i}`) })),
      );
      await failed;
      expect(seen).toHaveLength(10);
      expect(await log.committed(groupId, topic)).toEqual(new Map([[0, 10]]));

      const retry = collector();
      track(await log.subscribe({ groupId, topic, onBatch: retry.onBatch }));
      await waitFor(
        () => committedAll(log, groupId, topic),
        'the failed batch to be delivered again',
        settle,
      );
      expect(retry.records.map((r) => r.offset)).toEqual([10, 11, 12, 13, 14]);
    });

    it('splits partitions between two members of a group and hands them over on stop', async () => {
      const topic = uniqueName('group-split');
      const groupId = uniqueName('group');
      await log.ensureTopic(topic, 4);
      const a = collector();
      const b = collector();
      const subA = track(
        await log.subscribe({ groupId, topic, onBatch: a.onBatch, onAssignment: a.onAssignment }),
      );
      await waitFor(
        () => subA.assignment().length === 4,
        'the only member to own all 4 partitions',
        settle,
      );
      expect(a.assignments.at(-1)).toEqual([0, 1, 2, 3]);

      // A second process: another log on the same backend.
      const other = await reopen();
      const subB = track(
        await other.subscribe({ groupId, topic, onBatch: b.onBatch, onAssignment: b.onAssignment }),
      );
      await waitFor(
        () => subA.assignment().length === 2 && subB.assignment().length === 2,
        'the two members to own 2 partitions each',
        settle,
      );
      const ownedByA = new Set(subA.assignment());
      const ownedByB = new Set(subB.assignment());
      expect([...ownedByA, ...ownedByB].sort()).toEqual([0, 1, 2, 3]);
      expect(b.assignments.at(-1)).toEqual([...ownedByB].sort());

      const results = await log.append(
        Array.from({ length: 200 }, (_, i) => ({
          topic,
          key: `router-${i % 50}`,
          value: text(`r${i}`),
        })),
      );
      const expected = new Set(results.map(where));
      await waitFor(
        () => a.records.length + b.records.length >= 200,
        'all 200 records to be delivered',
        settle,
      );
      const delivered = [...a.records, ...b.records].map(where);
      expect(new Set(delivered)).toEqual(expected);
      expect(delivered).toHaveLength(200);
      for (const record of a.records) expect(ownedByA.has(record.partition)).toBe(true);
      for (const record of b.records) expect(ownedByB.has(record.partition)).toBe(true);
      await waitFor(() => committedAll(log, groupId, topic), 'the group to commit all 200', settle);

      await subB.stop();
      await subB.done;
      const bDelivered = b.records.length;
      await waitFor(
        () => subA.assignment().length === 4,
        'the remaining member to take all 4 partitions',
        settle,
      );

      const later = await log.append(
        Array.from({ length: 100 }, (_, i) => ({
          topic,
          key: `router-${i % 50}`,
          value: text(`s${i}`),
        })),
      );
      const laterDelivered = () => a.records.filter((r) => r.value.toString().startsWith('s'));
      await waitFor(
        () => laterDelivered().length >= 100,
        'the remaining member to deliver the next 100 records',
        settle,
      );
      expect(new Set(laterDelivered().map(where))).toEqual(new Set(later.map(where)));
      expect(b.records).toHaveLength(bDelivered);
    });

    it('round-trips headers', async () => {
      const topic = uniqueName('headers');
      const groupId = uniqueName('group');
      await log.ensureTopic(topic, 1);
      const headers = {
        'content-type': 'application/json',
        trace: 'abc-123',
        unicode: 'é ✓ 🚀',
        empty: '',
      };
      await log.append([
        { topic, key: 'h', value: text('with'), headers },
        { topic, key: 'h', value: text('without') },
      ]);
      const [withHeaders, withoutHeaders] = await readAll(log, topic, 0);
      expect(withHeaders?.headers).toEqual(headers);
      expect(withoutHeaders?.headers).toEqual({});

      const consumed = collector();
      track(await log.subscribe({ groupId, topic, onBatch: consumed.onBatch }));
      await waitFor(() => consumed.records.length >= 2, 'both records to be delivered', settle);
      expect(consumed.records.map((r) => r.headers)).toEqual([headers, {}]);
    });

    it('stores and delivers values of 1 MiB and more intact', async () => {
      const topic = uniqueName('large');
      const groupId = uniqueName('group');
      await log.ensureTopic(topic, 1);
      const values = [randomBytes(1024 * 1024), randomBytes(1024 * 1024 + 17), text('small')];
      await log.append(values.map((value) => ({ topic, key: 'big', value })));
      const stored = await readAll(log, topic, 0);
      expect(stored).toHaveLength(3);
      stored.forEach((record, i) => expect(record.value.equals(values[i]!)).toBe(true));

      const consumed = collector();
      track(await log.subscribe({ groupId, topic, onBatch: consumed.onBatch }));
      await waitFor(
        () => consumed.records.length >= 3,
        'the large records to be delivered',
        settle,
      );
      consumed.records.forEach((record, i) => expect(record.value.equals(values[i]!)).toBe(true));
    });

    it('appends a batch of 10 000 records', async () => {
      const topic = uniqueName('bulk');
      await log.ensureTopic(topic, 3);
      const records = Array.from({ length: 10_000 }, (_, i) => ({
        topic,
        key: `k${i % 100}`,
        value: text(`value-${i}`),
      }));
      const results = await log.append(records);
      expect(results).toHaveLength(10_000);
      const next = new Map<number, number>();
      results.forEach((result, i) => {
        expect(result.partition).toBe(partitionForKey(records[i]!.key, 3));
        expect(result.offset).toBe(next.get(result.partition) ?? 0);
        next.set(result.partition, result.offset + 1);
      });
      const ends = await endOffsets(log, topic);
      expect(ends).toEqual(next);
      const stored = await readTopic(log, topic);
      expect(stored).toHaveLength(10_000);
      const values = new Map(stored.map((r) => [where(r), r.value.toString()]));
      results.forEach((result, i) => expect(values.get(where(result))).toBe(`value-${i}`));
    });

    it('reports end offsets and committed offsets for lag', async () => {
      const topic = uniqueName('lag');
      const groupId = uniqueName('group');
      await log.ensureTopic(topic, 2);
      await log.append(
        Array.from({ length: 20 }, (_, i) => ({ topic, key: `k${i % 5}`, value: text(`a${i}`) })),
      );
      expect(await log.committed(groupId, topic)).toEqual(new Map());

      const consumed = collector();
      const sub = track(await log.subscribe({ groupId, topic, onBatch: consumed.onBatch }));
      await waitFor(() => committedAll(log, groupId, topic), 'the group to catch up', settle);
      await sub.stop();

      await log.append(
        Array.from({ length: 7 }, (_, i) => ({ topic, key: `k${i % 5}`, value: text(`b${i}`) })),
      );
      const ends = await endOffsets(log, topic);
      const committed = await log.committed(groupId, topic);
      const lag = [...ends].reduce(
        (sum, [partition, end]) => sum + end - (committed.get(partition) ?? 0),
        0,
      );
      expect(lag).toBe(7);
      expect([...ends.values()].reduce((s, e) => s + e, 0)).toBe(27);
    });

    it('keeps topics independent', async () => {
      const one = uniqueName('one');
      const two = uniqueName('two');
      const groupId = uniqueName('group');
      await log.ensureTopic(one, 3);
      await log.ensureTopic(two, 1);
      await log.ensureTopic(one, 5);
      expect(await log.partitions(one)).toHaveLength(3);

      const results = await log.append(
        Array.from({ length: 12 }, (_, i) => ({
          topic: i % 2 ? one : two,
          key: `k${i}`,
          value: text(`v${i}`),
        })),
      );
      const twoResults = results.filter((r) => r.topic === two);
      expect(twoResults.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5]);
      expect((await readAll(log, two, 0)).map((r) => r.value.toString())).toEqual([
        'v0',
        'v2',
        'v4',
        'v6',
        'v8',
        'v10',
      ]);
      const oneRecords = await readTopic(log, one);
      expect(oneRecords.map((r) => r.value.toString()).sort()).toEqual([
        'v1',
        'v11',
        'v3',
        'v5',
        'v7',
        'v9',
      ]);
      expect(oneRecords.every((r) => r.topic === one)).toBe(true);

      const consumed = collector();
      const sub = track(await log.subscribe({ groupId, topic: two, onBatch: consumed.onBatch }));
      await waitFor(() => committedAll(log, groupId, two), 'the group to commit topic two', settle);
      await sub.stop();
      expect(consumed.records.every((r) => r.topic === two)).toBe(true);
      expect(await log.committed(groupId, two)).toEqual(new Map([[0, 6]]));
      expect(await log.committed(groupId, one)).toEqual(new Map());
    });
  });
}
