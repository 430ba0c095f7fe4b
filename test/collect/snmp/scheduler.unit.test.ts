import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PollScheduler, type SchedulerClock } from '../../../src/collect/snmp/scheduler.js';

// The scheduler on vitest's fake clock: every timer and Date.now are virtual, so these tests
// assert exact poll times.

const clock: SchedulerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

interface Target {
  name: string;
  interval: number;
}

/** Stops the scheduler while the fake clock runs the polls in flight to their end. */
async function stopAll(scheduler: { stop(): Promise<void> }): Promise<void> {
  const stopping = scheduler.stop();
  await vi.advanceTimersByTimeAsync(60_000);
  await stopping;
}

/** Records the start (virtual seconds since T0) of every poll per target. */
function recorder() {
  const starts = new Map<string, number[]>();
  let inFlight = 0;
  let maxInFlight = 0;
  return {
    starts,
    get maxInFlight() {
      return maxInFlight;
    },
    /** A poll that takes `ms` and returns `ok`. */
    poll(ms: (t: Target) => number, ok: (t: Target) => boolean) {
      return async (t: Target): Promise<boolean> => {
        const list = starts.get(t.name) ?? [];
        list.push((Date.now() - T0) / 1000);
        starts.set(t.name, list);
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, ms(t)));
        inFlight--;
        return ok(t);
      };
    },
  };
}

