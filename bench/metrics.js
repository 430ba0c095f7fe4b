// (A .js file like bench/parse.js: the package is ESM, and ESLint lints *.js without type
// information; a .mjs file would need the TypeScript project service.)
// Metrics benchmark (issue 6, item 1; performance-anchors.md W6): a full /metrics render for
// 100 000 tunnels whose state was built by folding generated observations through the real
// fold, with the longest event-loop block during the render, beside a baseline measured in the
// same run: the same series through plain prom-client gauges and counters with labels.
// Each exporter is also measured on a fleet that lives between two scrapes: before each render,
// what 15 s of the fleet produce is folded (every tunnel rekeys about once an hour per direction:
// ~830 IPsec SA lines per 15 s for 10⁵ tunnels, spread over the routers, then a clock tick for
// every router) and its lifecycle events are fed to the exporter, as the projector does.
// Run: npm run build && node --expose-gc bench/metrics.js [--tunnels N] [--runs R] [--baseline-runs B]
// (--expose-gc: collect garbage between scrapes as a server does between two Prometheus scrapes,
// so that the exporter can reuse the memory of the previous body.) Prints one JSON object.
// Pin to one core for stable figures: taskset -c 1 node --expose-gc bench/metrics.js
import { Buffer } from 'node:buffer';
import os from 'node:os';
import process from 'node:process';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { Config } from '../dist/config/index.js';
import { evolve, initialState } from '../dist/domain/sa/index.js';
import { renderMetrics, SaMetrics } from '../dist/serve/metrics/index.js';
import { numberArg, prng } from './lib.js';

const TUNNELS = numberArg('--tunnels', 100_000);
const RUNS = numberArg('--runs', 15);
const BASELINE_RUNS = numberArg('--baseline-runs', 3);
const WARMUP = 3;
const PER_ROUTER = 1000;
// samon's own default (metrics.maxTunnelSeries), so the figure is what a default install does.
const DEFAULT_CAP = Config.parse({}).metrics.maxTunnelSeries;

// --- state: generated observations folded through the real fold ------------------------------

const rand = prng(6);
const T0 = Date.parse('2026-11-27T00:00:00.000Z');
const iso = (s) => new Date(T0 + s * 1000).toISOString();
let spiSeq = 0x10000000;
const spi = () => `0x${(spiSeq++).toString(16).padStart(8, '0')}`;
const PROXY = 'ipv4_subnet(any:0,[0..7]=0.0.0.0/0)';

function observation(kind, router, t, data) {
  return {
    v: 1,
    kind,
    router,
    time: iso(t),
    source: 'syslog',
    raw: `${kind} ${router} ${t} ${spiSeq}`,
    data,
  };
}
const ike = (router, local, vpn, remote, t) =>
  observation('ike-sa-established', router, t, {
    ikeVersion: 2,
    vpn,
    gateway: `gw-${vpn}`,
    local: { ip: local, port: 500 },
    remote: { ip: remote, port: 500 },
    role: 'initiator',
  });
const sa = (router, local, remote, direction, t) =>
  observation('ipsec-sa-established', router, t, {
    localGateway: local,
    remoteGateway: remote,
    localId: PROXY,
    remoteId: PROXY,
    direction,
    spi: spi(),
  });
const lifetime = (value) => ({ value, assumed: false });

/**
 * A fleet in a plausible steady state: every tunnel configured; most up and rekeyed once (so
 * they carry rekey counters and last-rekey gauges); a few rekeying, down, never seen, overdue,
 * in an invalid-SPI episode or failing.
 */
