// (A .js file: the package is ESM, and ESLint lints *.js without type information; a .mjs
// file would need the TypeScript project service.)
// Parse benchmark (issue 3, item 6): lines/s and MB/s for syslog lines → observations on a
// generated corpus with the real mix of kmd messages, beside two baselines measured in the
// same run: a plain split-and-regex envelope parse, and nsyslog-parser.
// Run: npm run build && node bench/parse.js [--lines N] [--runs R]   (prints one JSON object)
// Pin to one core for stable figures: taskset -c 1 node bench/parse.js
// Options: --only samon,samonFromBytes (workloads to run), --warmup N (runs before timing,
// default 2), --dist DIR (the build to load, default ./dist: compare two builds),
// --write-corpus FILE (also write the corpus there, one line each, e.g. for golden outputs),
// --ab DIR (another build's parser beside this one in the same process: the samon workload
// of each, interleaved run by run, and the median of the paired CPU-time ratios; on a loaded
// machine far steadier than two invocations, whose figures drift with the other processes).
// The floorBuild workload is the floor of any parser with this output: it builds the same
// observations (same keys, same order, fresh substrings of the line where the value is one)
// from field offsets found beforehand, so it does no scanning at all.
// Instruction counts, stable on a loaded machine (docs/syslog.md): run under
//   valgrind --tool=callgrind --callgrind-out-file=/dev/null node --no-concurrent-recompilation \
//     bench/parse.js --lines 20000 --only samon --warmup 3 --runs R
// for R = 2 and R = 7; (Ir(7) − Ir(2)) / (5 × 20 000) is the count per line, warm.
// (--no-concurrent-recompilation: valgrind serialises threads, so background optimisation
// would lag and the count would measure unoptimised code.)
import { Buffer } from 'node:buffer';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL, URL } from 'node:url';
import { numberArg, prng, textArg } from './lib.js';

const require = createRequire(import.meta.url);
const nsyslogParse = require('nsyslog-parser');

const LINES = numberArg('--lines', 200_000);
const RUNS = numberArg('--runs', 7);
const WARMUP = numberArg('--warmup', 2);
const ONLY = textArg('--only')?.split(',');
const DIST = path.resolve(textArg('--dist') ?? fileURLToPath(new URL('../dist', import.meta.url)));
const { createSyslogParser } = await import(
  pathToFileURL(path.join(DIST, 'junos/syslog/index.js')).href
);
const NSYSLOG_LINES = Math.min(LINES, 40_000);
const AB = textArg('--ab');
const other = AB
  ? (await import(pathToFileURL(path.join(path.resolve(AB), 'junos/syslog/index.js')).href))
      .createSyslogParser
  : undefined;

// --- corpus -----------------------------------------------------------------------------

