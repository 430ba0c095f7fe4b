import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeadlineHeap } from '../../../src/domain/sa/deadlines.js';

describe('DeadlineHeap', () => {
  it('pops in (time, serial, kind) order, whatever the push order', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 50 }),
            fc.nat(1000),
            fc.constantFrom<0 | 1 | 2>(0, 1, 2),
          ),
          {
            maxLength: 300,
          },
        ),
        (entries) => {
          const unique = [...new Map(entries.map((e) => [`${e[1]}:${e[2]}`, e])).values()];
          const heap = new DeadlineHeap<string>();
          for (const [at, serial, kind] of unique)
            heap.push(at, serial, kind, `${at}/${serial}/${kind}`);
          const popped: string[] = [];
          while (heap.size > 0) popped.push(heap.pop()!);
          const expected = [...unique]
            .sort((a, b) => a[0] - b[0] || a[1] * 4 + a[2] - (b[1] * 4 + b[2]))
            .map(([at, serial, kind]) => `${at}/${serial}/${kind}`);
          expect(popped).toEqual(expected);
        },
      ),
    );
  });

  it('peek is Infinity when empty; popped time and kind are reported', () => {
    const heap = new DeadlineHeap<string>();
    expect(heap.peek()).toBe(Infinity);
    heap.push(5, 1, 2, 'x');
    expect(heap.peek()).toBe(5);
    expect(heap.pop()).toBe('x');
    expect([heap.poppedAt, heap.poppedKind]).toEqual([5, 2]);
    expect(heap.pop()).toBeUndefined();
  });
});
