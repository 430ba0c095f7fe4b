// The deadlines of every live SA in one binary min-heap over typed arrays: firing the due ones is
// O(log n) each, and nothing scans the SAs per observation (performance-anchors.md §9). Entries
// are never removed early: an SA replaced or cleared is flagged dead, and its entry is dropped
// when it surfaces ("lazy deletion"), as is the entry of an earlier generation of a record that
// a rekey updated in place (its serial changed). Ties are broken by the SA serial, which the snapshot keeps,
// so a restored heap fires in the same order as the original.

export const DEADLINE_IPSEC_OVERDUE = 0;
export const DEADLINE_IPSEC_HARD = 1;
export const DEADLINE_IKE_HARD = 2;
export type DeadlineKind = 0 | 1 | 2;

export class DeadlineHeap<Ref> {
  // Entry i is keys[2i] (time) and keys[2i + 1] (order = serial × 4 + kind): one cache line for
  // both, where a push or a pop of 1 M entries used to touch a line in each of three arrays (the
  // kind is the order's low bits).
  private keys = new Float64Array(32);
  private refs: (Ref | undefined)[] = [];
  size = 0;
  /** Kind and time of the entry the last pop() returned. */
  poppedKind: DeadlineKind = 0;
  poppedAt = 0;
  /** Serial of the SA generation the popped entry was pushed for (stale when it changed). */
  poppedSerial = 0;

  /** `serial` orders equal times; unique per (serial, kind). */
  push(atMs: number, serial: number, kind: DeadlineKind, ref: Ref): void {
    if (2 * this.size === this.keys.length) this.grow();
    const keys = this.keys;
    let i = this.size++;
    const order = serial * 4 + kind;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pa = keys[2 * parent]!;
      if (pa < atMs || (pa === atMs && keys[2 * parent + 1]! < order)) break;
      this.move(parent, i);
      i = parent;
    }
    keys[2 * i] = atMs;
    keys[2 * i + 1] = order;
    this.refs[i] = ref;
  }

  /** Time of the earliest entry, Infinity when empty. */
  peek(): number {
    return this.size === 0 ? Infinity : this.keys[0]!;
  }

  pop(): Ref | undefined {
    if (this.size === 0) return undefined;
    const keys = this.keys;
    const ref = this.refs[0];
    this.poppedAt = keys[0]!;
    const popped = keys[1]!;
    this.poppedKind = (popped % 4) as DeadlineKind;
    this.poppedSerial = Math.floor(popped / 4);
    const last = --this.size;
    if (last > 0) {
      const at = keys[2 * last]!;
      const order = keys[2 * last + 1]!;
      const r = this.refs[last];
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= last) break;
        const right = left + 1;
        let child = left;
        if (right < last && this.less(right, left)) child = right;
        const ca = keys[2 * child]!;
        if (at < ca || (at === ca && order < keys[2 * child + 1]!)) break;
        this.move(child, i);
        i = child;
      }
      keys[2 * i] = at;
      keys[2 * i + 1] = order;
      this.refs[i] = r;
    }
    this.refs[last] = undefined;
    return ref;
  }

  clear(): void {
    this.size = 0;
    this.refs = [];
  }

  private less(i: number, j: number): boolean {
    const a = this.keys[2 * i]!;
    const b = this.keys[2 * j]!;
    return a < b || (a === b && this.keys[2 * i + 1]! < this.keys[2 * j + 1]!);
  }

  private move(from: number, to: number): void {
    this.keys[2 * to] = this.keys[2 * from]!;
    this.keys[2 * to + 1] = this.keys[2 * from + 1]!;
    this.refs[to] = this.refs[from];
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    this.keys = keys;
  }
}
