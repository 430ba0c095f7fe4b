import type { Database, Statement } from 'better-sqlite3';
import { LogBusyError, UnknownTopicError } from '../errors.js';
import { partitionForKey } from '../partitioner.js';
import type { AppendRecord, AppendResult } from '../port.js';
import { createKeyIndex, prepareKeyRowids, type KeyRowidsStatement } from './keyIndex.js';

// Records and topics in the SQLite file: prepared statements and the few transactions that
// touch them. Everything here is synchronous (better-sqlite3); the adapter adds the async port.

export interface TopicInfo {
  readonly id: number;
  readonly name: string;
  readonly partitions: number;
  /** 1 when the topic's records are indexed by key and time (./keyIndex.ts). */
  readonly keyIndex: number;
}

export interface StoredRecord {
  readonly record_offset: number;
  readonly ts: number;
  readonly record_key: string;
  readonly headers: string | null;
  readonly value: Buffer;
}

export interface PageLimits {
  readonly maxRecords: number;
  readonly maxBytes: number;
}

type Row<T> = T | undefined;

export class SqliteStore {
  // Topics are never deleted nor resized, so a cached row stays true.
  private readonly topics = new Map<string, TopicInfo>();
  private readonly appendListeners = new Set<(topic: string) => void>();

  private readonly selectTopic: Statement<[string], TopicInfo>;
  private readonly insertTopic: Statement<[string, number]>;
  private readonly insertPartition: Statement<[number, number]>;
  private readonly selectNextOffset: Statement<[number, number], { next_offset: number }>;
  private readonly selectNextOffsets: Statement<
    [number],
    { partition_no: number; next_offset: number }
  >;
  private readonly updateNextOffset: Statement<[number, number, number]>;
  private readonly insertRecord: Statement<
    [number, number, number, number, string, string | null, Buffer]
  >;
  private readonly selectStartOffset: Statement<[number, number], { start: number | null }>;
  private readonly selectOffsetAtTime: Statement<
    [number, number, number],
    { found: number | null }
  >;
  private readonly selectRecords: Statement<[number, number, number, number], StoredRecord>;
  private readonly keyRowidStatements = new Map<number, KeyRowidsStatement>();
  private readonly selectByRowid: Statement<[number], StoredRecord>;
  private readonly appendTx: (records: readonly AppendRecord[], now: number) => AppendResult[];

  constructor(
    readonly db: Database,
    readonly path: string,
    readonly busyTimeoutMs: number,
    private readonly keyIndexed: (topic: string) => boolean,
  ) {
    this.selectTopic = db.prepare(
      'SELECT id, name, partitions, key_index AS keyIndex FROM topics WHERE name = ?',
    );
    this.insertTopic = db.prepare(
      'INSERT INTO topics (name, partitions) VALUES (?, ?) ON CONFLICT (name) DO NOTHING',
    );
    this.insertPartition = db.prepare(
      'INSERT INTO partitions (topic_id, partition_no, next_offset) VALUES (?, ?, 0)',
    );
    this.selectNextOffset = db.prepare(
      'SELECT next_offset FROM partitions WHERE topic_id = ? AND partition_no = ?',
    );
    this.selectNextOffsets = db.prepare(
      'SELECT partition_no, next_offset FROM partitions WHERE topic_id = ? ORDER BY partition_no',
    );
    this.updateNextOffset = db.prepare(
      'UPDATE partitions SET next_offset = ? WHERE topic_id = ? AND partition_no = ?',
    );
    this.insertRecord = db.prepare(
      'INSERT INTO records (topic_id, partition_no, record_offset, ts, record_key, headers, value) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.selectStartOffset = db.prepare(
      'SELECT MIN(record_offset) AS start FROM records WHERE topic_id = ? AND partition_no = ?',
    );
    // Kafka's rule: the earliest offset whose timestamp is at or after t. The covering index
    // (topic, partition, ts, offset) limits the scan to records at or after t.
    this.selectOffsetAtTime = db.prepare(
      'SELECT MIN(record_offset) AS found FROM records ' +
        'WHERE topic_id = ? AND partition_no = ? AND ts >= ?',
    );
    this.selectRecords = db.prepare(
      'SELECT record_offset, ts, record_key, headers, value FROM records ' +
        'WHERE topic_id = ? AND partition_no = ? AND record_offset >= ? AND record_offset < ? ' +
        'ORDER BY record_offset',
    );
    this.selectByRowid = db.prepare(
      'SELECT record_offset, ts, record_key, headers, value FROM records WHERE rowid = ?',
    );
    const appendTx = db.transaction((records: readonly AppendRecord[], now: number) =>
      this.appendInTransaction(records, now),
    );
    this.appendTx = (records, now) => appendTx.immediate(records, now);
  }

  /** Runs fn in a write (BEGIN IMMEDIATE) transaction; a lock held too long is a LogBusyError. */
  write<T>(fn: () => T): T {
    return this.mapBusy(() => this.db.transaction(fn).immediate());
  }

