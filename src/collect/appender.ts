import type { Logger } from 'pino';
import type { AppendRecord, EventLog, Headers } from '../log/port.js';
import { BatchWriter, type EncodedBatch } from '../log/sqlite/appendCodec.js';

export interface AppenderOptions {
  /** Records held in memory at most; beyond it TCP senders are paused and UDP datagrams dropped. */
  readonly maxQueued: number;
  /** Records per append call at most. */
  readonly maxBatch: number;
  /**
   * Approximate bytes per append call at most (key + value + headers + 70 per record, the Kafka
   * adapter's own estimate). Kept below the Kafka adapter's request size (1 MiB) so that one
   * append is one produce request: a retried append is then either wholly new to the broker or
   * wholly a duplicate its idempotent producer recognises, never half of each.
   */
  readonly maxBatchBytes: number;
  /** Longest wait before a failed append is retried (exponential backoff from 100 ms). */
  readonly maxBackoffMs: number;
  /**
   * How long the first record of a batch waits for others before the append starts (unless a
   * full batch is there sooner): fewer, larger appends — one fsync or produce request for many
   * lines — for a few milliseconds of latency. 0: append as soon as the event loop is idle.
   */
  readonly lingerMs: number;
}

export interface AppenderEvents {
  onAppended?(count: number, durationSeconds: number): void;
  onAppendFailed?(error: unknown): void;
}

const DEFAULTS: AppenderOptions = {
  maxQueued: 50_000,
  maxBatch: 2_000,
  maxBatchBytes: 768 * 1024,
  maxBackoffMs: 5_000,
  lingerMs: 5,
};

/** The size estimate of frozen headers objects, which records share (the collector's do). */
const frozenHeadersSize = new WeakMap<Headers, number>();

/** The Kafka adapter's estimate of a record's size on the wire (src/log/kafka/kafkaRecords.ts). */
function approximateSize(key: string, valueLength: number, headers: Headers | undefined): number {
  let size = 70 + key.length * 3 + valueLength;
  if (headers) {
    let headersSize = frozenHeadersSize.get(headers);
    if (headersSize === undefined) {
      headersSize = 0;
      for (const name in headers) headersSize += (name.length + headers[name]!.length) * 3 + 4;
      if (Object.isFrozen(headers)) frozenHeadersSize.set(headers, headersSize);
    }
    size += headersSize;
  }
  return size;
}

/** A log that takes batches encoded beforehand (the embedded log: BatchWriter's format). */
interface EncodedAppends {
  appendEncoded(batch: EncodedBatch): Promise<void>;
}

function takesEncoded(log: EventLog): log is EventLog & EncodedAppends {
  return typeof (log as Partial<EncodedAppends>).appendEncoded === 'function';
}

/**
 * Batches records into the event log. Nothing is dropped here: a failed append is retried
 * (the log may be a Kafka cluster that is briefly away) while the queue is bounded, so callers
 * must respect back-pressure — `offer` says no when full (UDP counts a drop), `push` waits.
 *
 * A failed batch is retried **as it was**: the same records, no more, no fewer, even when more
 * have been queued meanwhile. A failure can hide a success (Kafka wrote the batch, the answer was
 * lost); kafkajs then sends the retry under the same producer id and sequence numbers and the
 * broker answers it as the duplicate it is — which works only if the retried batch is the same
 * one (a bigger one would be refused as out of order, forever).
 *
 * A log that takes encoded batches (the embedded log) gets its records encoded as they are
 * queued, each batch cut at once into a BatchWriter, values written from their text straight
 * into it: no record object or value buffer per record waits in the queue (with tens of
 * thousands queued they outlived the young generation). Batches are cut at the same limits.
 * Each writer writes into shared memory sized for a whole batch, which the log reads in place
 * (no copy per try) and which serves a later writer once its batch is in the log.
 */
export class LogAppender {
  /** Queued records; those before `head` are already appended (compacted now and then). */
  private queue: AppendRecord[] = [];
  private head = 0;
  /** Encoded batches, oldest first, when the log takes them; the last one may still grow. */
  private readonly writers: BatchWriter[] | undefined;
  private open: BatchWriter | undefined;
  private openSize = 0;
  /** Shared memory of batches in the log, for the next writers (no allocation per batch). */
  private readonly spare: SharedArrayBuffer[] = [];
  private readonly writerBytes: number;
  private encodedCount = 0;
  private readonly options: AppenderOptions;
  private flushing: Promise<void> | undefined;
  private waiters: (() => void)[] = [];
  private closed = false;
  /** Set when close() gave up waiting: no more retries. */
  private abandoned = false;
  private failures = 0;
  /** Size of the batch that failed and must be retried unchanged (0: none). */
  private pinned = 0;
  private peak = 0;
  /** Ends the linger early (a full batch is queued). */
  private lingerDone: (() => void) | undefined;

