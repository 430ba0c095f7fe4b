// SNMP polling benchmark (issue 8, item 7): samon's poller against many simulated agents, beside
// Debian's snmpbulkwalk over the same agents with the same maxRepetitions, in the same run.
// Run: npm run build && node bench/snmp.js   (prints one JSON object)
// Pin for stable figures: taskset -c 1 node bench/snmp.js --agent-cpu 0 (the agents' process on
// core 0, the client on core 1).
// Options: --agents N (200) --sas N (SA rows per agent, 200; as many tunnels and IKE SAs, one
// peer per 4 tunnels) --maxrep N (25) --concurrency N (targets polled at once, 8)
// --seconds S (poll the fleet again and again for S seconds; default: once)
// --only poller,subtree,snmpbulkwalk (workloads) --refresh lazy|timer|static (how the agents
// rebuild their varbinds: lazily per request when older than --max-age ms (1000), on a timer of
// --max-age for every agent, or once) --agent-cpu C (pin the agents' process with taskset)
// --compare-mib (also time net-snmp's own MIB-tree Agent with the same SA table, and ours).
//
// The agents run in a child process, so the client's CPU (process.cpuUsage, and for the
// snmpbulkwalk children the kernel's cutime/cstime of this process) is measured alone; the
// agents' CPU is reported beside it. Workloads:
// - poller: src/collect/snmp pollTarget (GETBULK of the walk plan's columns side by side,
//   decoded into observations), one session per target;
// - subtree: net-snmp session.subtree of each walk-plan table, no decoding;
// - snmpbulkwalk: one `snmpbulkwalk -Cr<maxrep>` child per table per target (C net-snmp).
import { Buffer } from 'node:buffer';
import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { clearInterval, setInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { flag, numberArg, textArg } from './lib.js';

const AGENTS = numberArg('--agents', 200);
const SAS = numberArg('--sas', 200);
const MAXREP = numberArg('--maxrep', 25);
const CONCURRENCY = numberArg('--concurrency', 8);
const SECONDS = numberArg('--seconds', 0);
const REFRESH = textArg('--refresh', 'lazy');
const MAX_AGE = numberArg('--max-age', 1000);
const BASE_PORT = numberArg('--base-port', 30_000);
const ONLY = (textArg('--only') ?? 'poller,subtree,snmpbulkwalk').split(',');
const AGENT_CPU = textArg('--agent-cpu');
const COMMUNITY = 'bench';

const { walkPlan } = await import('../dist/junos/snmp/oids.js');

// --- the agents (child) ------------------------------------------------------------------

/** A router's SNMP view with `sas` tunnels, one SA, one IKE SA each; a peer per 4 tunnels. */
function syntheticView(agent, sas, atMs, startMs) {
  const peers = Math.max(1, Math.ceil(sas / 4));
  const peerAddress = (p) => `172.${16 + (p >> 16)}.${(p >> 8) & 255}.${p & 255}`;
  const local = `10.${(agent >> 8) & 255}.${agent & 255}.1`;
  const age = (k) => Math.floor((atMs - startMs) / 10) + k * 100;
  const ike = [];
  const tunnels = [];
  const sasRows = [];
  for (let k = 0; k < sas; k++) {
    const remote = peerAddress(k % peers);
    const vpn = `vpn-${agent}-${k}`;
    ike.push({
      remoteGateway: remote,
      localGateway: local,
      ikeIndex: k + 1,
      role: k % 2 ? 'responder' : 'initiator',
      ikeVersion: 2,
      initiatorCookie: (0x1000_0000 + agent * 1000 + k).toString(16).padStart(16, '0'),
      responderCookie: (0x2000_0000 + agent * 1000 + k).toString(16).padStart(16, '0'),
      lifetimeSeconds: 28800,
      activeHundredths: age(k),
      gateway: `gw-${agent}-${k}`,
      localId: local,
      remoteId: remote,
      encryption: 'aes-256-cbc',
      authentication: 'psk',
    });
    const pkts = BigInt(age(k)) * 5n;
    tunnels.push({
      remoteGateway: remote,
      localGateway: local,
      tunnelIndex: 131073 + k,
      vpn,
      trafficSelector: '',
      localProxyId: 'ipv4_subnet(any:0,[0..7]=0.0.0.0/0)',
      remoteProxyId: 'ipv4_subnet(any:0,[0..7]=0.0.0.0/0)',
      counters: {
        outEncryptedBytes: pkts * 400n,
        outEncryptedPkts: pkts,
        inDecryptedBytes: pkts * 400n,
        inDecryptedPkts: pkts,
        invalidSpi: 0n,
      },
    });
    sasRows.push({
      remoteGateway: remote,
      tunnelIndex: 131073 + k,
      saIndex: 1,
      inSpi: 0x1000_0000 + agent * 4096 + 2 * k,
      outSpi: 0x1000_0000 + agent * 4096 + 2 * k + 1,
      lifetimeSeconds: 3600,
      lifetimeThresholdSeconds: 135,
      activeHundredths: age(k),
      state: 'active',
      encryption: 'aes-256-gcm',
    });
  }
  const zero = () => ({
    NoProposalChosen: 0,
    AuthenticationFailed: 0,
    TsUnacceptable: 0,
    InvalidKe: 0,
    ResGetCAsFail: 0,
  });
  const peerRows = Array.from({ length: peers }, (_, p) => ({
    remoteGateway: peerAddress(p),
    localGateway: local,
    peerIndex: p + 1,
    state: 'active',
    gateway: `gw-${agent}-${p}`,
    counters: zero(),
    byRole: { initiator: zero(), responder: { ...zero(), AuthenticationFailed: p % 3 } },
  }));
  return {
    router: `srx-bench-${agent}`,
    platform: 'srx',
    atMs,
    sysUpTimeHundredths: Math.floor((atMs - startMs) / 10) + 8_640_000,
    ike,
    tunnels,
    sas: sasRows,
    peers: peerRows,
    global: { invalidSpi: 0n },
  };
}

async function runAgents() {
  const { startSimAgent, cachedSnapshot } = await import('../dist/sim/snmp/agent.js');
  const { routerVarbinds } = await import('../dist/sim/snmp/varbinds.js');
  const startMs = Date.now();
  const agents = [];
  const caches = [];
  let rebuilds = 0;
  const build = (i) => {
    rebuilds++;
    return routerVarbinds(syntheticView(i, SAS, Date.now(), startMs));
  };
  for (let i = 0; i < AGENTS; i++) {
    let snapshot;
    if (REFRESH === 'lazy') {
      snapshot = cachedSnapshot(
        () => build(i),
        () => performance.now(),
        MAX_AGE,
      ).snapshot;
    } else {
      caches[i] = build(i);
      snapshot = () => caches[i];
    }
    agents.push(
      await startSimAgent({
        port: BASE_PORT + i,
        community: COMMUNITY,
        v3: { user: 'bench', authKey: 'bench-auth-1', privKey: 'bench-priv-1' },
        snapshot,
      }),
    );
  }
  const timer =
    REFRESH === 'timer'
      ? setInterval(() => {
          for (let i = 0; i < AGENTS; i++) caches[i] = build(i);
        }, MAX_AGE)
      : undefined;
  const varbinds = routerVarbinds(syntheticView(0, SAS, Date.now(), startMs)).length;
  process.on('message', (m) => {
    if (m === 'usage') {
      process.send({
        cpu: process.cpuUsage(),
        rebuilds,
        requests: agents.reduce((n, a) => n + a.requests(), 0),
        varbinds: agents.reduce((n, a) => n + a.varbinds(), 0),
      });
    } else if (m === 'stop') {
      if (timer) clearInterval(timer);
      void Promise.all(agents.map((a) => a.close())).then(() => process.exit(0));
    }
  });
  process.send({ ready: true, varbinds });
}

// --- the client ----------------------------------------------------------------------------

/** This process's children's CPU (cutime + cstime), seconds, from /proc (waited-for children). */
function childrenCpuSeconds() {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const hz = 100;
  return (Number(fields[13]) + Number(fields[14])) / hz;
}

const cpuSeconds = (u) => (u.user + u.system) / 1e6;

function ask(child, message) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(message);
  });
}

