import { execFileSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { SnmpConfig, type SnmpTargetConfig } from '../../../src/config/schema.js';
import { CollectMetrics } from '../../../src/collect/metrics.js';
import { startSnmp } from '../../../src/collect/snmp/index.js';
import { pollTarget, type SnmpDecoder } from '../../../src/collect/snmp/poll.js';
import { openSession } from '../../../src/collect/snmp/session.js';
import { walkSubtrees } from '../../../src/collect/snmp/walk.js';
import { decodeSystem } from '../../../src/junos/snmp/decode.js';
import type { Observation, ObservationOf } from '../../../src/domain/index.js';
import { capturingLogger, memoryAppender } from './support/memoryLog.js';
import { freeUdpPort, startSnmpd, type Snmpd } from './support/snmpd.js';

// The poller's I/O against Debian's C snmpd (no Junos MIB there: the walk plan is the system
// group and two ifTable columns, decoded by a stand-in decoder — the Junos decoding is tested
// against snmpsim recordings in poll.e2e.test.ts).

const IF_ENTRY = '1.3.6.1.2.1.2.2.1';
const plan = () => [
  { name: 'ifTable', oid: IF_ENTRY, columns: [2, 3] },
  { name: 'system', oid: '1.3.6.1.2.1.1.9' },
];

/** Each walked varbind becomes one row observation (snmp-counters with the value). */
const testDecoder: SnmpDecoder = {
  decodeSystem,
  decodeTable: (_platform, table, varbinds) => ({
    observations: varbinds.map((v) => ({
      kind: 'snmp-counters' as const,
      data: { counters: { [v.oid]: String(v.type) } },
      raw: `${table.name} ${v.oid}`,
    })),
    errors: [],
  }),
  decodeGlobalCounters: (varbinds) => ({
    counters: Object.fromEntries(varbinds.map((v) => [v.oid, String(v.type)])),
  }),
};

let snmpd: Snmpd;
let base: SnmpTargetConfig;

beforeAll(async () => {
  snmpd = await startSnmpd({ sysName: 'srx-lab' });
  base = SnmpConfig.parse({
    targets: [
      {
        name: 'srx-lab',
        address: '127.0.0.1',
        port: snmpd.port,
        platform: 'srx',
        community: snmpd.community,
        timeout: 1_000,
        retries: 0,
      },
    ],
  }).targets[0]!;
});
afterAll(async () => {
  await snmpd?.stop();
});

const v3 = () => ({
  ...base,
  version: '3' as const,
  community: undefined,
  user: snmpd.v3.user,
  authProtocol: 'sha' as const,
  authKey: snmpd.v3.authKey,
  privProtocol: 'aes' as const,
  privKey: snmpd.v3.privKey,
});

function lastPoll(observations: readonly Observation[]): ObservationOf<'snmp-poll'> {
  const last = observations.at(-1);
  if (last?.kind !== 'snmp-poll') throw new Error(`last observation is ${last?.kind}`);
  return last;
}

function bulkwalk(oid: string): string[] {
  const out = execFileSync(
    'snmpbulkwalk',
    ['-v2c', '-c', snmpd.community, '-On', '-m', '', `127.0.0.1:${snmpd.port}`, oid],
    { encoding: 'utf8' },
  );
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' = ')[0]!.replace(/^\./, ''));
}

describe('walking with GETBULK, the listed columns side by side', () => {
  it('returns what snmpbulkwalk returns, for every number of repetitions', async () => {
    const expected = [...bulkwalk(`${IF_ENTRY}.2`), ...bulkwalk(`${IF_ENTRY}.3`)];
    const system = bulkwalk('1.3.6.1.2.1.1');
    expect(expected.length).toBeGreaterThan(1);
    for (const repetitions of [1, 2, 3, 25]) {
      const session = openSession(base);
      try {
        const columns = await walkSubtrees(
          session,
          [`${IF_ENTRY}.2`, `${IF_ENTRY}.3`],
          repetitions,
        );
        expect(columns.varbinds.map((v) => v.oid)).toEqual(expected);
        const whole = await walkSubtrees(session, ['1.3.6.1.2.1.1'], repetitions);
        expect(whole.varbinds.map((v) => v.oid)).toEqual(system);
      } finally {
        session.close();
      }
    }
  });
});

