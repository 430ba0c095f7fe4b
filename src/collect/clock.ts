import { clockObservation } from '../domain/index.js';
import type { LogAppender } from './appender.js';
import type { CollectMetrics } from './metrics.js';
import { toRecord } from './syslog/ingest.js';

/**
 * Time enters the pure fold only through observations, so the collector appends a `clock`
 * observation per known router at a fixed interval: deadlines fire and silence is noticed even
 * when a router says nothing (architecture.md, principle 2).
 */
export class ClockTicker {
  private readonly routers = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly appender: LogAppender,
    private readonly metrics: CollectMetrics,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Routers get ticks from their first observation (or their configuration) on. */
  know(router: string): void {
    this.routers.add(router);
  }

  start(): void {
    this.timer ??= setInterval(() => this.tick(), this.intervalMs);
  }

  /** Appends one clock observation per known router; returns how many. */
  tick(): number {
    const nowMs = this.now();
    const time = new Date(nowMs).toISOString();
    const records = [...this.routers].sort().map((router) => {
      this.metrics.countObservation('clock', 'clock');
      return toRecord(clockObservation(router, time), nowMs);
    });
    // Ticks wait behind real lines when the log is slow; they never displace them.
    for (const record of records) this.appender.offer(record);
    return records.length;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
