import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import {
  InvalidLogArgumentError,
  LogClosedError,
  LogUnavailableError,
  UnknownPartitionError,
} from '../errors.js';
import type {
  AppendRecord,
  AppendResult,
  EventLog,
  Headers,
  KeyReadOptions,
  LogRecord,
  OffsetReadOptions,
  PartitionInfo,
  ReadFrom,
  ReadOptions,
  SubscribeOptions,
  Subscription,
} from '../port.js';
import {
  checkAppendRecords,
  checkGroupId,
  checkKeyRead,
  checkLimit,
  checkOffsetRead,
  checkPartitionCount,
  checkPositiveMs,
  checkReadPosition,
  checkTopicName,
} from '../validate.js';
import { scanKey } from '../keyScan.js';
import { partitionForKey } from '../partitioner.js';
import { TOPICS } from '../port.js';
import { GroupStore } from './groupStore.js';
import { SqliteGroupMember, type GroupSettings } from './groupMember.js';
import { migrate } from './schema.js';
import { SqliteStore, type TopicInfo } from './sqliteStore.js';
import { WalSync } from './walSync.js';
import { decodeBatch, type EncodedBatch } from './appendCodec.js';
import { AppendThread } from './appendThread.js';

export interface SqliteLogOptions {
  /** The SQLite file; its directory is created if missing. */
  readonly path: string;
  /** Partitions of a topic created without an explicit count (default 1). */
  readonly partitions?: number;
  /** A group member silent for this long is dead and loses its partitions (default 10 000). */
  readonly sessionTimeoutMs?: number;
  /** How often members refresh their heartbeat (default a third of the session timeout). */
  readonly heartbeatIntervalMs?: number;
  /** How often an idle member polls for records and membership changes (default 100). */
  readonly pollIntervalMs?: number;
  /**
   * A member whose batch handler has run longer than this is treated as dead and loses its
   * partitions; its commit is then refused (default 300 000, Kafka's max.poll.interval.ms).
   */
  readonly maxPollIntervalMs?: number;
  /** How long a write waits for another process's write lock (default 5 000). */
  readonly busyTimeoutMs?: number;
  /**
   * Topics whose records are indexed by key and time, for readKey() (default: every topic but
   * samon's observation log, the busiest, never read by key). Decided when a topic is created
   * or the file is opened, and kept; readKey() on another topic scans its partition instead.
   */
  readonly keyIndexed?: (topic: string) => boolean;
  /**
   * Topics whose appends are flushed off the event loop (default: samon's observation log, the
   * busiest): committed without fsync, then acknowledged once the WAL is flushed on libuv's
   * thread pool. Appends to other topics fsync inside the commit, so a process killed after the
   * commit has, in all likelihood, also seen the acknowledgement; the projector relies on that
   * narrow window when it has recorded no progress for a partition yet (docs/event-log.md).
   */
  readonly flushOffLoop?: (topic: string) => boolean;
  /**
   * Appends whose records are all of flushOffLoop topics are inserted, committed and fsynced by a
   * worker thread with its own connection (default true; a file only, not ':memory:'), so the
   * caller's event loop only encodes each batch into one buffer. False: they are inserted on the
   * caller's thread and only the WAL flush runs off it.
   */
  readonly appendInWorker?: boolean;
  /** Most records in one delivered batch (default 500). */
  readonly maxBatchRecords?: number;
  /** A batch stops growing once its values reach this many bytes (default 4 MiB). */
  readonly maxBatchBytes?: number;
}

const DEFAULTS = {
  partitions: 1,
  sessionTimeoutMs: 10_000,
  pollIntervalMs: 100,
  maxPollIntervalMs: 300_000,
  busyTimeoutMs: 5_000,
  maxBatchRecords: 500,
  maxBatchBytes: 4 * 1024 * 1024,
} as const;

/**
 * Batches an appender should give this log. The 768 KiB default of the appender exists for
 * Kafka's produce requests; an append here is one commit and one fsync whatever its size, and
 * under load each batch waits for the previous one's flush (~5–15 ms): ~750 lines per flush
 * would cap the rate near 50 000 lines/s. Not bigger still: inserting a batch holds the append
 * thread (~4–5 µs a record; the event loop, with appendInWorker false) while the next batch's
 * records wait in the appender's queue, where they outlive the young generation.
 */
