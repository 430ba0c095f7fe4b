import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// `samon run` with junos.files: the configured tunnels are expected before any syslog line, and
// a changed file is imported again on SIGHUP and by the file watcher. The built CLI (npm run
// build first), as an operator runs it.

const BIN = fileURLToPath(new URL('../../bin/samon.js', import.meta.url));
const HUB = readFileSync(
  fileURLToPath(new URL('../fixtures/junos/srx-hub.conf', import.meta.url)),
  'utf8',
);
const HUB_TUNNELS = [
  'srx-hub1/vpn-branch7',
  'srx-hub1/vpn-branch9',
  'srx-hub1/vpn-dc-a/ts-apps',
  'srx-hub1/vpn-dc-a/ts-db',
  'srx-hub1/vpn-dc-b',
];
/** The fixture with its inactive VPN activated: one more configured tunnel. */
const HUB_PLUS_BRANCH3 = HUB.replace('inactive: vpn vpn-branch3-old', 'vpn vpn-branch3-old');

interface Row {
  tunnel: string;
  status: string;
  expected?: boolean;
}

interface Running {
  child: ChildProcess;
  http: string;
  output: () => string;
}

const running: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((child) => stop(child, 'SIGKILL')));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'samon-junos-run-'));
  dirs.push(dir);
  return dir;
}

function writeConfig(dir: string, junosFile: string): string {
  const file = join(dir, 'samon.yaml');
  writeFileSync(
    file,
    [
      'log:',
      `  sqlite: { path: ${JSON.stringify(join(dir, 'samon.db'))} }`,
      'http: { host: 127.0.0.1, port: 0 }',
      'syslog:',
      '  udp: { port: 0 }',
      '  tcp: { port: 0 }',
      'projection: { clockIntervalSeconds: 1 }',
      'junos:',
      `  files: [{ path: ${JSON.stringify(junosFile)} }]`,
      '',
    ].join('\n'),
  );
  return file;
}

