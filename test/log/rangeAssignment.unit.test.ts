import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rangeAssignment } from '../../src/log/sqlite/rangeAssignment.js';

describe('rangeAssignment', () => {
  it('splits partitions into contiguous runs, extras to the first members', () => {
    const members = ['a', 'b', 'c'];
    expect(members.map((m) => rangeAssignment(members, 7, m))).toEqual([
      [0, 1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(members.map((m) => rangeAssignment(members, 2, m))).toEqual([[0], [1], []]);
  });

  it('gives nothing to a member that is not in the list', () => {
    expect(rangeAssignment(['a', 'b'], 4, 'z')).toEqual([]);
  });

  it('assigns every partition to exactly one member', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 100 }),
        (unsorted, count) => {
          const members = [...unsorted].sort();
          const all = members.flatMap((m) => rangeAssignment(members, count, m));
          expect(all).toEqual(Array.from({ length: count }, (_, i) => i));
          const sizes = members.map((m) => rangeAssignment(members, count, m).length);
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});