async function pool(items, concurrency, work) {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(workers);
}

const tableOids = () => walkPlan('srx').map((t) => t.oid);

async function pollerWorkload(targets) {
  const { pollTarget } = await import('../dist/collect/snmp/poll.js');
  let varbinds = 0;
  let failures = 0;
  let rows = 0;
  await pool(targets, CONCURRENCY, async (port) => {
    const out = await pollTarget(
      {
        name: `srx-bench-${port - BASE_PORT}`,
        address: '127.0.0.1',
        port,
        platform: 'srx',
        version: '2c',
        community: COMMUNITY,
        timeout: 5000,
        retries: 1,
        maxRepetitions: MAXREP,
      },
      {},
    );
    if (!out.ok) failures++;
    rows += out.rows;
    varbinds += out.observations.length;
  });
  return { failures, rows, observations: varbinds };
}

async function subtreeWorkload(targets) {
  const snmp = (await import('net-snmp')).default;
  let varbinds = 0;
  let failures = 0;
  await pool(targets, CONCURRENCY, async (port) => {
    const session = snmp.createSession('127.0.0.1', COMMUNITY, {
      port,
      version: snmp.Version2c,
      timeout: 5000,
      retries: 1,
    });
    try {
      for (const oid of tableOids()) {
        await new Promise((resolve, reject) =>
          session.subtree(
            oid,
            MAXREP,
            (vbs) => {
              varbinds += vbs.length;
            },
            (err) => (err ? reject(err) : resolve()),
          ),
        );
      }
    } catch {
      failures++;
    } finally {
      session.close();
    }
  });
  return { failures, varbinds };
}

