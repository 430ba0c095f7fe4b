import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SNMPD = '/usr/sbin/snmpd';

export interface Snmpd {
  readonly port: number;
  /** Whether it also listens on [::1] (the machine has an IPv6 loopback). */
  readonly ipv6: boolean;
  readonly community: string;
  readonly v3: { user: string; authKey: string; privKey: string };
  stop(): Promise<void>;
}

/** A free UDP port on the loopback (bound, read, released). */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

async function hasIpv6Loopback(): Promise<boolean> {
  const socket = createSocket('udp6');
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '::1', resolve);
    });
    return true;
  } catch {
    return false;
  } finally {
    socket.close();
  }
}

/**
 * Debian's C snmpd on a free loopback port (127.0.0.1 and ::1): a v2c community and an SNMPv3
 * authPriv user (SHA/AES). Fails (never skips) when snmpd is not installed: CI installs it.
 */
export async function startSnmpd(
  options: { community?: string; sysName?: string } = {},
): Promise<Snmpd> {
  if (!existsSync(SNMPD)) {
    throw new Error(`${SNMPD} not found: apt-get install snmpd (.ci/run installs it)`);
  }
  const community = options.community ?? 'samon-test';
  const v3 = { user: 'samonv3', authKey: 'auth-key-0123', privKey: 'priv-key-4567' };
  const dir = mkdtempSync(join(tmpdir(), 'samon-snmpd-'));
  const port = await freeUdpPort();
  const ipv6 = await hasIpv6Loopback();
  writeFileSync(
    join(dir, 'snmpd.conf'),
    [
      `agentAddress udp:127.0.0.1:${port}${ipv6 ? `,udp6:[::1]:${port}` : ''}`,
      `rocommunity ${community} 127.0.0.1`,
      `rocommunity6 ${community} ::1`,
      `createUser ${v3.user} SHA "${v3.authKey}" AES "${v3.privKey}"`,
      `rouser ${v3.user} priv`,
      `sysName ${options.sysName ?? 'srx-lab'}`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(
    SNMPD,
    [
      '-f',
      '-Lo',
      '-C',
      '-c',
      join(dir, 'snmpd.conf'),
      '-p',
      join(dir, 'pid'),
      `--persistentDir=${join(dir, 'persist')}`,
      '-M',
      '/nonexistent',
      '-m',
      '',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 10_000;
  while (!/NET-SNMP version/.test(output)) {
    if (child.exitCode !== null) throw new Error(`snmpd exited (${child.exitCode}): ${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`snmpd did not start within 10 s: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    ipv6,
    community,
    v3,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