const APPEND_BATCH = { maxRecords: 4_000, maxBytes: 4 * 1024 * 1024 } as const;

/** SQLite page size of a new file. */
const PAGE_SIZE = 16_384;

/** Read pages: bounded so a read of a long partition never holds it all in memory. */
const READ_PAGE = { maxRecords: 1_000, maxBytes: 8 * 1024 * 1024 } as const;

/**
 * The embedded event log: every topic in one SQLite file (WAL, synchronous=FULL, so an
 * acknowledged append survives a kill -9 or power loss). Several processes may share the
 * file: appends serialise on SQLite's write lock, and consumer groups coordinate through
 * tables (see SqliteGroupMember).
 */
export function openSqliteLog(options: SqliteLogOptions): Promise<EventLog> {
  return run(() => new SqliteLog(options));
}

class SqliteLog implements EventLog {
  readonly appendBatch = APPEND_BATCH;
  private readonly db: Database.Database;
  private readonly store: SqliteStore;
  private readonly groups: GroupStore;
  private readonly defaultPartitions: number;
  private readonly settings: GroupSettings;
  private readonly members = new Set<SqliteGroupMember>();
  private readonly path: string;
  /** Flushes appends' commits; undefined for an in-memory file (nothing to flush). */
  private readonly wal: WalSync | undefined;
  private readonly flushOffLoop: (topic: string) => boolean;
  private readonly offLoopTopics = new Map<string, boolean>();
  /** Appends of flushOffLoop topics, when they go to a thread of their own. */
  private readonly thread: AppendThread | undefined;
  /** Settles when the last append that had to wait its turn is done (see defer). */
  private deferred: Promise<void> | undefined;
  private closed = false;

  constructor(options: SqliteLogOptions) {
    const settings = resolveSettings(options);
    this.defaultPartitions = options.partitions ?? DEFAULTS.partitions;
    checkPartitionCount(this.defaultPartitions, 'SQLite log option "partitions"');
    this.settings = settings.group;
    const keyIndexed = options.keyIndexed ?? ((topic: string) => topic !== TOPICS.observations);
    this.db = openDatabase(options.path, settings.busyTimeoutMs, keyIndexed);
    this.store = new SqliteStore(this.db, options.path, settings.busyTimeoutMs, keyIndexed);
    this.groups = new GroupStore(this.store);
    this.path = options.path;
    this.wal = options.path === ':memory:' ? undefined : new WalSync(`${options.path}-wal`);
    this.flushOffLoop = options.flushOffLoop ?? ((topic) => topic === TOPICS.observations);
    this.thread =
      this.wal && (options.appendInWorker ?? true)
        ? new AppendThread({ path: options.path, busyTimeoutMs: settings.busyTimeoutMs })
        : undefined;
  }

  ensureTopic(topic: string, partitions?: number): Promise<void> {
    return run(() => {
      this.checkOpen('ensure a topic');
      checkTopicName(topic);
      const count = partitions ?? this.defaultPartitions;
      checkPartitionCount(count, `Partition count of topic "${topic}"`);
      this.store.ensureTopic(topic, count);
    });
  }

