import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LifecycleEvent } from '../../src/domain/lifecycle.js';
import { compareLifecycle, type Comparison } from '../../src/sim/index.js';
import { SAMON_BIN, samonEnv, startSamon, type RunningSamon } from '../support/samonProcess.js';

// Live fidelity (issue 7 item 2): simulated fleets → syslog over UDP or TCP → a running
// `samon run` (embedded log or Kafka) with the routers' configurations in `junos.files`, which
// the simulator rewrites when a scenario commits a change → each tunnel's timeline from the API
// against the ground truth.

/**
 * What a live samon can be compared on: the events its lines date. The inferred deadline events
 * (overdue, expiry, the TunnelDown of an expiry) fire by samon's own clock, which runs behind the
 * virtual time here; ConfigChanged is dated when samon read the file.
 */
export function comparable(e: LifecycleEvent): boolean {
  if (e.type === 'TunnelDown') return e.data.reason !== 'lifetime-expired';
  return DATED.has(e.type);
}
const DATED = new Set<string>([
  'TunnelUp',
  'IkeSaEstablished',
  'IkeSaRekeyed',
  'IpsecSaEstablished',
  'IpsecSaRekeyed',
  'NegotiationFailed',
  'CertificateCheckFailed',
  'InvalidSpiDetected',
  'InvalidSpiRecovered',
]);
const TYPES = [
  'TunnelUp',
  'TunnelDown',
  'IkeSaEstablished',
  'IkeSaRekeyed',
  'IpsecSaEstablished',
  'IpsecSaRekeyed',
  'NegotiationFailed',
  'CertificateCheckFailed',
  'InvalidSpiDetected',
  'InvalidSpiRecovered',
];

export interface LiveFleet {
  /** Host-name prefix: fleets sharing one samon (or one Kafka log) stay apart. */
  readonly prefix: string;
  /** `A.B`: the fleet's own addresses (samon pairs tunnel ends by address across routers). */
  readonly addresses: string;
  readonly transport: 'udp' | 'tcp';
  readonly loss?: number;
}

export interface LiveRun {
  readonly samon: RunningSamon;
  readonly results: {
    readonly fleet: LiveFleet;
    readonly comparison: Comparison;
    readonly truth: number;
    readonly scenarios: ReadonlySet<string>;
  }[];
}

/** Each tunnel's timeline from the API, from the start of the run (a shared log holds more). */
async function timelines(
  s: RunningSamon,
  tunnels: readonly string[],
  start: string,
): Promise<LifecycleEvent[]> {
  const all: LifecycleEvent[] = [];
  for (const id of tunnels) {
    const res = await fetch(
      `${s.http}/api/tunnels/${encodeURIComponent(id)}/timeline?from=${encodeURIComponent(start)}`,
    );
    if (res.status === 200) all.push(...((await res.json()) as LifecycleEvent[]));
  }
  return all;
}

/**
 * Waits until samon's state shows, for every tunnel, an event as late as the truth's last one
 * (cheap: /api/tunnels is read from memory), or until its rows stop changing (lost lines), or
 * the deadline.
 */
async function caughtUp(
  s: RunningSamon,
  truth: readonly LifecycleEvent[],
  tunnels: readonly string[],
  settleMs: number,
): Promise<void> {
  const last = new Map<string, number>();
  for (const e of truth) last.set(e.tunnel!, Math.max(last.get(e.tunnel!) ?? 0, Date.parse(e.at)));
  const wanted = new Set(tunnels);
  const deadline = Date.now() + settleMs;
  let previous = '';
  let stableSince = Date.now();
  while (Date.now() < deadline) {
    const rows = (
      (await (await fetch(`${s.http}/api/tunnels`)).json()) as {
        tunnel: string;
        lastEventAt?: string;
      }[]
    ).filter((r) => wanted.has(r.tunnel));
    const late = rows.filter((r) => Date.parse(r.lastEventAt ?? '') >= last.get(r.tunnel)! - 1000);
    if (late.length === wanted.size) return;
    const now = JSON.stringify(rows);
    if (now !== previous) {
      previous = now;
      stableSince = Date.now();
    } else if (Date.now() - stableSince > 2000) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** `samon ARGS…` to completion, asynchronously (several simulators run at once). */
function samon(args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SAMON_BIN, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (status) => resolve({ status, stderr }));
  });
}

