import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../../../src/collect/collector.js';
import { Config } from '../../../src/config/index.js';
import { Observation, type ObservationOf } from '../../../src/domain/index.js';
import { createSyslogParser } from '../../../src/junos/syslog/index.js';
import { openEventLog } from '../../../src/log/index.js';
import { TOPICS, type EventLog } from '../../../src/log/port.js';
import { startSnmpsim, type Snmpsim } from '../../support/snmpsim.js';

// The collect role with SNMP configured, into the embedded log: every recording of
// test/fixtures/snmp is one target of one snmpsim (community = file stem), polled side by side
// with a target that never answers; the decoded rows land in the log keyed by router.

const DATA = resolve(import.meta.dirname, '../../fixtures/snmp');
const RECORDINGS = [
  ['srx-ipv4', 'srx'],
  ['srx-ipv6', 'srx'],
  ['srx-text-inetaddress', 'srx'],
  ['srx-malformed', 'srx'],
  ['mx', 'mx'],
] as const;

let sim: Snmpsim;
let dir: string;
let log: EventLog;
beforeAll(async () => {
  sim = await startSnmpsim({ dataDir: DATA });
  dir = mkdtempSync(join(tmpdir(), 'samon-snmp-collect-'));
  log = await openEventLog({ kind: 'sqlite', path: join(dir, 'samon.db') });
});
afterAll(async () => {
  await log?.close();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function observations(): Promise<Observation[]> {
  const out: Observation[] = [];
  for (const { partition } of await log.partitions(TOPICS.observations)) {
    for await (const record of log.read(TOPICS.observations, { partition, from: 'beginning' })) {
      const observation = Observation.parse(JSON.parse(record.value.toString('utf8')));
      expect(record.key).toBe(observation.router);
      out.push(observation);
    }
  }
  return out;
}

/** The fewest successful polls of any recording so far, from the collector's own counter. */
async function okPolls(registry: Registry): Promise<number> {
  const metric = await registry.getSingleMetric('samon_snmp_polls_total')?.get();
  const ok = (stem: string) =>
    metric?.values.find((v) => v.labels.target === stem && v.labels.outcome === 'ok')?.value ?? 0;
  return Math.min(...RECORDINGS.map(([stem]) => ok(stem)));
}

describe('the collect role with SNMP targets', () => {
  it('polls every recording side by side, keeps the decoded rows, counts decode errors', async () => {
    const config = Config.parse({
      syslog: { udp: { enabled: false }, tcp: { enabled: false } },
      snmp: {
        concurrency: 4,
        jitter: 0,
        targets: [
          ...RECORDINGS.map(([stem, platform]) => ({
            name: stem,
            address: '127.0.0.1',
            port: sim.port,
            platform,
            community: sim.community(stem),
            interval: 2,
          })),
          // Port 9 (discard): nothing answers.
          {
            name: 'dead',
            address: '127.0.0.1',
            port: 9,
            platform: 'srx',
            community: 'x',
            timeout: 3_000,
            retries: 0,
            interval: 2,
          },
        ],
      },
    });
    const registry = new Registry();
    const collector = await startCollector({
      config,
      log,
      logger: pino({ level: 'silent' }),
      registry,
      parse: createSyslogParser({ timezone: 'UTC' }),
    });
    expect(collector.snmp?.targets).toBe(6);
    // Until every recording has answered three polls (slots 0, 2 and 4 s, whatever the dead
    // target does). A fixed sleep was not enough on a loaded CI host: snmpsim answers slowly.
    const deadline = Date.now() + 30_000;
    while ((await okPolls(registry)) < 3 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await collector.close();

    const all = await observations();
    const polls = all.filter((o): o is ObservationOf<'snmp-poll'> => o.kind === 'snmp-poll');
    const counts = new Map<string, number>();
    for (const [stem] of RECORDINGS) {
      const mine = polls.filter((p) => p.router === stem);
      expect(mine.length, stem).toBeGreaterThanOrEqual(3);
      counts.set(stem, mine.length);
      expect(mine.every((p) => p.data.ok)).toBe(true);
      const rows = all.filter((o) => o.router === stem && o.kind !== 'snmp-poll');
      expect(rows[0]?.kind, stem).toBe('snmp-system');
      expect(rows.length, stem).toBeGreaterThan(3 * 3);
    }
    expect(polls.filter((p) => p.router === 'dead').every((p) => !p.data.ok)).toBe(true);

    const malformed = polls.filter((p) => p.router === 'srx-malformed');
    const perPoll = Number(/^(\d+) values? not decoded/.exec(malformed[0]!.data.error ?? '')?.[1]);
    expect(perPoll).toBeGreaterThan(0);
    const metrics = await registry.metrics();
    // The metrics count what the log holds: one poll, one counter step.
    expect(metrics).toContain(
      `samon_snmp_decode_errors_total{platform="srx"} ${malformed.length * perPoll}`,
    );
    expect(metrics).toContain(
      `samon_snmp_polls_total{target="mx",platform="mx",outcome="ok"} ${counts.get('mx')}`,
    );
    expect(metrics).toContain(
      'samon_snmp_polls_total{target="mx",platform="mx",outcome="error"} 0',
    );
    expect(metrics).toMatch(
      /samon_snmp_polls_total\{target="dead",platform="srx",outcome="error"\} [12]/,
    );
    expect(metrics).toMatch(/samon_observations_total\{source="snmp",kind="snmp-ipsec-sa"\} \d+/);
  });
});