function buildFleet(tunnels) {
  const states = [];
  /** Per router: its name, local address and up tunnels' peers (what churn rekeys). */
  const routers = [];
  const mix = { up: 0, rekeying: 0, down: 0, absent: 0, overdue: 0, episode: 0, failing: 0 };
  for (let r = 0; r * PER_ROUTER < tunnels; r++) {
    const router = `srx-${String(r).padStart(3, '0')}`;
    const local = `10.${r >> 8}.${r & 255}.1`;
    const n = Math.min(PER_ROUTER, tunnels - r * PER_ROUTER);
    // peers are unique per router (tunnels sharing a peer would need traffic selectors)
    const specs = Array.from({ length: n }, (_, i) => ({
      vpn: `vpn-branch-${String(r * PER_ROUTER + i).padStart(6, '0')}`,
      remote: `172.${16 + (r % 16)}.${Math.floor(i / 250)}.${(i % 250) + 1}`,
      roll: rand(),
    }));
    const rekeyable = [];
    let state = initialState(router, { settings: { silenceGapSeconds: 10 * 86_400 } });
    const apply = (o) => {
      state = evolve(state, o).state;
    };
    apply({
      v: 1,
      kind: 'junos-config',
      router,
      time: iso(0),
      source: 'config',
      raw: `junos-config ${router}.conf`,
      data: {
        hostName: router,
        platform: 'srx',
        tunnels: specs.map((s) => ({
          vpn: s.vpn,
          gateway: `gw-${s.vpn}`,
          remoteAddress: s.remote,
          localAddress: local,
          ikeVersion: { value: 2, assumed: false },
          ikeLifetimeSeconds: lifetime(28_800),
          ipsecLifetimeSeconds: lifetime(3600),
          respondBadSpi: true,
          crlEnforced: true,
        })),
        caProfiles: [],
      },
    });
    for (const s of specs) {
      const kind =
        s.roll < 0.02
          ? 'absent'
          : s.roll < 0.04
            ? 'down'
            : s.roll < 0.07
              ? 'rekeying'
              : s.roll < 0.08
                ? 'overdue'
                : s.roll < 0.09
                  ? 'episode'
                  : s.roll < 0.1
                    ? 'failing'
                    : 'up';
      mix[kind]++;
      if (kind === 'up') rekeyable.push(s.remote);
      if (kind === 'absent') continue;
      const start = kind === 'overdue' ? 0 : 600;
      apply(ike(router, local, s.vpn, s.remote, start));
      apply(sa(router, local, s.remote, 'inbound', start));
      apply(sa(router, local, s.remote, 'outbound', start));
      if (kind === 'up' || kind === 'episode' || kind === 'failing') {
        apply(sa(router, local, s.remote, 'inbound', 3400));
        apply(sa(router, local, s.remote, 'outbound', 3400));
      }
      if (kind === 'rekeying') apply(sa(router, local, s.remote, 'inbound', 3400));
      if (kind === 'down')
        apply(
          observation('tunnel-down', router, 3450, {
            vpn: s.vpn,
            peer: s.remote,
            localIp: local,
            reason: 'dpd-peer-dead',
          }),
        );
      if (kind === 'episode')
        apply(observation('invalid-spi', router, 3500, { spi: '0xdeadbeef', peer: s.remote }));
      if (kind === 'failing')
        apply(
          observation('ipsec-negotiation-failed', router, 3510, {
            vpn: s.vpn,
            local: { ip: local, port: 500 },
            remote: { ip: s.remote, port: 500 },
            reason: 'no-proposal-chosen',
            reasonText: 'No proposal chosen',
          }),
        );
    }
    apply({ v: 1, kind: 'clock', router, time: iso(3560), source: 'clock', raw: '', data: {} });
    states.push(state);
    routers.push({ router, local, rekeyable });
  }
  return { states, routers, mix };
}

/** Seconds of fleet time folded between two scrapes, and IPsec SA lines per tunnel per second. */
const SCRAPE_INTERVAL = 15;
const SA_LINES_PER_TUNNEL_SECOND = 2 / 3600;
let churnClock = 3560;

/**
 * Folds what the fleet produces in one scrape interval into `states` (in place): IPsec SA rekeys
 * (both directions) of random up tunnels, then a clock tick for every router; returns the lifecycle events.
 */
function churn(states, routers, tunnels) {
  const from = churnClock;
  churnClock += SCRAPE_INTERVAL;
  const lines = Math.round(tunnels * SA_LINES_PER_TUNNEL_SECOND * SCRAPE_INTERVAL);
  const perRouter = routers.map(() => []);
  // a rekey is logged as both directions' new SAs, inbound first
  for (let n = 0; n < lines; n += 2) {
    const r = Math.floor(rand() * routers.length);
    const { rekeyable } = routers[r];
    if (rekeyable.length === 0) continue;
    const remote = rekeyable[Math.floor(rand() * rekeyable.length)];
    perRouter[r].push({ remote, t: from + rand() * SCRAPE_INTERVAL });
  }
  const events = [];
  routers.forEach(({ router, local }, r) => {
    const fold = (o) => {
      const next = evolve(states[r], o);
      states[r] = next.state;
      for (const event of next.events) events.push(event);
    };
    for (const rekey of perRouter[r].sort((a, b) => a.t - b.t)) {
      fold(sa(router, local, rekey.remote, 'inbound', rekey.t));
      fold(sa(router, local, rekey.remote, 'outbound', rekey.t));
    }
    fold({
      v: 1,
      kind: 'clock',
      router,
      time: iso(churnClock),
      source: 'clock',
      raw: '',
      data: {},
    });
  });
  return { lines, events };
}

// --- measuring ---------------------------------------------------------------------------------

const quantile = (sorted, q) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
const round = (x, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const summary = (list) => {
  const sorted = [...list].sort((a, b) => a - b);
  return {
    minMs: round(sorted[0]),
    medianMs: round(quantile(sorted, 0.5)),
    p99Ms: round(quantile(sorted, 0.99)),
  };
};
/** A server collects garbage between two scrapes; with --expose-gc the benchmark does too. */
const collect = typeof globalThis.gc === 'function' ? globalThis.gc : undefined;

/**
 * Runs `render` (after WARMUP runs) `runs` times: wall time, CPU time of the process, and the
 * longest event-loop delay seen by a 1 ms timer during each render.
 */
async function measure(render, runs, between) {
  for (let i = 0; i < WARMUP; i++) {
    between?.();
    await render();
  }
  const wall = [];
  const cpu = [];
  let block = 0;
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    between?.();
    collect?.();
    await sleep(20);
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    await sleep(5); // the monitor's first tick only starts its clock
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const body = await render();
    wall.push(performance.now() - started);
    const used = process.cpuUsage(cpuBefore);
    cpu.push((used.user + used.system) / 1000);
    await sleep(5); // the delay of a block is recorded when the monitor's timer fires late
    delay.disable();
    block = Math.max(block, delay.max / 1e6);
    bytes = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  }
  return { wall: summary(wall), cpu: summary(cpu), maxEventLoopDelayMs: round(block), bytes };
}

