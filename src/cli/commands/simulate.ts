import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import {
  DestinationError,
  parseDestination,
  parseScenarios,
  runSimulation,
  SCENARIOS,
  simulate,
} from '../../sim/index.js';
import { serveSnmp, type SnmpFleet, type SnmpTrapTarget } from '../../sim/snmp/serve.js';
import { CliExit } from '../exit.js';

interface SimulateOptions {
  routers: string;
  tunnelsPerPair: string;
  scenario: string;
  seed: string;
  duration: string;
  speed: string;
  asFastAsPossible?: boolean;
  syslog: string;
  truth?: string;
  start?: string;
  writeConfigs?: string;
  loss: string;
  tlsCa?: string;
  hostPrefix?: string;
  addressPrefix?: string;
  tlsInsecure?: boolean;
  snmpPort?: string;
  snmpCommunity: string;
  snmpV3User?: string;
  snmpV3AuthKey?: string;
  snmpV3PrivKey?: string;
  snmpTrap?: string;
  snmpTrapCommunity: string;
}

const usage = (message: string) => new CliExit(2, `samon simulate: ${message}`);
/** Start of a file run unless --start: fixed, so a seed alone reproduces the bytes. */
const FIXED_START = '2026-11-27T00:00:00.000Z';

/** `90`, `90s`, `15m`, `6h`, `1d` → seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h|d)?$/.exec(text.trim());
  if (!m) throw usage(`--duration "${text}": use seconds or a number with s, m, h or d (6h)`);
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[(m[2] ?? 's') as 's' | 'm' | 'h' | 'd'];
  const seconds = Math.round(Number(m[1]) * unit);
  if (seconds <= 0) throw usage('--duration must be positive');
  return seconds;
}

/** `20261127T031500Z`: a file name that sorts in time order. */
const compactTime = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

function integer(name: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min)
    throw usage(`${name} "${text}": expected an integer ≥ ${min}`);
  return n;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description(
      'simulated Junos routers (SRX and MX) sending kmd/pkid syslog, with the ground truth (docs/simulator.md)',
    )
    .requiredOption(
      '--syslog <url>',
      'destination: file:PATH (or a plain path), udp://host:port, tcp://host:port, tls://host:port',
    )
    .option(
      '--host-prefix <p>',
      'prepended to every router’s host name (several fleets into one samon or Kafka log)',
    )
    .option(
      '--address-prefix <a.b>',
      'routers’ addresses A.B.1.N (SRX) and A.B.2.N (MX) instead of 198.51.100.N / 203.0.113.N',
    )
    .option('--tls-ca <file>', 'tls://: PEM file of the CA that signed the receiver’s certificate')
    .option(
      '--tls-insecure',
      'tls://: do not verify the receiver’s certificate (a throwaway test certificate)',
    )
    .option('--routers <n>', 'number of routers (tunnels join each router to its next two)', '6')
    .option(
      '--tunnels-per-pair <n>',
      'tunnels between each two neighbouring routers, each on its own pair of gateway addresses',
      '1',
    )
    .option('--scenario <names>', `comma-separated scenarios: ${SCENARIOS.join(', ')}`, 'steady')
    .option('--seed <n>', 'seed: the same seed gives the same routers, lines and truth', '1')
    .option('--duration <d>', 'virtual time to simulate: seconds, or 30m, 6h, 1d', '1h')
    .option(
      '--speed <x>',
      'virtual seconds per real second; 0 writes the whole duration at once',
      '1',
    )
    .option('--as-fast-as-possible', 'same as --speed 0')
    .option(
      '--start <time>',
      `virtual start time, RFC 3339 (default: now, or ${FIXED_START} with --speed 0)`,
    )
    .option(
      '--loss <fraction>',
      'fraction of messages dropped on the way (0…1), seeded; the truth keeps them',
      '0',
    )
    .option(
      '--write-configs <dir>',
      'write each router’s Junos configuration to DIR/ROUTER.conf, rewritten when a scenario commits a change (every version also in DIR/history/ROUTER/TIME.conf)',
    )
    .option(
      '--truth <file>',
      'write the ground truth: a header line, then lifecycle events (NDJSON)',
    )
    .option(
      '--snmp-port <p>',
      'serve each router over SNMP on 127.0.0.1:(P + router index); paced: for the run; --speed 0: the end state until Ctrl-C',
    )
    .option('--snmp-community <c>', 'SNMP v2c community of the agents', 'public')
    .option('--snmp-v3-user <u>', 'also accept this SNMPv3 user (authPriv, SHA and AES)')
    .option('--snmp-v3-auth-key <k>', 'its authentication key (8 characters or more)')
    .option('--snmp-v3-priv-key <k>', 'its privacy key (8 characters or more)')
    .option(
      '--snmp-trap <host:port>',
      'send jnxIkePeerIPSecTunnelDown / jnxIkePeerDown traps (v2c) here as tunnels go down',
    )
    .option('--snmp-trap-community <c>', 'community of the traps', 'public')
    .action(async (options: SimulateOptions) => {
      await runSimulate(options);
    });
}

