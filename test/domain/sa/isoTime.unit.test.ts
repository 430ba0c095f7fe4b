import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoTime, parseIsoTime } from '../../../src/domain/sa/isoTime.js';

describe('contract time on the hot path', () => {
  it('isoTime formats exactly as Date#toISOString', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), (ms) => {
        expect(isoTime(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 5000 },
    );
  });

  it('parseIsoTime reads contract times exactly as Date.parse', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(100, 0, 1), max: 253_402_300_799_999 }), (ms) => {
        const text = new Date(ms).toISOString();
        expect(parseIsoTime(text)).toBe(Date.parse(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('parseIsoTime agrees with Date.parse on odd dates and other forms', () => {
    for (const text of [
      '2026-02-30T00:00:00.000Z',
      '2026-13-01T00:00:00.000Z',
      '2026-11-27T24:00:00.000Z',
      'x'.repeat(24),
    ]) {
      expect(parseIsoTime(text)).toBe(Date.parse(text));
    }
    expect(parseIsoTime('x'.repeat(24))).toBeNaN();
    expect(parseIsoTime('2024-02-29T12:00:00.000Z')).toBe(Date.parse('2024-02-29T12:00:00.000Z'));
    expect(parseIsoTime('0050-01-01T00:00:00.000Z')).toBe(Date.parse('0050-01-01T00:00:00.000Z'));
    expect(parseIsoTime('2026-11-27T02:00:00Z')).toBe(Date.parse('2026-11-27T02:00:00Z'));
  });
});

describe('contract time caches', () => {
  it('isoTime over runs of nearby and far-apart times (the per-second cache) formats as Date', () => {
    const base = fc.integer({ min: -62_167_219_200_000, max: 253_402_300_000_000 });
    const offsets = fc.array(fc.integer({ min: -3_000_000, max: 40_000_000 }), { maxLength: 40 });
    fc.assert(
      fc.property(base, offsets, (start, deltas) => {
        for (const delta of deltas) {
          const ms = Math.min(253_402_300_799_999, start + delta);
          expect(isoTime(ms)).toBe(new Date(ms).toISOString());
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('isoTime of seconds that share a cache slot (1 024 s apart) formats each as Date', () => {
    const start = Date.parse('2026-11-27T00:00:00.000Z');
    for (let i = 0; i < 2000; i++) {
      const ms = start + (i % 3) * 1_024_000 + i;
      expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it('parseIsoTime of runs of nearby times reads as Date.parse', () => {
    const base = fc.integer({ min: Date.UTC(100, 0, 1), max: 253_402_200_000_000 });
    const offsets = fc.array(fc.integer({ min: 0, max: 90_000_000 }), { maxLength: 40 });
    fc.assert(
      fc.property(base, offsets, (start, deltas) => {
        for (const delta of deltas) {
          const text = new Date(start + delta).toISOString();
          expect(parseIsoTime(text)).toBe(Date.parse(text));
        }
      }),
      { numRuns: 2000 },
    );
  });
});
