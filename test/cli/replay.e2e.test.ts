import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LifecycleEvent } from '../../src/domain/lifecycle.js';
import { REPO_ROOT, runSamon, type SamonRun } from '../support/runSamon.js';
import { SAMON_BIN } from '../support/samonProcess.js';

// Runs the built CLI (`npm test` builds first; by hand: npm run build).
const FIX = 'test/fixtures/replay';
const KMD = `${FIX}/srx1-kmd.log`;
const SHOW_LOG = `${FIX}/srx2-show-log.txt`;
const CONF = `${FIX}/srx1.conf`;
const dir = mkdtempSync(join(tmpdir(), 'samon-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const samon = (args: string[]): Promise<SamonRun> => runSamon(args);

const replay = (...args: string[]) => samon(['replay', '--year', '2026', ...args]);

function events(text: string): LifecycleEvent[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => LifecycleEvent.parse(JSON.parse(l)));
}

function file(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const sa = (time: string, dir: 'inbound' | 'outbound', spi: string) =>
  `<30>1 ${time} srx9 kmd 7 KMD_PM_SA_ESTABLISHED - KMD_PM_SA_ESTABLISHED: Local gateway: 10.9.0.1, Remote gateway: 10.9.0.2, Local ID: ipv4_subnet(any:0,[0..7]=0.0.0.0/0), Remote ID: ipv4_subnet(any:0,[0..7]=0.0.0.0/0), Direction: ${dir}, SPI: ${spi}, AUX-SPI: 0, Mode: Tunnel, Type: dynamic, Traffic-selector:  FC Name: `;

describe('samon replay', () => {
  it('turns archived syslog into lifecycle events (NDJSON, contract shape), exit 0', async () => {
    const run = await replay('--junos-config', CONF, KMD, SHOW_LOG);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const list = events(run.stdout);
    const branch = list.filter((e) => e.tunnel === 'srx1/vpn-branch7').map((e) => e.type);
    expect(branch).toEqual([
      'TunnelDiscovered',
      'IkeSaEstablished',
      'IpsecSaEstablished',
      'IpsecSaEstablished',
      'TunnelUp',
      'CertificateCheckFailed',
      'NegotiationFailed',
      'IpsecSaRekeyOverdue',
      'IpsecSaRekeyOverdue',
      'IpsecSaExpired',
      'IpsecSaExpired',
      'TunnelDown',
      'NegotiationFailed',
      'IkeSaEstablished',
      'IkeSaRekeyed',
      'IpsecSaEstablished',
      'IpsecSaEstablished',
      'TunnelUp',
    ]);
    const down = list.find((e) => e.type === 'TunnelDown');
    expect(down).toMatchObject({
      at: '2026-11-27T03:00:05.000Z',
      inferred: true,
      data: { reason: 'lifetime-expired' },
    });
    // config lifetimes (3600 s) and the role of the IKE negotiation
    expect(list.find((e) => e.type === 'IpsecSaEstablished')?.data).toMatchObject({
      lifetimeSeconds: 3600,
      role: 'initiator',
      lifetimeAssumed: false,
    });
    expect(list.find((e) => e.type === 'InvalidSpiRecovered')).toMatchObject({
      tunnel: 'srx1/vpn-hq',
      data: { via: 'respond-bad-spi', durationSeconds: 30 },
    });
    expect(list.find((e) => e.type === 'CertificateCheckFailed')?.data).toMatchObject({
      enforced: true,
    });
    // the `show log` file of srx2 (year-less, --year) and its silence at the end of the replay
    expect(list.filter((e) => e.router === 'srx2').map((e) => e.type)).toEqual([
      'TunnelDiscovered',
      'IkeSaEstablished',
      'IpsecSaEstablished',
      'IpsecSaEstablished',
      'TunnelUp',
      'RouterSilent',
      'IkeSaExpired',
    ]);
    // time order; ids unique
    const times = list.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(list.map((e) => e.id)).size).toBe(list.length);
  });

  it('is byte-identical across runs, in every format', async () => {
    for (const format of ['ndjson', 'table', 'markdown']) {
      const a = await replay('--junos-config', CONF, '--format', format, KMD, SHOW_LOG);
      const b = await replay('--junos-config', CONF, '--format', format, KMD, SHOW_LOG);
      expect(a.code).toBe(0);
      expect(a.stdout.length).toBeGreaterThan(100);
      expect(b.stdout).toBe(a.stdout);
    }
  });

  it('a file given twice changes nothing: duplicated lines are recognised', async () => {
    const once = await replay('--junos-config', CONF, KMD);
    const twice = await replay('--junos-config', CONF, KMD, KMD);
    expect(twice.stdout).toBe(once.stdout);
  });

  it('merges several files in time order, ties keeping file then line order', async () => {
    const a = file('a.log', [sa('2026-11-27T01:00:00.000Z', 'outbound', '0x00000002')]);
    const b = file('b.log', [
      sa('2026-11-27T00:59:00.000Z', 'inbound', '0x00000003'),
      sa('2026-11-27T01:00:00.000Z', 'inbound', '0x00000001'),
    ]);
    const placed = (run: SamonRun) =>
      events(run.stdout)
        .filter((e) => e.type === 'IpsecSaEstablished')
        .map((e) => (e.data as { spi: string }).spi);
    expect(placed(await replay(a, b))).toEqual(['0x00000003', '0x00000002', '0x00000001']);
    expect(placed(await replay(b, a))).toEqual(['0x00000003', '0x00000001', '0x00000002']);
  });

  it('--now ends the replay: every deadline up to it fires, later lines are left out', async () => {
    const run = await replay('--junos-config', CONF, '--now', '2026-11-27T05:00:00Z', KMD);
    const list = events(run.stdout);
    const hq = list
      .filter((e) => e.tunnel === 'srx1/vpn-hq' && e.inferred)
      .map((e) => [e.type, e.at]);
    expect(hq).toEqual([
      ['TunnelUp', '2026-11-27T02:00:00.000Z'],
      ['InvalidSpiRecovered', '2026-11-27T02:20:30.000Z'],
      ['IpsecSaRekeyOverdue', '2026-11-27T04:17:15.000Z'],
      ['IpsecSaRekeyOverdue', '2026-11-27T04:17:15.000Z'],
      ['IpsecSaExpired', '2026-11-27T04:18:30.000Z'],
      ['IpsecSaExpired', '2026-11-27T04:18:30.000Z'],
      ['TunnelDown', '2026-11-27T04:18:30.000Z'],
    ]);
    const early = events(
      (await replay('--junos-config', CONF, '--now', '2026-11-27T02:10:00Z', KMD)).stdout,
    );
    expect(early.some((e) => Date.parse(e.at) > Date.parse('2026-11-27T02:10:00Z'))).toBe(false);
    expect(early.some((e) => e.type === 'InvalidSpiDetected')).toBe(false);
  });

  it('--now without a zone is read in --tz', async () => {
    const utc = await replay('--now', '2026-11-27T05:00:00Z', KMD);
    const paris = await replay('--tz', 'Europe/Paris', '--now', '2026-11-27 06:00:00', KMD);
    expect(paris.stdout).toBe(utc.stdout);
  });

  it('--tz reads zone-less (show log) timestamps in that zone', async () => {
    const run = await replay('--tz', '+01:00', SHOW_LOG);
    expect(events(run.stdout)[0]?.at).toBe('2026-11-27T01:00:10.000Z');
  });

  it('--state prints the final per-tunnel state, NDJSON sorted by tunnel', async () => {
    const run = await replay('--junos-config', CONF, '--state', KMD, SHOW_LOG);
    expect(run.code).toBe(0);
    const rows = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => r['tunnel'])).toEqual([
      'srx1/vpn-branch7',
      'srx1/vpn-hq',
      'srx2/to-srx1',
    ]);
    for (const row of rows)
      expect(Object.keys(row).slice(0, 6)).toEqual([
        'tunnel',
        'router',
        'status',
        'ike',
        'ipsec',
        'lastEventAt',
      ]);
    expect(rows[1]).toMatchObject({
      status: 'up',
      ipsec: {
        inbound: {
          spi: '0xa0000005',
          softDeadline: '2026-11-27T04:16:15.000Z',
          hardDeadline: '2026-11-27T04:18:30.000Z',
        },
        outbound: { spi: '0xa0000006' },
      },
    });
  });

  it('--state --format table|markdown for people', async () => {
    const table = await replay('--junos-config', CONF, '--state', '--format', 'table', KMD);
    expect(table.stdout.split('\n')[0]).toMatch(
      /^TUNNEL\s+STATUS\s+IKE HARD DEADLINE\s+INBOUND\s+OUTBOUND\s+LAST EVENT \(UTC\)$/,
    );
    expect(table.stdout).toContain('srx1/vpn-hq       up');
    const md = await replay('--junos-config', CONF, '--state', '--format', 'markdown', KMD);
    expect(md.stdout).toContain(
      '| srx1/vpn-hq | up | 2026-11-27 10:00:00 | 0xa0000005 hard 2026-11-27 04:18:30 |',
    );
  });

  it('--state of a configured tunnel that never came up: expected-but-absent', async () => {
    const other = file('quiet.log', [
      '<30>1 2026-11-27T02:00:00.000Z srx1 kmd 1555 - - Config download: Processed 1 - 4 messages',
    ]);
    const run = await replay('--junos-config', CONF, '--state', other);
    expect(
      run.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { status: string }).status),
    ).toEqual(['expected-but-absent', 'expected-but-absent']);
  });

  it('--format table aligns columns for a terminal', async () => {
    const run = await replay('--junos-config', CONF, '--format', 'table', KMD);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TIME \(UTC\)\s+TUNNEL\s+EVENT\s+HOW\s+DETAILS$/);
    const column = lines[0]!.indexOf('EVENT');
    for (const line of lines.slice(1)) expect(line.slice(column - 2, column)).toBe('  ');
    expect(run.stdout).toContain('TunnelDown              inferred  lifetime-expired');
  });

  it('--format markdown writes a postmortem: summary first, a section per tunnel, the raw evidence', async () => {
    const run = await replay('--junos-config', CONF, '--format', 'markdown', KMD, SHOW_LOG);
    const md = run.stdout;
    expect(md.startsWith('# IPsec postmortem')).toBe(true);
    expect(md.indexOf('## Summary')).toBeLessThan(md.indexOf('## srx1/vpn-branch7'));
    expect(md).toContain('**2 tunnels had problems**');
    expect(md).toMatch(
      /\*\*srx1\/vpn-branch7\*\* \(now up\): certificate check failed at 02:57:00 \(crl-download, enforced\)/,
    );
    expect(md).toContain(
      '**down at 03:00:05** (lifetime-expired, inferred), back up at 03:30:00 (after 29 min)',
    );
    expect(md).toContain(
      '| 2026-11-27 03:00:05.000 | tunnel down *(inferred)* | lifetime-expired |',
    );
    expect(md).toContain('<details>');
    expect(md).toContain('```text\n');
    expect(md).toContain(
      '<27>1 2026-11-27T02:57:00.000Z srx1 pkid 1600 - - Failed to download CRL for CA profile corp-ca',
    );
    expect(md).toContain('## Router events');
  });

  it('exit 1 when a file cannot be read, saying which and why, with nothing on stdout', async () => {
    const missing = await replay(KMD, join(dir, 'missing.log'));
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain(`cannot read ${join(dir, 'missing.log')}: no such file`);
    const config = await replay('--junos-config', join(dir, 'nope.conf'), KMD);
    expect(config.code).toBe(1);
    expect(config.stderr).toContain('nope.conf: no such file');
    expect((await replay(dir)).stderr).toContain('is a directory');
  });

  it.skipIf(process.getuid?.() === 0)('exit 1 on a file without read permission', async () => {
    const locked = file('locked.log', ['x']);
    chmodSync(locked, 0o000);
    const run = await replay(locked);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('permission denied');
  });

  it('unusable arguments exit 2', async () => {
    expect((await replay('--now', 'yesterday', KMD)).code).toBe(2);
    expect((await replay('--format', 'csv', KMD)).code).toBe(2);
    expect((await replay('--tz', 'Mars/Olympus', KMD)).code).toBe(2);
  });

  it('ROUTER=FILE names the router of a configuration without host-name', async () => {
    const conf = join(dir, 'branch.conf');
    writeFileSync(
      conf,
      'security { ike { gateway gw { address 10.9.0.2; } } ipsec { vpn v9 { ike { gateway gw; } } } }\n',
    );
    const run = await replay(
      '--junos-config',
      `srx9=${conf}`,
      '--state',
      file('srx9.log', [sa('2026-11-27T01:00:00.000Z', 'inbound', '0x00000001')]),
    );
    const rows = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { tunnel: string });
    expect(rows.map((r) => r.tunnel)).toContain('srx9/v9');
  });

  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!hasScript)(
    'shows a progress bar on stderr for a large file when stderr is a terminal',
    () => {
      const lines: string[] = [];
      for (let i = 0; i < 16_000; i++) {
        const t = new Date(Date.parse('2026-11-27T00:00:00.000Z') + i * 1000).toISOString();
        lines.push(
          sa(t, i % 2 ? 'outbound' : 'inbound', `0x${(i + 1).toString(16).padStart(8, '0')}`),
        );
      }
      const big = file('big.log', lines);
      // `script` gives the child a terminal; stdout goes to /dev/null, the terminal shows stderr.
      const run = spawnSync(
        'script',
        ['-qec', `${process.execPath} ${SAMON_BIN} replay ${big} > /dev/null`, '/dev/null'],
        {
          cwd: REPO_ROOT,
          encoding: 'utf8',
        },
      );
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/samon replay: \[#+\.*\] +\d+% reading/);
      expect(run.stdout).toContain('100%');
    },
  );

  it('prints no progress when stderr is not a terminal', async () => {
    const run = await replay(KMD);
    expect(run.stderr).toBe('');
  });
});
