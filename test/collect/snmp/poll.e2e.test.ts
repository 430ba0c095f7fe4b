import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Observation, type ObservationOf } from '../../../src/domain/index.js';
import { walkPlan } from '../../../src/junos/snmp/oids.js';
import { runSamon, type SamonRun } from '../../support/runSamon.js';
import { startSnmpsim, type Snmpsim } from '../../support/snmpsim.js';

// `samon poll` (contracts.md) as an operator runs it, against Debian's snmpsim serving the
// Junos recordings of test/fixtures/snmp (community = file stem; v3 context = file stem).

const DATA = resolve(import.meta.dirname, '../../fixtures/snmp');
const V3 = { user: 'samon-v3', authKey: 'v3-auth-key-9d2f', privKey: 'v3-priv-key-41ce' };

let sim: Snmpsim;
beforeAll(async () => {
  sim = await startSnmpsim({ dataDir: DATA, v3: V3 });
});
afterAll(async () => {
  await sim?.stop();
});

function lines(run: SamonRun): Observation[] {
  return run.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => Observation.parse(JSON.parse(line)));
}

function poll(observations: readonly Observation[]): ObservationOf<'snmp-poll'> {
  const last = observations.at(-1);
  if (last?.kind !== 'snmp-poll') throw new Error(`the last line is ${last?.kind}`);
  return last;
}

function ofKind<K extends Observation['kind']>(
  observations: readonly Observation[],
  kind: K,
): ObservationOf<K>[] {
  return observations.filter((o): o is ObservationOf<K> => o.kind === kind);
}

const target = () => `127.0.0.1:${sim.port}`;

