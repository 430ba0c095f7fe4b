import { describe, expect, it } from 'vitest';
import { replayObservations } from '../../src/project/replay.js';
import { at, clock, unrecognized } from '../domain/support/observations.js';

// Silence in `samon replay`: archived files have no clock ticks, so the router's next line reveals
// a silence (dated when the gap ran out), and the final tick at --now reveals a trailing one.

const settings = { silenceGapSeconds: 600 };
const line = (t: number, router = 'srx1') => unrecognized({ t, router });

describe('replay: RouterSilent', () => {
  it('fires at the time the gap ran out, in time order with the other routers', () => {
    const srx1 = [line(0), line(2000)];
    const r2 = [line(0, 'r2'), line(500, 'r2'), line(1000, 'r2'), line(1500, 'r2')];
    const { events } = replayObservations({ files: [srx1, r2], settings });
    expect(events.map((e) => [e.router, e.type, e.at, e.inferred])).toEqual([
      ['srx1', 'RouterSilent', at(600), true],
      ['srx1', 'RouterResumed', at(2000), false],
    ]);
    expect(events[0]?.data).toMatchObject({ silentSinceSeconds: 600, lastSeenAt: at(0) });
  });

  it('the same events as the live log with the collectors’ clock ticks in it', () => {
    const lines = [line(0), line(100), line(1500), line(4000)];
    const ticks = Array.from({ length: 45 }, (_, i) => clock({ t: (i + 1) * 100 }));
    const archived = replayObservations({ files: [lines], settings, nowMs: Date.parse(at(4500)) });
    const live = replayObservations({
      files: [lines, ticks],
      settings,
      nowMs: Date.parse(at(4500)),
    });
    expect(live.events).toEqual(archived.events);
    expect(archived.events.map((e) => [e.type, e.at])).toEqual([
      ['RouterSilent', at(700)],
      ['RouterResumed', at(1500)],
      ['RouterSilent', at(2100)],
      ['RouterResumed', at(4000)],
    ]);
  });

  it('a trailing silence is revealed by --now only', () => {
    const lines = [line(0), line(100)];
    expect(replayObservations({ files: [lines], settings }).events).toEqual([]);
    const { events } = replayObservations({ files: [lines], settings, nowMs: Date.parse(at(800)) });
    expect(events.map((e) => [e.type, e.at])).toEqual([['RouterSilent', at(700)]]);
  });
});
