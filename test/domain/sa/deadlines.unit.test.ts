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

  it('pushes and pops interleaved answer as a sorted list: time, kind and serial of each pop', () => {
    const op = fc.oneof(
      fc.constant('pop' as const),
      fc.tuple(fc.integer({ min: 0, max: 1e13 }), fc.constantFrom<0 | 1 | 2>(0, 1, 2)),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const heap = new DeadlineHeap<number>();
        let model: [at: number, serial: number, kind: 0 | 1 | 2][] = [];
        let serial = 0;
        for (const o of ops) {
          if (o === 'pop') {
            model.sort((a, b) => a[0] - b[0] || a[1] * 4 + a[2] - (b[1] * 4 + b[2]));
            const next = model[0];
            model = model.slice(1);
            expect(heap.pop()).toBe(next?.[1]);
            if (next) {
              expect([heap.poppedAt, heap.poppedSerial, heap.poppedKind]).toEqual(next);
            }
          } else {
            // several entries at a time (a few distinct times) and of one serial
            const at = Math.floor(o[0] / 1e12) * 1e12;
            heap.push(at, serial, o[1], serial);
            model.push([at, serial, o[1]]);
            serial++;
          }
          expect(heap.size).toBe(model.length);
          expect(heap.peek()).toBe(model.length ? Math.min(...model.map((m) => m[0])) : Infinity);
        }
      }),
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
