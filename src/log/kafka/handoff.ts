/**
 * A bounded hand-off from a kafkajs eachBatch callback (producer side) to an async iterator
 * (consumer side). push() waits while the queue is full, so a slow reader slows the fetches
 * instead of buffering the partition in memory.
 */
export class Handoff<T> {
  private readonly items: T[] = [];
  private readonly waitingPushers: (() => void)[] = [];
  private waitingTaker: (() => void) | undefined;
  private finished = false;
  private failure: Error | undefined;
  private closed = false;

  constructor(private readonly capacity: number) {}

  /** Resolves true once queued, false if the reader is gone (then stop producing). */
  async push(item: T): Promise<boolean> {
    while (this.items.length >= this.capacity && !this.closed) {
      await new Promise<void>((resolve) => this.waitingPushers.push(resolve));
    }
    if (this.closed || this.finished) return false;
    this.items.push(item);
    this.wakeTaker();
    return true;
  }

  /** No more items: the reader drains what is queued, then ends (or throws `error`). */
  finish(error?: Error): void {
    if (this.finished) return;
    this.finished = true;
    this.failure = error;
    this.wakeTaker();
  }

  /** The reader stopped: release every waiting push. */
  close(): void {
    this.closed = true;
    for (const resolve of this.waitingPushers.splice(0)) resolve();
  }

  /** The next item, or undefined when finished and drained. */
  async take(): Promise<T | undefined> {
    for (;;) {
      if (this.failure) throw this.failure;
      const item = this.items.shift();
      if (item !== undefined) {
        this.waitingPushers.shift()?.();
        return item;
      }
      if (this.finished) return undefined;
      await new Promise<void>((resolve) => {
        this.waitingTaker = resolve;
      });
    }
  }

  private wakeTaker(): void {
    const resolve = this.waitingTaker;
    this.waitingTaker = undefined;
    resolve?.();
  }
}
