import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import snmp from 'net-snmp';
import { describe, expect, it } from 'vitest';
import { SAMON_BIN } from '../../support/samonProcess.js';
import { freeUdpPortRun } from '../../support/udpPorts.js';

// `samon simulate --snmp-port` from the built CLI (npm run build first).

const run = promisify(execFile);

interface Receiver {
  getAuthorizer(): { addCommunity(c: string): void };
  close(): void;
}

function samon(args: string[]) {
  return spawnSync(process.execPath, [SAMON_BIN, ...args], { encoding: 'utf8' });
}

describe('samon simulate --snmp-*', () => {
  it('refuses SNMP options that do not fit together (exit 2)', () => {
    const log = join(mkdtempSync(join(tmpdir(), 'samon-snmp-')), 'x.log');
    for (const args of [
      ['--snmp-v3-user', 'u'],
      ['--snmp-port', '70000'],
      ['--snmp-port', '1161', '--snmp-v3-user', 'u'],
      ['--snmp-port', '1161', '--snmp-trap', 'nowhere'],
      [
        '--snmp-port',
        '1161',
        '--snmp-v3-user',
        'u',
        '--snmp-v3-auth-key',
        'short',
        '--snmp-v3-priv-key',
        'long-enough',
      ],
    ]) {
      const r = samon(['simulate', '--speed', '0', '--syslog', `file:${log}`, ...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/--snmp/);
    }
  });

  it('--speed 0: serves the end state, says which port is which router, stops on SIGINT', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'samon-snmp-')), 'day.log');
    const base = await freeUdpPortRun(4);
    const child = spawn(
      process.execPath,
      [
        SAMON_BIN,
        'simulate',
        '--routers',
        '4',
        '--speed',
        '0',
        '--duration',
        '2h',
        '--syslog',
        `file:${log}`,
        '--snmp-port',
        String(base),
        '--snmp-community',
        'sim-c',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    try {
      await expect.poll(() => stderr, { timeout: 20_000 }).toMatch(/until Ctrl-C/);
      const served = [...stderr.matchAll(/SNMP (\S+) \((srx|mx)\) on 127\.0\.0\.1:(\d+)/g)];
      expect(served.map((m) => Number(m[3]))).toEqual([base, base + 1, base + 2, base + 3]);
      const { stdout } = await run('snmpget', [
        '-v2c',
        '-c',
        'sim-c',
        '-Oqv',
        `127.0.0.1:${base + 3}`,
        '1.3.6.1.2.1.1.5.0',
      ]);
      expect(stdout.trim().replace(/"/g, '')).toBe(served[3]![1]);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });
});

describe('samon simulate --snmp-* (paced)', () => {
  it('a paced run sends the traps of its tunnels going down; a port in use exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'samon-snmp-'));
    // the trap receiver, then one agent per router (six)
    const trapPort = await freeUdpPortRun(7);
    const received: string[] = [];
    const receiver = (snmp.createReceiver as (o: object, cb: unknown) => Receiver)(
      { port: trapPort, address: '127.0.0.1', transport: 'udp4' },
      (err: Error | null, data?: { pdu: { varbinds: { value: unknown }[] } }) => {
        if (!err && data) received.push(String(data.pdu.varbinds[1]?.value));
      },
    );
    receiver.getAuthorizer().addCommunity('traps');
    try {
      const base = trapPort + 1;
      const r = await run(
        process.execPath,
        [
          SAMON_BIN,
          'simulate',
          '--routers',
          '6',
          '--scenario',
          'dpd-dead-peer',
          '--seed',
          '3',
          '--speed',
          '3600',
          '--duration',
          '3h',
          '--syslog',
          `file:${join(dir, 'paced.log')}`,
          '--snmp-port',
          String(base),
          '--snmp-trap',
          `127.0.0.1:${trapPort}`,
          '--snmp-trap-community',
          'traps',
        ],
        { timeout: 30_000 },
      );
      expect(r.stderr).toMatch(/SNMP srx-par-01 \(srx\) on 127\.0\.0\.1:/);
      await expect.poll(() => received.length, { timeout: 5000 }).toBeGreaterThan(0);
      expect(received.every((oid) => oid.startsWith('1.3.6.1.4.1.2636.3.52.1.0.0.'))).toBe(true);
      // The trap port is taken now: the agents cannot start there.
      const busy = samon([
        'simulate',
        '--routers',
        '2',
        '--speed',
        '0',
        '--syslog',
        `file:${join(dir, 'b.log')}`,
        '--snmp-port',
        String(trapPort - 1),
      ]);
      expect(busy.status).toBe(1);
      expect(busy.stderr).toMatch(/--snmp-port/);
    } finally {
      receiver.close();
    }
  });
});
