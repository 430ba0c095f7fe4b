import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PairMap } from '../../src/collect/pairMap.js';

// Against a Map keyed by the pair as one string: the same values, the same count of pairs
// (strings that would collide once joined, such as 'a\0' + 'b' and 'a' + '\0b', stay apart).
describe('PairMap', () => {
  it('holds what a map keyed by the pair holds', () => {
    const part = fc.constantFrom('', 'a', 'a\u0000', '\u0000b', 'b', 'syslog', 'snmp');
    fc.assert(
      fc.property(fc.array(fc.tuple(part, part, fc.integer()), { maxLength: 40 }), (sets) => {
        const pairs = new PairMap<number>();
        const model = new Map<string, number>();
        for (const [a, b, v] of sets) {
          pairs.set(a, b, v);
          model.set(JSON.stringify([a, b]), v);
        }
        expect(pairs.size).toBe(model.size);
        for (const [key, v] of model) {
          const [a, b] = JSON.parse(key) as [string, string];
          expect(pairs.get(a, b)).toBe(v);
        }
        expect(pairs.get('never', 'set')).toBeUndefined();
      }),
    );
  });
});
