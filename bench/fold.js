// (A .js file like bench/parse.js: the package is ESM, and ESLint lints *.js without type
// information; a .mjs file would need the TypeScript project service.)
// Fold benchmark (issue 4, item 6; docs/lifecycle.md, "Performance"):
//  1. observations per second through the SA lifecycle fold holding ~1 M live SAs (generated
//     first, untimed), on a steady mix of rekeys, clock ticks and negotiation failures;
//  2. heap bytes per live SA (heapUsed after minus before building the fleet, after a full GC);
//  3. time to rebuild state from the embedded log: N observations appended to a temporary SQLite
//     log, then a Projector (saFold, SqliteSnapshotStore) from offset 0 to caught up; then the
//     state alone rebuilt again (snapshots gone, progress kept: no event appended twice).
// Baselines measured in the same run on the same observations: a naive fold (a Map of plain
// objects doing the same bookkeeping: tunnel by peer, SAs replaced on rekey, failure counters,
// last-seen per router) for 1 and 2, and reading + JSON.parse of every log record for 3.
// Run: npm run build && node --expose-gc bench/fold.js [--sas N] [--steady N] [--log-observations N]
//   [--snapshot-every N] [--skip-log] [--skip-fold] [--with-id] [--heap-snapshot FILE]
//   [--fold-profile FILE] [--digest]
// Prints one JSON object. Pin to one core for stable figures: taskset -c 1 node --expose-gc ...
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import { writeHeapSnapshot } from 'node:v8';
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { evolve, initialState } from '../dist/domain/sa/index.js';
import { openEventLog, TOPICS } from '../dist/log/index.js';
import { Projector } from '../dist/project/projector.js';
import { saFold } from '../dist/project/saFold.js';
import { SqliteSnapshotStore } from '../dist/project/snapshotStore.js';
import { flag, numberArg, prng, textArg } from './lib.js';

const SAS = numberArg('--sas', 1_000_000);
const STEADY = numberArg('--steady', 2_000_000);
const LOG_OBSERVATIONS = numberArg('--log-observations', 1_000_000);
const SNAPSHOT_EVERY = numberArg('--snapshot-every', 10_000); // projection.snapshotEveryRecords default
const SKIP_LOG = flag('--skip-log');
const SKIP_FOLD = flag('--skip-fold');
// Observations carrying an `id` (as a collector could set: partition@offset): SAs keep it as
// evidence instead of the raw line.
const WITH_ID = flag('--with-id');
// A heap snapshot written once the fleet is built (count bytes by constructor in DevTools).
const HEAP_SNAPSHOT = textArg('--heap-snapshot', undefined);
// A CPU profile of the steady fold alone (sampled only while the fold runs, not the generator or
// the baseline): the JSON gets the top self-time shares, FILE the profiles (one per chunk). The
// sampler costs time of its own: the throughput figures of a profiled run are not comparable.
const FOLD_PROFILE = textArg('--fold-profile', undefined);
// A SHA-256 of every lifecycle event of the setup and the steady mix, in order (JSON): two builds
// of the fold compared on the same observations. Hashed outside the timed part.
const DIGEST = flag('--digest');
const PER_ROUTER = 500;
const CHUNK = 50_000;
// Steady state for the fold: no silence, no expiry during the run (lifetimes of 8 h).
const SETTINGS = { silenceGapSeconds: 86_400 };

