import type { Logger } from 'pino';
import type { AppendRecord, EventLog } from '../log/port.js';

export interface AppenderOptions {
  /** Records held in memory at most; beyond it TCP senders are paused and UDP datagrams dropped. */
  readonly maxQueued: number;
  /** Records per append call at most. */
  readonly maxBatch: number;
  /** Longest wait before a failed append is retried (exponential backoff from 100 ms). */
  readonly maxBackoffMs: number;
}

export interface AppenderEvents {
  onAppended?(count: number, durationSeconds: number): void;
  onAppendFailed?(error: unknown): void;
}

const DEFAULTS: AppenderOptions = { maxQueued: 50_000, maxBatch: 2_000, maxBackoffMs: 5_000 };

/**
 * Batches records into the event log. Nothing is dropped here: a failed append is retried
 * (the log may be a Kafka cluster that is briefly away) while the queue is bounded, so callers
 * must respect back-pressure — `offer` says no when full (UDP counts a drop), `push` waits.
 */
export class LogAppender {
  private readonly queue: AppendRecord[] = [];
  private readonly options: AppenderOptions;
  private flushing: Promise<void> | undefined;
  private waiters: (() => void)[] = [];
  private closed = false;
  private failures = 0;

  constructor(
    private readonly log: EventLog,
    private readonly logger: Logger,
    options: Partial<AppenderOptions> = {},
    private readonly events: AppenderEvents = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  get queued(): number {
    return this.queue.length;
  }

  get full(): boolean {
    return this.queue.length >= this.options.maxQueued;
  }

  /** Enqueues if there is room; false means the caller must drop (and count) the records. */
  offer(record: AppendRecord): boolean {
    if (this.closed || this.full) return false;
    this.queue.push(record);
    this.kick();
    return true;
  }

  /** Enqueues, then resolves once the queue is below its bound again (back-pressure). */
  async push(records: readonly AppendRecord[]): Promise<void> {
    if (this.closed) throw new Error('the appender is closed');
    for (const record of records) this.queue.push(record);
    this.kick();
    while (this.full && !this.closed) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Resolves when everything queued so far is in the log. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.flushing) {
      this.kick();
      await this.flushing;
    }
  }

  /** Appends what is queued (retrying until it succeeds or `deadlineMs` passes), then refuses more. */
  async close(deadlineMs = 30_000): Promise<void> {
    const timer = setTimeout(() => {
      if (this.queue.length) {
        this.logger.error(
          { lost: this.queue.length },
          'closing with records the log did not accept',
        );
      }
      this.closed = true;
    }, deadlineMs);
    try {
      await this.drain();
    } finally {
      clearTimeout(timer);
      this.closed = true;
      this.release();
    }
  }

  private kick(): void {
    if (!this.flushing && this.queue.length > 0) {
      this.flushing = this.flush().finally(() => {
        this.flushing = undefined;
        if (this.queue.length > 0 && !this.closed) this.kick();
      });
    }
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, this.options.maxBatch);
      const started = process.hrtime.bigint();
      try {
        await this.log.append(batch);
      } catch (error) {
        this.failures++;
        this.events.onAppendFailed?.(error);
        const wait = Math.min(this.options.maxBackoffMs, 100 * 2 ** Math.min(this.failures, 10));
        this.logger.warn(
          { err: error, queued: this.queue.length, retryInMs: wait },
          'the event log did not accept a batch; keeping it and retrying',
        );
        if (this.closed) return;
        await new Promise((resolve) => setTimeout(resolve, wait));
        continue;
      }
      if (this.failures > 0) {
        this.logger.info({ afterFailures: this.failures }, 'the event log accepts appends again');
        this.failures = 0;
      }
      this.queue.splice(0, batch.length);
      this.events.onAppended?.(batch.length, Number(process.hrtime.bigint() - started) / 1e9);
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
