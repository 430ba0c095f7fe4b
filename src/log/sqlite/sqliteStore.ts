import type { Database, Statement } from 'better-sqlite3';
import { LogBusyError, UnknownTopicError } from '../errors.js';
import { partitionForKey } from '../partitioner.js';
import type { AppendRecord, AppendResult, Headers, LogRecord } from '../port.js';
import { headersJson } from './appendCodec.js';
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

export interface PageLimits {
  readonly maxRecords: number;
  readonly maxBytes: number;
}

type Row<T> = T | undefined;

/**
 * A record to store: as given to append(), or as the append thread decodes it, with its headers
 * already in their stored form (JSON or null).
 */
export interface StorableRecord {
  readonly topic: string;
  readonly key: string;
  readonly value: Buffer;
  readonly headers?: Headers;
  readonly headersJson?: string | null;
  readonly timestamp?: number | undefined;
}

/** One partition's end during an append. */
interface PartitionCursor {
  next: number;
  /** Highest timestamp in the partition so far (null: no record yet). */
  maxTs: number | null;
  /** First offset of this batch stamped above the partition's earlier highest (-1: none). */
  raisedAt: number;
}

export class SqliteStore {
  // Topics are never deleted nor resized, so a cached row stays true.
  private readonly topics = new Map<string, TopicInfo>();
  private readonly appendListeners = new Set<(topic: string) => void>();

  private readonly selectTopic: Statement<[string], TopicInfo>;
  private readonly insertTopic: Statement<[string, number]>;
  private readonly insertPartition: Statement<[number, number]>;
  private readonly selectNextOffset: Statement<[number, number], { next_offset: number }>;
  private readonly selectPartitionEnd: Statement<
    [number, number],
    { next_offset: number; max_ts: number | null }
  >;
  private readonly updatePartitionEnd: Statement<[number, number | null, number, number]>;
  private readonly insertRecordTime: Statement<[number, number, number, number]>;
  private readonly selectTimeBatch: Statement<[number, number, number], { first: number }>;
  private readonly selectNextOffsets: Statement<
    [number],
    { partition_no: number; next_offset: number }
  >;
  private readonly insertRecord: Statement<
    [number, number, number, number, string, string | null, Buffer]
  >;
  private readonly selectStartOffset: Statement<[number, number], { start: number | null }>;
  private readonly selectOffsetAtTime: Statement<
    [number, number, number, number],
    { found: number }
  >;
  /** Rows as arrays (raw mode): no row object per record before its LogRecord. */
  private readonly selectRecords: Statement<[number, number, number, number], RawRecord>;
  private readonly keyRowidStatements = new Map<number, KeyRowidsStatement>();
  private readonly selectByRowid: Statement<[number], RawRecord>;
  private readonly appendTx: (records: readonly StorableRecord[], now: number) => AppendResult[];
  private readonly syncNormal: Statement;
  private readonly syncFull: Statement;

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
    this.selectPartitionEnd = db.prepare(
      'SELECT next_offset, max_ts FROM partitions WHERE topic_id = ? AND partition_no = ?',
    );
    this.updatePartitionEnd = db.prepare(
      'UPDATE partitions SET next_offset = ?, max_ts = ? WHERE topic_id = ? AND partition_no = ?',
    );
    this.insertRecordTime = db.prepare(
      'INSERT INTO record_times (topic_id, partition_no, max_ts, first_offset) VALUES (?, ?, ?, ?)',
    );
    this.selectTimeBatch = db.prepare(
      'SELECT first_offset AS first FROM record_times ' +
        'WHERE topic_id = ? AND partition_no = ? AND max_ts >= ? ORDER BY max_ts LIMIT 1',
    );
    this.insertRecord = db.prepare(
      'INSERT INTO records (topic_id, partition_no, record_offset, ts, record_key, headers, value) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.selectStartOffset = db.prepare(
      'SELECT MIN(record_offset) AS start FROM records WHERE topic_id = ? AND partition_no = ?',
    );
    // Kafka's rule: the earliest offset whose timestamp is at or after t. Every offset before
    // the batch record_times points at is stamped before t: scan from there, in offset order.
    this.selectOffsetAtTime = db.prepare(
      'SELECT record_offset AS found FROM records ' +
        'WHERE topic_id = ? AND partition_no = ? AND record_offset >= ? AND ts >= ? ' +
        'ORDER BY record_offset LIMIT 1',
    );
    this.selectRecords = db
      .prepare<[number, number, number, number], RawRecord>(
        'SELECT record_offset, ts, record_key, headers, value FROM records ' +
          'WHERE topic_id = ? AND partition_no = ? AND record_offset >= ? AND record_offset < ? ' +
          'ORDER BY record_offset',
      )
      .raw(true);
    this.selectByRowid = db
      .prepare<[number], RawRecord>(
        'SELECT record_offset, ts, record_key, headers, value FROM records WHERE rowid = ?',
      )
      .raw(true);
    const appendTx = db.transaction((records: readonly StorableRecord[], now: number) =>
      this.appendInTransaction(records, now),
    );
    this.appendTx = (records, now) => appendTx.immediate(records, now);
    this.syncNormal = db.prepare('PRAGMA synchronous = NORMAL');
    this.syncFull = db.prepare('PRAGMA synchronous = FULL');
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
  append(records: readonly StorableRecord[], now: number): AppendResult[] {
    const results = this.mapBusy(() => this.appendTx(records, now));
    this.notifyAppended(records);
    return results;
  }