  constructor(
    private readonly log: EventLog,
    private readonly logger: Logger,
    options: Partial<AppenderOptions> = {},
    private readonly events: AppenderEvents = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.writers = takesEncoded(log) ? [] : undefined;
    // A whole batch (the size estimate is above the bytes written for ASCII values); a batch of
    // longer UTF-8 grows its writer by a copy.
    this.writerBytes = Math.min(this.options.maxBatchBytes, 8 << 20) + 64 * 1024;
  }

  /** Records waiting for the log (including a batch being appended). */
  get queued(): number {
    return this.writers ? this.encodedCount : this.queue.length - this.head;
  }

  /** The most records ever queued at once (bound + what a sender gave before it was paused). */
  get peakQueued(): number {
    return this.peak;
  }

  get full(): boolean {
    return this.queued >= this.options.maxQueued;
  }

  /** Enqueues if there is room; false means the caller must drop (and count) the records. */
  offer(record: AppendRecord): boolean {
    if (this.closed || this.full) return false;
    this.enqueue(record);
    this.noteSize();
    this.kick();
    return true;
  }

  /** Enqueues, then resolves once the queue is below its bound again (back-pressure). */
  async push(records: readonly AppendRecord[]): Promise<void> {
    if (this.closed) throw new Error('the appender is closed');
    for (let i = 0; i < records.length; i++) this.enqueue(records[i]!);
    this.noteSize();
    this.kick();
    await this.room();
  }

  /**
   * offer() for a record given by its value's text (its UTF-8 is the value): encoded straight
   * into its batch when the log takes encoded batches.
   */
  offerText(
    topic: string,
    key: string,
    value: string,
    headers: Headers | undefined,
    timestamp: number,
  ): boolean {
    if (this.closed || this.full) return false;
    this.enqueueText(topic, key, value, headers, timestamp);
    this.noteSize();
    this.kick();
    return true;
  }

  /** push() of one record given by its value's text, without the wait: call room() after. */
  pushText(
    topic: string,
    key: string,
    value: string,
    headers: Headers | undefined,
    timestamp: number,
  ): void {
    if (this.closed) throw new Error('the appender is closed');
    this.enqueueText(topic, key, value, headers, timestamp);
    this.noteSize();
    this.kick();
  }