const rand = prng(42);
const pick = (list) => list[Math.floor(rand() * list.length)];
const int = (n) => Math.floor(rand() * n);
const ip = () => `${10 + int(200)}.${int(256)}.${int(256)}.${1 + int(254)}`;
const hex8 = () => (int(0xffffffff) >>> 0).toString(16).padStart(8, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const PROXY = 'ipv4_subnet(any:0,[0..7]=0.0.0.0/0)';

const routers = Array.from({ length: 40 }, (_, i) => ({
  host: `srx-${String(i).padStart(2, '0')}`,
  local: ip(),
  pid: 1000 + int(30000),
}));
const tunnels = Array.from({ length: 400 }, (_, i) => ({
  router: routers[i % routers.length],
  vpn: `vpn-branch-${i}`,
  gateway: `gw-branch-${i}`,
  peer: ip(),
  id: 131073 + i,
}));

let clock = Date.UTC(2026, 10, 27, 8, 0, 0);
function stamps() {
  clock += int(400);
  const d = new Date(clock);
  const pad = (n) => String(n).padStart(2, '0');
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const day = d.getUTCDate();
  return {
    file: `${MONTHS[d.getUTCMonth()]} ${String(day).padStart(2, ' ')} ${time}`,
    bsd: `${MONTHS[d.getUTCMonth()]} ${day} ${time}`,
    iso: d.toISOString(),
  };
}

/** One message: [pri, program, tag|undefined, text, sd|undefined]. */
function message() {
  const t = pick(tunnels);
  const r = t.router;
  const roll = rand();
  const ikeTail = `IKE Version: 2, VPN: ${t.vpn} Gateway: ${t.gateway}, Local: ${r.local}/500, Remote: ${t.peer}/500, Local IKE-ID: ${r.local}, Remote IKE-ID: ${t.peer}, VR-ID: 0`;
  if (roll < 0.42) {
    const direction = rand() < 0.5 ? 'inbound' : 'outbound';
    const spi = hex8();
    return [
      30,
      'kmd',
      'KMD_PM_SA_ESTABLISHED',
      `Local gateway: ${r.local}, Remote gateway: ${t.peer}, Local ID: ${PROXY}, Remote ID: ${PROXY}, Direction: ${direction}, SPI: 0x${spi}, AUX-SPI: 0, Mode: Tunnel, Type: dynamic, Traffic-selector:  FC Name:`,
      `local-address="${r.local}" remote-address="${t.peer}" local-initiator="ipv4_subnet(any:0,[0..7\\]=0.0.0.0/0)" remote-responder="ipv4_subnet(any:0,[0..7\\]=0.0.0.0/0)" argument1="${direction}" index1="${Number.parseInt(spi, 16)}" index2="0" mode="Tunnel" type="dynamic" traffic-selector-name="" first-forwarding-class=""`,
    ];
  }
  if (roll < 0.62) {
    return [
      30,
      'kmd',
      undefined,
      `IKE negotiation successfully completed. ${ikeTail}, Role: ${pick(['Initiator', 'Responder'])}`,
    ];
  }
  if (roll < 0.67) {
    const reason = pick(['Timed out', 'Authentication failed', 'No proposal chosen']);
    return [
      27,
      'kmd',
      undefined,
      `IKE negotiation failed with error: ${reason}. ${ikeTail}, Role: Initiator`,
    ];
  }
  if (roll < 0.7) {
    return [
      27,
      'kmd',
      undefined,
      `IPSec negotiation failed with error: Peer proposed traffic-selectors are not in configured range. ${ikeTail}`,
    ];
  }
  const tunnel = (state) =>
    `VPN ${t.vpn} from ${t.peer} is ${state}. Local-ip: ${r.local}, gateway name: ${t.gateway}, vpn name: ${t.vpn}, tunnel-id: ${t.id}, local tunnel-if: st0.${t.id % 100}, remote tunnel-ip: Not-Available, Local IKE-ID: ${r.local}, Remote IKE-ID: ${t.peer}, AAA username: Not-Applicable, VR id: 0, Traffic-selector: , Traffic-selector local ID: ${PROXY}, Traffic-selector remote ID: ${PROXY}, SA Type: Static`;
  if (roll < 0.74) return [30, 'kmd', 'KMD_VPN_UP_ALARM_USER', tunnel('up')];
  if (roll < 0.77) {
    return [
      30,
      'kmd',
      'KMD_VPN_DOWN_ALARM_USER',
      `${tunnel('down')}, Reason: ${pick(['Tunnel configuration is deleted. Corresponding IKE/IPSec SAs are deleted', 'DPD detected peer is dead'])}`,
    ];
  }
  if (roll < 0.78)
    return [30, 'kmd', undefined, `Config download: Processed ${int(9)} - ${int(9)} messages`];
  // Other programs on the same feed.
  return pick([
    [86, 'sshd', 'SSHD_LOGIN_FAILED', `Login failed for user 'admin' from host '${ip()}'`],
    [189, 'mgd', 'UI_COMMIT_COMPLETED', 'commit complete'],
    [
      28,
      'rpd',
      'RPD_BGP_NEIGHBOR_STATE_CHANGED',
      `BGP peer ${ip()} (External AS 65001) changed state from Established to Idle (event RecvNotify) (instance master)`,
    ],
    [
      30,
      'mib2d',
      'SNMP_TRAP_LINK_UP',
      `ifIndex 508, ifAdminStatus up(1), ifOperStatus up(1), ifName st0.${int(100)}`,
    ],
  ]);
}

function line() {
  const [pri, program, tag, text, sd] = message();
  const r = pick(routers);
  const s = stamps();
  const form = rand();
  if (form < 0.5)
    return `${s.file}  ${r.host} ${program}[${r.pid}]: ${tag ? `${tag}: ` : ''}${text}`;
  if (form < 0.8)
    return `<${pri}>${s.bsd} ${r.host} ${program}[${r.pid}]: ${tag ? `${tag}: ` : ''}${text}`;
  const sdPart = sd ? `[junos@2636.1.1.1.2.129 ${sd}]` : '-';
  return `<${pri}>1 ${s.iso} ${r.host} ${program} ${r.pid} ${tag ?? '-'} ${sdPart} ${text}`;
}

const lines = Array.from({ length: LINES }, line);
const corpus = `${lines.join('\n')}\n`;
const bytes = Buffer.byteLength(corpus);
const encoded = lines.map((l) => Buffer.from(l));
if (textArg('--write-corpus')) fs.writeFileSync(textArg('--write-corpus'), corpus);

// --- parsers ----------------------------------------------------------------------------

const samon = createSyslogParser({ year: 2026 });
const context = { referenceTime: Date.UTC(2026, 11, 31) };
const kinds = new Map();
/** Per line: [builder, raw, kind, router, time (two halves), ...values], values as [start, end] or as is. */
const preSplit = [];
const builders = new Map();
/** A builder per key list: object literals, as a parser would build them (one shape each). */
function builder(keys) {
  const id = keys.join(',');
  let make = builders.get(id);
  if (!make) {
    const fields = keys.map((k, i) => `${JSON.stringify(k)}: v(r, p[${i + 6}])`).join(', ');
    make = new Function(
      'r',
      'p',
      'v',
      `return { v: 1, kind: p[2], router: p[3], time: p[4] + p[5], source: 'syslog', raw: r, data: { ${fields} } };`,
    );
    builders.set(id, make);
  }
  return make;
}
for (const l of lines) {
  const o = samon(l, context);
  kinds.set(o.kind, (kinds.get(o.kind) ?? 0) + 1);
  const keys = Object.keys(o.data);
  const values = keys.map((k) => {
    const value = o.data[k];
    const at = typeof value === 'string' && value.length > 1 ? l.indexOf(value) : -1;
    return at >= 0 ? [at, at + value.length] : value;
  });
  preSplit.push([
    builder(keys),
    l,
    o.kind,
    o.router,
    o.time.slice(0, 17),
    o.time.slice(17),
    ...values,
  ]);
}
const sliceOf = (raw, v) => (Array.isArray(v) ? raw.slice(v[0], v[1]) : v);

const BSD =
  /^(?:<(\d{1,3})>)?([A-Z][a-z]{2}) +(\d{1,2}) (\d\d:\d\d:\d\d) +(\S+) ([^[:\s]+)(?:\[(\d+)\])?: (?:([A-Z][A-Z0-9_]+): )?(.*)$/;
const IETF = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|\[.*?\](?=[ ]|$)) ?(.*)$/;
function regexEnvelope(text) {
  const m = BSD.exec(text) ?? IETF.exec(text);
  if (!m) return undefined;
  return { host: m[5] ?? m[3], program: m[6] ?? m[4], rest: m[9] ?? m[8] };
}

let sink = 0;
const workloads = {
  samon: () => {
    for (let i = 0; i < lines.length; i++) sink += samon(lines[i], context).raw.length;
    return lines.length;
  },
  samonWithSplit: () => {
    const all = corpus.split('\n');
    all.pop();
    for (let i = 0; i < all.length; i++) sink += samon(all[i], context).raw.length;
    return all.length;
  },
  samonFromBytes: () => {
    for (let i = 0; i < encoded.length; i++) sink += samon(encoded[i], context).raw.length;
    return encoded.length;
  },
  splitRegexEnvelope: () => {
    const all = corpus.split('\n');
    all.pop();
    for (let i = 0; i < all.length; i++) sink += regexEnvelope(all[i])?.rest.length ?? 0;
    return all.length;
  },
  floorBuild: () => {
    for (let i = 0; i < preSplit.length; i++) {
      const p = preSplit[i];
      sink += p[0](p[1], p, sliceOf).raw.length;
    }
    return preSplit.length;
  },
  nsyslogParser: () => {
    for (let i = 0; i < NSYSLOG_LINES; i++) sink += nsyslogParse(lines[i]).message.length;
    return NSYSLOG_LINES;
  },
};

function measure(run, runs) {
  for (let w = 0; w < WARMUP; w++) run();
  const rates = [];
  // CPU time of this process per line: unlike wall time, it does not count the time other
  // processes hold the core, so it is far steadier on a loaded machine.
  const cpuRates = [];
  for (let r = 0; r < runs; r++) {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    const count = run();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const used = process.cpuUsage(cpu);
    rates.push(count / seconds);
    cpuRates.push(count / ((used.user + used.system) / 1e6));
  }
  rates.sort((a, b) => a - b);
  cpuRates.sort((a, b) => a - b);
  const cpuMedian = cpuRates[Math.floor(cpuRates.length / 2)];
  const median = rates[Math.floor(rates.length / 2)];
  const avgLineBytes = bytes / lines.length;
  return {
    linesPerSecond: Math.round(median),
    bestLinesPerSecond: Math.round(rates[rates.length - 1]),
    worstLinesPerSecond: Math.round(rates[0]),
    mbPerSecond: Number(((median * avgLineBytes) / 1e6).toFixed(1)),
    nsPerLine: Math.round(1e9 / median),
    cpuLinesPerSecond: Math.round(cpuMedian),
    bestCpuLinesPerSecond: Math.round(cpuRates[cpuRates.length - 1]),
    cpuNsPerLine: Math.round(1e9 / cpuMedian),
  };
}

const results = {};
for (const [name, run] of Object.entries(workloads)) {
  if (ONLY && !ONLY.includes(name)) continue;
  results[name] = measure(run, name === 'nsyslogParser' ? Math.max(3, Math.ceil(RUNS / 2)) : RUNS);
}

/** CPU ns per line of `parse` over the lines. */
function cpuNs(parse) {
  const cpu = process.cpuUsage();
  for (let i = 0; i < lines.length; i++) sink += parse(lines[i], context).raw.length;
  const used = process.cpuUsage(cpu);
  return ((used.user + used.system) * 1000) / lines.length;
}

let ab;
if (other) {
  const parseB = other({ year: 2026 });
  for (let w = 0; w < WARMUP; w++) {
    cpuNs(samon);
    cpuNs(parseB);
  }
  const a = [];
  const b = [];
  const ratios = [];
  // 3 × RUNS pairs, each pair in alternating order: a drift of the load hits both sides.
  for (let r = 0; r < 3 * RUNS; r++) {
    const first = r % 2 === 0 ? cpuNs(samon) : cpuNs(parseB);
    const second = r % 2 === 0 ? cpuNs(parseB) : cpuNs(samon);
    const [na, nb] = r % 2 === 0 ? [first, second] : [second, first];
    a.push(na);
    b.push(nb);
    ratios.push(nb / na);
  }
  const median = (v) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)];
  ab = {
    a: DIST,
    b: path.resolve(AB),
    cpuNsPerLineA: Math.round(median(a)),
    cpuNsPerLineB: Math.round(median(b)),
    medianRatioBOverA: Number(median(ratios).toFixed(3)),
    pairs: ratios.length,
  };
}