const collect = typeof globalThis.gc === 'function' ? () => globalThis.gc() : undefined;
const heapUsed = () => {
  collect?.();
  collect?.();
  return process.memoryUsage().heapUsed;
};
const round = (x, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;
/** CPU time of this process in ms (user + system): steadier than wall time on a shared machine. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

// --- generated fleet ---------------------------------------------------------------------------

const T0 = Date.parse('2026-11-27T00:00:00.000Z');
const PROXY = 'ipv4_subnet(any:0,[0..7]=0.0.0.0/0)';

/** A fleet of `tunnels` tunnels (1 IKE SA + 2 IPsec SAs each = 3 live SAs), PER_ROUTER a router. */
function fleet(tunnels) {
  const routers = [];
  for (let r = 0; r * PER_ROUTER < tunnels; r++) {
    const name = `srx-${String(r).padStart(4, '0')}`;
    const local = `10.${r >> 8}.${r & 255}.1`;
    const n = Math.min(PER_ROUTER, tunnels - r * PER_ROUTER);
    const peers = Array.from({ length: n }, (_, i) => ({
      vpn: `vpn-branch-${String(r * PER_ROUTER + i).padStart(7, '0')}`,
      remote: `172.${16 + (r % 16)}.${Math.floor(i / 250)}.${(i % 250) + 1}`,
    }));
    routers.push({ name, local, peers });
  }
  return routers;
}

/** Observations of the fleet: syslog-like raw lines (what the collectors append), unique. */
function generator(routers, seed) {
  const rand = prng(seed);
  let spiSeq = 0x10000000;
  let pid = 1000;
  const iso = (ms) => new Date(T0 + ms).toISOString();
  const stamp = (ms) => new Date(T0 + ms).toISOString().slice(5, 19).replace('T', ' ');
  let offset = 0;
  const observation = (kind, router, ms, raw, data, source = 'syslog') => ({
    v: 1,
    kind,
    router,
    time: iso(ms),
    source,
    raw,
    data,
    ...(WITH_ID ? { id: `0@${offset++}` } : {}),
  });
  const config = (router, ms) =>
    observation(
      'junos-config',
      router.name,
      ms,
      `junos-config ${router.name}.conf`,
      {
        hostName: router.name,
        platform: 'srx',
        tunnels: router.peers.map((p) => ({
          vpn: p.vpn,
          gateway: `gw-${p.vpn}`,
          remoteAddress: p.remote,
          localAddress: router.local,
          ikeVersion: { value: 2, assumed: false },
          ikeLifetimeSeconds: { value: 28_800, assumed: false },
          ipsecLifetimeSeconds: { value: 28_800, assumed: false },
          respondBadSpi: true,
          crlEnforced: true,
        })),
        caProfiles: [],
      },
      'config',
    );
  const ike = (router, peer, ms) =>
    observation(
      'ike-sa-established',
      router.name,
      ms,
      `<30>${stamp(ms)} ${router.name} kmd[${pid++}]: KMD_VPN_UP_ALARM_USER: IKE SA established: ` +
        `VPN ${peer.vpn} from ${router.local}:500 to ${peer.remote}:500, role initiator, IKEv2`,
      {
        ikeVersion: 2,
        vpn: peer.vpn,
        gateway: `gw-${peer.vpn}`,
        local: { ip: router.local, port: 500 },
        remote: { ip: peer.remote, port: 500 },
        role: 'initiator',
      },
    );
  const sa = (router, peer, direction, ms) => {
    const spi = `0x${(spiSeq++).toString(16).padStart(8, '0')}`;
    return observation(
      'ipsec-sa-established',
      router.name,
      ms,
      `<30>${stamp(ms)} ${router.name} kmd[${pid++}]: KMD_PM_SA_ESTABLISHED: Local gateway: ` +
        `${router.local}, Remote gateway: ${peer.remote}, Local ID: ${PROXY}, Remote ID: ${PROXY}, ` +
        `Direction: ${direction}, SPI: ${spi}, AUX-SPI: 0, Mode: Tunnel, Type: dynamic`,
      {
        localGateway: router.local,
        remoteGateway: peer.remote,
        localId: PROXY,
        remoteId: PROXY,
        direction,
        spi,
      },
    );
  };
  const failure = (router, peer, ms) =>
    observation(
      'ipsec-negotiation-failed',
      router.name,
      ms,
      `<27>${stamp(ms)} ${router.name} kmd[${pid++}]: KMD_VPN_TS_MISMATCH: IPSec negotiation ` +
        `failed for VPN ${peer.vpn} from ${router.local} to ${peer.remote}: No proposal chosen`,
      {
        vpn: peer.vpn,
        local: { ip: router.local, port: 500 },
        remote: { ip: peer.remote, port: 500 },
        reason: 'no-proposal-chosen',
        reasonText: 'No proposal chosen',
      },
    );
  const clock = (router, ms) => observation('clock', router.name, ms, '', {}, 'clock');

  /** Configs, then an IKE SA and an IPsec pair per tunnel, spread over the first hour. */
  function* setup() {
    for (const router of routers) yield config(router, 0);
    const spread = 3_000_000;
    for (let i = 0; i < PER_ROUTER; i++) {
      for (const router of routers) {
        const peer = router.peers[i];
        if (!peer) continue;
        const ms = 1000 + Math.floor((i * spread) / PER_ROUTER);
        yield ike(router, peer, ms);
        yield sa(router, peer, 'inbound', ms);
        yield sa(router, peer, 'outbound', ms);
      }
    }
  }

  /**
   * The steady mix after the first hour, time advancing 1 ms an observation: 80 % rekeys (an
   * IPsec pair; one in ten with a new IKE SA first), 10 % clock ticks, 10 % negotiation failures.
   */
  function* steady(count) {
    let ms = 3_600_000;
    let made = 0;
    while (made < count) {
      const router = routers[Math.floor(rand() * routers.length)];
      const peer = router.peers[Math.floor(rand() * router.peers.length)];
      const roll = rand();
      ms++;
      if (roll < 0.1) {
        yield clock(router, ms);
        made++;
      } else if (roll < 0.2) {
        yield failure(router, peer, ms);
        made++;
      } else {
        if (roll < 0.28) {
          yield ike(router, peer, ms);
          made++;
        }
        yield sa(router, peer, 'inbound', ms);
        yield sa(router, peer, 'outbound', ms);
        made += 2;
      }
    }
  }
  return { setup, steady };
}

/**
 * Chunks of observations as the projector gets them: parsed from JSON (flat strings and fresh
 * objects). Lines built by template literals are V8 cons strings that the fold's first look at a
 * character would flatten, a cost production input never has.
 */
function* parsedChunks(iterable, size) {
  for (const chunk of chunks(iterable, size)) yield JSON.parse(JSON.stringify(chunk));
}

function* chunks(iterable, size) {
  let chunk = [];
  for (const item of iterable) {
    chunk.push(item);
    if (chunk.length >= size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
}

// --- the naive baseline fold -------------------------------------------------------------------

/** The same bookkeeping with plain objects in Maps and no deadlines, events or dedupe. */
function naiveFold() {
  const routers = new Map();
  const routerOf = (name) => {
    let r = routers.get(name);
    if (!r) routers.set(name, (r = { lastSeenMs: 0, clockMs: 0, tunnels: new Map() }));
    return r;
  };
  const tunnelOf = (r, remote, vpn) => {
    let t = r.tunnels.get(remote);
    if (!t) {
      t = { vpn, status: 'down', ike: null, inbound: null, outbound: null, failures: 0 };
      r.tunnels.set(remote, t);
    }
    return t;
  };
  let live = 0;
  return {
    live: () => live,
    apply(o) {
      const r = routerOf(o.router);
      const ms = Date.parse(o.time);
      r.clockMs = Math.max(r.clockMs, ms);
      if (o.kind !== 'clock' && o.kind !== 'junos-config') r.lastSeenMs = ms;
      const d = o.data;
      switch (o.kind) {
        case 'ike-sa-established': {
          const t = tunnelOf(r, d.remote.ip, d.vpn);
          if (!t.ike) live++;
          t.ike = { establishedMs: ms, lifetimeS: 28_800, role: d.role, evidence: o.raw };
          break;
        }
        case 'ipsec-sa-established': {
          const t = tunnelOf(r, d.remoteGateway, undefined);
          const sa = {
            spi: parseInt(d.spi, 16),
            establishedMs: ms,
            lifetimeS: 28_800,
            evidence: o.raw,
          };
          if (d.direction === 'inbound') {
            if (!t.inbound) live++;
            t.inbound = sa;
          } else {
            if (!t.outbound) live++;
            t.outbound = sa;
          }
          if (t.inbound && t.outbound) t.status = 'up';
          break;
        }
        case 'ipsec-negotiation-failed':
          tunnelOf(r, d.remote.ip, d.vpn).failures++;
          break;
        default:
          break;
      }
    },
  };
}

// --- a CPU profile of the fold alone ------------------------------------------------------------

/**
 * Samples the CPU while the fold runs (start/stop around each chunk; the inspector session
 * answers synchronously). summary(): self time by function over every chunk, as shares.
 */
function foldProfiler() {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 100 });
  const profiles = [];
  return {
    start: () => session.post('Profiler.start'),
    stop: () =>
      session.post('Profiler.stop', (error, result) => {
        if (error) throw error;
        profiles.push(result.profile);
      }),
    summary() {
      session.disconnect();
      writeFileSync(FOLD_PROFILE, JSON.stringify(profiles));
      const self = new Map();
      let total = 0;
      for (const profile of profiles) {
        const byId = new Map(profile.nodes.map((n) => [n.id, n]));
        for (const id of profile.samples) {
          const { functionName, url, lineNumber } = byId.get(id).callFrame;
          const file = url.slice(url.lastIndexOf('/') + 1);
          const key = file
            ? `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`
            : functionName;
          self.set(key, (self.get(key) ?? 0) + 1);
          total++;
        }
      }
      const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 30);
      return {
        samples: total,
        selfShares: Object.fromEntries(top.map(([k, n]) => [k, round((100 * n) / total, 1)])),
      };
    },
  };
}

