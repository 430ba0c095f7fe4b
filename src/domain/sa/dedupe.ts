import { removeFromMulti, type MultiMap } from './multiMap.js';

// Exact repeats of an observation (same kind, time and raw line: a line relayed twice, a UDP
// duplicate, a file given twice) must change nothing. The window is bounded by router time and
// by a count, so memory stays bounded; an observation older than the window is applied as is.
//
// Hashing a fresh 400-character line for a Map lookup costs more than the rest of the fold, so
// lines are keyed by a cheap hash of their time, length and ~48 sampled characters, and a hit is
// confirmed by comparing the lines themselves (a collision costs only that comparison).
//
// A line newer than every line remembered cannot be a repeat, and a router's lines mostly come
// in time order: lines are hashed and indexed only when a line that could repeat one of them
// (not newer than the newest) asks, so a router whose times advance line by line pays for a
// few array pushes, not for hashing and two Map updates per line.

function sampleHash(raw: string, timeMs: number): number {
  const n = raw.length;
  let h = Math.imul(n, 0x9e3779b1) ^ ((timeMs % 0x40000000) | 0);
  const step = n > 96 ? (n / 48) | 0 : 1;
  for (let i = n - 1; i >= 0; i -= step) h = (Math.imul(h, 31) + raw.charCodeAt(i)) | 0;
  return h & 0x3fffffff;
}

/** How many of the newest entries has() compares one by one before it indexes them instead. */
const SCAN_LIMIT = 16;
const SCAN_NOT_FOUND = 0;
const SCAN_FOUND = 1;
const SCAN_TOO_LONG = 2;

export class RecentObservations {
  /** hash → absolute index of the entry (or entries, on a collision) in the queue. */
  private readonly index: MultiMap<number, number> = new Map();
  private raws: string[] = [];
  private kinds: string[] = [];
  private times: number[] = [];
  /** The hash of each indexed entry (0 for those not indexed yet). */
  private keys: number[] = [];
  /** Absolute index of raws[0]. */
  private base = 0;
  private head = 0;
  /** Absolute index of the first entry not in the index: those from here on are not hashed yet. */
  private indexed = 0;
  /** The newest time ever remembered (an upper bound of the window's): -Infinity before. */
  private newestMs = -Infinity;
  /** Whether the entries not indexed were remembered in time order (none older than the one before). */
  private ordered = true;
  private lastPushedMs = -Infinity;
  // The hash has() computed last, with what it was of: remember() of the same line (evolve asks
  // has() first) indexes it with that hash instead of sampling the line again.
  private lastRaw = '';
  private lastTime = Number.NaN;
  private lastKey = 0;

  get size(): number {
    return this.raws.length - this.head;
  }

  has(raw: string, kind: string, timeMs: number): boolean {
    if (timeMs > this.newestMs) return false; // newer than every line remembered
    // Nothing indexed and the lines in time order: the few at the end not older than this one
    // are all it could repeat (the second line of an SA pair has the first one's time).
    if (this.indexed === this.base + this.head && this.ordered) {
      const found = this.scanBack(raw, kind, timeMs);
      if (found !== SCAN_TOO_LONG) return found === SCAN_FOUND;
    }
    this.indexPending();
    const key = sampleHash(raw, timeMs);
    this.lastRaw = raw;
    this.lastTime = timeMs;
    this.lastKey = key;
    const found = this.index.get(key);
    if (found === undefined) return false;
    if (typeof found === 'number') return this.matches(found, raw, kind, timeMs);
    for (const abs of found) if (this.matches(abs, raw, kind, timeMs)) return true;
    return false;
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
    this.push(raw, kind, timeMs);
    this.evict(newestMs - windowMs, max);
  }

  /** Restores entries saved by entries(), in order, as they were. */
  restore(entries: readonly (readonly [string, string, number])[]): void {
    for (const [raw, kind, timeMs] of entries) this.push(raw, kind, timeMs);
  }