  mapBusy<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (isBusy(error)) throw new LogBusyError(this.path, this.busyTimeoutMs, error);
      throw error;
    }
  }

  topic(name: string): TopicInfo | undefined {
    const cached = this.topics.get(name);
    if (cached) return cached;
    const row: Row<TopicInfo> = this.selectTopic.get(name);
    if (row) this.topics.set(name, row);
    return row;
  }

  requireTopic(name: string): TopicInfo {
    const info = this.topic(name);
    if (!info) throw new UnknownTopicError(name);
    return info;
  }

  /** Creates the topic unless it exists (possibly created by another process meanwhile). */
  ensureTopic(name: string, partitions: number): TopicInfo {
    const existing = this.topic(name);
    if (existing) return existing;
    this.write(() => {
      if (this.insertTopic.run(name, partitions).changes === 0) return;
      const created = this.selectTopic.get(name)!;
      for (let p = 0; p < partitions; p++) this.insertPartition.run(created.id, p);
      if (this.keyIndexed(name)) createKeyIndex(this.db, created.id);
    });
    return this.requireTopic(name);
  }

  /** Appends in one transaction: all records are stored (and fsynced) or none. */
  append(records: readonly AppendRecord[], now: number): AppendResult[] {
    const results = this.mapBusy(() => this.appendTx(records, now));
    const touched = new Set(records.map((r) => r.topic));
    for (const listener of this.appendListeners) for (const topic of touched) listener(topic);
    return results;
  }

  private appendInTransaction(records: readonly AppendRecord[], now: number): AppendResult[] {
    const next = new Map<string, { topicId: number; partition: number; offset: number }>();
    const results: AppendResult[] = [];
    for (const record of records) {
      const topic = this.requireTopic(record.topic);
      const partition = partitionForKey(record.key, topic.partitions);
      const slot = `${topic.id}/${partition}`;
      let cursor = next.get(slot);
      if (!cursor) {
        const row = this.selectNextOffset.get(topic.id, partition);
        cursor = { topicId: topic.id, partition, offset: row!.next_offset };
        next.set(slot, cursor);
      }
      const headers =
        record.headers && Object.keys(record.headers).length > 0
          ? JSON.stringify(record.headers)
          : null;
      this.insertRecord.run(
        topic.id,
        partition,
        cursor.offset,
        record.timestamp ?? now,
        record.key,
        headers,
        record.value,
      );
      results.push({ topic: record.topic, partition, offset: cursor.offset });
      cursor.offset += 1;
    }
    for (const { topicId, partition, offset } of next.values()) {
      this.updateNextOffset.run(offset, topicId, partition);
    }
    return results;
  }

  nextOffsets(topic: TopicInfo): Map<number, number> {
    const ends = new Map<number, number>();
    for (const row of this.selectNextOffsets.all(topic.id))
      ends.set(row.partition_no, row.next_offset);
    return ends;
  }

  nextOffset(topic: TopicInfo, partition: number): number {
    return this.selectNextOffset.get(topic.id, partition)?.next_offset ?? 0;
  }

  startOffset(topic: TopicInfo, partition: number, end: number): number {
    return this.selectStartOffset.get(topic.id, partition)?.start ?? end;
  }

  offsetAtTime(topic: TopicInfo, partition: number, timestamp: number): number | undefined {
    return this.selectOffsetAtTime.get(topic.id, partition, timestamp)?.found ?? undefined;
  }

  /** Records from offset `from` (inclusive) to `end` (exclusive), at most one page of them. */
  readPage(
    topic: TopicInfo,
    partition: number,
    from: number,
    end: number,
    limits: PageLimits,
  ): StoredRecord[] {
    const page: StoredRecord[] = [];
    let bytes = 0;
    // iterate() + break keeps a page of large values from being materialised in full.
    for (const row of this.selectRecords.iterate(topic.id, partition, from, end)) {
      page.push(row);
      bytes += row.value.length;
      if (page.length >= limits.maxRecords || bytes >= limits.maxBytes) break;
    }
    return page;
  }

  /**
   * Where the records of `key` stamped in [from, to) below offset `end` are, in offset order:
   * rowids for recordAt(). Bounds are inclusive-exclusive epoch ms; limit < 0 means none.
   * Undefined when the topic has no key index.
   */
  keyRowids(
    topic: TopicInfo,
    key: string,
    range: { from: number; to: number; end: number; limit: number },
  ): number[] | undefined {
    if (!topic.keyIndex) return undefined;
    let statement = this.keyRowidStatements.get(topic.id);
    if (!statement) {
      statement = prepareKeyRowids(this.db, topic.id);
      this.keyRowidStatements.set(topic.id, statement);
    }
    return statement.all(key, range.from, range.to, range.end, range.limit);
  }

  /** The record at this rowid (from keyRowids). */
  recordAt(rowid: number): StoredRecord | undefined {
    return this.selectByRowid.get(rowid);
  }

  /** Told after each local append, so tailing members in this process need not wait a poll. */
  onAppend(listener: (topic: string) => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
  );
}