export async function liveFidelity(options: {
  readonly fleets: readonly LiveFleet[];
  /** Fleet options shared by every fleet (routers, scenarios, seed). */
  readonly fleet: readonly string[];
  readonly duration: string;
  readonly speed: number;
  readonly env?: NodeJS.ProcessEnv;
  /** How long to wait for samon to catch up with the last line. */
  readonly settleMs?: number;
  /** samon's lifecycle events of these tunnels (default: their timelines from the API). */
  readonly readEvents?: (tunnels: readonly string[], fromMs: number) => Promise<LifecycleEvent[]>;
}): Promise<LiveRun> {
  const dir = mkdtempSync(join(tmpdir(), 'samon-live-'));
  const t0 = Date.now();
  const debug = (what: string) =>
    process.env.LIVE_FIDELITY_DEBUG && console.error(`${Date.now() - t0} ms: ${what}`);
  const confOf = (f: LiveFleet) => join(dir, `conf-${f.prefix}`);
  // The configurations at the start (a run of one second commits nothing); samon watches only
  // files that exist when it starts.
  for (const f of options.fleets) {
    const r = await samon([
      'simulate',
      ...options.fleet,
      '--host-prefix',
      f.prefix,
      '--address-prefix',
      f.addresses,
      '--duration',
      '1',
      '--speed',
      '0',
      '--syslog',
      join(dir, 'initial.log'),
      '--write-configs',
      confOf(f),
    ]);
    if (r.status !== 0) throw new Error(`samon simulate (configurations): ${r.stderr}`);
  }
  const files = options.fleets.flatMap((f) =>
    readdirSync(confOf(f))
      .filter((n) => n.endsWith('.conf'))
      .map((n) => `    - path: ${join(confOf(f), n)}`),
  );
  writeFileSync(join(dir, 'samon.yaml'), `junos:\n  files:\n${files.join('\n')}\n`);
  const s = await startSamon(
    ['run', '--config', join(dir, 'samon.yaml')],
    samonEnv(dir, options.env ?? {}),
  );
  debug('samon started');
  // Virtual time runs ahead of samon's clock, never behind it: a live samon fires deadlines by
  // its own clock, so history older than now would look expired.
  const start = new Date().toISOString();
  const runs = await Promise.all(
    options.fleets.map((f) =>
      samon([
        'simulate',
        ...options.fleet,
        '--host-prefix',
        f.prefix,
        '--address-prefix',
        f.addresses,
        '--duration',
        options.duration,
        '--speed',
        String(options.speed),
        '--start',
        start,
        '--syslog',
        `${f.transport}://127.0.0.1:${f.transport === 'udp' ? s.udp : s.tcp}`,
        '--truth',
        join(dir, `truth-${f.prefix}`),
        '--write-configs',
        confOf(f),
        ...(f.loss === undefined ? [] : ['--loss', String(f.loss)]),
      ]),
    ),
  );
  for (const r of runs) {
    if (r.status !== 0 || !r.stderr.includes('sent')) {
      await s.stop('SIGKILL');
      throw new Error(`samon simulate: ${r.stderr}`);
    }
  }
  debug('simulators done');
  const fleets = options.fleets.map((f) => {
    const [header, ...events] = readFileSync(join(dir, `truth-${f.prefix}`), 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as LifecycleEvent & {
            simulation?: { tunnels: { scenario: string }[] };
          },
      );
    const truth = events.filter(comparable);
    const tunnels = [...new Set(truth.map((e) => e.tunnel!))].sort();
    const scenarios = new Set(header!.simulation!.tunnels.map((t) => t.scenario));
    return { f, truth, tunnels, scenarios };
  });
  const all = fleets.flatMap((x) => x.tunnels);
  await caughtUp(
    s,
    fleets.flatMap((x) => x.truth),
    all,
    options.settleMs ?? 15_000,
  );
  debug(`caught up with ${all.length} tunnels`);
  const read = options.readEvents ?? ((ids: readonly string[]) => timelines(s, ids, start));
  const lossy = options.fleets.some((f) => f.loss !== undefined);
  let results: LiveRun['results'] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const wanted = new Set(all);
    const byId = new Map<string, LifecycleEvent>();
    for (const e of await read(all, Date.parse(start))) {
      if (e.tunnel === undefined || !wanted.has(e.tunnel) || !comparable(e)) continue;
      // At-least-once: a record appended twice is one event (its id says so).
      byId.set((e as { id?: string }).id ?? `${byId.size}`, e);
    }
    const actual = [...byId.values()];
    results = fleets.map(({ f, truth, tunnels, scenarios }) => {
      const mine = new Set(tunnels);
      const comparison = compareLifecycle(
        truth,
        actual.filter((e) => mine.has(e.tunnel!)),
        { types: TYPES, toleranceMs: 1000 },
      );
      debug(`${f.prefix}: ${comparison.matched} matched, ${comparison.missing.length} missing`);
      return { fleet: f, comparison, truth: truth.length, scenarios };
    });
    if (lossy || results.every((r) => r.comparison.missing.length === 0)) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return { samon: s, results };
}