// --- 1 and 2: the fold with ~1 M live SAs --------------------------------------------------------

function liveSas(states) {
  let count = 0;
  for (const state of states.values()) {
    for (const tunnel of state.tunnels.values()) {
      if (tunnel.ike) count++;
      if (tunnel.inbound) count++;
      if (tunnel.outbound) count++;
    }
  }
  return count;
}

function measureFold() {
  const routers = fleet(Math.ceil(SAS / 3));
  const gen = generator(routers, 4);
  const before = heapUsed();
  const states = new Map();
  let events = 0;
  const digest = DIGEST ? createHash('sha256') : undefined;
  let held = [];
  const hash = () => {
    for (const list of held) for (const event of list) digest.update(JSON.stringify(event));
    held = [];
  };
  const apply = (o) => {
    let state = states.get(o.router);
    if (!state) states.set(o.router, (state = initialState(o.router, { settings: SETTINGS })));
    const out = evolve(state, o).events;
    events += out.length;
    if (digest && out.length) held.push(out);
  };
  let setupMs = 0;
  let setupCount = 0;
  for (const chunk of parsedChunks(gen.setup(), CHUNK)) {
    const t = performance.now();
    for (const o of chunk) apply(o);
    setupMs += performance.now() - t;
    setupCount += chunk.length;
    if (digest) hash();
  }
  const after = heapUsed();
  const live = liveSas(states);
  if (HEAP_SNAPSHOT) writeHeapSnapshot(HEAP_SNAPSHOT);

  // The steady mix, generated a chunk at a time (untimed), folded (timed); the baseline folds
  // the same chunk right after, so both see the same machine load.
  const naive = naiveFold();
  const naiveGen = generator(routers, 4);
  const naiveBefore = heapUsed();
  for (const chunk of parsedChunks(naiveGen.setup(), CHUNK)) for (const o of chunk) naive.apply(o);
  const naiveAfter = heapUsed();
  let foldMs = 0;
  let naiveMs = 0;
  let foldCpuMs = 0;
  let naiveCpuMs = 0;
  let steadyCount = 0;
  let steadyEvents = 0;
  const profiler = FOLD_PROFILE ? foldProfiler() : undefined;
  for (const chunk of parsedChunks(gen.steady(STEADY), CHUNK)) {
    const e0 = events;
    profiler?.start();
    let t = performance.now();
    let c = cpuMs();
    for (const o of chunk) apply(o);
    foldMs += performance.now() - t;
    foldCpuMs += cpuMs() - c;
    profiler?.stop();
    if (digest) hash();
    steadyEvents += events - e0;
    t = performance.now();
    c = cpuMs();
    for (const o of chunk) naive.apply(o);
    naiveMs += performance.now() - t;
    naiveCpuMs += cpuMs() - c;
    steadyCount += chunk.length;
  }
  const result = {
    routers: routers.length,
    tunnels: routers.reduce((n, r) => n + r.peers.length, 0),
    liveSas: live,
    setup: {
      observations: setupCount,
      seconds: round(setupMs / 1000, 2),
      perSecond: round(setupCount / (setupMs / 1000)),
    },
    steady: {
      observations: steadyCount,
      events: steadyEvents,
      seconds: round(foldMs / 1000, 2),
      perSecond: round(steadyCount / (foldMs / 1000)),
      baselinePerSecond: round(steadyCount / (naiveMs / 1000)),
      perCpuSecond: round(steadyCount / (foldCpuMs / 1000)),
      baselinePerCpuSecond: round(steadyCount / (naiveCpuMs / 1000)),
      liveSasAfter: liveSas(states),
      ...(profiler ? { profile: profiler.summary() } : {}),
      ...(digest ? { eventsSha256: digest.digest('hex') } : {}),
    },
    heap: collect
      ? {
          bytesPerSa: round((after - before) / live),
          baselineBytesPerSa: round((naiveAfter - naiveBefore) / naive.live()),
          foldMb: round((after - before) / 2 ** 20),
        }
      : 'run with node --expose-gc',
  };
  states.clear();
  return result;
}

