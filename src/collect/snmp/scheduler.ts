/** Time as the scheduler sees it: injectable, so the unit tests run on a fake clock. */
export interface SchedulerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: SchedulerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface SchedulerOptions {
  /** Polls in flight at most. */
  readonly concurrency: number;
  /** A poll starts up to `jitter × interval` after its slot, at random (0–1). */
  readonly jitter: number;
  /** Longest wait between two polls of a failing target (never shorter than its interval). */
  readonly maxBackoffMs: number;
  /** Uniform in [0, 1): Math.random, or a seeded one in tests. */
  readonly random?: () => number;
  readonly clock?: SchedulerClock;
}

export interface Scheduled {
  readonly name: string;
  /** Seconds between polls. */
  readonly interval: number;
}

interface Entry<T> {
  readonly target: T;
  readonly intervalMs: number;
  /** The slot of the next poll, before jitter. */
  slot: number;
  failures: number;
  timer: unknown;
  state: 'waiting' | 'queued' | 'polling' | 'stopped';
}

export interface TargetState {
  readonly failures: number;
  readonly state: 'waiting' | 'queued' | 'polling' | 'stopped';
  /** When the next poll's slot is (epoch ms, before jitter). */
  readonly slot: number;
}

/**
 * Polls every target every `interval` seconds (plus jitter), at most `concurrency` at once. A
 * target whose polls fail is polled less often — its interval doubled per further failure up to
 * `maxBackoffMs`, back to normal after a success — and failing targets hold at most half of the
 * slots, so targets that time out one after another cannot starve those that answer. A poll
 * that overruns its slot is not queued twice: the missed slots are skipped.
 */
export class PollScheduler<T extends Scheduled> {
  private readonly entries: Entry<T>[];
  private readonly queue: Entry<T>[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private running = 0;
  private runningFailing = 0;
  private stopped = false;
  /** Aborted by stop(): polls in flight give up at once instead of waiting for timeouts. */
  private readonly abort = new AbortController();
  private readonly random: () => number;
  private readonly clock: SchedulerClock;
  private readonly failingSlots: number;

  constructor(
    targets: readonly T[],
    private readonly poll: (target: T, signal: AbortSignal) => Promise<boolean>,
    private readonly options: SchedulerOptions,
  ) {
    this.random = options.random ?? Math.random;
    this.clock = options.clock ?? realClock;
    this.failingSlots = Math.max(1, Math.floor(options.concurrency / 2));
    this.entries = targets.map((target) => ({
      target,
      intervalMs: target.interval * 1000,
      slot: 0,
      failures: 0,
      timer: undefined,
      state: 'waiting',
    }));
  }

  /** First polls: each target at a random point of its first jitter window. */
  start(): void {
    const now = this.clock.now();
    for (const entry of this.entries) {
      entry.slot = now;
      this.arm(entry);
    }
  }

  stateOf(name: string): TargetState | undefined {
    const entry = this.entries.find((e) => e.target.name === name);
    return entry && { failures: entry.failures, state: entry.state, slot: entry.slot };
  }

  /** No new polls; the polls in flight are abandoned, and resolves when they have ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    for (const entry of this.entries) {
      if (entry.timer !== undefined) this.clock.clearTimeout(entry.timer);
      entry.timer = undefined;
      entry.state = 'stopped';
    }
    this.queue.length = 0;
    await Promise.all([...this.inFlight]);
  }

  private arm(entry: Entry<T>): void {
    if (this.stopped) return;
    const jitterMs = this.random() * this.options.jitter * entry.intervalMs;
    const delay = Math.max(0, entry.slot + jitterMs - this.clock.now());
    entry.state = 'waiting';
    entry.timer = this.clock.setTimeout(() => {
      entry.timer = undefined;
      this.enqueue(entry);
    }, delay);
  }

  private enqueue(entry: Entry<T>): void {
    if (this.stopped) return;
    entry.state = 'queued';
    this.queue.push(entry);
    this.dispatch();
  }

  private dispatch(): void {
    while (this.running < this.options.concurrency && !this.stopped) {
      const index = this.queue.findIndex(
        (e) => e.failures === 0 || this.runningFailing < this.failingSlots,
      );
      if (index < 0) return;
      const [entry] = this.queue.splice(index, 1);
      if (entry) this.run(entry);
    }
  }

  private run(entry: Entry<T>): void {
    const failing = entry.failures > 0;
    this.running++;
    if (failing) this.runningFailing++;
    entry.state = 'polling';
    const done = this.poll(entry.target, this.abort.signal)
      .catch(() => false)
      .then((ok) => {
        this.running--;
        if (failing) this.runningFailing--;
        this.inFlight.delete(done);
        this.reschedule(entry, ok);
        this.dispatch();
      });
    this.inFlight.add(done);
  }

  private reschedule(entry: Entry<T>, ok: boolean): void {
    if (this.stopped) return;
    const now = this.clock.now();
    if (ok) {
      entry.failures = 0;
      entry.slot += entry.intervalMs;
      // Skip the slots a long poll overran rather than polling again at once.
      if (entry.slot < now) {
        entry.slot += Math.ceil((now - entry.slot) / entry.intervalMs) * entry.intervalMs;
      }
    } else {
      entry.failures++;
      const backoff = Math.min(
        Math.max(entry.intervalMs, this.options.maxBackoffMs),
        entry.intervalMs * 2 ** Math.min(entry.failures - 1, 30),
      );
      entry.slot = Math.max(entry.slot + backoff, now);
    }
    this.arm(entry);
  }
}
