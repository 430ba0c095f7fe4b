import { Worker } from 'node:worker_threads';
import { LogBusyError, LogUnavailableError } from '../errors.js';
import type { AppendRecord, AppendResult } from '../port.js';
import { encodeBatch, type EncodedBatch } from './appendCodec.js';
import { workerScript } from '../workerScript.js';

export interface AppendThreadData {
  readonly path: string;
  readonly busyTimeoutMs: number;
  /** For a replacement script (tests). */
  readonly test?: Readonly<Record<string, unknown>>;
}

export interface AppendRequest extends EncodedBatch {
  readonly id: number;
  readonly now: number;
}

export type AppendReply =
  | { readonly id: number; readonly partitions: Uint32Array; readonly offsets: Float64Array }
  | {
      readonly id: number;
      readonly error: { readonly name: string; readonly message: string; readonly code?: string };
    };

interface Pending {
  /** The records, for their results; undefined for an encoded batch (no results wanted). */
  readonly records: readonly AppendRecord[] | undefined;
  readonly count: number;
  readonly resolve: (results: AppendResult[]) => void;
  readonly reject: (error: Error) => void;
}

/**
 * The thread (worker_threads) that inserts, commits and fsyncs the embedded log's busiest
 * appends with a connection of its own, so the caller's event loop — the collector parsing
 * lines — spends on a batch only the encoding of it into one buffer. Batches are taken in the
 * order given, one at a time. Started at the first append; a thread that dies fails the
 * appends it held (LogUnavailableError: their records may or may not be stored) and the next
 * append starts a new one.
 */
export class AppendThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly data: AppendThreadData,
    private readonly script: URL = workerScript('./appendWorker.js', import.meta.url),
  ) {}

  /** Appends waiting for the thread's answer. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Resolves once the thread is durable with records, with where each landed (input order). */
  append(records: readonly AppendRecord[], now: number): Promise<AppendResult[]> {
    return this.send(encodeBatch(records), records, now);
  }

  /**
   * Like append, for a batch already encoded (its buffer is transferred, or read in place when
   * it is shared memory); resolves to [].
   */
  appendEncoded(batch: EncodedBatch, now: number): Promise<AppendResult[]> {
    return this.send(batch, undefined, now);
  }

  private send(
    batch: EncodedBatch,
    records: readonly AppendRecord[] | undefined,
    now: number,
  ): Promise<AppendResult[]> {
    return new Promise<AppendResult[]>((resolve, reject) => {
      const worker = this.worker ?? this.start();
      const id = this.nextId++;
      this.pending.set(id, { records, count: batch.count, resolve, reject });
      if (this.pending.size === 1) worker.ref();
      const request: AppendRequest = { ...batch, id, now };
      // Shared memory is read in place by the thread; a buffer of the batch's own is handed over.
      worker.postMessage(request, batch.buffer instanceof ArrayBuffer ? [batch.buffer] : []);
    });
  }

  /** Resolves when no append is waiting for the thread. */
  idle(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Waits for the appends under way, then ends the thread (closing its connection). */
  async close(): Promise<void> {
    await this.idle();
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.ref();
    worker.postMessage('close');
    await exited;
  }

  private start(): Worker {
    const worker = new Worker(this.script, {
      workerData: this.data,
      // None of the process's flags: a worker refuses some (V8 heap sizes, `node -e`'s).
      execArgv: [],
    });
    this.worker = worker;
    worker.unref();
    worker.on('message', (reply: AppendReply) => this.answer(reply));
    worker.on('error', (error) => this.fail(worker, `failed: ${error.message}`, error));
    worker.on('exit', (code) => this.fail(worker, `stopped (exit code ${code})`, undefined));
    return worker;
  }

  private answer(reply: AppendReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.settle(reply.id);
    if ('error' in reply) {
      const cause = Object.assign(new Error(reply.error.message), reply.error);
      pending.reject(
        reply.error.name === 'LogBusyError'
          ? new LogBusyError(this.data.path, this.data.busyTimeoutMs, cause)
          : new LogUnavailableError(
              `Cannot append to the event-log file ${this.data.path}: ${reply.error.message}`,
              cause,
            ),
      );
      return;
    }
    const { records } = pending;
    if (!records) {
      pending.resolve([]);
      return;
    }
    const results = new Array<AppendResult>(records.length);
    for (let i = 0; i < records.length; i++) {
      results[i] = {
        topic: records[i]!.topic,
        partition: reply.partitions[i]!,
        offset: reply.offsets[i]!,
      };
    }
    pending.resolve(results);
  }

  /** The thread is gone: every append it held fails, said loudly; the next append restarts it. */
  private fail(worker: Worker, what: string, cause: unknown): void {
    // Only the current thread holds appends (a new one starts only once this one is dropped);
    // the 'exit' that follows an 'error', or a closed thread's, has nothing to fail.
    if (this.worker !== worker) return;
    this.worker = undefined;
    const ids = [...this.pending.keys()];
    for (const id of ids) {
      const pending = this.pending.get(id)!;
      this.settle(id);
      pending.reject(
        new LogUnavailableError(
          `The append thread of the event-log file ${this.data.path} ${what} with ` +
            `${pending.count} records in hand: they may or may not be stored. ` +
            'A retried append starts a new thread (and can store them twice).',
          cause,
        ),
      );
    }
  }

  private settle(id: number): void {
    this.pending.delete(id);
    if (this.pending.size > 0) return;
    this.worker?.unref();
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
