import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { accessSync, chmodSync, constants, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

// Debian's snmpsim (0.4.5) serving .snmprec recordings for tests. v1/v2c: the community is the
// file's stem (`srx-ipv4.snmprec` → `srx-ipv4`); v3: the context name is the stem. CI installs
// snmpsim (`apt-get install snmpsim`); without it, startSnmpsim throws and the test fails.

export interface SnmpsimV3 {
  user: string;
  authKey: string;
  privKey: string;
  /** Default SHA. */
  authProtocol?: 'MD5' | 'SHA' | 'SHA224' | 'SHA256' | 'SHA384' | 'SHA512';
  /** Default AES (AES-128). */
  privProtocol?: 'DES' | '3DES' | 'AES' | 'AES128' | 'AES192' | 'AES256';
}

export interface SnmpsimOptions {
  /** Directory of *.snmprec files. */
  dataDir: string;
  v3?: SnmpsimV3;
  /** How long to wait for the agent to index the recordings and listen (default 30 s). */
  startTimeoutMs?: number;
}

export interface Snmpsim {
  host: string;
  port: number;
  /** Community (v2c) or context name (v3) serving the recording `stem`.snmprec. */
  community(stem: string): string;
  /** The agent's log so far (the end of it), for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/** Binary names: Debian renames snmpsimd.py; the 1.x pip package calls it differently. */
const BINARIES = ['snmpsimd', 'snmpsimd.py', 'snmpsim-command-responder'];

export function findSnmpsim(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of BINARIES) {
      const path = join(dir, name);
      try {
        accessSync(path, constants.X_OK);
        return path;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

export async function startSnmpsim(options: SnmpsimOptions): Promise<Snmpsim> {
  const binary = findSnmpsim();
  if (!binary) {
    throw new Error(
      `snmpsim is not installed (looked for ${BINARIES.join(', ')} on PATH): ` +
        'apt-get install snmpsim',
    );
  }
  const stems = readdirSync(options.dataDir)
    .filter((f) => f.endsWith('.snmprec'))
    .map((f) => f.slice(0, -'.snmprec'.length));
  if (stems.length === 0) throw new Error(`no .snmprec files in ${options.dataDir}`);
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await launch(binary, options, await freeUdpPort());
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

async function launch(binary: string, options: SnmpsimOptions, port: number): Promise<Snmpsim> {
  const cacheDir = mkdtempSync(join(tmpdir(), 'samon-snmpsim-'));
  const args = [`--cache-dir=${cacheDir}`];
  // snmpsimd refuses to run as root: it drops to nobody, who must write the index cache and
  // read the recordings.
  if (process.getuid?.() === 0) {
    chmodSync(cacheDir, 0o777);
    makeWorldReadable(options.dataDir);
    args.push('--process-user=nobody', '--process-group=nogroup');
  }
  if (options.v3) {
    const v3 = options.v3;
    args.push(
      `--v3-user=${v3.user}`,
      `--v3-auth-key=${v3.authKey}`,
      `--v3-auth-proto=${v3.authProtocol ?? 'SHA'}`,
      `--v3-priv-key=${v3.privKey}`,
      `--v3-priv-proto=${v3.privProtocol ?? 'AES'}`,
    );
  }
  args.push(`--data-dir=${options.dataDir}`, `--agent-udpv4-endpoint=127.0.0.1:${port}`);
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const keep = (chunk: Buffer): void => {
    log = (log + chunk.toString('utf8')).slice(-16_384);
  };
  child.stderr?.on('data', keep);
  const cleanup = (): void => rmSync(cacheDir, { recursive: true, force: true });
  try {
    await waitListening(child, () => log, options.startTimeoutMs ?? 30_000);
  } catch (err) {
    await stopChild(child);
    cleanup();
    throw err;
  }
  return {
    host: '127.0.0.1',
    port,
    community: (stem) => stem,
    log: () => log,
    stop: async () => {
      await stopChild(child);
      cleanup();
    },
  };
}

function makeWorldReadable(dir: string): void {
  try {
    chmodSync(dir, 0o755);
    for (const f of readdirSync(dir)) {
      if (f.endsWith('.snmprec')) chmodSync(join(dir, f), 0o644);
    }
  } catch {
    // a read-only checkout is usually world-readable already
  }
}

function waitListening(child: ChildProcess, log: () => string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      done();
      reject(new Error(`snmpsim did not listen within ${timeoutMs} ms:\n${log()}`));
    }, timeoutMs);
    const onData = (): void => {
      if (/Listening at UDP\/IPv4 endpoint/.test(log())) {
        done();
        resolve();
      }
    };
    const onExit = (code: number | null): void => {
      done();
      reject(new Error(`snmpsim exited (code ${String(code)}) before listening:\n${log()}`));
    };
    const done = (): void => {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
    };
    // Listen after `keep` (registered first), so log() already holds the chunk.
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
