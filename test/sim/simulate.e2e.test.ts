import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SAMON_BIN, samonEnv, startSamon, type RunningSamon } from '../support/samonProcess.js';
import { selfSignedCert } from '../support/tls.js';

// The built CLI (npm run build first).

function samon(args: string[]) {
  return spawnSync(process.execPath, [SAMON_BIN, ...args], { encoding: 'utf8' });
}

interface TruthHeader {
  simulation: { tunnels: { id: string; scenario: string; ends: string[] }[] };
}

const running: RunningSamon[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop('SIGKILL')));
});

describe('samon simulate', () => {
  it('--write-configs: the final configuration in DIR, every version under DIR/history', () => {
    const dir = mkdtempSync(join(tmpdir(), 'samon-simulate-'));
    const conf = join(dir, 'conf');
    const r = samon([
      'simulate',
      '--routers',
      '5',
      '--scenario',
      'steady,lifetime-change,tunnel-deleted',
      '--seed',
      '2',
      '--duration',
      '6h',
      '--speed',
      '0',
      '--syslog',
      join(dir, 'x.log'),
      '--write-configs',
      conf,
    ]);
    expect(r.status).toBe(0);
    const routers = readdirSync(conf)
      .filter((f) => f.endsWith('.conf'))
      .map((f) => f.slice(0, -'.conf'.length));
    expect(routers).toHaveLength(5);
    let changed = 0;
    for (const router of routers) {
      const versions = readdirSync(join(conf, 'history', router)).sort();
      expect(versions[0]).toBe('20261127T000000Z.conf');
      if (versions.length > 1) changed++;
      const last = readFileSync(join(conf, 'history', router, versions.at(-1)!), 'utf8');
      expect(readFileSync(join(conf, `${router}.conf`), 'utf8')).toBe(last);
    }
    expect(changed).toBeGreaterThan(1);
  });

  it('writes byte-identical files for a seed, which samon replay folds into the ground truth’s tunnels', () => {
    const dir = mkdtempSync(join(tmpdir(), 'samon-simulate-'));
    const args = [
      'simulate',
      '--routers',
      '5',
      '--scenario',
      'steady,missed-rekey',
      '--seed',
      '9',
      '--duration',
      '6h',
      '--speed',
      '0',
    ];
    const a = samon([
      ...args,
      '--syslog',
      `file:${join(dir, 'a.log')}`,
      '--truth',
      join(dir, 'a.truth'),
      '--write-configs',
      join(dir, 'conf'),
    ]);
    expect(a.stderr).toContain('sent');
    expect(a.status).toBe(0);
    const b = samon([...args, '--syslog', join(dir, 'b.log'), '--truth', join(dir, 'b.truth')]);
    expect(b.status).toBe(0);
    expect(readFileSync(join(dir, 'b.log')).equals(readFileSync(join(dir, 'a.log')))).toBe(true);
    expect(readFileSync(join(dir, 'b.truth')).equals(readFileSync(join(dir, 'a.truth')))).toBe(
      true,
    );

    const header = JSON.parse(
      readFileSync(join(dir, 'a.truth'), 'utf8').split('\n')[0]!,
    ) as TruthHeader;
    const ends = header.simulation.tunnels.flatMap((t) => t.ends).sort();
    const configs = ends.map((e) => e.split('/')[0]!);
    const replay = samon([
      'replay',
      '--year',
      '2026',
      '--state',
      ...[...new Set(configs)].flatMap((r) => ['--junos-config', join(dir, 'conf', `${r}.conf`)]),
      join(dir, 'a.log'),
    ]);
    expect(replay.stderr).toBe('');
    expect(replay.status).toBe(0);
    const rows = replay.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { tunnel: string; status: string });
    expect(
      rows
        .map((r) => r.tunnel)
        .filter((t) => !t.includes('~'))
        .sort(),
    ).toEqual(ends);
    const missed = header.simulation.tunnels.find((t) => t.scenario === 'missed-rekey')!;
    for (const end of missed.ends) expect(rows.find((r) => r.tunnel === end)?.status).toBe('down');
  });

  it('exits 1 with the reason when the destination fails', () => {
    const r = samon(['simulate', '--speed', '0', '--syslog', 'tcp://127.0.0.1:1']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('tcp://127.0.0.1:1: ECONNREFUSED');
  });

  it('refuses unusable destinations and options with status 2 and the reason', () => {
    const cases: [string[], string][] = [
      [['--syslog', 'ftp://127.0.0.1:21'], 'unsupported scheme ftp://'],
      [['--syslog', 'x.log', '--tls-insecure'], 'apply to tls:// only'],
      [['--syslog', 'udp://127.0.0.1'], 'missing port'],
      [['--syslog', 'tcp://:514'], 'not a valid URL'],
      [['--syslog', 'x.log', '--scenario', 'steady,nope'], 'unknown scenario "nope"'],
      [['--syslog', 'x.log', '--duration', 'soon'], '--duration'],
    ];
    for (const [args, message] of cases) {
      const r = samon(['simulate', ...args]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });

  it('sends over UDP into a running samon, whose /api/tunnels then lists the simulated tunnels', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'samon-simulate-'));
    const s = await startSamon(['run'], samonEnv(dir));
    running.push(s);
    const record = JSON.parse(
      s
        .output()
        .split('\n')
        .find((l) => l.includes('samon is running'))!,
    ) as {
      syslog: string[];
    };
    const udp = record.syslog.find((u) => u.startsWith('udp://'))!;
    const port = udp.split(':').pop()!;
    const truth = join(dir, 'truth');
    // Paced (10 min of virtual time in about 2 s): datagrams are not dropped by a burst.
    const sim = samon([
      'simulate',
      '--routers',
      '4',
      '--duration',
      '10m',
      '--speed',
      '300',
      '--seed',
      '4',
      '--start',
      new Date().toISOString(),
      '--syslog',
      `udp://127.0.0.1:${port}`,
      '--truth',
      truth,
    ]);
    expect(sim.status).toBe(0);
    const header = JSON.parse(readFileSync(truth, 'utf8').split('\n')[0]!) as TruthHeader;
    const ends = header.simulation.tunnels.flatMap((t) => t.ends).sort();
    let listed: string[] = [];
    for (let i = 0; i < 100; i++) {
      const rows = (await (await fetch(`${s.http}/api/tunnels`)).json()) as {
        tunnel: string;
        status: string;
      }[];
      listed = rows
        .filter((r) => r.status === 'up')
        .map((r) => r.tunnel)
        .sort();
      if (listed.length >= ends.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(listed).toEqual(ends);
    expect(await s.stop()).toBe(0);
  });

  it('tls:// sends RFC 5425 frames into samon’s TLS listener, verifying its certificate with --tls-ca', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'samon-simulate-'));
    const { cert, key } = selfSignedCert(dir);
    const s = await startSamon(
      ['run'],
      samonEnv(dir, {
        SAMON_SYSLOG__TLS__ENABLED: 'true',
        SAMON_SYSLOG__TLS__PORT: '0',
        SAMON_SYSLOG__TLS__CERT: cert,
        SAMON_SYSLOG__TLS__KEY: key,
      }),
    );
    running.push(s);
    expect(s.tls).toBeGreaterThan(0);
    const args = ['simulate', '--routers', '3', '--duration', '10m', '--speed', '0'];
    const destination = ['--syslog', `tls://127.0.0.1:${s.tls}`];
    // The throwaway certificate is nobody's CA: verification fails unless told whom to trust.
    const untrusted = samon([...args, ...destination]);
    expect(untrusted.status).toBe(1);
    expect(untrusted.stderr).toMatch(/SELF_SIGNED|self.signed/i);
    const truth = join(dir, 'truth');
    const trusted = samon([
      ...args,
      ...destination,
      '--tls-ca',
      cert,
      '--start',
      new Date().toISOString(),
      '--truth',
      truth,
    ]);
    expect(trusted.stderr).toContain('sent');
    expect(trusted.status).toBe(0);
    const insecure = samon([...args, ...destination, '--tls-insecure', '--duration', '1']);
    expect(insecure.status).toBe(0);
    const header = JSON.parse(readFileSync(truth, 'utf8').split('\n')[0]!) as TruthHeader;
    const ends = header.simulation.tunnels.flatMap((t) => t.ends).sort();
    let listed: string[] = [];
    for (let i = 0; i < 100; i++) {
      const rows = (await (await fetch(`${s.http}/api/tunnels`)).json()) as { tunnel: string }[];
      listed = rows.map((r) => r.tunnel).sort();
      if (listed.length >= ends.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(listed).toEqual(ends);
    expect(await s.stop()).toBe(0);
  });
});