describe('one poll', () => {
  it('SNMPv2c: snmp-system, the rows, snmp-counters, then one snmp-poll, all at the poll time', async () => {
    const { observations, ok, rows } = await pollTarget(base, { decoder: testDecoder, plan });
    expect(ok).toBe(true);
    const kinds = observations.map((o) => o.kind);
    expect(kinds[0]).toBe('snmp-system');
    expect(kinds.at(-2)).toBe('snmp-counters');
    expect(kinds.at(-1)).toBe('snmp-poll');
    expect(rows).toBe(bulkwalk(`${IF_ENTRY}.2`).length * 2);
    const system = observations[0] as ObservationOf<'snmp-system'>;
    expect(system.data.sysName).toBe('srx-lab');
    expect(system.data.sysUpTimeSeconds).toBeGreaterThanOrEqual(0);
    const times = new Set(observations.map((o) => o.time));
    expect(times.size).toBe(1);
    for (const o of observations) {
      expect(o).toMatchObject({ v: 1, router: 'srx-lab', source: 'snmp' });
      expect(Date.parse(o.receivedAt!)).toBeGreaterThanOrEqual(Date.parse(o.time));
    }
    expect(lastPoll(observations).data).toMatchObject({
      target: `127.0.0.1:${snmpd.port}`,
      ok: true,
      rows,
      platform: 'srx',
      tables: ['ifTable', 'system'],
    });
    expect(lastPoll(observations).data.error).toBeUndefined();
  });

  it('over IPv6 (udp6 for an IPv6 address)', async () => {
    expect(snmpd.ipv6, 'this machine has no IPv6 loopback (::1)').toBe(true);
    const v4 = await pollTarget(base, { decoder: testDecoder, plan });
    const outcome = await pollTarget({ ...base, address: '::1' }, { decoder: testDecoder, plan });
    expect(outcome.ok).toBe(true);
    expect(outcome.rows).toBe(v4.rows);
    expect(lastPoll(outcome.observations).data.target).toBe(`[::1]:${snmpd.port}`);
  });

  it('SNMPv3 authPriv (SHA/AES) polls the same rows', async () => {
    const v2 = await pollTarget(base, { decoder: testDecoder, plan });
    const outcome = await pollTarget(v3(), { decoder: testDecoder, plan });
    expect(outcome.ok).toBe(true);
    expect(outcome.rows).toBe(v2.rows);
  });

  it('a wrong authKey fails at once with a clear error', async () => {
    const outcome = await pollTarget(
      { ...v3(), authKey: 'not-the-auth-key' },
      { decoder: testDecoder, plan },
    );
    expect(outcome.ok).toBe(false);
    expect(outcome.failure).toBe('auth');
    expect(outcome.durationMs).toBeLessThan(900);
    expect(lastPoll(outcome.observations).data.error).toBe(
      'SNMPv3 authentication failed: wrong authKey or authProtocol',
    );
    expect(outcome.observations.map((o) => o.kind)).toEqual(['snmp-poll']);
  });

  it('an unknown user fails with a clear error', async () => {
    const outcome = await pollTarget({ ...v3(), user: 'nobody' }, { decoder: testDecoder, plan });
    expect(lastPoll(outcome.observations).data.error).toBe(
      'SNMPv3 authentication failed: unknown user',
    );
  });

  it('a wrong community is a timeout, after the configured timeout and no later', async () => {
    const outcome = await pollTarget(
      { ...base, community: 'not-the-community', timeout: 300, retries: 1 },
      { decoder: testDecoder, plan },
    );
    expect(outcome.ok).toBe(false);
    expect(outcome.failure).toBe('timeout');
    // Two tries of 300 ms.
    expect(outcome.durationMs).toBeGreaterThanOrEqual(590);
    expect(outcome.durationMs).toBeLessThan(1_500);
    expect(lastPoll(outcome.observations).data).toMatchObject({
      ok: false,
      rows: 0,
      tables: [],
    });
    expect(lastPoll(outcome.observations).data.error).toMatch(/^timeout: no answer/);
  });

  it('a wrong privKey is a timeout too (the agent drops what it cannot decrypt), said so', async () => {
    const outcome = await pollTarget(
      { ...v3(), privKey: 'not-the-priv-key', timeout: 300 },
      { decoder: testDecoder, plan },
    );
    expect(outcome.failure).toBe('timeout');
    expect(lastPoll(outcome.observations).data.error).toMatch(/wrong privKey/);
  });
});