function bulkwalk(port, oid) {
  return new Promise((resolve) => {
    execFile(
      'snmpbulkwalk',
      [
        '-v2c',
        '-c',
        COMMUNITY,
        '-On',
        '-Oq',
        `-Cr${MAXREP}`,
        '-t',
        '5',
        '-r',
        '1',
        `127.0.0.1:${port}`,
        oid,
      ],
      { maxBuffer: 256 * 1024 * 1024 },
      (err, stdout) =>
        resolve(
          err ? -1 : stdout.split('\n').filter((l) => l && !l.includes('No more variables')).length,
        ),
    );
  });
}

async function snmpbulkwalkWorkload(targets) {
  let varbinds = 0;
  let failures = 0;
  await pool(targets, CONCURRENCY, async (port) => {
    for (const oid of tableOids()) {
      const n = await bulkwalk(port, oid);
      if (n < 0) failures++;
      else varbinds += n;
    }
  });
  return { failures, varbinds, processes: targets.length * tableOids().length };
}

const WORKLOADS = {
  poller: pollerWorkload,
  subtree: subtreeWorkload,
  snmpbulkwalk: snmpbulkwalkWorkload,
};

async function measure(name, child, targets) {
  const before = await ask(child, 'usage');
  const cpu0 = process.cpuUsage();
  const kids0 = childrenCpuSeconds();
  const t0 = performance.now();
  let polls = 0;
  let result;
  const totals = {};
  do {
    result = await WORKLOADS[name](targets);
    for (const [k, v] of Object.entries(result)) totals[k] = (totals[k] ?? 0) + v;
    polls += targets.length;
  } while (performance.now() - t0 < SECONDS * 1000);
  const wall = (performance.now() - t0) / 1000;
  const clientCpu = cpuSeconds(process.cpuUsage(cpu0)) + (childrenCpuSeconds() - kids0);
  const after = await ask(child, 'usage');
  const agentCpu = cpuSeconds(after.cpu) - cpuSeconds(before.cpu);
  // Every workload reads the same varbinds; the agents count what they answered (a GETBULK's
  // end-of-walk overshoot included), the one measure common to all three.
  const varbinds = after.varbinds - before.varbinds;
  return {
    polls,
    wallSeconds: +wall.toFixed(3),
    pollsPerSecond: +(polls / wall).toFixed(1),
    clientCpuSeconds: +clientCpu.toFixed(3),
    clientCpuMsPerPoll: +((clientCpu * 1000) / polls).toFixed(2),
    varbindsAnswered: varbinds,
    varbindsPerSecond: Math.round(varbinds / wall),
    clientCpuUsPerVarbind: +((clientCpu * 1e6) / varbinds).toFixed(2),
    agentCpuSeconds: +agentCpu.toFixed(3),
    agentRequests: after.requests - before.requests,
    agentRebuilds: after.rebuilds - before.rebuilds,
    ...totals,
  };
}