const ratio = (a, b, field = 'linesPerSecond') =>
  results[a] && results[b] ? Number((results[a][field] / results[b][field]).toFixed(2)) : undefined;
const cpuRatio = (a, b) => ratio(a, b, 'cpuLinesPerSecond');
process.stdout.write(
  `${JSON.stringify(
    {
      benchmark: 'parse',
      node: process.version,
      v8: process.versions.v8,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      platform: `${os.platform()} ${os.release()}`,
      loadavg: os.loadavg().map((l) => Number(l.toFixed(2))),
      corpus: {
        lines: lines.length,
        bytes,
        avgLineBytes: Math.round(bytes / lines.length),
        kinds: Object.fromEntries([...kinds].sort((a, b) => b[1] - a[1])),
      },
      runs: RUNS,
      results,
      ...(ab && { ab }),
      ratios: {
        samonVsNsyslogParser: ratio('samon', 'nsyslogParser'),
        samonVsSplitRegexEnvelope: ratio('samon', 'splitRegexEnvelope'),
        samonWithSplitVsSplitRegexEnvelope: ratio('samonWithSplit', 'splitRegexEnvelope'),
        samonVsFloorBuild: ratio('samon', 'floorBuild'),
      },
      cpuRatios: {
        samonVsNsyslogParser: cpuRatio('samon', 'nsyslogParser'),
        samonVsSplitRegexEnvelope: cpuRatio('samon', 'splitRegexEnvelope'),
        samonVsFloorBuild: cpuRatio('samon', 'floorBuild'),
      },
      target: {
        linesPerSecond: 2_000_000,
        met: results.samon ? results.samon.linesPerSecond >= 2_000_000 : undefined,
      },
      sink: sink > 0,
    },
    null,
    2,
  )}\n`,
);