describe('credentials never leave', () => {
  it('no community or key in any observation or log line, whatever fails', async () => {
    const canary = {
      community: 'CANARY-community-5f1e',
      authKey: 'CANARY-authkey-77a0',
      privKey: 'CANARY-privkey-c3d9',
    };
    const { logger, lines } = capturingLogger();
    const { appender, records } = memoryAppender();
    const registry = new Registry();
    const config = SnmpConfig.parse({
      targets: [
        { ...base, name: 'bad-community', community: canary.community, timeout: 200 },
        {
          ...base,
          name: 'bad-keys',
          version: 3,
          community: undefined,
          user: snmpd.v3.user,
          authKey: canary.authKey,
          privKey: canary.privKey,
        },
        {
          ...base,
          name: 'unknown-user',
          version: 3,
          community: undefined,
          user: 'nobody',
          authKey: canary.authKey,
          privKey: canary.privKey,
        },
      ],
      traps: { enabled: true, port: await freeUdpPort(), communities: [canary.community] },
      jitter: 0,
    });
    logger.info({ snmp: config }, 'the configuration, as a careless log line would hold it');
    const snmp = await startSnmp({
      config,
      appender,
      collectMetrics: new CollectMetrics(registry),
      registry,
      logger,
      onRouterSeen: () => {},
      poll: { decoder: testDecoder, plan },
    });
    const deadline = Date.now() + 5_000;
    while (records.filter((r) => r.observation.kind === 'snmp-poll').length < 3) {
      if (Date.now() > deadline) throw new Error('three polls did not end within 5 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    await snmp.close();
    await appender.close();
    const text = [...records.map((r) => JSON.stringify(r.observation)), ...lines].join('\n');
    expect(text).toContain('timeout: no answer');
    expect(text).toContain('unknown user');
    expect(text).toContain('[redacted]');
    for (const secret of Object.values(canary)) expect(text).not.toContain(secret);
  });
});

describe('the poller in the collector', () => {
  let blackhole: Socket;
  beforeAll(async () => {
    blackhole = createSocket('udp4');
    await new Promise<void>((resolve) => blackhole.bind(0, '127.0.0.1', resolve));
  });
  afterAll(() => blackhole.close());

  it('polls targets side by side: one that never answers does not delay the others', async () => {
    const { appender, records } = memoryAppender();
    const registry = new Registry();
    const fast = ['f1', 'f2', 'f3'].map((name) => ({ ...base, name, interval: 1 }));
    const dead = {
      ...base,
      name: 'dead',
      port: blackhole.address().port,
      interval: 1,
      timeout: 2_500,
      retries: 0,
    };
    const config = SnmpConfig.parse({
      targets: [dead, ...fast],
      concurrency: 2,
      jitter: 0,
    });
    const seen = new Set<string>();
    const started = Date.now();
    const snmp = await startSnmp({
      config,
      appender,
      collectMetrics: new CollectMetrics(registry),
      registry,
      logger: capturingLogger().logger,
      onRouterSeen: (router) => seen.add(router),
      poll: { decoder: testDecoder, plan },
    });
    // Until each fast target has answered five polls (slots 0–4 s), by its own counter: a fixed
    // sleep makes the count depend on how loaded the host is.
    const okPolls = async () => {
      const metric = await registry.getSingleMetric('samon_snmp_polls_total')?.get();
      const ok = (name: string) =>
        metric?.values.find((v) => v.labels.target === name && v.labels.outcome === 'ok')?.value ??
        0;
      return Math.min(...fast.map(({ name }) => ok(name)));
    };
    const deadline = Date.now() + 20_000;
    while ((await okPolls()) < 5 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await snmp.close();
    await appender.close();
    const polls = records
      .map((r) => r.observation)
      .filter((o): o is ObservationOf<'snmp-poll'> => o.kind === 'snmp-poll');
    const counts = new Map<string, number>();
    for (const { name } of fast) {
      const mine = polls.filter((p) => p.router === name);
      expect(mine.every((p) => p.data.ok)).toBe(true);
      expect(mine.length, name).toBeGreaterThanOrEqual(5);
      counts.set(name, mine.length);
      // Slots 0, 1, 2, 3, 4 s: each poll started within 1 s of its slot. Waiting behind the
      // dead target would have cost its 2.5 s timeout.
      mine
        .slice(0, 5)
        .forEach((p, i) =>
          expect(Date.parse(p.time) - started - i * 1_000, `${name} poll ${i}`).toBeLessThan(1_000),
        );
    }
    const deadPolls = polls.filter((p) => p.router === 'dead');
    expect(deadPolls.length).toBeGreaterThanOrEqual(1);
    expect(deadPolls.every((p) => !p.data.ok && p.data.error?.startsWith('timeout'))).toBe(true);
    // Records are keyed by router, as syslog's are.
    expect(records.every((r) => r.key === r.observation.router)).toBe(true);
    expect(seen).toEqual(new Set(['dead', 'f1', 'f2', 'f3']));
    const text = await registry.metrics();
    // The counters count what was appended: one poll, one step.
    for (const [name, count] of counts)
      expect(text).toContain(
        `samon_snmp_polls_total{target="${name}",platform="srx",outcome="ok"} ${count}`,
      );
    expect(text).toContain(
      `samon_snmp_polls_total{target="dead",platform="srx",outcome="error"} ${deadPolls.length}`,
    );
    expect(text).toContain(
      `samon_observations_total{source="snmp",kind="snmp-poll"} ${polls.length}`,
    );
  });

  it('stops at once, abandoning a poll in flight without recording it', async () => {
    const { appender, records } = memoryAppender();
    const registry = new Registry();
    const config = SnmpConfig.parse({
      targets: [
        { ...base, name: 'dead', port: blackhole.address().port, timeout: 20_000, retries: 0 },
      ],
      jitter: 0,
    });
    const snmp = await startSnmp({
      config,
      appender,
      collectMetrics: new CollectMetrics(registry),
      registry,
      logger: capturingLogger().logger,
      onRouterSeen: () => {},
      poll: { decoder: testDecoder, plan },
    });
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    await snmp.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    await appender.close();
    expect(records).toEqual([]);
    // the target's series exist from the start, at 0: nothing was counted
    expect(await registry.metrics()).not.toMatch(/samon_snmp_polls_total\{[^}]*\} [1-9]/);
  });
});
