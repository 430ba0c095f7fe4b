import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  SAMON_BIN as BIN,
  samonEnv as freePortEnv,
  startSamon as start,
} from '../support/samonProcess.js';

async function stop(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  child.kill(signal);
  return exited;
}

const running: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => stop(c, 'SIGKILL')));
});

describe('samon run (embedded)', () => {
  it('serves health, readiness, metrics and the tunnel API, folds syslog, and stops with 0 on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'samon-run-'));
    const s = await start(['run'], freePortEnv(dir));
    running.push(s.child);
    expect((await fetch(`${s.http}/healthz`)).status).toBe(200);
    const line =
      '<30>Nov 27 10:00:00 srx1 kmd[1]: IKE negotiation successfully completed. IKE Version: 2, VPN: vpn-a Gateway: gw-a, Local: 192.0.2.1/500, Remote: 198.51.100.7/500, Local IKE-ID: 192.0.2.1, Remote IKE-ID: 198.51.100.7, VR-ID: 0, Role: Initiator';
    const sa = (direction: string, spi: string) =>
      `<30>Nov 27 10:00:01 srx1 kmd[1]: KMD_PM_SA_ESTABLISHED: Local gateway: 192.0.2.1, Remote gateway: 198.51.100.7, Local ID: ipv4_subnet(any:0,[0..7]=10.1.0.0/24), Remote ID: ipv4_subnet(any:0,[0..7]=10.2.0.0/24), Direction: ${direction}, SPI: ${spi}, AUX-SPI: 0, Mode: Tunnel, Type: dynamic, Traffic-selector:  FC Name: `;
    const inbound = sa('inbound', '0x1000aaaa');
    const outbound = sa('outbound', '0x1000bbbb');
    await s.send([line, inbound, outbound]);
    let tunnels: { tunnel: string }[] = [];
    for (let i = 0; i < 100 && tunnels.length === 0; i++) {
      tunnels = (await (await fetch(`${s.http}/api/tunnels`)).json()) as { tunnel: string }[];
      if (!tunnels.length) await new Promise((r) => setTimeout(r, 100));
    }
    expect(tunnels.map((t) => t.tunnel)).toEqual(['srx1/vpn-a']);
    const ready = await fetch(`${s.http}/readyz`);
    expect(ready.status).toBe(200);
    type Event = { type: string; evidence: string[]; evidenceIds?: string[] };
    let timeline: Event[] = [];
    for (let i = 0; i < 100 && !timeline.some((e) => e.type === 'TunnelUp'); i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 100));
      const url = `${s.http}/api/tunnels/${encodeURIComponent('srx1/vpn-a')}/timeline`;
      timeline = (await (await fetch(url)).json()) as Event[];
    }
    expect(timeline.map((e) => e.type)).toContain('IkeSaEstablished');
    expect(timeline.find((e) => e.type === 'IkeSaEstablished')?.evidence).toEqual([line]);
    // The inferred TunnelUp cites the two SA observations by id in the log (evidence: id, the
    // default); the API gives their raw lines, and the ids beside them.
    const up = timeline.find((e) => e.type === 'TunnelUp');
    expect(up?.evidence).toEqual([inbound, outbound]);
    expect(up?.evidenceIds).toEqual([
      expect.stringMatching(/^\d+@\d+$/),
      expect.stringMatching(/^\d+@\d+$/),
    ]);
    const page = await fetch(`${s.http}/timeline/${encodeURIComponent('srx1/vpn-a')}`);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('IkeSaEstablished');
    expect(html).toContain('Direction: outbound, SPI: 0x1000bbbb');
    expect(html).not.toContain(up?.evidenceIds?.[1] ?? '?');
    const metrics = await (await fetch(`${s.http}/metrics`)).text();
    expect(metrics).toContain(
      'samon_observations_total{source="syslog",kind="ike-sa-established"} 1',
    );
    expect((await fetch(`${s.http}/api/tunnels/nope`)).status).toBe(404);
    expect(await stop(s.child)).toBe(0);
    expect(s.output()).toContain('stopped cleanly');
  });

  it('exits 2 with every configuration problem listed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'samon-run-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'http:\n  port: 99999\nlog:\n  kind: kafka\n');
    const result = spawnSync(process.execPath, [BIN, 'run', '--config', file], {
      encoding: 'utf8',
      env: { ...process.env },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('http.port');
    expect(result.stderr).toContain('log.kafka');
    expect(result.stderr).toContain(file);
  });

  it('says clearly when the HTTP port is taken', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'samon-run-'));
    const first = await start(['run'], freePortEnv(dir));
    running.push(first.child);
    const port = new URL(first.http).port;
    const result = spawnSync(process.execPath, [BIN, 'project'], {
      encoding: 'utf8',
      env: { ...freePortEnv(mkdtempSync(join(tmpdir(), 'samon-run-'))), SAMON_HTTP__PORT: port },
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr + result.stdout).toContain('the port is in use');
  });
});

describe('samon --help', () => {
  it('lists only commands that work, and --version prints the version', () => {
    const help = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    const commands = [...help.stdout.matchAll(/^ {2}([a-z]+) /gm)]
      .map((m) => m[1])
      .filter((c) => c !== 'help');
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) {
      const sub = spawnSync(process.execPath, [BIN, command ?? '', '--help'], { encoding: 'utf8' });
      expect(sub.status, `${command} --help`).toBe(0);
      expect(sub.stdout).not.toMatch(/not implemented|todo|placeholder/i);
    }
    const version = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