async function start(config: string): Promise<Running> {
  const child = spawn(process.execPath, [BIN, 'run', '--config', config], {
    env: { ...process.env, SAMON_LOGGING__LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await until(() => output.includes('samon is running') || child.exitCode !== null, 20_000);
  if (child.exitCode !== null) throw new Error(`samon exited ${child.exitCode}: ${output}`);
  const line = output.split('\n').find((l) => l.includes('samon is running')) ?? '{}';
  return { child, http: (JSON.parse(line) as { url: string }).url, output: () => output };
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill(signal);
  return exited;
}

async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function tunnels(http: string): Promise<Row[]> {
  return (await (await fetch(`${http}/api/tunnels`)).json()) as Row[];
}

async function untilTunnels(http: string, check: (rows: Row[]) => boolean): Promise<Row[]> {
  let rows: Row[] = [];
  await until(async () => check((rows = await tunnels(http))));
  return rows;
}

const metric = async (http: string, series: string): Promise<number | undefined> => {
  const text = await (await fetch(`${http}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('samon run with junos.files', () => {
  it('shows the configured tunnels as expected-but-absent before any syslog, and re-imports on SIGHUP', async () => {
    const dir = tempDir();
    const junos = join(dir, 'srx-hub.conf');
    writeFileSync(junos, HUB);
    const s = await start(writeConfig(dir, junos));

    const before = await untilTunnels(s.http, (rows) => rows.length > 0);
    expect(before.map((r) => r.tunnel)).toEqual(HUB_TUNNELS);
    for (const row of before) {
      expect(row).toMatchObject({ status: 'expected-but-absent', expected: true });
    }
    expect(await metric(s.http, 'samon_junos_config_imports_total{outcome="ok"}')).toBe(1);
    expect(await metric(s.http, 'samon_junos_config_imports_total{outcome="error"}')).toBe(0);

    writeFileSync(junos, HUB_PLUS_BRANCH3);
    s.child.kill('SIGHUP');
    const after = await untilTunnels(s.http, (rows) => rows.length > HUB_TUNNELS.length);
    expect(after.map((r) => r.tunnel)).toEqual(['srx-hub1/vpn-branch3-old', ...HUB_TUNNELS]);
    expect(after.find((r) => r.tunnel === 'srx-hub1/vpn-branch3-old')).toMatchObject({
      status: 'expected-but-absent',
    });
    await until(() => s.output().includes('tunnel vpn-branch3-old added'));
    expect(s.output()).toContain('SIGHUP: re-reading the Junos configuration files');

    // SIGHUP with nothing changed: logged, nothing appended, and samon keeps running
    const unchanged = () => s.output().split('unchanged').length;
    const seen = unchanged();
    s.child.kill('SIGHUP');
    await until(() => unchanged() > seen);
    expect(s.child.exitCode).toBeNull();
    expect((await tunnels(s.http)).length).toBe(HUB_TUNNELS.length + 1);
    expect(await stop(s.child, 'SIGTERM')).toBe(0);
  });

  it('re-imports a file the watcher sees change, without a signal', async () => {
    const dir = tempDir();
    const junos = join(dir, 'srx-hub.conf');
    writeFileSync(junos, HUB_PLUS_BRANCH3);
    const s = await start(writeConfig(dir, junos));
    await untilTunnels(s.http, (rows) => rows.length === HUB_TUNNELS.length + 1);

    writeFileSync(junos, HUB); // vpn-branch3-old is inactive again: no longer expected
    const rows = await untilTunnels(
      s.http,
      (list) => list.find((r) => r.tunnel === 'srx-hub1/vpn-branch3-old')?.expected !== true,
    );
    expect(rows.find((r) => r.tunnel === 'srx-hub1/vpn-branch3-old')).toMatchObject({
      status: 'unknown',
    });
    expect(rows.filter((r) => r.expected).map((r) => r.tunnel)).toEqual(HUB_TUNNELS);
    expect(s.output()).toContain('tunnel vpn-branch3-old removed');
    expect(await stop(s.child, 'SIGTERM')).toBe(0);
  });

  it('keeps running when a configured file is missing, says which and why, and imports it on SIGHUP once it exists', async () => {
    const dir = tempDir();
    // in a folder that does not exist yet either: nothing to watch, so only SIGHUP can read it
    const folder = join(dir, 'routers');
    const junos = join(folder, 'srx-hub.conf');
    const s = await start(writeConfig(dir, junos));

    const errors = s
      .output()
      .split('\n')
      .filter((l) => l.includes('cannot import Junos configuration'));
    const unreadable = errors.find((l) => l.includes(`open '${junos}'`));
    expect(unreadable).toBeDefined();
    expect(JSON.parse(unreadable ?? '{}')).toMatchObject({ level: 50, file: junos });
    expect(unreadable).toContain('ENOENT: no such file or directory');
    expect(unreadable).toContain('send SIGHUP');
    expect(await metric(s.http, 'samon_junos_config_imports_total{outcome="error"}')).toBe(
      errors.length,
    );
    expect(await metric(s.http, 'samon_junos_config_imports_total{outcome="ok"}')).toBe(0);
    expect(await tunnels(s.http)).toEqual([]);
    expect((await fetch(`${s.http}/healthz`)).status).toBe(200);

    mkdirSync(folder);
    writeFileSync(junos, HUB);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await tunnels(s.http)).toEqual([]);
    s.child.kill('SIGHUP');
    const rows = await untilTunnels(s.http, (list) => list.length > 0);
    expect(rows.map((r) => r.tunnel)).toEqual(HUB_TUNNELS);
    expect(await metric(s.http, 'samon_junos_config_imports_total{outcome="ok"}')).toBe(1);
    expect(await stop(s.child, 'SIGTERM')).toBe(0);
  });
});
