import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '../../src/domain/index.js';
import { openSqliteLog } from '../../src/log/sqlite/index.js';
import type { EventLog } from '../../src/log/port.js';
import { readTimeline, readTimelineEntries, resolveTunnelIds } from '../../src/project/timeline.js';

// Timelines from the lifecycle log alone: reads by key and time, dedupe, and aliases found from
// TunnelDiscovered events in both directions.

const TOPIC = 'test.lifecycle.v1';
const T0 = Date.parse('2026-11-27T09:00:00.000Z');
const MIN = 60_000;

let n = 0;
function event(
  tunnel: string,
  minute: number,
  type: 'TunnelUp' | 'TunnelDiscovered',
  aliases?: string[],
): LifecycleEvent {
  const router = tunnel.split('/')[0]!;
  const at = new Date(T0 + minute * MIN).toISOString();
  return type === 'TunnelUp'
    ? {
        v: 1,
        id: `${router}:${++n}`,
        type,
        at,
        router,
        tunnel,
        inferred: false,
        evidence: [],
        data: {},
      }
    : {
        v: 1,
        id: `${router}:${++n}`,
        type,
        at,
        router,
        tunnel,
        inferred: false,
        evidence: [],
        data: aliases ? { aliases } : {},
      };
}

async function append(log: EventLog, events: readonly LifecycleEvent[]): Promise<void> {
  await log.append(
    events.map((e) => ({
      topic: TOPIC,
      key: e.tunnel ?? e.router,
      value: Buffer.from(JSON.stringify(e)),
      headers: { type: e.type },
      timestamp: Date.parse(e.at),
    })),
  );
}

describe('timelines from the lifecycle log', () => {
  let dir: string;
  let log: EventLog;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'samon-timeline-'));
    log = await openSqliteLog({ path: join(dir, 'samon.db') });
    await log.ensureTopic(TOPIC, 4);
  });

  afterEach(async () => {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('merges the ids of a tunnel in time order, each event once, within [from, to)', async () => {
    const a = event('srx1/vpn-a', 5, 'TunnelUp');
    const p = event('srx1/10.0.0.1~10.0.0.2', 1, 'TunnelUp');
    const late = event('srx1/vpn-a', 30, 'TunnelUp');
    await append(log, [a, p, late, a]); // `a` twice: a projector resuming after a crash
    const ats = (events: LifecycleEvent[]) => events.map((e) => e.at);
    const ids = ['srx1/vpn-a', 'srx1/10.0.0.1~10.0.0.2'];
    expect(ats(await readTimeline(log, { ids, topic: TOPIC }))).toEqual([p.at, a.at, late.at]);
    expect(
      ats(await readTimeline(log, { ids, topic: TOPIC, from: T0 + 2 * MIN, to: T0 + 30 * MIN })),
    ).toEqual([a.at]);
    expect(ats(await readTimeline(log, { ids, topic: TOPIC, limit: 2 }))).toEqual([p.at, a.at]);
    const [entry] = await readTimelineEntries(log, { ids: ['srx1/vpn-a'], topic: TOPIC });
    expect(entry?.json).toBe(JSON.stringify(a));
  });

  it('follows aliases both ways, through a merge and a later rename', async () => {
    const provisional = 'srx1/10.0.0.1~10.0.0.2';
    const bare = 'srx1/vpn-a';
    const split = 'srx1/vpn-a/ts-1';
    await append(log, [
      event(provisional, 0, 'TunnelDiscovered'),
      event(provisional, 1, 'TunnelUp'),
      event(bare, 2, 'TunnelDiscovered', [provisional]), // the merge
      event(bare, 3, 'TunnelUp'),
      // Same-looking ids on another router are another tunnel.
      event('srx2/vpn-a', 4, 'TunnelDiscovered', ['srx2/10.0.0.1~10.0.0.2']),
      event(split, 90, 'TunnelDiscovered', [bare, provisional]), // the rename, much later
      event(split, 91, 'TunnelUp'),
    ]);
    const all = [bare, provisional, split].sort();
    for (const given of [provisional, bare, split]) {
      expect(await resolveTunnelIds(log, given, { topic: TOPIC })).toEqual({
        canonical: split,
        ids: all,
      });
    }
    expect(await resolveTunnelIds(log, 'srx9/unknown', { topic: TOPIC })).toEqual({
      canonical: 'srx9/unknown',
      ids: ['srx9/unknown'],
    });
  });

  it('does not look for an owner beyond a day after the alias went quiet', async () => {
    const provisional = 'srx1/10.0.0.1~10.0.0.2';
    await append(log, [
      event(provisional, 0, 'TunnelUp'),
      event('srx1/vpn-a', 25 * 60, 'TunnelDiscovered', [provisional]),
    ]);
    expect(await resolveTunnelIds(log, provisional, { topic: TOPIC })).toEqual({
      canonical: provisional,
      ids: [provisional],
    });
    // The named tunnel still lists its alias.
    expect((await resolveTunnelIds(log, 'srx1/vpn-a', { topic: TOPIC })).ids).toEqual([
      provisional,
      'srx1/vpn-a',
    ]);
  });
});
