// Exact repeats of an observation (same kind, time and raw line: a line relayed twice, a UDP
// duplicate, a file given twice) must change nothing. The window is bounded by router time and
// by a count, so memory stays bounded; an observation older than the window is applied as is.

export class RecentObservations {
  /** raw → absolute index of its latest entry in the queue. */
  private readonly index = new Map<string, number>();
  private raws: string[] = [];
  private kinds: string[] = [];
  private times: number[] = [];
  /** Absolute index of raws[0]. */
  private base = 0;
  private head = 0;

  get size(): number {
    return this.raws.length - this.head;
  }

  has(raw: string, kind: string, timeMs: number): boolean {
    const abs = this.index.get(raw);
    if (abs === undefined) return false;
    const i = abs - this.base;
    return this.times[i] === timeMs && this.kinds[i] === kind;
  }

  remember(
    raw: string,
    kind: string,
    timeMs: number,
    newestMs: number,
    windowMs: number,
    max: number,
  ): void {
    if (timeMs < newestMs - windowMs) return;
    this.index.set(raw, this.base + this.raws.length);
    this.raws.push(raw);
    this.kinds.push(kind);
    this.times.push(timeMs);
    this.evict(newestMs - windowMs, max);
  }

  /** Restores entries saved by entries(), in order, as they were. */
  restore(entries: readonly (readonly [string, string, number])[]): void {
    for (const [raw, kind, timeMs] of entries) {
      this.index.set(raw, this.base + this.raws.length);
      this.raws.push(raw);
      this.kinds.push(kind);
      this.times.push(timeMs);
    }
  }

  /** Entries oldest first (insertion order), for snapshots. */
  entries(): [raw: string, kind: string, timeMs: number][] {
    const out: [string, string, number][] = [];
    for (let i = this.head; i < this.raws.length; i++) {
      out.push([this.raws[i]!, this.kinds[i]!, this.times[i]!]);
    }
    return out;
  }

  private evict(oldestMs: number, max: number): void {
    while (this.head < this.raws.length) {
      const overfull = this.raws.length - this.head > max;
      if (!overfull && this.times[this.head]! >= oldestMs) break;
      const raw = this.raws[this.head]!;
      if (this.index.get(raw) === this.base + this.head) this.index.delete(raw);
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.raws.length) {
      this.raws = this.raws.slice(this.head);
      this.kinds = this.kinds.slice(this.head);
      this.times = this.times.slice(this.head);
      this.base += this.head;
      this.head = 0;
    }
  }
}