  /**
   * Appends in one transaction committed without fsync (synchronous = NORMAL for this one
   * commit; a checkpoint still syncs): the caller must flush the WAL before it acknowledges the
   * records, then call notifyAppended(). Every other write of this connection stays FULL.
   */
  appendUnsynced(records: readonly AppendRecord[], now: number): AppendResult[] {
    this.syncNormal.run();
    try {
      return this.mapBusy(() => this.appendTx(records, now));
    } finally {
      this.syncFull.run();
    }
  }

  /** Wakes the tailing members of this process: records of these topics were appended. */
  notifyAppended(records: readonly StorableRecord[]): void {
    if (this.appendListeners.size === 0) return;
    const touched = new Set(records.map((r) => r.topic));
    for (const listener of this.appendListeners) for (const topic of touched) listener(topic);
  }

  /** notifyAppended for records known by their topics only (an encoded batch). */
  notifyTopics(topics: readonly string[]): void {
    for (const listener of this.appendListeners) for (const topic of topics) listener(topic);
  }

  // Per record: one hash, one prepared INSERT, one result. The topic, and each partition's end
  // (next offset, highest timestamp: one SELECT), are looked up once per batch and written back
  // once, with a record_times row when the batch raised the highest timestamp (./schema.ts, v3).
  private appendInTransaction(records: readonly StorableRecord[], now: number): AppendResult[] {
    const cursors = new Map<string, { topic: TopicInfo; ends: (PartitionCursor | undefined)[] }>();
    const results: AppendResult[] = new Array<AppendResult>(records.length);
    const insert = this.insertRecord;
    let lastName: string | undefined;
    let last: { topic: TopicInfo; ends: (PartitionCursor | undefined)[] } | undefined;
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      if (record.topic !== lastName || !last) {
        lastName = record.topic;
        last = cursors.get(lastName);
        if (!last) {
          const topic = this.requireTopic(lastName);
          last = { topic, ends: new Array<PartitionCursor | undefined>(topic.partitions) };
          cursors.set(lastName, last);
        }
      }
      const { topic, ends } = last;
      const partition = partitionForKey(record.key, topic.partitions);
      let cursor = ends[partition];
      if (!cursor) {
        const row = this.selectPartitionEnd.get(topic.id, partition)!;
        cursor = { next: row.next_offset, maxTs: row.max_ts, raisedAt: -1 };
        ends[partition] = cursor;
      }
      const offset = cursor.next++;
      const ts = record.timestamp ?? now;
      if (cursor.maxTs === null || ts > cursor.maxTs) {
        cursor.maxTs = ts;
        if (cursor.raisedAt < 0) cursor.raisedAt = offset;
      }
      insert.run(
        topic.id,
        partition,
        offset,
        ts,
        record.key,
        record.headersJson !== undefined
          ? record.headersJson
          : record.headers === undefined
            ? null
            : headersJson(record.headers),
        record.value,
      );
      results[i] = { topic: record.topic, partition, offset };
    }
    for (const { topic, ends } of cursors.values()) {
      for (let partition = 0; partition < ends.length; partition++) {
        const cursor = ends[partition];
        if (!cursor) continue;
        this.updatePartitionEnd.run(cursor.next, cursor.maxTs, topic.id, partition);
        if (cursor.raisedAt >= 0) {
          this.insertRecordTime.run(topic.id, partition, cursor.maxTs!, cursor.raisedAt);
        }
      }
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
    const batch = this.selectTimeBatch.get(topic.id, partition, timestamp);
    if (!batch) return undefined;
    return this.selectOffsetAtTime.get(topic.id, partition, batch.first, timestamp)?.found;
  }

  /** Records from offset `from` (inclusive) to `end` (exclusive), at most one page of them. */
  readRecords(
    topic: TopicInfo,
    partition: number,
    from: number,
    end: number,
    limits: PageLimits,
  ): LogRecord[] {
    const page: LogRecord[] = [];
    const name = topic.name;
    let bytes = 0;
    // iterate() + break keeps a page of large values from being materialised in full.
    for (const row of this.selectRecords.iterate(topic.id, partition, from, end) as Iterable<
      unknown[]
    >) {
      const record = logRecord(name, partition, row);
      page.push(record);
      bytes += record.value.length;
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

  /** The record at this rowid (from keyRowids) of the topic's partition. */
  recordAt(topic: string, partition: number, rowid: number): LogRecord | undefined {
    const row = this.selectByRowid.get(rowid);
    return row ? logRecord(topic, partition, row) : undefined;
  }

  /** Told after each local append, so tailing members in this process need not wait a poll. */
  onAppend(listener: (topic: string) => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }
}

/** A row of selectRecords or selectByRowid in raw mode: offset, ts, key, headers, value. */
type RawRecord = unknown[];

function logRecord(topic: string, partition: number, row: RawRecord): LogRecord {
  return {
    topic,
    partition,
    offset: row[0] as number,
    key: row[2] as string,
    value: row[4] as Buffer,
    headers: parsedHeaders(row[3] as string | null),
    timestamp: row[1] as number,
  };
}

const NO_HEADERS: Headers = Object.freeze({});
let lastHeadersJson = '';
let lastHeaders: Headers = NO_HEADERS;

/**
 * Stored headers as an object. Writers share one headers object between many records (the
 * collector does), so consecutive records mostly store the same text: it is parsed once and the
 * frozen object shared (LogRecord headers are read-only), not parsed per record.
 */
export function parsedHeaders(json: string | null): Headers {
  if (json === null) return NO_HEADERS;
  if (json !== lastHeadersJson) {
    lastHeaders = Object.freeze(JSON.parse(json) as Record<string, string>);
    lastHeadersJson = json;
  }
  return lastHeaders;
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
  );
}