async function runSimulate(options: SimulateOptions): Promise<void> {
  const routers = integer('--routers', options.routers, 2);
  const tunnelsPerPair = integer('--tunnels-per-pair', options.tunnelsPerPair, 1);
  // Tunnel k of a pair runs between the routers' k-th addresses, all in one /24 per platform.
  if (tunnelsPerPair > 1 && 10 + routers * tunnelsPerPair > 255)
    throw usage(
      `--tunnels-per-pair ${tunnelsPerPair} with ${routers} routers: more addresses than one /24 holds (at most ${Math.floor(245 / routers)})`,
    );
  const seed = integer('--seed', options.seed, 0);
  const durationSeconds = parseDuration(options.duration);
  const speed = options.asFastAsPossible ? 0 : Number(options.speed);
  if (!Number.isFinite(speed) || speed < 0)
    throw usage(`--speed "${options.speed}": expected a number ≥ 0`);
  let scenarios;
  let destination;
  try {
    scenarios = parseScenarios(options.scenario);
    destination = parseDestination(options.syslog);
    if (destination.kind === 'tls') {
      destination = {
        ...destination,
        ...(options.tlsCa === undefined ? {} : { ca: options.tlsCa }),
        ...(options.tlsInsecure ? { insecure: true } : {}),
      };
    } else if (options.tlsCa !== undefined || options.tlsInsecure) {
      throw new DestinationError('--tls-ca and --tls-insecure apply to tls:// only');
    }
  } catch (err) {
    throw usage(err instanceof Error ? err.message : String(err));
  }
  if (options.hostPrefix !== undefined && !/^[a-z0-9][a-z0-9-]*$/i.test(options.hostPrefix))
    throw usage(`--host-prefix "${options.hostPrefix}": letters, digits and hyphens only`);
  if (
    options.addressPrefix !== undefined &&
    !/^(25[0-5]|2[0-4]\d|1?\d?\d)\.(25[0-5]|2[0-4]\d|1?\d?\d)$/.test(options.addressPrefix)
  )
    throw usage(`--address-prefix "${options.addressPrefix}": two octets, e.g. 10.77`);
  const loss = Number(options.loss);
  if (!Number.isFinite(loss) || loss < 0 || loss >= 1)
    throw usage(`--loss "${options.loss}": expected a fraction in [0, 1)`);
  const snmp = snmpOptions(options);
  const startText = options.start ?? (speed === 0 ? FIXED_START : new Date().toISOString());
  const startMs = Date.parse(startText);
  if (Number.isNaN(startMs)) throw usage(`--start "${startText}": expected an RFC 3339 time`);
  const sim = simulate({
    routers,
    scenarios,
    seed,
    startMs: Math.floor(startMs / 1000) * 1000,
    durationSeconds,
    loss,
    tunnelsPerPair,
    ...(options.hostPrefix === undefined ? {} : { hostPrefix: options.hostPrefix }),
    ...(options.addressPrefix === undefined ? {} : { addressPrefix: options.addressPrefix }),
  });
  process.stderr.write(
    `samon simulate: ${sim.fleet.routers.length} routers, ${sim.fleet.tunnels.length} tunnels, ${sim.lines.length} lines over ${durationSeconds} s (seed ${seed}, ${scenarios.join(',')})\n`,
  );
  const configDir = options.writeConfigs;
  const writeConfig = async (router: string, ms: number, text: string) => {
    if (configDir === undefined) return;
    const history = join(configDir, 'history', router);
    await mkdir(history, { recursive: true });
    await writeFile(join(history, `${compactTime(ms)}.conf`), text);
    // Replaced by a rename, as scp or an editor would: a watcher never reads half a file.
    const path = join(configDir, `${router}.conf`);
    await writeFile(`${path}.tmp`, text);
    await rename(`${path}.tmp`, path);
  };
  if (configDir !== undefined) {
    try {
      for (const r of sim.fleet.routers) await writeConfig(r.name, startMs, r.configText);
    } catch (err) {
      throw new CliExit(
        1,
        `samon simulate: --write-configs ${configDir}: ${(err as Error).message}`,
      );
    }
  }
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const virtualStart = Date.parse(sim.header.simulation.start);
  const virtualEnd = Date.parse(sim.header.simulation.end);
  let startReal: number | undefined;
  const virtualNow = () =>
    speed === 0
      ? virtualEnd
      : startReal === undefined
        ? virtualStart
        : Math.min(virtualEnd, virtualStart + (performance.now() - startReal) * speed);
  let agents: SnmpFleet | undefined;
  if (snmp) {
    try {
      agents = await serveSnmp(sim, { ...snmp, virtualNow, realNow: () => performance.now() });
    } catch (err) {
      throw new CliExit(
        1,
        `samon simulate: --snmp-port ${snmp.basePort}: ${(err as Error).message}`,
      );
    }
    for (const r of agents.routers)
      process.stderr.write(
        `samon simulate: SNMP ${r.router} (${r.platform}) on 127.0.0.1:${r.port}\n`,
      );
  }
  try {
    const sent = await runSimulation(sim, {
      onStart: (t) => {
        startReal = t;
      },
      destination,
      speed,
      ...(options.truth === undefined ? {} : { truthFile: options.truth }),
      now: () => performance.now(),
      sleep: (ms) => sleep(ms, undefined, { signal: abort.signal }).catch(() => undefined),
      signal: abort.signal,
      ...(configDir === undefined ? {} : { onConfig: (v) => writeConfig(v.router, v.ms, v.text) }),
      onProgress: (done, total, ms) =>
        process.stderr.write(
          `samon simulate: ${done}/${total} lines, virtual ${new Date(ms).toISOString()}\n`,
        ),
    });
    process.stderr.write(`samon simulate: sent ${sent} lines\n`);
    if (agents && speed === 0 && !abort.signal.aborted) {
      process.stderr.write('samon simulate: SNMP agents serve the end state until Ctrl-C\n');
      await new Promise<void>((resolve) => abort.signal.addEventListener('abort', () => resolve()));
    }
  } catch (err) {
    if (err instanceof DestinationError) throw usage(err.message);
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliExit(1, `samon simulate: ${options.syslog}: ${code ?? (err as Error).message}`);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await agents?.close();
  }
}

