import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addToMulti, removeFromMulti, type MultiMap } from '../../../src/domain/sa/multiMap.js';

// The one-or-several map against a map of sets: the same values under every key, one value held
// alone (not in an array), and no key left without a value.
describe('MultiMap', () => {
  it('holds what a map of sets holds, a single value alone, no empty keys', () => {
    const op = fc.tuple(
      fc.boolean(),
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 0, max: 4 }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const map: MultiMap<number, number> = new Map();
        const model = new Map<number, Set<number>>();
        for (const [add, key, value] of ops) {
          const set = model.get(key) ?? new Set<number>();
          if (add) {
            addToMulti(map, key, value);
            set.add(value);
          } else {
            removeFromMulti(map, key, value);
            set.delete(value);
          }
          if (set.size === 0) model.delete(key);
          else model.set(key, set);
        }
        expect([...map.keys()].sort()).toEqual([...model.keys()].sort());
        for (const [key, set] of model) {
          const entry = map.get(key);
          if (set.size === 1) expect(entry).toBe([...set][0]);
          else expect(new Set(entry as number[])).toEqual(set);
          if (Array.isArray(entry)) expect(entry.length).toBe(set.size);
        }
      }),
    );
  });
});