  /** Entries oldest first (insertion order), for snapshots. */
  entries(): [raw: string, kind: string, timeMs: number][] {
    const out: [string, string, number][] = [];
    for (let i = this.head; i < this.raws.length; i++) {
      out.push([this.raws[i]!, this.kinds[i]!, this.times[i]!]);
    }
    return out;
  }

  private matches(abs: number, raw: string, kind: string, timeMs: number): boolean {
    const i = abs - this.base;
    return this.times[i] === timeMs && this.kinds[i] === kind && this.raws[i] === raw;
  }

  /** Looks for the line among the last entries not older than it (at most SCAN_LIMIT of them). */
  private scanBack(raw: string, kind: string, timeMs: number): number {
    const stop = Math.max(this.head, this.raws.length - SCAN_LIMIT);
    for (let i = this.raws.length - 1; i >= stop; i--) {
      const t = this.times[i]!;
      if (t < timeMs) return SCAN_NOT_FOUND;
      if (t === timeMs && this.kinds[i] === kind && this.raws[i] === raw) return SCAN_FOUND;
    }
    return stop === this.head ? SCAN_NOT_FOUND : SCAN_TOO_LONG;
  }

  private push(raw: string, kind: string, timeMs: number): void {
    const abs = this.base + this.raws.length;
    this.raws.push(raw);
    this.kinds.push(kind);
    this.times.push(timeMs);
    if (timeMs > this.newestMs) this.newestMs = timeMs;
    if (timeMs < this.lastPushedMs) this.ordered = false;
    this.lastPushedMs = timeMs;
    // Hashed already by has() and every entry before it indexed: indexed now, at no cost.
    if (this.indexed === abs && raw === this.lastRaw && timeMs === this.lastTime) {
      this.keys.push(this.lastKey);
      this.addToIndex(this.lastKey, abs);
      this.indexed = abs + 1;
    } else this.keys.push(0);
    this.lastRaw = ''; // not to keep the line alive once the window lets go of it
  }

  /** Hashes and indexes the entries remembered since the last lookup. */
  private indexPending(): void {
    const end = this.base + this.raws.length;
    for (let abs = this.indexed; abs < end; abs++) {
      const i = abs - this.base;
      const key = sampleHash(this.raws[i]!, this.times[i]!);
      this.keys[i] = key;
      this.addToIndex(key, abs);
    }
    this.indexed = end;
    this.ordered = true; // of the entries not indexed: none now
    this.lastPushedMs = -Infinity;
  }

  private addToIndex(key: number, abs: number): void {
    const found = this.index.get(key);
    if (found === undefined) this.index.set(key, abs);
    else if (typeof found === 'number') this.index.set(key, [found, abs]);
    else found.push(abs);
  }

  private evict(oldestMs: number, max: number): void {
    while (this.head < this.raws.length) {
      const overfull = this.raws.length - this.head > max;
      if (!overfull && this.times[this.head]! >= oldestMs) break;
      const abs = this.base + this.head;
      if (abs < this.indexed) removeFromMulti(this.index, this.keys[this.head]!, abs);
      // Up to the next compaction the slot stays: it must not keep a 300-byte line alive.
      this.raws[this.head] = '';
      this.head++;
    }
    if (this.indexed < this.base + this.head) this.indexed = this.base + this.head;
    if (this.head === this.raws.length) {
      this.ordered = true;
      this.lastPushedMs = -Infinity;
    }
    // Compacted early: a quiet router's window holds a few entries, and up to 1 024 dead slots
    // each (a time as a heap number among them) cost ~14 B per SA of a 500-tunnel router.
    if (this.head > 32 && this.head * 2 > this.raws.length) {
      this.raws = this.raws.slice(this.head);
      this.kinds = this.kinds.slice(this.head);
      this.times = this.times.slice(this.head);
      this.keys = this.keys.slice(this.head);
      this.base += this.head;
      this.head = 0;
    }
  }
}