/** The --snmp-* options checked; undefined without --snmp-port. */
function snmpOptions(options: SimulateOptions) {
  const { snmpV3User: user, snmpV3AuthKey: authKey, snmpV3PrivKey: privKey } = options;
  if (options.snmpPort === undefined) {
    if (user ?? authKey ?? privKey ?? options.snmpTrap)
      throw usage('--snmp-v3-* and --snmp-trap need --snmp-port');
    return undefined;
  }
  const basePort = integer('--snmp-port', options.snmpPort, 1);
  if (basePort > 65535) throw usage(`--snmp-port ${basePort}: expected a UDP port`);
  const v3Given = [user, authKey, privKey].filter((v) => v !== undefined).length;
  if (v3Given !== 0 && v3Given !== 3)
    throw usage('--snmp-v3-user, --snmp-v3-auth-key and --snmp-v3-priv-key go together');
  if (v3Given === 3 && (authKey!.length < 8 || privKey!.length < 8))
    throw usage('--snmp-v3-auth-key and --snmp-v3-priv-key: 8 characters or more');
  let trap: SnmpTrapTarget | undefined;
  if (options.snmpTrap !== undefined) {
    const m = /^(.+):(\d+)$/.exec(options.snmpTrap);
    const port = m ? Number(m[2]) : 0;
    if (!m || port < 1 || port > 65535)
      throw usage(`--snmp-trap "${options.snmpTrap}": expected HOST:PORT`);
    trap = { host: m[1]!.replace(/^\[|\]$/g, ''), port, community: options.snmpTrapCommunity };
  }
  return {
    basePort,
    community: options.snmpCommunity,
    ...(v3Given === 3 ? { v3: { user: user!, authKey: authKey!, privKey: privKey! } } : {}),
    ...(trap ? { trap } : {}),
  };
}