// --- 3: rebuild from the embedded log ---------------------------------------------------------

async function measureRebuild() {
  // The observation count scales the fleet: one live SA per 10 observations (1 M from 10 M).
  const tunnels = Math.ceil(LOG_OBSERVATIONS / 30);
  const routers = fleet(tunnels);
  const gen = generator(routers, 5);
  const dir = mkdtempSync(join(os.tmpdir(), 'samon-bench-fold-'));
  try {
    const logPath = join(dir, 'log.sqlite');
    let log = await openEventLog({ kind: 'sqlite', path: logPath });
    let appended = 0;
    const t0 = performance.now();
    const setupCount = routers.length + 3 * tunnels;
    const all = (function* () {
      yield* gen.setup();
      yield* gen.steady(Math.max(0, LOG_OBSERVATIONS - setupCount));
    })();
    for (const chunk of chunks(all, 5000)) {
      await log.append(
        chunk.map((o) => ({
          topic: TOPICS.observations,
          key: o.router,
          value: Buffer.from(JSON.stringify(o)),
          timestamp: Date.parse(o.time),
        })),
      );
      appended += chunk.length;
    }
    const appendSeconds = (performance.now() - t0) / 1000;
    await log.close();

    // Baseline: read every record back and JSON.parse it (the floor under any projector).
    log = await openEventLog({ kind: 'sqlite', path: logPath });
    let t = performance.now();
    const parseCpu = cpuMs();
    let parsed = 0;
    for (const { partition } of await log.partitions(TOPICS.observations)) {
      for await (const record of log.read(TOPICS.observations, {
        partition,
        from: { offset: 0 },
      })) {
        JSON.parse(record.value.toString('utf8'));
        parsed++;
      }
    }
    const parseSeconds = (performance.now() - t) / 1000;
    const parseCpuSeconds = (cpuMs() - parseCpu) / 1000;

    const store = new SqliteSnapshotStore(join(dir, 'snapshots.sqlite'));
    let snapshots = 0;
    let events = 0;
    const projector = new Projector(
      log,
      saFold(SETTINGS),
      store,
      pino({ level: 'silent' }),
      { groupId: 'bench-fold', snapshotEveryRecords: SNAPSHOT_EVERY },
      { onSnapshot: () => snapshots++, onEvents: (list) => (events += list.length) },
    );
    t = performance.now();
    let c = cpuMs();
    await projector.start();
    const caughtUp = () => [...projector.positions().values()].reduce((a, b) => a + b, 0);
    while (caughtUp() < appended) await sleep(5);
    const rebuildSeconds = (performance.now() - t) / 1000;
    const rebuildCpuSeconds = (cpuMs() - c) / 1000;
    const live = liveSas(new Map(projector.routers()));
    await projector.stop();

    // The state alone rebuilt from the same log, whose lifecycle events are now appended: the
    // snapshots lost (or of an older format), the recorded progress kept, as after an upgrade.
    const scope = `bench-fold/${TOPICS.observations}`;
    const stateStore = new SqliteSnapshotStore(join(dir, 'snapshots-rebuild.sqlite'));
    for (const { partition } of await log.partitions(TOPICS.observations)) {
      const progress = store.progress(scope, partition);
      if (progress) stateStore.saveProgress(scope, partition, progress);
    }
    store.close();
    let stateEvents = 0;
    const stateProjector = new Projector(
      log,
      saFold(SETTINGS),
      stateStore,
      pino({ level: 'silent' }),
      { groupId: 'bench-fold', snapshotEveryRecords: SNAPSHOT_EVERY },
      { onEvents: (list) => (stateEvents += list.length) },
    );
    t = performance.now();
    c = cpuMs();
    await stateProjector.start();
    const stateCaughtUp = () => [...stateProjector.positions().values()].reduce((a, b) => a + b, 0);
    while (stateCaughtUp() < appended) await sleep(5);
    const stateSeconds = (performance.now() - t) / 1000;
    const stateCpuSeconds = (cpuMs() - c) / 1000;
    const stateLive = liveSas(new Map(stateProjector.routers()));
    await stateProjector.stop();
    stateStore.close();
    await log.close();
    return {
      observations: appended,
      liveSas: live,
      appendSeconds: round(appendSeconds, 1),
      snapshotEveryRecords: SNAPSHOT_EVERY,
      snapshots,
      events,
      seconds: round(rebuildSeconds, 2),
      cpuSeconds: round(rebuildCpuSeconds, 2),
      perSecond: round(appended / rebuildSeconds),
      perCpuSecond: round(appended / rebuildCpuSeconds),
      baselineReadParseSeconds: round(parseSeconds, 2),
      baselineReadParsePerSecond: round(parsed / parseSeconds),
      baselineReadParseCpuSeconds: round(parseCpuSeconds, 2),
      baselineReadParsePerCpuSecond: round(parsed / parseCpuSeconds),
      // linear: holds without snapshots; with a snapshot every K records of a state that grows
      // with N, the snapshot share grows as N²
      linearExtrapolation10MSeconds: round((rebuildSeconds * 10_000_000) / appended, 1),
      linearExtrapolation10MCpuSeconds: round((rebuildCpuSeconds * 10_000_000) / appended, 1),
      // rebuilding the state only: lifecycle events already in the log are not appended again
      stateOnly: {
        liveSas: stateLive,
        eventsAppended: stateEvents,
        seconds: round(stateSeconds, 2),
        cpuSeconds: round(stateCpuSeconds, 2),
        perSecond: round(appended / stateSeconds),
        perCpuSecond: round(appended / stateCpuSeconds),
        linearExtrapolation10MSeconds: round((stateSeconds * 10_000_000) / appended, 1),
        linearExtrapolation10MCpuSeconds: round((stateCpuSeconds * 10_000_000) / appended, 1),
      },
      targetSeconds: 30,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fold = SKIP_FOLD ? undefined : measureFold();
const rebuild = SKIP_LOG ? undefined : await measureRebuild();
process.stdout.write(
  `${JSON.stringify({
    node: process.version,
    cpu: os.cpus()[0]?.model,
    cpus: os.cpus().length,
    loadAverage1m: round(os.loadavg()[0], 2),
    withId: WITH_ID,
    ...(fold ? { fold } : {}),
    ...(rebuild ? { rebuild } : {}),
  })}\n`,
);
