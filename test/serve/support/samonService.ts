import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// `samon run` (the built CLI: npm run build first) in a temporary folder, fed over TCP syslog.

const BIN = fileURLToPath(new URL('../../../bin/samon.js', import.meta.url));

export interface RunningSamon {
  readonly http: string;
  readonly tcp: number;
  readonly output: () => string;
  send(lines: readonly string[]): Promise<void>;
  scrape(): Promise<string>;
  /** Polls /metrics until `check` holds; returns that scrape. */
  scrapeUntil(check: (text: string) => boolean, ms?: number): Promise<string>;
  stop(): Promise<number | null>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startSamon(options: {
  /** Extra YAML appended to the configuration. */
  readonly yaml?: string;
  /** Files written into the folder before the start (name → text). */
  readonly files?: Readonly<Record<string, string>>;
}): Promise<RunningSamon> {
  const dir = mkdtempSync(join(tmpdir(), 'samon-serve-'));
  for (const [name, text] of Object.entries(options.files ?? {}))
    writeFileSync(join(dir, name), text);
  const config = join(dir, 'samon.yaml');
  writeFileSync(
    config,
    [
      'log:',
      `  sqlite: { path: ${JSON.stringify(join(dir, 'samon.db'))} }`,
      'http: { host: 127.0.0.1, port: 0 }',
      'projection: { clockIntervalSeconds: 1 }',
      (options.yaml ?? '').replaceAll('$DIR', dir),
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(process.execPath, [BIN, 'run', '--config', config], {
    env: {
      ...process.env,
      SAMON_SYSLOG__UDP__PORT: '0',
      SAMON_SYSLOG__TCP__PORT: '0',
      SAMON_LOGGING__LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 20_000;
  let line: string | undefined;
  while (!(line = output.split('\n').find((l) => l.includes('samon is running')))) {
    if (child.exitCode !== null) throw new Error(`samon exited ${child.exitCode}: ${output}`);
    if (Date.now() > deadline) throw new Error(`samon did not start: ${output}`);
    await sleep(50);
  }
  const started = JSON.parse(line) as { url: string; syslog: string[] };
  const tcp = Number(
    started.syslog
      .find((s) => s.startsWith('tcp://'))
      ?.split(':')
      .pop(),
  );
  const http = started.url;
  const scrape = async () => (await fetch(`${http}/metrics`)).text();
  return {
    http,
    tcp,
    output: () => output,
    send: (lines) =>
      new Promise<void>((resolve, reject) => {
        const socket = connect(tcp, '127.0.0.1', () => socket.end(`${lines.join('\n')}\n`));
        socket.on('close', () => resolve());
        socket.on('error', reject);
      }),
    scrape,
    async scrapeUntil(check, ms = 20_000) {
      const end = Date.now() + ms;
      for (;;) {
        const text = await scrape();
        if (check(text)) return text;
        if (Date.now() > end) return text;
        await sleep(100);
      }
    },
    async stop() {
      let code: number | null = child.exitCode;
      if (code === null) {
        const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        code = await exited;
      }
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}
