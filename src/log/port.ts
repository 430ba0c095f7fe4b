// The event-log port: what samon needs from a log, whatever holds it (Kafka topics in
// production, one SQLite file by default). Adapters: ./sqlite, ./kafka.

/** Topics samon writes (architecture.md). */
export const TOPICS = {
  observations: 'samon.observations.v1',
  lifecycle: 'samon.lifecycle.v1',
} as const;

export type Headers = Readonly<Record<string, string>>;

/** A record to append. Records with the same key keep their order. */
export interface AppendRecord {
  readonly topic: string;
  readonly key: string;
  readonly value: Buffer;
  readonly headers?: Headers;
  /** Epoch milliseconds; defaults to the time of the append. */
  readonly timestamp?: number;
}

/** A record as stored: where it lives and when. */
export interface LogRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly value: Buffer;
  readonly headers: Headers;
  readonly timestamp: number;
}

export interface AppendResult {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

export interface PartitionInfo {
  readonly partition: number;
  /** Offset of the first record still held. */
  readonly startOffset: number;
  /** Offset the next record will get (= high watermark). */
  readonly endOffset: number;
}

export type ReadFrom =
  { readonly offset: number } | { readonly timestamp: number } | 'beginning' | 'end';

export interface ReadOptions {
  readonly partition: number;
  readonly from: ReadFrom;
  /** Stop after this many records (default: everything up to the end offset seen at the start). */
  readonly limit?: number;
}

export interface KeyReadOptions {
  /** First timestamp to include (epoch ms); default: the oldest record held. */
  readonly from?: number;
  /** Timestamps at or after this are left out (epoch ms); default: no bound. */
  readonly to?: number;
  /** Stop after this many records (default: all). */
  readonly limit?: number;
}

export interface OffsetReadOptions {
  /**
   * Give up after this long (ms): records not read by then are left out, as if the log did not
   * hold them (default: the adapter's, 10 s for Kafka; the embedded log answers at once).
   */
  readonly timeoutMs?: number;
}

/** One delivered batch: records of one partition, in offset order. */
export interface Batch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly LogRecord[];
}

export interface SubscribeOptions {
  readonly groupId: string;
  readonly topic: string;
  /** Where a group with no committed offset starts (default 'beginning'). */
  readonly fromBeginning?: boolean;
  /**
   * Called with each batch; the offsets of a batch are committed for the group after the
   * handler resolves (at-least-once). A handler that throws stops the subscription with that
   * error (see Subscription.done).
   */
  readonly onBatch: (batch: Batch) => Promise<void>;
  /**
   * Told when the partitions owned by this member change (rebalance). A throw ends the
   * subscription like a handler error. (Kafka does not wait for it before fetching.)
   */
  readonly onAssignment?: (partitions: readonly number[]) => void | Promise<void>;
}

export interface Subscription {
  /** Partitions this member owns now. */
  assignment(): readonly number[];
  /**
   * Leaves the group after the batch in flight; its partitions go to the other members.
   * Awaiting it inside onBatch would wait for that very batch: call it without awaiting there.
   */
  stop(): Promise<void>;
  /** Resolves when the subscription ends (stop or failure); rejects with a handler's error. */
  readonly done: Promise<void>;
}

export interface EventLog {
  /** Creates the topic if it is missing; an existing topic keeps its partition count. */
  ensureTopic(topic: string, partitions?: number): Promise<void>;
  /**
   * Appends records; resolves once they are durable (fsynced / acknowledged by all in-sync
   * replicas), in order per key, with where each record landed, in input order. A missing
   * topic is created with the adapter's default partition count.
   */
  append(records: readonly AppendRecord[]): Promise<AppendResult[]>;
  /**
   * Batch limits an appender should use with this log when they differ from its defaults (the
   * embedded log takes bigger batches than a Kafka produce request). Optional: wrappers and the
   * Kafka adapter leave it out.
   */
  readonly appendBatch?: { readonly maxRecords: number; readonly maxBytes: number };
  /** Reads one partition from an offset or a timestamp up to its end offset at the start. */
  read(topic: string, options: ReadOptions): AsyncIterable<LogRecord>;
  /**
   * Records with this key stamped in [from, to), in offset order, up to the key's partition end
   * offset seen at the start. A key lives in one partition, so this is a read of that partition
   * through an index (SQLite: key and time) or from offsetsForTimes(from) (Kafka). Timestamps
   * need not increase within a partition: every record in range is found, wherever it lies.
   * Optional so that wrappers and fakes of the port need not provide it; both adapters do, and
   * readKey() in ./readKey.js falls back to a partition scan without it.
   */
  readKey?(topic: string, key: string, options?: KeyReadOptions): AsyncIterable<LogRecord>;
  /**
   * The records at these offsets of one partition, each once, in offset order. Offsets the
   * partition does not hold (before its start offset after retention, at or past its end) are
   * left out, never an error; so are those not read within options.timeoutMs. An unknown topic
   * or partition rejects as read() does. Optional so that wrappers and fakes of the port need not
   * provide it; both adapters do, and readAt() in ./readAt.js reads offset by offset without it.
   */
  readAt?(
    topic: string,
    partition: number,
    offsets: readonly number[],
    options?: OffsetReadOptions,
  ): Promise<LogRecord[]>;
  /** Tails a topic as one member of a consumer group. */
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  partitions(topic: string): Promise<PartitionInfo[]>;
  /** Committed offsets of a group: the next offset it will read, per partition. */
  committed(groupId: string, topic: string): Promise<Map<number, number>>;
  close(): Promise<void>;
}