/** net-snmp's MIB-tree Agent against ours, same SA table, one process (--compare-mib). */
async function compareMib() {
  const snmp = (await import('net-snmp')).default;
  const { startSimAgent } = await import('../dist/sim/snmp/agent.js');
  const { routerVarbinds } = await import('../dist/sim/snmp/varbinds.js');
  const { jnxIpSecSaMonTable } = await import('../dist/junos/snmp/oids.js');
  const out = {};
  for (const rows of [50, 200, 800]) {
    const view = syntheticView(1, rows, Date.now(), Date.now() - 1000);
    const vbs = routerVarbinds(view).filter((v) =>
      v.oid.startsWith(`${jnxIpSecSaMonTable.entry}.`),
    );
    const cols = jnxIpSecSaMonTable.columns.filter(
      (c) => !c.index && vbs.some((v) => v.oid.startsWith(`${jnxIpSecSaMonTable.entry}.${c.col}.`)),
    );
    // The MIB agent: the index as three not-accessible INTEGER/OCTET STRING columns + the SA index.
    const mibAgent = snmp.createAgent({ port: BASE_PORT - 2, address: '127.0.0.1' }, () => {});
    mibAgent.getAuthorizer().addCommunity(COMMUNITY);
    const mib = mibAgent.getMib();
    mib.registerProvider({
      name: 'jnxIpSecSaMonEntry',
      type: snmp.MibProviderType.Table,
      oid: jnxIpSecSaMonTable.entry,
      maxAccess: snmp.MaxAccess['not-accessible'],
      tableColumns: [
        {
          number: 90,
          name: 'gwType',
          type: snmp.ObjectType.Integer,
          maxAccess: snmp.MaxAccess['not-accessible'],
        },
        {
          number: 91,
          name: 'gw',
          type: snmp.ObjectType.OctetString,
          maxAccess: snmp.MaxAccess['not-accessible'],
        },
        {
          number: 92,
          name: 'tun',
          type: snmp.ObjectType.Integer,
          maxAccess: snmp.MaxAccess['not-accessible'],
        },
        {
          number: 93,
          name: 'sa',
          type: snmp.ObjectType.Integer,
          maxAccess: snmp.MaxAccess['not-accessible'],
        },
        ...cols.map((c) => ({
          number: c.col,
          name: c.name,
          type: vbs.find((v) => v.oid.startsWith(`${jnxIpSecSaMonTable.entry}.${c.col}.`)).type,
          maxAccess: snmp.MaxAccess['read-only'],
        })),
      ],
      tableIndex: [
        { columnName: 'gwType' },
        { columnName: 'gw' },
        { columnName: 'tun' },
        { columnName: 'sa' },
      ],
    });
    for (const sa of view.sas) {
      const row = [
        1,
        Buffer.from(sa.remoteGateway.split('.').map(Number)),
        sa.tunnelIndex,
        sa.saIndex,
      ];
      for (const c of cols) {
        const v = vbs.find((x) =>
          x.oid.startsWith(
            `${jnxIpSecSaMonTable.entry}.${c.col}.1.4.${sa.remoteGateway}.${sa.tunnelIndex}.${sa.saIndex}`,
          ),
        );
        row.push(v.value);
      }
      mib.addTableRow('jnxIpSecSaMonEntry', row);
    }
    const ours = await startSimAgent({
      port: BASE_PORT - 1,
      community: COMMUNITY,
      snapshot: () => vbs,
    });
    const time = async (port) => {
      const session = snmp.createSession('127.0.0.1', COMMUNITY, {
        port,
        version: snmp.Version2c,
        timeout: 20_000,
      });
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      let n = 0;
      await new Promise((resolve, reject) =>
        session.subtree(
          jnxIpSecSaMonTable.entry,
          MAXREP,
          (v) => {
            n += v.length;
          },
          (e) => (e ? reject(e) : resolve()),
        ),
      );
      const wall = (performance.now() - t0) / 1000;
      session.close();
      return {
        varbinds: n,
        wallSeconds: +wall.toFixed(3),
        varbindsPerSecond: Math.round(n / wall),
        cpuSeconds: +cpuSeconds(process.cpuUsage(cpu0)).toFixed(3),
      };
    };
    out[`${rows} SA rows`] = {
      netSnmpMibAgent: await time(BASE_PORT - 2),
      sortedVarbinds: await time(BASE_PORT - 1),
    };
    mibAgent.close();
    await ours.close();
  }
  return out;
}

async function main() {
  if (flag('--child')) return runAgents();
  const script = fileURLToPath(import.meta.url);
  const childArgs = [script, '--child', ...process.argv.slice(2)];
  const child =
    AGENT_CPU === undefined
      ? spawn(process.execPath, childArgs, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
      : spawn('taskset', ['-c', AGENT_CPU, process.execPath, ...childArgs], {
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
  const ready = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`agents exited ${code}`)));
  });
  const targets = Array.from({ length: AGENTS }, (_, i) => BASE_PORT + i);
  const results = {};
  for (const name of ONLY) results[name] = await measure(name, child, targets);
  child.send('stop');
  const base = results.snmpbulkwalk;
  const ratio = (a, b) => (a && b ? +(a / b).toFixed(2) : undefined);
  const report = {
    bench: 'snmp',
    node: process.version,
    cpus: os.cpus().length,
    load: os.loadavg().map((l) => +l.toFixed(2)),
    agents: AGENTS,
    saRowsPerAgent: SAS,
    varbindsPerAgent: ready.varbinds,
    maxRepetitions: MAXREP,
    concurrency: CONCURRENCY,
    refresh: REFRESH,
    maxAgeMs: MAX_AGE,
    results,
    vsSnmpbulkwalk: base
      ? Object.fromEntries(
          Object.entries(results)
            .filter(([k]) => k !== 'snmpbulkwalk')
            .map(([k, r]) => [
              k,
              {
                wallRatio: ratio(r.wallSeconds, base.wallSeconds),
                clientCpuRatio: ratio(r.clientCpuSeconds, base.clientCpuSeconds),
              },
            ]),
        )
      : undefined,
    ...(flag('--compare-mib') ? { compareMib: await compareMib() } : {}),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await main();