  /** Resolves once the queue is below its bound (back-pressure), or the appender is closed. */
  async room(): Promise<void> {
    while (this.full && !this.closed) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private enqueue(record: AppendRecord): void {
    if (!this.writers) {
      this.queue.push(record);
      return;
    }
    this.encode(record.topic, record.key, record.value, record.headers, record.timestamp);
  }

  private enqueueText(
    topic: string,
    key: string,
    value: string,
    headers: Headers | undefined,
    timestamp: number,
  ): void {
    if (!this.writers) {
      this.queue.push({
        topic,
        key,
        value: Buffer.from(value),
        ...(headers ? { headers } : {}),
        timestamp,
      });
      return;
    }
    this.encode(topic, key, value, headers, timestamp);
  }

  /** Into the open batch, or a new one where the limits cut (as nextBatch cuts the queue). */
  private encode(
    topic: string,
    key: string,
    value: string | Uint8Array,
    headers: Headers | undefined,
    timestamp: number | undefined,
  ): void {
    const size = approximateSize(key, value.length, headers);
    let open = this.open;
    if (
      !open ||
      open.count >= this.options.maxBatch ||
      (open.count > 0 && this.openSize + size > this.options.maxBatchBytes)
    ) {
      open = new BatchWriter(this.spare.pop() ?? new SharedArrayBuffer(this.writerBytes));
      this.open = open;
      this.openSize = 0;
      this.writers!.push(open);
    }
    open.add(topic, key, value, headers, timestamp);
    this.openSize += size;
    this.encodedCount++;
  }

  /** Resolves when everything queued so far is in the log (or the appender gave up closing). */
  async drain(): Promise<void> {
    while ((this.queued > 0 || this.flushing) && !this.abandoned) {
      this.kick();
      await this.flushing;
    }
  }

  /**
   * Appends what is queued (retrying until it succeeds or `deadlineMs` passes), then refuses more.
   * Past the deadline it stops retrying and resolves, logging how many records were lost.
   */
  async close(deadlineMs = 30_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        if (this.queued) {
          this.logger.error({ lost: this.queued }, 'closing with records the log did not accept');
        }
        this.abandoned = true;
        resolve();
      }, deadlineMs);
    });
    try {
      await Promise.race([this.drain(), deadline]);
    } finally {
      clearTimeout(timer);
      this.closed = true;
      this.release();
    }
  }

  private noteSize(): void {
    const queued = this.queued;
    if (queued > this.peak) this.peak = queued;
    if (this.lingerDone && queued >= Math.min(this.options.maxBatch, this.options.maxQueued)) {
      this.lingerDone();
    }
  }

  /** Waits up to lingerMs for a full batch. */
  private async linger(): Promise<void> {
    const { lingerMs, maxBatch, maxQueued } = this.options;
    if (lingerMs <= 0 || this.pinned > 0 || this.queued >= Math.min(maxBatch, maxQueued)) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.lingerDone?.(), lingerMs);
      this.lingerDone = () => {
        clearTimeout(timer);
        this.lingerDone = undefined;
        resolve();
      };
    });
  }

  private kick(): void {
    if (!this.flushing && this.queued > 0 && !this.abandoned) {
      this.flushing = this.flush().finally(() => {
        this.flushing = undefined;
        if (this.queued > 0 && !this.closed) this.kick();
      });
    }
  }

  /** The next batch: the failed one again, else as many records as the limits allow. */
  private nextBatch(): AppendRecord[] {
    const start = this.head;
    if (this.pinned > 0) return this.queue.slice(start, start + this.pinned);
    const end = Math.min(this.queue.length, start + this.options.maxBatch);
    let bytes = 0;
    let i = start;
    for (; i < end; i++) {
      const record = this.queue[i]!;
      bytes += approximateSize(record.key, record.value.length, record.headers);
      if (bytes > this.options.maxBatchBytes && i > start) break;
    }
    return this.queue.slice(start, i);
  }

  /** The next batch to append, and what to do once it is in the log. */
  private takeBatch(): { count: number; append: () => Promise<unknown>; done: () => void } {
    const { writers } = this;
    if (writers) {
      const writer = writers[0]!;
      // Taken (or retried) as it is: later records go into a new batch.
      if (writer === this.open) this.open = undefined;
      const log = this.log as EventLog & EncodedAppends;
      return {
        count: writer.count,
        append: () => log.appendEncoded(writer.batch()),
        done: () => {
          writers.shift();
          this.encodedCount -= writer.count;
          // The log has read the batch (the append settled): its memory can take the next one.
          const memory = writer.memory;
          if (memory?.byteLength === this.writerBytes && this.spare.length < 4) {
            this.spare.push(memory);
          }
        },
      };
    }
    const batch = this.nextBatch();
    return {
      count: batch.length,
      append: () => this.log.append(batch),
      done: () => {
        this.head += batch.length;
        // Drop appended records from the array now and then rather than shifting it every batch.
        if (this.head === this.queue.length) {
          this.queue = [];
          this.head = 0;
        } else if (this.head >= 4_096 && this.head * 2 >= this.queue.length) {
          this.queue = this.queue.slice(this.head);
          this.head = 0;
        }
      },
    };
  }

  private async flush(): Promise<void> {
    // Let the records of this turn of the event loop (every socket read, every datagram) and of
    // the next few milliseconds join the batch: one append — one commit and fsync, or one
    // produce request — for all of them.
    await new Promise<void>((resolve) => setImmediate(resolve));
    await this.linger();
    while (this.queued > 0) {
      const batch = this.takeBatch();
      const started = process.hrtime.bigint();
      try {
        await batch.append();
      } catch (error) {
        this.failures++;
        this.pinned = batch.count;
        this.events.onAppendFailed?.(error);
        const wait = Math.min(this.options.maxBackoffMs, 100 * 2 ** Math.min(this.failures, 10));
        this.logger.warn(
          { err: error, queued: this.queued, batch: batch.count, retryInMs: wait },
          'the event log did not accept a batch; keeping it and retrying it as it was',
        );
        if (this.abandoned) return;
        await new Promise((resolve) => setTimeout(resolve, wait));
        if (this.abandoned) return;
        continue;
      }
      if (this.failures > 0) {
        this.logger.info({ afterFailures: this.failures }, 'the event log accepts appends again');
        this.failures = 0;
      }
      this.pinned = 0;
      batch.done();
      this.events.onAppended?.(batch.count, Number(process.hrtime.bigint() - started) / 1e9);
      this.release();
    }
  }

  private release(): void {
    if (this.full && !this.closed) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