function pipelineRegistry() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

async function exporter(states, cap, churned) {
  const registry = pipelineRegistry();
  const metrics = new SaMetrics({ states: () => states, maxTunnelSeries: cap });
  let folded = 0;
  const between =
    churned &&
    (() => {
      const { lines, events } = churn(states, churned.routers, churned.tunnels);
      metrics.onEvents(events);
      folded += lines;
    });
  const phases = { survey: [], write: [], surveyCpu: [], writeCpu: [] };
  let longestSlice = 0;
  let longestSliceCpu = 0;
  const result = await measure(
    async () => {
      const { body } = await renderMetrics(registry, metrics);
      const last = metrics.lastRender;
      phases.survey.push(last.surveyMs);
      phases.write.push(last.writeMs);
      phases.surveyCpu.push(last.surveyCpuMs);
      phases.writeCpu.push(last.writeCpuMs);
      longestSlice = Math.max(longestSlice, last.longestSliceMs);
      longestSliceCpu = Math.max(longestSliceCpu, last.longestSliceCpuMs);
      return body;
    },
    RUNS,
    between,
  );
  const last = metrics.lastRender;
  return {
    maxTunnelSeries: cap,
    ...(churned && { saLinesFoldedPerScrape: Math.round(folded / (RUNS + WARMUP)) }),
    tunnelsExported: last.tunnels,
    dropped: last.dropped,
    series: last.series,
    ...result,
    phasesMedianMs: {
      survey: summary(phases.survey.slice(WARMUP)).medianMs,
      write: summary(phases.write.slice(WARMUP)).medianMs,
    },
    phasesCpuMedianMs: {
      survey: summary(phases.surveyCpu.slice(WARMUP)).medianMs,
      write: summary(phases.writeCpu.slice(WARMUP)).medianMs,
    },
    longestSliceMs: round(longestSlice),
    longestSliceCpuMs: round(longestSliceCpu),
    cpuNsPerSeries: round((result.cpu.medianMs * 1e6) / last.series, 0),
  };
}

/** The same text through prom-client: one Gauge/Counter per family, every series set by labels. */
async function baseline(text) {
  const registry = new Registry();
  const families = new Map();
  let type;
  let series = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) {
      type = line.split(' ')[3];
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const brace = line.indexOf('{');
    const space = line.lastIndexOf(' ');
    const name = brace < 0 ? line.slice(0, space) : line.slice(0, brace);
    const labels = {};
    if (brace >= 0) {
      const pairs = line.slice(brace + 1, line.lastIndexOf('}'));
      for (const m of pairs.matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/g)) labels[m[1]] = m[2];
    }
    let metric = families.get(name);
    if (!metric) {
      const Kind = type === 'counter' ? Counter : Gauge;
      metric = new Kind({
        name,
        help: name,
        labelNames: Object.keys(labels),
        registers: [registry],
      });
      families.set(name, metric);
    }
    const value = Number(line.slice(space + 1));
    if (type === 'counter') metric.inc(labels, value);
    else metric.set(labels, value);
    series++;
  }
  const result = await measure(() => registry.metrics(), BASELINE_RUNS);
  return {
    series,
    ...result,
    runs: BASELINE_RUNS,
    cpuNsPerSeries: round((result.cpu.medianMs * 1e6) / series, 0),
  };
}

const load = os.loadavg()[0];
const built = performance.now();
const { states, routers, mix } = buildFleet(TUNNELS);
const foldSeconds = round((performance.now() - built) / 1000);
const defaultCap = await exporter(states, DEFAULT_CAP);
const uncapped = await exporter(states, TUNNELS);
const churned = { routers, tunnels: TUNNELS };
const defaultCapChurned = await exporter(states, DEFAULT_CAP, churned);
const uncappedChurned = await exporter(states, TUNNELS, churned);

let promClient;
if (BASELINE_RUNS > 0) {
  const full = new SaMetrics({ states: () => states, maxTunnelSeries: TUNNELS });
  promClient = await baseline((await full.render('')).toString('utf8'));
}

process.stdout.write(
  `${JSON.stringify({
    node: process.version,
    cpu: os.cpus()[0]?.model,
    loadAverageAtStart: round(load, 2),
    gcBetweenRuns: collect !== undefined,
    tunnels: TUNNELS,
    routers: states.length,
    mix,
    foldSeconds,
    runs: RUNS,
    seriesPerTunnel: round(uncapped.series / TUNNELS),
    samon: { defaultCap, uncapped, defaultCapChurned, uncappedChurned },
    promClient,
    cpuSpeedup: promClient && round(promClient.cpu.medianMs / uncapped.cpu.medianMs),
  })}\n`,
);