describe('samon poll', () => {
  it('SRX: the system row, every table of the walk plan decoded, the counters, then snmp-poll', async () => {
    const run = await runSamon([
      'poll',
      '--target',
      target(),
      '--community',
      'srx-ipv4',
      '--platform',
      'srx',
      '--name',
      'srx-edge-1',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const out = lines(run);
    const kinds = out.map((o) => o.kind);
    expect(kinds[0]).toBe('snmp-system');
    expect(kinds.at(-2)).toBe('snmp-counters');
    expect(kinds.at(-1)).toBe('snmp-poll');
    // The rows in walk-plan order: tunnels first, then IKE SAs, SAs, peers.
    const rows = kinds.slice(1, -2);
    expect(rows).toEqual([
      'snmp-ipsec-tunnel',
      'snmp-ipsec-tunnel',
      'snmp-ike-sa',
      'snmp-ipsec-sa',
      'snmp-ipsec-sa',
      'snmp-ipsec-sa',
      'snmp-ike-peer',
      'snmp-ike-peer',
    ]);
    for (const o of out) {
      expect(o).toMatchObject({ router: 'srx-edge-1', source: 'snmp', time: out[0]!.time });
      expect(o.raw).not.toBe('');
    }
    expect(ofKind(out, 'snmp-system')[0]!.data).toEqual({
      sysUpTimeSeconds: 86_400,
      sysName: 'srx-edge-1',
    });
    const tunnels = ofKind(out, 'snmp-ipsec-tunnel');
    expect(tunnels.map((t) => [t.data.remoteGateway, t.data.tunnelIndex, t.data.vpn])).toEqual([
      ['203.0.113.1', 131073, 'vpn-hq-a'],
      ['203.0.113.1', 131074, 'vpn-hq-b'],
    ]);
    const sas = ofKind(out, 'snmp-ipsec-sa');
    expect(sas.map((s) => [s.data.tunnelIndex, s.data.saIndex, s.data.state])).toEqual([
      [131073, 1, 'expiring'],
      [131073, 2, 'active'],
      [131074, 1, 'active'],
    ]);
    expect(ofKind(out, 'snmp-counters')[0]!.data.counters).toMatchObject({
      jnxIpSecGlobalInvalidSpi: '42',
    });
    expect(poll(out).data).toEqual({
      target: target(),
      ok: true,
      durationMs: poll(out).data.durationMs,
      rows: 8,
      platform: 'srx',
      tables: walkPlan('srx').map((t) => t.name),
    });
    expect(run.stderr).toMatch(/samon poll: ok in \d+ ms, 8 rows/);
  });

  it('MX: rows indexed by service set', async () => {
    const run = await runSamon([
      'poll',
      '--target',
      target(),
      '--community',
      'mx',
      '--platform',
      'mx',
      '--name',
      'mx-core-1',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const out = lines(run);
    const sas = ofKind(out, 'snmp-ipsec-sa');
    expect(sas.map((s) => [s.data.serviceSet, s.data.state])).toEqual([
      ['ss-vpn-a', 'active'],
      ['ss-vpn-b', 'expiring'],
    ]);
    expect(ofKind(out, 'snmp-ike-sa').map((s) => s.data.serviceSet)).toEqual([
      'ss-vpn-a',
      'ss-vpn-b',
    ]);
    expect(poll(out).data).toMatchObject({
      ok: true,
      platform: 'mx',
      tables: walkPlan('mx').map((t) => t.name),
    });
    expect(ofKind(out, 'snmp-counters')).toEqual([]);
  });

  it('an IPv6 peer', async () => {
    const run = await runSamon(['poll', '--target', target(), '--community', 'srx-ipv6']);
    expect(run.code, run.stderr).toBe(0);
    const out = lines(run);
    // Without --name the router is the target host.
    expect(out.every((o) => o.router === '127.0.0.1')).toBe(true);
    expect(ofKind(out, 'snmp-ipsec-sa').map((s) => s.data.remoteGateway)).toEqual([
      '2001:db8:100::1',
    ]);
  });

  it('SNMPv3 authPriv (SHA/AES) polls the same rows as v2c', async () => {
    const v2 = lines(await runSamon(['poll', '--target', target(), '--community', 'srx-ipv4'])).map(
      (o) => o.raw,
    );
    const run = await runSamon([
      'poll',
      '--target',
      target(),
      '--v3-user',
      V3.user,
      '--v3-auth-key',
      V3.authKey,
      '--v3-priv-key',
      V3.privKey,
      '--v3-context',
      'srx-ipv4',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const v3 = lines(run).map((o) => o.raw);
    // Same rows; the poll line differs only in its duration.
    expect(v3.slice(0, -1)).toEqual(v2.slice(0, -1));
  });

  it('a wrong v3 key fails with a clear error, exit 1, and never prints a key', async () => {
    const run = await runSamon([
      'poll',
      '--target',
      target(),
      '--v3-user',
      V3.user,
      '--v3-auth-key',
      'CANARY-wrong-auth-key',
      '--v3-priv-key',
      V3.privKey,
      '--v3-context',
      'srx-ipv4',
      '--timeout',
      '500',
      '--retries',
      '0',
    ]);
    expect(run.code).toBe(1);
    const out = lines(run);
    expect(out.map((o) => o.kind)).toEqual(['snmp-poll']);
    expect(poll(out).data).toMatchObject({ ok: false, rows: 0, tables: [] });
    expect(poll(out).data.error).toMatch(/^SNMPv3 authentication failed: wrong authKey/);
    expect(run.stdout + run.stderr).not.toContain('CANARY');
    expect(run.stdout + run.stderr).not.toContain(V3.privKey);
  });

  it('a wrong community times out quickly: exit 1, the snmp-poll line says why', async () => {
    const started = Date.now();
    const run = await runSamon([
      'poll',
      '--target',
      target(),
      '--community',
      'CANARY-no-such-community',
      '--timeout',
      '300',
      '--retries',
      '0',
    ]);
    expect(run.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(5_000);
    const out = lines(run);
    expect(out).toHaveLength(1);
    expect(poll(out).data.error).toMatch(/^timeout: no answer/);
    expect(poll(out).data.durationMs).toBeGreaterThanOrEqual(290);
    expect(poll(out).data.durationMs).toBeLessThan(1_500);
    expect(run.stdout + run.stderr).not.toContain('CANARY');
  });

  it('malformed values: the good rows kept, the bad ones counted and named in the error', async () => {
    const run = await runSamon([
      'poll',
      '--target',
      target(),
      '--community',
      'srx-malformed',
      '--name',
      'srx-broken',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const out = lines(run);
    const data = poll(out).data;
    expect(data.ok).toBe(true);
    expect(data.rows).toBeGreaterThan(0);
    expect(data.rows).toBe(out.length - 2);
    expect(data.error).toMatch(/^\d+ values? not decoded \(1\.3\.6\.1\.4\.1\.2636\.3\.52\.1\./);
    // Every error is kept, with its OID, in the snmp-poll line.
    const count = Number(/^(\d+)/.exec(data.error ?? '')?.[1]);
    const kept = data.decodeErrors as { oid: string; message: string }[];
    expect(kept).toHaveLength(count);
    expect(kept).toContainEqual({
      oid: '1.3.6.1.4.1.2636.3.52.1.2.2.1.5.1.4.203.0.113.1.131073',
      message: expect.stringMatching(/jnxIpSecTunMonLocalGwAddr: expected InetAddress/) as string,
    });
    expect(ofKind(out, 'snmp-ipsec-sa').length).toBeGreaterThanOrEqual(1);
  });

  it('unusable arguments exit 2 with a message', async () => {
    const cases: [string[], RegExp][] = [
      [['poll', '--community', 'c'], /--target/],
      [['poll', '--target', target()], /--community C \(SNMPv2c\) or --v3-user/],
      [
        ['poll', '--target', target(), '--community', 'c', '--v3-user', 'u'],
        /either --community .* or --v3-user/,
      ],
      [['poll', '--target', target(), '--community', 'c', '--platform', 'ex'], /--platform/],
      [['poll', '--target', 'host:99999', '--community', 'c'], /port must be 1–65535/],
      [['poll', '--target', target(), '--community', 'c', '--timeout', 'soon'], /--timeout/],
      [
        ['poll', '--target', target(), '--v3-user', 'u', '--v3-auth-key', 'short'],
        /--v3-auth-key: SNMPv3 keys have at least 8 characters/,
      ],
    ];
    for (const [args, message] of cases) {
      const run = await runSamon(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(message);
      expect(run.stdout).toBe('');
    }
  });

  it('--help describes the command', async () => {
    const run = await runSamon(['poll', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/one SNMP poll of one router/);
    expect(run.stdout).toMatch(/--v3-priv-protocol/);
  });
});
