import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecentObservations } from '../../../src/domain/sa/dedupe.js';
import { clock, ikeUp, saPair, saUp } from '../support/observations.js';
import { fold, given } from '../support/spec.js';

describe('duplicated observations', () => {
  it('the same line (kind, time, raw) again is ignored: no events, no state change', () => {
    const line = saUp({ t: 5, dir: 'inbound', spi: '0x11111111' });
    given([ikeUp({ t: 0 }), line])
      .when(structuredClone(line))
      .thenNothing();
  });

  it('a duplicate arriving a few lines later is still recognised', () => {
    const [inbound, outbound] = saPair({ t: 5, in: '0x11111111', out: '0x22222222' });
    given([ikeUp({ t: 0 }), inbound!, outbound!])
      .when(structuredClone(inbound!))
      .thenNothing();
  });

  it('is bounded by router time: beyond the window, the line is applied again', () => {
    const recent = new RecentObservations();
    recent.remember('a', 'k', 0, 0, 10_000, 100);
    expect(recent.has('a', 'k', 0)).toBe(true);
    recent.remember('b', 'k', 20_000, 20_000, 10_000, 100);
    expect(recent.has('a', 'k', 0)).toBe(false);
    expect(recent.size).toBe(1);
  });

  it('is bounded by count', () => {
    const recent = new RecentObservations();
    for (let i = 0; i < 5000; i++) recent.remember(`line ${i}`, 'k', 0, 0, 10_000, 1000);
    expect(recent.size).toBe(1000);
    expect(recent.has('line 4999', 'k', 0)).toBe(true);
    expect(recent.has('line 0', 'k', 0)).toBe(false);
  });

  it('a window sliding over many lines (compacted again and again) keeps exactly its lines', () => {
    const recent = new RecentObservations();
    const kept: [string, string, number][] = [];
    for (let i = 0; i < 3000; i++) {
      const t = i * 100 + (i % 7) * 10;
      const line = `line ${i % 500}`; // the same text again later, at another time
      recent.remember(line, i % 3 ? 'k' : 'j', t, t, 2_000, 1000);
      kept.push([line, i % 3 ? 'k' : 'j', t]);
      while (kept[0]![2] < t - 2_000) kept.shift();
      if (i % 97 === 0) {
        expect(recent.entries()).toEqual(kept);
        for (const [raw, kind, time] of kept) expect(recent.has(raw, kind, time)).toBe(true);
        expect(recent.has(`line ${(i + 1) % 500}`, 'k', t)).toBe(false);
      }
    }
    expect(recent.size).toBe(kept.length);
  });

  it('the same raw line with another time is not a duplicate', () => {
    const recent = new RecentObservations();
    recent.remember('a', 'k', 0, 0, 10_000, 100);
    expect(recent.has('a', 'k', 1)).toBe(false);
    expect(recent.has('a', 'other', 0)).toBe(false);
  });

  it('lines that differ only where the hash does not sample are still told apart', () => {
    const recent = new RecentObservations();
    const lines = Array.from(
      { length: 40 },
      (_, i) => `${'x'.repeat(100 + (i % 2))}${String.fromCharCode(65 + i)}${'y'.repeat(200)}`,
    );
    lines.forEach((line, i) => recent.remember(line, 'k', i < 20 ? 0 : 5_000, 5_000, 10_000, 100));
    for (const [i, line] of lines.entries()) {
      expect(recent.has(line, 'k', i < 20 ? 0 : 5_000)).toBe(true);
      expect(recent.has(`${line}!`, 'k', i < 20 ? 0 : 5_000)).toBe(false);
    }
    recent.remember('z', 'k', 12_000, 12_000, 10_000, 100); // the first 20 leave the window
    for (const [i, line] of lines.entries())
      expect(recent.has(line, 'k', i < 20 ? 0 : 5_000)).toBe(i >= 20);
    expect(recent.size).toBe(21);
  });

  it('remember() after has() of another line or time keys the remembered line by its own hash', () => {
    const recent = new RecentObservations();
    const long = (c: string) => `${c}${'-'.repeat(300)}${c}`;
    expect(recent.has(long('a'), 'k', 0)).toBe(false);
    recent.remember(long('b'), 'k', 0, 0, 10_000, 100);
    expect(recent.has(long('a'), 'k', 1)).toBe(false);
    recent.remember(long('a'), 'k', 2, 2, 10_000, 100);
    expect(recent.has(long('b'), 'k', 0)).toBe(true);
    expect(recent.has(long('a'), 'k', 2)).toBe(true);
    expect(recent.has(long('a'), 'k', 0)).toBe(false);
    expect(recent.has(long('a'), 'k', 1)).toBe(false);
  });

  it('answers as a plain list of the window would, whatever the order of times and lookups', () => {
    // Lines from a small alphabet (repeats and lines differing by one character), times that
    // mostly advance but also repeat and go back: remembered or looked up in any interleaving.
    const line = fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 2 }));
    const step = fc.record({
      lookup: fc.boolean(),
      line,
      kind: fc.constantFrom('k', 'j'),
      // 0 often: the repeats and the lines of one second worth looking up
      dt: fc.oneof(fc.constant(0), fc.integer({ min: -3_000, max: 4_000 })),
    });
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 200 }),
        fc.integer({ min: 1, max: 40 }),
        (steps, max) => {
          const recent = new RecentObservations();
          let model: [string, string, number][] = [];
          let t = 0;
          let newest = -Infinity;
          for (const {
            lookup,
            line: [a, b],
            kind,
            dt,
          } of steps) {
            t = Math.max(0, t + dt);
            const raw = `${'x'.repeat(100 + b)}${a}${'y'.repeat(150)}`;
            if (lookup) {
              const expected = model.some(([r, k, m]) => r === raw && k === kind && m === t);
              expect(recent.has(raw, kind, t)).toBe(expected);
              continue;
            }
            newest = Math.max(newest, t);
            recent.remember(raw, kind, t, newest, 5_000, max);
            if (t >= newest - 5_000) {
              model.push([raw, kind, t]);
              while (model.length > max || (model.length > 0 && model[0]![2] < newest - 5_000)) {
                model = model.slice(1);
              }
            }
            expect(recent.entries()).toEqual(model);
          }
          for (const [raw, kind, m] of model) expect(recent.has(raw, kind, m)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('clock ticks are never deduplicated away (they carry no line)', () => {
    const { state } = fold([clock({ t: 0 }), clock({ t: 0 })]);
    expect(state.recent.size).toBe(0);
  });
});
