import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';

// The built CLI (npm test builds first), run as an operator would.
export const SAMON_BIN = join(import.meta.dirname, '..', '..', 'bin', 'samon.js');

/** Environment for a samon on free ports with its embedded log in `dir`. */
export function samonEnv(dir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    SAMON_HTTP__PORT: '0',
    SAMON_SYSLOG__UDP__PORT: '0',
    SAMON_SYSLOG__TCP__PORT: '0',
    SAMON_LOG__SQLITE__PATH: join(dir, 'samon.db'),
    SAMON_LOGGING__LEVEL: 'info',
    ...extra,
  };
}

export interface RunningSamon {
  readonly child: ChildProcess;
  /** `http://127.0.0.1:PORT` */
  readonly http: string;
  /** The TCP syslog port. */
  readonly tcp: number;
  /** The UDP and TLS syslog ports (0 when that listener is off). */
  readonly udp: number;
  readonly tls: number;
  output(): string;
  /** Sends lines over one TCP connection (LF framing) and resolves once it is closed. */
  send(lines: readonly string[]): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `samon ARGS…` and resolves once it says it is running (its JSON startup line). */
export async function startSamon(args: string[], env: NodeJS.ProcessEnv): Promise<RunningSamon> {
  const child = spawn(process.execPath, [SAMON_BIN, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    const line = output.split('\n').find((l) => l.includes('samon is running'));
    if (line) {
      const record = JSON.parse(line) as { url: string; syslog: string[] };
      const portOf = (scheme: string) =>
        Number(
          record.syslog
            .find((s) => s.startsWith(`${scheme}://`))
            ?.split(':')
            .pop() ?? 0,
        );
      const tcp = portOf('tcp');
      return {
        child,
        http: record.url,
        tcp,
        udp: portOf('udp'),
        tls: portOf('tls'),
        output: () => output,
        send: (lines) =>
          new Promise<void>((resolve, reject) => {
            const socket = connect(tcp, '127.0.0.1', () =>
              socket.end(lines.map((l) => `${l}\n`).join('')),
            );
            socket.on('close', () => resolve());
            socket.on('error', reject);
          }),
        stop: (signal: NodeJS.Signals = 'SIGTERM') => {
          if (child.exitCode !== null) return Promise.resolve(child.exitCode);
          const exited = new Promise<number | null>((resolve) =>
            child.once('exit', (code) => resolve(code)),
          );
          child.kill(signal);
          return exited;
        },
      };
    }
    if (child.exitCode !== null) throw new Error(`samon exited ${child.exitCode}: ${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`samon did not start within 20 s: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
