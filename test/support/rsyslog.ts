import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RsyslogRelay {
  /** TCP port rsyslog listens on (LF-framed input, as a router or `logger` sends). */
  readonly inputPort: number;
  stop(): Promise<void>;
}

const RSYSLOGD = '/usr/sbin/rsyslogd';

/**
 * Starts Debian's rsyslogd as a relay: imtcp on a free loopback port → omfwd to samon over TCP,
 * octet-counted, in RFC 5424 form — the production shape "routers → rsyslog → samon".
 */
export async function startRsyslogRelay(forwardTo: {
  host: string;
  port: number;
}): Promise<RsyslogRelay> {
  if (!existsSync(RSYSLOGD)) {
    throw new Error('rsyslogd not found: apt-get install rsyslog (.ci/run installs it)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'samon-rsyslog-'));
  const portFile = join(dir, 'port');
  writeFileSync(
    join(dir, 'rsyslog.conf'),
    [
      `global(workDirectory="${dir}")`,
      'module(load="imtcp")',
      `input(type="imtcp" port="0" address="127.0.0.1" listenPortFileName="${portFile}")`,
      `action(type="omfwd" target="${forwardTo.host}" port="${forwardTo.port}" protocol="tcp"`,
      '       TCP_Framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format"',
      '       action.resumeRetryCount="-1" action.resumeInterval="1")',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(
    RSYSLOGD,
    ['-n', '-f', join(dir, 'rsyslog.conf'), '-i', join(dir, 'pid')],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 10_000;
  while (!existsSync(portFile) || readFileSync(portFile, 'utf8').trim() === '') {
    if (child.exitCode !== null) throw new Error(`rsyslogd exited (${child.exitCode}): ${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`rsyslogd did not open its input port within 10 s: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const inputPort = Number(readFileSync(portFile, 'utf8').trim());
  return {
    inputPort,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
