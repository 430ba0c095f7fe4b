import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockObservation, LifecycleEvent, type Observation } from '../../src/domain/index.js';
import { createSyslogParser } from '../../src/junos/syslog/index.js';
import { openEventLog } from '../../src/log/index.js';
import { TOPICS, type EventLog } from '../../src/log/port.js';
import { Projector } from '../../src/project/projector.js';
import { saFold } from '../../src/project/saFold.js';
import { SqliteSnapshotStore } from '../../src/project/snapshotStore.js';
import { observationRecords } from '../project/support/projection.js';
import { describeKafka } from '../support/kafka.js';
import { SAMON_BIN } from '../support/samonProcess.js';
import { bsdTime, syntheticFleet } from '../support/syntheticFleet.js';

// `samon timeline` as an operator runs it (the built CLI), on a log the projector wrote: one
// tunnel first seen by its gateways (a provisional id), named a minute later (an alias), rekeyed
// once, then left to expire — among the tunnels of a synthetic fleet.

const run = promisify(execFile);
const T0 = Date.parse('2026-11-27T09:00:00.000Z');
const HOUR = 3_600_000;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment without the caller's SAMON_* settings, plus `extra`. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('SAMON_')),
  );
  return { ...env, ...extra };
}

async function samon(env: Record<string, string>, ...args: string[]): Promise<Result> {
  try {
    const { stdout, stderr } = await run(process.execPath, [SAMON_BIN, ...args], {
      env: cleanEnv(env),
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** The story of one tunnel on `router`, as kmd logs it, with clock ticks for 10 hours. */
function tunnelStory(router: string, start: number): Observation[] {
  const parse = createSyslogParser({ year: new Date(start).getUTCFullYear() });
  const sa = (ms: number, direction: string, spi: string) =>
    `<30>${bsdTime(ms)} ${router} kmd[1555]: KMD_PM_SA_ESTABLISHED: Local gateway: 192.0.2.1, Remote gateway: 198.51.100.7, Local ID: ipv4_subnet(any:0,[0..7]=10.1.0.0/24), Remote ID: ipv4_subnet(any:0,[0..7]=10.2.0.0/24), Direction: ${direction}, SPI: ${spi}, AUX-SPI: 0, Mode: Tunnel, Type: dynamic, Traffic-selector:  FC Name: `;
  const ike = (ms: number) =>
    `<30>${bsdTime(ms)} ${router} kmd[1555]: IKE negotiation successfully completed. IKE Version: 2, VPN: vpn-a Gateway: gw-a, Local: 192.0.2.1/500, Remote: 198.51.100.7/500, Local IKE-ID: 192.0.2.1, Remote IKE-ID: 198.51.100.7, VR-ID: 0, Role: Initiator`;
  const lines: [number, string | undefined][] = [
    [start, sa(start, 'inbound', '0x1000aaaa')],
    [start + 1_000, sa(start + 1_000, 'outbound', '0x1000bbbb')],
    [start + 60_000, ike(start + 60_000)],
    [start + HOUR, ike(start + HOUR)],
    [start + HOUR + 1_000, sa(start + HOUR + 1_000, 'inbound', '0x2000aaaa')],
    [start + HOUR + 2_000, sa(start + HOUR + 2_000, 'outbound', '0x2000bbbb')],
  ];
  for (let m = 0; m <= 10 * 60; m += 10) lines.push([start + m * 60_000 + 30_000, undefined]);
  lines.sort((a, b) => a[0] - b[0]);
  return lines.map(([ms, line]) => {
    if (line) return parse(line, { referenceTime: ms });
    return clockObservation(router, new Date(ms).toISOString());
  });
}

/** Lifecycle records of `keys` as the log holds them, in event-time order. */
async function storedEvents(log: EventLog, keys: readonly string[]): Promise<string[]> {
  const found: { at: string; json: string }[] = [];
  for (const { partition } of await log.partitions(TOPICS.lifecycle)) {
    for await (const record of log.read(TOPICS.lifecycle, { partition, from: 'beginning' })) {
      if (!keys.includes(record.key)) continue;
      const json = record.value.toString('utf8');
      found.push({ at: (JSON.parse(json) as { at: string }).at, json });
    }
  }
  return found.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)).map((e) => e.json);
}

const OBSERVATION_ID = /^\d+@\d+$/;

/**
 * What samon timeline prints for stored lifecycle JSON: each `partition@offset` in evidence
 * replaced by the raw line of the observation at that place, the ids kept in evidenceIds.
 */
async function withRawLines(log: EventLog, stored: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const json of stored) {
    const event = JSON.parse(json) as { evidence: string[] };
    const ids = event.evidence.filter((e) => OBSERVATION_ID.test(e));
    if (ids.length === 0) {
      out.push(json);
      continue;
    }
    const evidence: string[] = [];
    for (const e of event.evidence) {
      if (!OBSERVATION_ID.test(e)) {
        evidence.push(e);
        continue;
      }
      const [partition, offset] = e.split('@').map(Number) as [number, number];
      for await (const record of log.read(TOPICS.observations, {
        partition,
        from: { offset },
        limit: 1,
      }))
        evidence.push((JSON.parse(record.value.toString('utf8')) as { raw: string }).raw);
    }
    out.push(JSON.stringify({ ...event, evidence, evidenceIds: ids }));
  }
  return out;
}

const lines = (text: string) => text.split('\n').filter((line) => line !== '');
const types = (ndjson: string) =>
  lines(ndjson).map((line) => LifecycleEvent.parse(JSON.parse(line)).type);

describe('samon timeline on the embedded log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'samon-timeline-'));
  const path = join(dir, 'samon.db');
  const env = { SAMON_LOG__SQLITE__PATH: path };
  const named = 'srx-tl/vpn-a';
  const provisional = 'srx-tl/192.0.2.1~198.51.100.7';
  let stored: string[] = [];
  let expected: string[] = [];

  beforeAll(async () => {
    const log = await openEventLog({ kind: 'sqlite', path, partitions: 4 });
    const store = new SqliteSnapshotStore(join(dir, 'snapshots.db'));
    try {
      for (const topic of [TOPICS.observations, TOPICS.lifecycle]) await log.ensureTopic(topic, 4);
      const observations = [
        ...tunnelStory('srx-tl', T0),
        ...syntheticFleet({ routers: 3, tunnelsPerRouter: 3, hours: 12, seed: 11, startMs: T0 }),
      ].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
      await log.append(observationRecords(TOPICS.observations, observations));
      const projector = new Projector(log, saFold(), store, pino({ level: 'silent' }), {
        groupId: 'samon-projector',
        snapshotEveryRecords: 1_000,
      });
      await projector.start();
      for (let i = 0; ; i++) {
        const lag = await projector.lag();
        if (lag.partitions > 0 && lag.records === 0) break;
        if (i > 600) throw new Error('the projector did not catch up');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await projector.stop();
      stored = await storedEvents(log, [named, provisional]);
      expected = await withRawLines(log, stored);
    } finally {
      store.close();
      await log.close();
    }
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the events of a tunnel and of its provisional alias, as stored, in time order', async () => {
    const byName = await samon(env, 'timeline', '--tunnel', named);
    expect(byName.stderr).toBe('');
    expect(byName.code).toBe(0);
    expect(lines(byName.stdout)).toEqual(expected);
    const kinds = types(byName.stdout);
    const first = JSON.parse(lines(byName.stdout)[0]!) as { tunnel: string; at: string };
    expect(first).toMatchObject({ tunnel: provisional, at: '2026-11-27T09:00:00.000Z' });
    expect(kinds).toEqual(
      expect.arrayContaining([
        'TunnelDiscovered',
        'IpsecSaRekeyed',
        'IpsecSaExpired',
        'TunnelDown',
      ]),
    );
    const tunnels = lines(byName.stdout).map((l) => (JSON.parse(l) as { tunnel: string }).tunnel);
    expect(new Set(tunnels)).toEqual(new Set([named, provisional]));

    // The provisional id finds the tunnel it became.
    const byAlias = await samon(env, 'timeline', '--tunnel', provisional, '--format', 'ndjson');
    expect(byAlias.code, byAlias.stderr).toBe(0);
    expect(byAlias.stdout).toBe(byName.stdout);
  });

  it('prints the raw lines of the observations that stored events cite by id', async () => {
    // The projector (evidence: id by default) made inferred events cite partition@offset.
    const expiry = stored
      .map((json) => JSON.parse(json) as { type: string; evidence: string[] })
      .find((e) => e.type === 'IpsecSaExpired');
    expect(expiry?.evidence.length).toBeGreaterThan(0);
    expect(expiry?.evidence.every((e) => OBSERVATION_ID.test(e))).toBe(true);

    const { code, stdout, stderr } = await samon(env, 'timeline', '--tunnel', named);
    expect(code, stderr).toBe(0);
    const printed = lines(stdout).map(
      (line) => JSON.parse(line) as { type: string; evidence: string[]; evidenceIds?: string[] },
    );
    expect(printed.flatMap((e) => e.evidence).filter((e) => OBSERVATION_ID.test(e))).toEqual([]);
    const expired = printed.find((e) => e.type === 'IpsecSaExpired');
    expect(expired?.evidenceIds).toEqual(expiry?.evidence);
    expect(expired?.evidence).toEqual([
      expect.stringMatching(
        /^<30>Nov 27 10:00:0\d srx-tl kmd\[1555\]: KMD_PM_SA_ESTABLISHED: .*SPI: 0x2000/,
      ),
    ]);
  });

  it('keeps [from, to): RFC 3339 with any offset, and times relative to now', async () => {
    const window = await samon(
      env,
      'timeline',
      '--tunnel',
      named,
      '--from',
      '2026-11-27T10:00:00Z',
      '--to',
      '2026-11-27T12:00:00+01:00',
    );
    expect(window.code, window.stderr).toBe(0);
    const inWindow = expected.filter((json) => {
      const at = Date.parse((JSON.parse(json) as { at: string }).at);
      return at >= T0 + HOUR && at < T0 + 2 * HOUR;
    });
    expect(inWindow.length).toBeGreaterThan(3);
    expect(lines(window.stdout)).toEqual(inWindow);
    expect(types(window.stdout)).not.toContain('IkeSaExpired'); // at 11:00:00, excluded

    const everything = await samon(env, 'timeline', '--tunnel', named, '--from', '-100000d');
    expect(everything.code, everything.stderr).toBe(0);
    expect(lines(everything.stdout)).toEqual(expected);
    const nothing = await samon(env, 'timeline', '--tunnel', named, '--to', '-100000d');
    expect(nothing.code, nothing.stderr).toBe(0);
    expect(nothing.stdout).toBe('');
  });

  it('prints an aligned table that fits 120 columns', async () => {
    const { code, stdout, stderr } = await samon(
      env,
      'timeline',
      '--tunnel',
      named,
      '--format',
      'table',
    );
    expect(code, stderr).toBe(0);
    const rows = lines(stdout);
    expect(rows[0]).toMatch(/^TIME \(UTC\)\s+TUNNEL\s+EVENT\s+HOW\s+DETAILS$/);
    expect(rows).toHaveLength(expected.length + 1);
    for (const row of rows) expect([...row].length).toBeLessThanOrEqual(120);
    const detailsAt = rows[0]!.indexOf('DETAILS');
    const rekey = rows.find((row) => row.includes('IpsecSaRekeyed'));
    expect(rekey).toMatch(
      /^2026-11-27 10:00:0\d\.000 {2}srx-tl\/vpn-a\s+IpsecSaRekeyed\s+observed/,
    );
    expect(rekey?.slice(detailsAt)).toMatch(/^(inbound|outbound) 0x1000/);
    expect(rows.find((row) => row.includes('IpsecSaExpired'))).toContain('inferred');
  });

  it('prints a Markdown postmortem section with the evidence lines', async () => {
    const { code, stdout } = await samon(
      env,
      'timeline',
      '--tunnel',
      named,
      '--format',
      'markdown',
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^## Tunnel `srx-tl\/vpn-a`\n/);
    expect(stdout).toContain(`Also known as \`${provisional}\``);
    const tableRows = lines(stdout).filter((line) => /^\| \d+ \|/.test(line));
    expect(tableRows).toHaveLength(expected.length);
    expect(stdout).toContain('### Evidence');
    expect(stdout).toContain('```\n<30>Nov 27 09:00:00 srx-tl kmd[1555]: KMD_PM_SA_ESTABLISHED');
    expect(stdout).toContain('*(inferred)*');
    // Inferred events' evidence: raw lines read back from the observation log, not ids.
    expect(stdout).not.toMatch(/^\d+@\d+$/m);
  });

  it('exits 0 with a note on stderr when there are no events', async () => {
    const late = await samon(env, 'timeline', '--tunnel', named, '--from', '2027-01-01T00:00:00Z');
    expect(late.code).toBe(0);
    expect(late.stdout).toBe('');
    expect(late.stderr).toMatch(/no lifecycle events for tunnel srx-tl\/vpn-a/);
    expect(late.stderr).toContain('It has events from 2026-11-27T09:00:00.000Z');

    const unknown = await samon(env, 'timeline', '--tunnel', 'srx-tl/nope', '--format', 'table');
    expect(unknown.code).toBe(0);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain('Tunnel ids are ROUTER/VPN');
  });

  it('exits 2 for unusable arguments', async () => {
    for (const args of [
      ['--tunnel', named, '--from', 'yesterday'],
      ['--tunnel', named, '--to', '2026-11-27 10:00'],
      ['--tunnel', named, '--from', '2026-11-27T11:00:00Z', '--to', '2026-11-27T10:00:00Z'],
      ['--tunnel', named, '--format', 'csv'],
      ['--tunnel', ''],
      [],
    ]) {
      const result = await samon(env, 'timeline', ...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).not.toBe('');
    }
  });

  it('exits 1 and says what to check when the log cannot be opened', async () => {
    const missing = await samon(
      { SAMON_LOG__SQLITE__PATH: join(dir, 'nowhere', 'samon.db') },
      'timeline',
      '--tunnel',
      named,
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('there is no event log at');
    expect(missing.stderr).toContain('SAMON_LOG__SQLITE__PATH');

    const garbage = join(dir, 'garbage.db');
    writeFileSync(garbage, 'not a database, just some text that is long enough '.repeat(100));
    const broken = await samon({ SAMON_LOG__SQLITE__PATH: garbage }, 'timeline', '--tunnel', named);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`cannot open the embedded log ${garbage}`);
  });
});

describeKafka('samon timeline on Kafka', (brokers) => {
  // The shared broker's own lifecycle topic: a router name of our own keeps other runs apart.
  const router = `srx-tl-${randomUUID().slice(0, 8)}`;
  const named = `${router}/vpn-a`;
  const provisional = `${router}/192.0.2.1~198.51.100.7`;
  const env = { SAMON_LOG__KIND: 'kafka', SAMON_LOG__KAFKA__BROKERS: brokers.join(',') };
  const start = Date.now() - 12 * HOUR;
  let stored: string[] = [];
  let expected: string[] = [];

  beforeAll(async () => {
    const log = await openEventLog({ kind: 'kafka', brokers, partitions: 4, logLevel: 'error' });
    try {
      for (const topic of [TOPICS.observations, TOPICS.lifecycle]) await log.ensureTopic(topic, 4);
      // The observations go to the shared observations topic; each gets its partition@offset as
      // the projector gives it (evidence: id), so stored events cite records on the broker.
      const story = tunnelStory(router, start);
      const placed = await log.append(observationRecords(TOPICS.observations, story));
      const fold = saFold();
      let state = fold.initial(router);
      const events: LifecycleEvent[] = [];
      for (const [i, observation] of story.entries()) {
        const at = placed[i]!;
        observation.id = `${at.partition}@${at.offset}`;
        const result = fold.evolve(state, observation);
        state = result.state;
        events.push(...result.events);
      }
      // As the projector writes them: key = tunnel (or router), timestamp = event time.
      await log.append(
        events.map((event) => ({
          topic: TOPICS.lifecycle,
          key: event.tunnel ?? event.router,
          value: Buffer.from(JSON.stringify(event)),
          headers: { type: event.type },
          timestamp: Date.parse(event.at),
        })),
      );
      stored = await storedEvents(log, [named, provisional]);
      expected = await withRawLines(log, stored);
    } finally {
      await log.close();
    }
  });

  it('reads a tunnel and its alias from the lifecycle topic, evidence ids as raw lines', async () => {
    // Inferred events cite observations by id; samon timeline read them back from the broker.
    const cited = stored.flatMap((json) => (JSON.parse(json) as { evidence: string[] }).evidence);
    expect(cited.filter((e) => OBSERVATION_ID.test(e)).length).toBeGreaterThan(0);
    expect(
      expected.some((json) => json.includes(`${router} kmd[1555]: KMD_PM_SA_ESTABLISHED`)),
    ).toBe(true);
    expect(expected.length).toBeGreaterThan(10);
    const byName = await samon(env, 'timeline', '--tunnel', named);
    expect(byName.code, byName.stderr).toBe(0);
    expect(lines(byName.stdout)).toEqual(expected);
    const byAlias = await samon(env, 'timeline', '--tunnel', provisional);
    expect(byAlias.code, byAlias.stderr).toBe(0);
    expect(byAlias.stdout).toBe(byName.stdout);

    const from = new Date(start + HOUR).toISOString();
    const to = new Date(start + 2 * HOUR).toISOString();
    const window = await samon(env, 'timeline', '--tunnel', named, '--from', from, '--to', to);
    expect(window.code, window.stderr).toBe(0);
    expect(lines(window.stdout)).toEqual(
      expected.filter((json) => {
        const at = (JSON.parse(json) as { at: string }).at;
        return at >= from && at < to;
      }),
    );
    expect(lines(window.stdout).length).toBeGreaterThan(3);
  });

  it('exits 1 and names the brokers when Kafka cannot be reached', async () => {
    const result = await samon(
      { SAMON_LOG__KIND: 'kafka', SAMON_LOG__KAFKA__BROKERS: '127.0.0.1:1' },
      'timeline',
      '--tunnel',
      named,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot open Kafka 127.0.0.1:1');
    expect(result.stderr).toContain('kafka.brokers');
  });
});