  // For the flushOffLoop topics the insert, commit and fsync run on the append thread (or, with
  // appendInWorker false, the commit's fsync runs on libuv's thread pool, WalSync, rather than
  // inside the commit, which would hold the event loop for the whole flush): the collector
  // parses the next lines meanwhile, and the lines that arrive form the next batch. The append
  // still resolves only once its records are on disk. Records are visible to readers from the
  // commit, a flush before they are durable.
  append(records: readonly AppendRecord[]): Promise<AppendResult[]> {
    let results: AppendResult[];
    let wal = this.wal;
    try {
      this.checkOpen('append');
      checkAppendRecords(records);
      if (records.length === 0) return Promise.resolve([]);
      let lastTopic: string | undefined;
      for (let i = 0; i < records.length; i++) {
        const topic = records[i]!.topic;
        if (topic === lastTopic) continue;
        this.store.ensureTopic(topic, this.defaultPartitions);
        if (wal && !this.offLoop(topic)) wal = undefined;
        lastTopic = topic;
      }
      const thread = this.thread;
      if (thread) {
        if (wal) {
          const onThread = () =>
            thread.append(records, Date.now()).then((appended) => {
              this.store.notifyAppended(records);
              return appended;
            });
          return this.deferred ? this.defer(onThread) : onThread();
        }
        // Behind the thread's appends (and any deferred), so that order per key holds across
        // both connections; the thread's later appends wait for this one in turn.
        if (thread.inFlight > 0 || this.deferred) {
          return this.defer(() =>
            // Accepted before any close(), which waits for it.
            thread.idle().then(() => this.store.append(records, Date.now())),
          );
        }
      }
      if (!wal) return Promise.resolve(this.store.append(records, Date.now()));
      results = this.store.appendUnsynced(records, Date.now());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return wal.sync().then(
      () => {
        this.store.notifyAppended(records);
        return results;
      },
      (error: unknown) => {
        throw new LogUnavailableError(
          `Cannot flush the event-log file ${this.path}-wal to disk ` +
            `(${(error as NodeJS.ErrnoException).code ?? String(error)}): the last ` +
            `${records.length} records were written but may not survive a power loss. ` +
            'Check the disk; a retried append can store them twice.',
          error,
        );
      },
    );
  }

  /**
   * Appends a batch encoded beforehand (BatchWriter: the collector's appender encodes records as
   * they come), with append()'s guarantees; resolves once it is durable. Its buffer is
   * transferred (detached) when the append thread takes it, unless it is shared memory, which
   * is read in place: the caller must not change it until the append settles. A batch append()
   * would not give the thread (another topic among its records, no thread) is decoded and
   * appended as records.
   */
  appendEncoded(batch: EncodedBatch): Promise<void> {
    const thread = this.thread;
    try {
      this.checkOpen('append');
      if (batch.count === 0) return Promise.resolve();
      let onThread = thread !== undefined;
      for (const topic of batch.topics) {
        checkTopicName(topic);
        this.store.ensureTopic(topic, this.defaultPartitions);
        if (!this.offLoop(topic)) onThread = false;
      }
      if (thread && onThread) {
        const append = () =>
          thread.appendEncoded(batch, Date.now()).then(() => {
            this.store.notifyTopics(batch.topics);
          });
        return this.deferred ? this.defer(append) : append();
      }
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return this.append(
      decodeBatch(batch).map((r) => ({
        topic: r.topic,
        key: r.key,
        value: r.value,
        ...(r.headersJson === null ? {} : { headers: JSON.parse(r.headersJson) as Headers }),
        ...(r.timestamp === undefined ? {} : { timestamp: r.timestamp }),
      })),
    ).then(() => undefined);
  }

  /** Runs an append after the previously deferred one has settled. */
  private defer<T>(work: () => Promise<T>): Promise<T> {
    const appended = (this.deferred ?? Promise.resolve()).then(work);
    const settled = appended.then(
      () => undefined,
      () => undefined,
    );
    this.deferred = settled;
    void settled.then(() => {
      if (this.deferred === settled) this.deferred = undefined;
    });
    return appended;
  }

  async *read(topic: string, options: ReadOptions): AsyncIterable<LogRecord> {
    this.checkOpen('read');
    checkTopicName(topic);
    checkReadPosition(options.from, options.partition);
    checkLimit(options.limit);
    const info = this.store.requireTopic(topic);
    const { partition } = options;
    if (partition >= info.partitions) {
      throw new UnknownPartitionError(topic, partition, info.partitions);
    }
    const end = this.store.nextOffset(info, partition);
    let position = this.startOf(info, partition, options.from, end);
    let remaining = options.limit ?? Number.POSITIVE_INFINITY;
    while (position < end && remaining > 0) {
      this.checkOpen('read');
      const page = this.store.readRecords(info, partition, position, end, {
        maxRecords: Math.min(READ_PAGE.maxRecords, remaining),
        maxBytes: READ_PAGE.maxBytes,
      });
      const last = page.at(-1);
      if (!last) break;
      yield* page;
      remaining -= page.length;
      position = last.offset + 1;
      // Between pages, let timers and I/O run even if the reader never awaits anything real.
      await setImmediate();
    }
  }

  async *readKey(
    topic: string,
    key: string,
    options: KeyReadOptions = {},
  ): AsyncIterable<LogRecord> {
    this.checkOpen('read a key');
    checkTopicName(topic);
    checkKeyRead(key, options);
    const info = this.store.requireTopic(topic);
    const partition = partitionForKey(key, info.partitions);
    const rowids = this.store.keyRowids(info, key, {
      from: options.from ?? Number.MIN_SAFE_INTEGER,
      to: options.to ?? Number.MAX_SAFE_INTEGER,
      end: this.store.nextOffset(info, partition),
      limit: options.limit ?? -1,
    });
    if (!rowids) {
      yield* scanKey(this, topic, key, options);
      return;
    }
    for (let i = 0; i < rowids.length; i++) {
      // As between the pages of read(): let timers and I/O run.
      if (i > 0 && i % READ_PAGE.maxRecords === 0) await setImmediate();
      this.checkOpen('read a key');
      const record = this.store.recordAt(topic, partition, rowids[i]!);
      if (record) yield record;
    }
  }

  readAt(
    topic: string,
    partition: number,
    offsets: readonly number[],
    options: OffsetReadOptions = {},
  ): Promise<LogRecord[]> {
    return run(() => {
      this.checkOpen('read at offsets');
      checkTopicName(topic);
      const wanted = checkOffsetRead(partition, offsets, options);
      const info = this.store.requireTopic(topic);
      if (partition >= info.partitions) {
        throw new UnknownPartitionError(topic, partition, info.partitions);
      }
      const found: LogRecord[] = [];
      for (const offset of wanted) {
        const [record] = this.store.readRecords(info, partition, offset, offset + 1, {
          maxRecords: 1,
          maxBytes: READ_PAGE.maxBytes,
        });
        if (record) found.push(record);
      }
      return found;
    });
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    this.checkOpen('subscribe');
    checkGroupId(options.groupId);
    checkTopicName(options.topic);
    if (typeof options.onBatch !== 'function') {
      throw new InvalidLogArgumentError('subscribe() needs an onBatch handler.');
    }
    const topic = this.store.ensureTopic(options.topic, this.defaultPartitions);
    const member = await SqliteGroupMember.start(this.groups, topic, options, this.settings, (m) =>
      this.members.delete(m),
    );
    this.members.add(member);
    return member;
  }

  partitions(topic: string): Promise<PartitionInfo[]> {
    return run(() => {
      this.checkOpen('list partitions');
      checkTopicName(topic);
      const info = this.store.requireTopic(topic);
      return [...this.store.nextOffsets(info)].map(([partition, endOffset]) => ({
        partition,
        startOffset: this.store.startOffset(info, partition, endOffset),
        endOffset,
      }));
    });
  }

  committed(groupId: string, topic: string): Promise<Map<number, number>> {
    return run(() => {
      this.checkOpen('read committed offsets');
      checkGroupId(groupId);
      checkTopicName(topic);
      const info = this.store.topic(topic);
      return info ? this.groups.committedOffsets(groupId, info) : new Map<number, number>();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.members].map((member) => member.stop()));
    await this.deferred;
    await this.thread?.close();
    await this.wal?.close();
    this.db.close();
  }

  private startOf(info: TopicInfo, partition: number, from: ReadFrom, end: number): number {
    if (from === 'end') return end;
    if (from === 'beginning') return this.store.startOffset(info, partition, end);
    if ('offset' in from)
      return Math.max(from.offset, this.store.startOffset(info, partition, end));
    return this.store.offsetAtTime(info, partition, from.timestamp) ?? end;
  }

  private offLoop(topic: string): boolean {
    let offLoop = this.offLoopTopics.get(topic);
    if (offLoop === undefined) {
      offLoop = this.flushOffLoop(topic);
      this.offLoopTopics.set(topic, offLoop);
    }
    return offLoop;
  }

  private checkOpen(operation: string): void {
    if (this.closed) throw new LogClosedError(operation);
  }
}

function resolveSettings(options: SqliteLogOptions): {
  busyTimeoutMs: number;
  group: GroupSettings;
} {
  if (typeof options.path !== 'string' || options.path.length === 0) {
    throw new InvalidLogArgumentError(
      'SQLite log option "path" must be a file path (log.sqlite.path).',
    );
  }
  if (options.flushOffLoop !== undefined && typeof options.flushOffLoop !== 'function') {
    throw new InvalidLogArgumentError(
      'SQLite log option "flushOffLoop" must be a function of the topic name.',
    );
  }
  if (options.keyIndexed !== undefined && typeof options.keyIndexed !== 'function') {
    throw new InvalidLogArgumentError(
      'SQLite log option "keyIndexed" must be a function of the topic name.',
    );
  }
  const sessionTimeoutMs = options.sessionTimeoutMs ?? DEFAULTS.sessionTimeoutMs;
  const heartbeatIntervalMs =
    options.heartbeatIntervalMs ?? Math.max(1, Math.floor(sessionTimeoutMs / 3));
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULTS.pollIntervalMs;
  const maxPollIntervalMs = options.maxPollIntervalMs ?? DEFAULTS.maxPollIntervalMs;
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULTS.busyTimeoutMs;
  const maxRecords = options.maxBatchRecords ?? DEFAULTS.maxBatchRecords;
  const maxBytes = options.maxBatchBytes ?? DEFAULTS.maxBatchBytes;
  checkPositiveMs(sessionTimeoutMs, 'SQLite log option "sessionTimeoutMs"');
  checkPositiveMs(heartbeatIntervalMs, 'SQLite log option "heartbeatIntervalMs"');
  checkPositiveMs(pollIntervalMs, 'SQLite log option "pollIntervalMs"');
  checkPositiveMs(maxPollIntervalMs, 'SQLite log option "maxPollIntervalMs"');
  checkPositiveMs(busyTimeoutMs, 'SQLite log option "busyTimeoutMs"');
  if (heartbeatIntervalMs >= sessionTimeoutMs) {
    throw new InvalidLogArgumentError(
      `SQLite log option "heartbeatIntervalMs" (${heartbeatIntervalMs}) must be below ` +
        `"sessionTimeoutMs" (${sessionTimeoutMs}); about a third of it is a good value.`,
    );
  }
  if (
    !Number.isInteger(maxRecords) ||
    maxRecords < 1 ||
    !Number.isInteger(maxBytes) ||
    maxBytes < 1
  ) {
    throw new InvalidLogArgumentError(
      'SQLite log options "maxBatchRecords" and "maxBatchBytes" must be positive integers.',
    );
  }
  return {
    busyTimeoutMs,
    group: {
      sessionTimeoutMs,
      heartbeatIntervalMs,
      pollIntervalMs,
      maxPollIntervalMs,
      maxRecords,
      maxBytes,
    },
  };
}

function openDatabase(
  path: string,
  busyTimeoutMs: number,
  keyIndexed: (topic: string) => boolean,
): Database.Database {
  let db: Database.Database;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path, { timeout: busyTimeoutMs });
  } catch (error) {
    throw new LogUnavailableError(
      `Cannot open the event-log file ${path}: ${(error as Error).message}. ` +
        'Check log.sqlite.path and that the directory is writable.',
      error,
    );
  }
  try {
    // Pages of 16 KiB for a new file (an existing one keeps its size; `VACUUM` outside WAL mode
    // converts it): observations are ~1 KB rows, and 4 KiB pages cost an append about a third
    // more CPU, mostly in writing WAL frames (docs/ingest.md).
    db.pragma(`page_size = ${PAGE_SIZE}`);
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal' && path !== ':memory:') {
      throw new LogUnavailableError(
        `The event-log file ${path} cannot use WAL journaling (got "${String(mode)}"); ` +
          'put it on a local file system.',
      );
    }
    // FULL in WAL mode fsyncs the WAL at every commit: an acknowledged append is on disk.
    db.pragma('synchronous = FULL');
    migrate(db, path, keyIndexed);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Runs synchronous work as a promise, so errors reject instead of throwing at the call. */
function run<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