describe('PollScheduler', () => {
  it('polls every target every interval, the jitter taken from the injected random', async () => {
    const rec = recorder();
    const targets = [
      { name: 'a', interval: 10 },
      { name: 'b', interval: 30 },
    ];
    const scheduler = new PollScheduler(
      targets,
      rec.poll(
        () => 100,
        () => true,
      ),
      { concurrency: 4, jitter: 0.1, maxBackoffMs: 600_000, random: () => 0.5, clock },
    );
    scheduler.start();
    await vi.advanceTimersByTimeAsync(61_000);
    await stopAll(scheduler);
    // a: slots 0, 10, 20… each 0.5 × 0.1 × 10 s = 0.5 s late; b: 1.5 s late.
    expect(rec.starts.get('a')).toEqual([0.5, 10.5, 20.5, 30.5, 40.5, 50.5, 60.5]);
    expect(rec.starts.get('b')).toEqual([1.5, 31.5]);
  });

  it('never has more than `concurrency` polls in flight', async () => {
    const rec = recorder();
    const targets = Array.from({ length: 20 }, (_, i) => ({ name: `r${i}`, interval: 5 }));
    const scheduler = new PollScheduler(
      targets,
      rec.poll(
        () => 700,
        () => true,
      ),
      { concurrency: 3, jitter: 0, maxBackoffMs: 60_000, clock },
    );
    scheduler.start();
    await vi.advanceTimersByTimeAsync(4_000);
    expect(rec.maxInFlight).toBe(3);
    // 20 polls of 0.7 s on 3 slots: all started within ceil(20/3) × 0.7 = 4.9 s.
    await vi.advanceTimersByTimeAsync(1_000);
    expect([...rec.starts.values()].every((s) => s.length >= 1)).toBe(true);
    await stopAll(scheduler);
  });

  it('backs off a failing target exponentially up to the cap, and resets after a success', async () => {
    const rec = recorder();
    let failing = true;
    const scheduler = new PollScheduler(
      [{ name: 'dead', interval: 10 }],
      rec.poll(
        () => 0,
        () => !failing,
      ),
      { concurrency: 1, jitter: 0, maxBackoffMs: 40_000, clock },
    );
    scheduler.start();
    await vi.advanceTimersByTimeAsync(150_001);
    // Failures at 0 (next in 10 s), 10 (20 s), 30 (40 s), 70 (capped at 40 s), 110, 150.
    expect(rec.starts.get('dead')).toEqual([0, 10, 30, 70, 110, 150]);
    expect(scheduler.stateOf('dead')?.failures).toBe(6);
    failing = false;
    await vi.advanceTimersByTimeAsync(69_999);
    // 190 succeeds; from then on every 10 s again.
    expect(rec.starts.get('dead')?.slice(6)).toEqual([190, 200, 210, 220]);
    expect(scheduler.stateOf('dead')?.failures).toBe(0);
    await stopAll(scheduler);
  });

  it('keeps the schedule of answering targets while one target never answers', async () => {
    const rec = recorder();
    const targets = [
      { name: 'dead', interval: 1 },
      { name: 'f1', interval: 1 },
      { name: 'f2', interval: 1 },
      { name: 'f3', interval: 1 },
    ];
    // The dead target's poll ends only at its 5 s timeout; the others answer in 20 ms.
    const scheduler = new PollScheduler(
      targets,
      rec.poll(
        (t) => (t.name === 'dead' ? 5_000 : 20),
        (t) => t.name !== 'dead',
      ),
      { concurrency: 2, jitter: 0, maxBackoffMs: 60_000, clock },
    );
    scheduler.start();
    await vi.advanceTimersByTimeAsync(20_500);
    await stopAll(scheduler);
    for (const name of ['f1', 'f2', 'f3']) {
      const starts = rec.starts.get(name) ?? [];
      expect(starts.length, name).toBe(21);
      // Every poll within 50 ms of its slot (0, 1, 2, … s).
      starts.forEach((s, i) => expect(s - i, `${name} poll ${i}`).toBeLessThan(0.05));
    }
    expect(rec.starts.get('dead')?.length).toBeLessThan(5);
  });

  it('gives failing targets at most half of the slots', async () => {
    const rec = recorder();
    const dead = Array.from({ length: 6 }, (_, i) => ({ name: `dead${i}`, interval: 2 }));
    const targets = [...dead, { name: 'alive', interval: 2 }];
    const scheduler = new PollScheduler(
      targets,
      rec.poll(
        (t) => (t.name === 'alive' ? 10 : 3_000),
        (t) => t.name === 'alive',
      ),
      { concurrency: 4, jitter: 0, maxBackoffMs: 4_000, clock },
    );
    scheduler.start();
    await vi.advanceTimersByTimeAsync(30_000);
    await stopAll(scheduler);
    // Until their first failure the dead targets count as answering and take all four slots
    // (the answering one waits for 3 s, then for the first polls of dead4 and dead5). From then
    // on six dead targets, which would fill every slot, hold two: the answering target polls
    // at each of its 2 s slots.
    const alive = rec.starts.get('alive') ?? [];
    expect(alive.slice(0, 2)).toEqual([3, 6]);
    expect(alive.slice(2)).toEqual([8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]);
  });

  it('stop aborts the polls in flight: a poll that honours the signal ends at once', async () => {
    const aborted: string[] = [];
    const scheduler = new PollScheduler(
      [{ name: 'slow', interval: 60 }],
      (t, signal) =>
        new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(true), 30_000);
          signal.addEventListener('abort', () => {
            clearTimeout(timer);
            aborted.push(t.name);
            resolve(false);
          });
        }),
      { concurrency: 1, jitter: 0, maxBackoffMs: 60_000, clock },
    );
    scheduler.start();
    await vi.advanceTimersByTimeAsync(100);
    expect(scheduler.stateOf('slow')?.state).toBe('polling');
    await scheduler.stop();
    expect(aborted).toEqual(['slow']);
  });

  it('stop waits for the polls in flight and starts no more', async () => {
    const rec = recorder();
    const scheduler = new PollScheduler(
      [{ name: 'a', interval: 1 }],
      rec.poll(
        () => 500,
        () => true,
      ),
      { concurrency: 1, jitter: 0, maxBackoffMs: 1_000, clock },
    );
    scheduler.start();
    await vi.advanceTimersByTimeAsync(100);
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(100);
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(400);
    await stopping;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(rec.starts.get('a')).toEqual([0]);
  });
});
