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
  private at = new Float64Array(16);
  private order = new Float64Array(16);
  private kinds = new Uint8Array(16);
  private refs: (Ref | undefined)[] = [];
  size = 0;
  /** Kind and time of the entry the last pop() returned. */
  poppedKind: DeadlineKind = 0;
  poppedAt = 0;
  /** Serial of the SA generation the popped entry was pushed for (stale when it changed). */
  poppedSerial = 0;

  /** `serial` orders equal times; unique per (serial, kind). */
  push(atMs: number, serial: number, kind: DeadlineKind, ref: Ref): void {
    if (this.size === this.at.length) this.grow();
    let i = this.size++;
    const order = serial * 4 + kind;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pa = this.at[parent]!;
      if (pa < atMs || (pa === atMs && this.order[parent]! < order)) break;
      this.move(parent, i);
      i = parent;
    }
    this.at[i] = atMs;
    this.order[i] = order;
    this.kinds[i] = kind;
    this.refs[i] = ref;
  }

  /** Time of the earliest entry, Infinity when empty. */
  peek(): number {
    return this.size === 0 ? Infinity : this.at[0]!;
  }

  pop(): Ref | undefined {
    if (this.size === 0) return undefined;
    const ref = this.refs[0];
    this.poppedAt = this.at[0]!;
    this.poppedKind = this.kinds[0]! as DeadlineKind;
    this.poppedSerial = Math.floor(this.order[0]! / 4);
    const last = --this.size;
    if (last > 0) {
      const at = this.at[last]!;
      const order = this.order[last]!;
      const kind = this.kinds[last]!;
      const r = this.refs[last];
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= last) break;
        const right = left + 1;
        let child = left;
        if (right < last && this.less(right, left)) child = right;
        const ca = this.at[child]!;
        if (at < ca || (at === ca && order < this.order[child]!)) break;
        this.move(child, i);
        i = child;
      }
      this.at[i] = at;
      this.order[i] = order;
      this.kinds[i] = kind;
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
    const a = this.at[i]!;
    const b = this.at[j]!;
    return a < b || (a === b && this.order[i]! < this.order[j]!);
  }

  private move(from: number, to: number): void {
    this.at[to] = this.at[from]!;
    this.order[to] = this.order[from]!;
    this.kinds[to] = this.kinds[from]!;
    this.refs[to] = this.refs[from];
  }

  private grow(): void {
    const n = this.at.length * 2;
    const at = new Float64Array(n);
    at.set(this.at);
    const order = new Float64Array(n);
    order.set(this.order);
    const kinds = new Uint8Array(n);
    kinds.set(this.kinds);
    this.at = at;
    this.order = order;
    this.kinds = kinds;
  }
}
