/**
 * A value per pair of strings, found by two Map lookups of the strings themselves: on a per-line
 * path a key string built per call (`${a}\u0000${b}`) costs a concatenation and a fresh hash.
 */
export class PairMap<V> {
  private readonly byFirst = new Map<string, Map<string, V>>();
  private count = 0;

  /** Pairs held. */
  get size(): number {
    return this.count;
  }

  get(a: string, b: string): V | undefined {
    return this.byFirst.get(a)?.get(b);
  }

  set(a: string, b: string, value: V): void {
    let bySecond = this.byFirst.get(a);
    if (!bySecond) this.byFirst.set(a, (bySecond = new Map<string, V>()));
    if (!bySecond.has(b)) this.count++;
    bySecond.set(b, value);
  }
}
