import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../../src/domain/observation.js';
import { fromSnapshot, stateRows, toSnapshot } from '../../../src/domain/sa/index.js';
import { byTime, observations } from '../support/arbitraries.js';
import { fold } from '../support/spec.js';

// Properties of the fold over arbitrary valid observations (fast-check).

const settings = { settings: { silenceGapSeconds: 900 } };
const run = (list: readonly Observation[]) => {
  const { state, events } = fold(list, settings);
  return {
    events: JSON.stringify(events),
    snapshot: JSON.stringify(toSnapshot(state)),
    rows: JSON.stringify(stateRows(state)),
  };
};

describe('the fold', () => {
  it('never throws, in any order, and every event satisfies the contract schema', () => {
    fc.assert(
      fc.property(observations(80), (list) => {
        fold(list, settings); // fold() validates each event against LifecycleEvent
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic: the same log twice gives byte-identical events, state and rows', () => {
    fc.assert(
      fc.property(observations(), (list) => {
        expect(run(list)).toEqual(run(list));
      }),
      { numRuns: 150 },
    );
  });

  it('duplicated observations change nothing', () => {
    fc.assert(
      fc.property(observations(), fc.array(fc.nat(), { maxLength: 10 }), (unsorted, picks) => {
        const list = byTime(unsorted);
        const positions = new Set(picks.map((p) => (list.length ? p % list.length : 0)));
        const doubled = list.flatMap((o, i) => (positions.has(i) ? [o, structuredClone(o)] : [o]));
        expect(run(doubled)).toEqual(run(list));
      }),
      { numRuns: 200 },
    );
  });

  it('fromSnapshot(toSnapshot(state at k)) followed by the rest equals the whole', () => {
    fc.assert(
      fc.property(observations(), fc.nat(), (list, cut) => {
        const k = list.length ? cut % (list.length + 1) : 0;
        const whole = fold(list, settings);
        const head = fold(list.slice(0, k), settings);
        const restored = fromSnapshot(JSON.parse(JSON.stringify(toSnapshot(head.state))));
        const tail = fold(list.slice(k), { state: restored });
        expect(JSON.stringify([...head.events, ...tail.events])).toBe(JSON.stringify(whole.events));
        expect(JSON.stringify(toSnapshot(tail.state))).toBe(
          JSON.stringify(toSnapshot(whole.state)),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('event ids are router:seq, unique and increasing', () => {
    fc.assert(
      fc.property(observations(), (list) => {
        const ids = fold(list, settings).events.map((e) => e.id);
        expect(ids).toEqual(ids.map((_, i) => `srx1:${i + 1}`));
      }),
      { numRuns: 50 },
    );
  });

  it('inferred events carry evidence', () => {
    fc.assert(
      fc.property(observations(), (list) => {
        for (const e of fold(list, settings).events) {
          if (e.inferred && e.type !== 'RouterSilent') expect(e.evidence.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 100 },
    );
  });
});
