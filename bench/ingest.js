// (A .js file like bench/parse.js: the package is ESM, and ESLint lints *.js without type
// information; a .mjs file would need the TypeScript project service.)
// Ingest benchmark (issue 3, item 6; performance-anchors.md W2/W3): syslog over real sockets
// into the embedded SQLite log through the real collector (listeners, framing, parse, JSON
// encode, appender, durable appends), beside baselines measured in the same run on the same
// corpus:
//   - tcp: several connections (half LF-framed, half octet-counted) send the corpus; the time is
//     from the first byte sent to the last record durable (its append committed and fsynced).
//     Baselines: a plain `net` server that only counts lines (same senders, same bytes); the
//     parse + encode of the same lines on one thread (no sockets); the raw SQLite append of the
//     same records in the appender's batch sizes (no sockets, no parsing).
//   - udp: a sender paced at --udp-rate datagrams/s for --udp-seconds; sent / received /
//     dropped (samon's counter) / kept (in the log) / kernel receive-buffer errors. Baseline: a
//     plain `dgram` server that only counts, at the same pace.
// Senders: a C process (bench/sender.c, compiled with `cc -O2` into a temp dir: sendmmsg for UDP,
// plain writes for TCP) when `cc` is there, so the collector gets the CPU production gives it
// (routers send, not the collector's host); else a worker thread of this process (a Node dgram
// send costs ~14 us, ~0.7 of a core at 50 k/s). The JSON says which (`sender`) and reports the
// sender's CPU apart from the collector's. `--sender node` forces the worker thread;
// `--pin-sender CPUS` runs the C sender under `taskset -c CPUS` (the collector stays unpinned).
// Run: npm run build && node bench/ingest.js [--lines N] [--connections C] [--runs R]
//        [--udp-rate R] [--udp-seconds S] [--sender c|node] [--pin-sender CPUS]
//        [--udp-receive-thread true|false] [--records-path]
//                                                                       (prints one JSON object)
//      appender settings to try: [--linger-ms MS] [--max-batch N] [--max-batch-bytes B]
// Only some: --only tcpIntoSqlite,baselineSqliteAppend (names as in the output's results).
// Profile the collector: node --cpu-prof --cpu-prof-dir=/tmp/prof bench/ingest.js --only tcpIntoSqlite
import { Buffer } from 'node:buffer';
import { execFileSync, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { URL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { flag, numberArg, textArg } from './lib.js';

// --- senders (worker thread) -------------------------------------------------------------

if (!isMainThread) {
  const job = workerData;
  if (job.kind === 'tcp') await tcpSender(job);
  else await udpSender(job);
}

/** Connects, waits for 'go', writes each connection's bytes respecting back-pressure, ends. */
async function tcpSender({ port, payloads }) {
  const sockets = await Promise.all(
    payloads.map(
      () =>
        new Promise((resolve, reject) => {
          const socket = connect(port, '127.0.0.1', () => resolve(socket));
          socket.on('error', reject);
        }),
    ),
  );
  parentPort.postMessage({ ready: true });
  await new Promise((resolve) => parentPort.once('message', resolve));
  const cpu0 = threadCpuSeconds('thread-self');
  await Promise.all(
    sockets.map(async (socket, i) => {
      const bytes = Buffer.from(payloads[i]);
      for (let at = 0; at < bytes.length; at += 256 * 1024) {
        if (!socket.write(bytes.subarray(at, at + 256 * 1024))) {
          await new Promise((resolve) => socket.once('drain', resolve));
        }
      }
      await new Promise((resolve) => {
        socket.once('close', resolve);
        socket.end();
      });
    }),
  );
  parentPort.postMessage({ done: true, cpuSeconds: threadCpuSeconds('thread-self') - cpu0 });
}

/** Sends datagrams paced at `rate`/s for `seconds` (due ones every ms), counts what went out. */
async function udpSender({ port, rate, seconds, lines }) {
  const socket = createSocket('udp4');
  await new Promise((resolve) => socket.connect(port, '127.0.0.1', resolve));
  const datagrams = lines.map((l) => Buffer.from(l));
  parentPort.postMessage({ ready: true });
  await new Promise((resolve) => parentPort.once('message', resolve));
  const total = Math.round(rate * seconds);
  let sent = 0;
  let failed = 0;
  let done = 0;
  const onSent = (error) => {
    if (error) failed++;
    done++;
  };
  const cpu0 = threadCpuSeconds('thread-self');
  const start = performance.now();
  let next = 0;
  while (next < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
    for (; next < due; next++) socket.send(datagrams[next % datagrams.length], onSent);
    await sleep(1);
  }
  const sendSeconds = (performance.now() - start) / 1000;
  while (done < total) await sleep(1);
  sent = total - failed;
  socket.close();
  parentPort.postMessage({
    sent,
    failed,
    sendSeconds,
    cpuSeconds: threadCpuSeconds('thread-self') - cpu0,
  });
}

if (isMainThread) await main();

// --- main ---------------------------------------------------------------------------------

async function main() {
  const only = textArg('--only')?.split(',');
  const want = (name) => !only || only.includes(name);
  const LINES = numberArg('--lines', 300_000);
  const CONNECTIONS = numberArg('--connections', 4);
  const RUNS = numberArg('--runs', 3);
  const UDP_RATE = numberArg('--udp-rate', 50_000);
  const UDP_SECONDS = numberArg('--udp-seconds', 10);
  // syslog.udp.receiveThread (false: the collector's thread reads the socket).
  const UDP_RECEIVE_THREAD = textArg('--udp-receive-thread', 'true') !== 'false';
  const RECORDS_PATH = flag('--records-path');
  // Appender settings to try (default: samon's own).
  const appenderOptions = Object.fromEntries(
    [
      ['lingerMs', numberArg('--linger-ms', Number.NaN)],
      ['maxBatch', numberArg('--max-batch', Number.NaN)],
      ['maxBatchBytes', numberArg('--max-batch-bytes', Number.NaN)],
    ].filter(([, v]) => !Number.isNaN(v)),
  );

  const dist = new URL('../dist/', import.meta.url);
  const { startCollector } = await import(new URL('collect/collector.js', dist).href);
  const { toRecord } = await import(new URL('collect/syslog/ingest.js', dist).href);
  const { Config } = await import(new URL('config/index.js', dist).href);
  const { createSyslogParser } = await import(new URL('junos/syslog/index.js', dist).href);
  const { openEventLog, TOPICS } = await import(new URL('log/index.js', dist).href);
  const { Registry } = await import('prom-client');
  const { pino } = await import('pino');

  const loadBefore = os.loadavg()[0];
  const lines = corpus(LINES);
  const bytes = lines.reduce((sum, l) => sum + Buffer.byteLength(l) + 1, 0);
  const parse = createSyslogParser({ year: 2026 });
  const kinds = new Map();
  for (const l of lines) {
    const kind = parse(l).kind;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  const dirs = [];
  const tempDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'samon-bench-ingest-'));
    dirs.push(dir);
    return dir;
  };
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const round = (n) => Math.round(n);

  /** The corpus cut into one payload per connection (routers spread over connections). */
  function payloads() {
    const parts = Array.from({ length: CONNECTIONS }, () => []);
    lines.forEach((l, i) => parts[i % CONNECTIONS].push(l));
    return parts.map((part, c) =>
      c % 2 === 0
        ? `${part.join('\n')}\n`
        : part.map((l) => `${Buffer.byteLength(l)} ${l}`).join(''),
    );
  }
  const tcpPayloads = payloads();

  const senderBinary = textArg('--sender', 'c') === 'c' ? compileSender(tempDir()) : undefined;
  const pinSender = textArg('--pin-sender');
  const senderKind = senderBinary ? 'c' : 'node';
  let tcpFiles;
  let udpFile;

  /**
   * A sender for `data` (the worker's job): ready once next() gives its first message, go()
   * starts it, the next next() gives { sent, failed?, sendSeconds?, cpuSeconds }, stop() ends it.
   */
  function startSender(data) {
    if (!senderBinary) {
      const { worker, next } = startWorker(data);
      return {
        next,
        go: () => worker.postMessage('go'),
        stop: () => worker.terminate(),
        inProcess: true,
      };
    }
    let args;
    if (data.kind === 'tcp') {
      tcpFiles ??= data.payloads.map((p, i) => {
        const file = path.join(tempDir(), `tcp-${i}.txt`);
        writeFileSync(file, p);
        return file;
      });
      args = ['tcp', String(data.port), ...tcpFiles];
    } else {
      if (!udpFile) {
        udpFile = path.join(tempDir(), 'udp.txt');
        writeFileSync(udpFile, `${data.lines.join('\n')}\n`);
      }
      args = ['udp', String(data.port), String(data.rate), String(data.seconds), udpFile];
    }
    const child = pinSender
      ? spawn('taskset', ['-c', pinSender, senderBinary, ...args], { stdio: 'pipe' })
      : spawn(senderBinary, args, { stdio: 'pipe' });
    const { push, next } = messageQueue();
    let buffered = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text) => {
      buffered += text;
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        push(line === 'ready' ? { ready: true } : JSON.parse(line));
      }
    });
    child.stderr.on('data', (text) => (stderr += text));
    child.on('exit', (code) => {
      push(code !== 0 ? { error: new Error(`sender exited ${code}: ${stderr}`) } : undefined);
    });
    return {
      next,
      go: () => child.stdin.write('go\n'),
      stop: async () => {
        if (child.exitCode === null) {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill();
          await exited;
        }
      },
      inProcess: false,
    };
  }

  function startWorker(data) {
    const worker = new Worker(new URL(import.meta.url), { workerData: data });
    const { push, next } = messageQueue();
    worker.on('message', push);
    worker.on('error', (e) => push({ error: e }));
    return { worker, next };
  }

  /**
   * A sender's messages in order: next() waits for the next one and throws a message's `error`.
   * push(undefined) only wakes a waiting next() (it checks again).
   */
  function messageQueue() {
    const messages = [];
    let wake = () => {};
    return {
      push(m) {
        if (m !== undefined) messages.push(m);
        wake();
      },
      async next() {
        while (messages.length === 0) await new Promise((resolve) => (wake = resolve));
        const m = messages.shift();
        if (m.error) throw m.error;
        return m;
      },
    };
  }

  /** A log that resolves `reached` once `target` records are appended (durable). */
  function counting(log, target) {
    let appended = 0;
    let batches = 0;
    let resolveReached;
    const reached = new Promise((resolve) => (resolveReached = resolve));
    const wrapped = {
      ensureTopic: (t, p) => log.ensureTopic(t, p),
      append: async (records) => {
        const result = await log.append(records);
        appended += records.length;
        batches++;
        if (appended >= target) resolveReached(performance.now());
        return result;
      },
      read: (t, o) => log.read(t, o),
      subscribe: (o) => log.subscribe(o),
      partitions: (t) => log.partitions(t),
      committed: (g, t) => log.committed(g, t),
      close: () => log.close(),
      ...(log.appendBatch ? { appendBatch: log.appendBatch } : {}),
      // The collector encodes records into their batch as it queues them when the log takes
      // encoded batches (the embedded log); --records-path hides it (the collector then queues
      // records and the log encodes each batch, as before).
      ...(log.appendEncoded && !RECORDS_PATH
        ? {
            appendEncoded: async (batch) => {
              const count = batch.count;
              await log.appendEncoded(batch);
              appended += count;
              batches++;
              if (appended >= target) resolveReached(performance.now());
            },
          }
        : {}),
    };
    return { log: wrapped, reached, stats: () => ({ appended, batches }) };
  }

  async function openSqlite() {
    const log = await openEventLog({ kind: 'sqlite', path: path.join(tempDir(), 'samon.db') });
    await log.ensureTopic(TOPICS.observations, 4);
    return log;
  }

  async function collectorOn(log, registry) {
    return startCollector({
      config: Config.parse({
        syslog: { udp: { port: 0, receiveThread: UDP_RECEIVE_THREAD }, tcp: { port: 0 } },
        projection: { clockIntervalSeconds: 3600 },
      }),
      log,
      logger: pino({ level: 'silent' }),
      registry,
      parse: createSyslogParser({}),
      appender: appenderOptions,
    });
  }
  const portOf = (collector, transport) =>
    Number(
      collector.listening
        .find((l) => l.startsWith(`${transport}://`))
        .split(':')
        .pop(),
    );
  async function counter(registry, name, labels = {}) {
    const { values } = await registry.getSingleMetric(name).get();
    return values
      .filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
      .reduce((sum, v) => sum + v.value, 0);
  }

  const results = {};

  // TCP into samon: first byte sent → last record durable.
  if (want('tcpIntoSqlite')) {
    const runs = [];
    for (let r = 0; r < RUNS; r++) {
      const sqlite = await openSqlite();
      const { log, reached, stats } = counting(sqlite, lines.length);
      const registry = new Registry();
      const collector = await collectorOn(log, registry);
      const sender = startSender({
        kind: 'tcp',
        port: portOf(collector, 'tcp'),
        payloads: tcpPayloads,
      });
      await sender.next();
      const cpu = process.cpuUsage();
      const mainCpu = mainThreadCpuSeconds();
      const t0 = performance.now();
      sender.go();
      const t1 = await reached;
      const mainCpuSeconds = mainThreadCpuSeconds() - mainCpu;
      const sentAt = await sender.next();
      const used = process.cpuUsage(cpu);
      const seconds = (t1 - t0) / 1000;
      const { appended, batches } = stats();
      runs.push({
        seconds,
        linesPerSecond: lines.length / seconds,
        appended,
        batches,
        cpuSeconds: (used.user + used.system) / 1e6,
        collectorCpuSeconds:
          (used.user + used.system) / 1e6 - (sender.inProcess ? sentAt.cpuSeconds : 0),
        senderCpuSeconds: sentAt.cpuSeconds,
        mainCpuSeconds,
        peakQueued: collector.appender.peakQueued,
      });
      await collector.close();
      await sender.stop();
      await log.close();
    }
    const mid = runs.find((r) => r.linesPerSecond === median(runs.map((x) => x.linesPerSecond)));
    results.tcpIntoSqlite = {
      lines: lines.length,
      connections: CONNECTIONS,
      linesPerSecond: round(mid.linesPerSecond),
      allRuns: runs.map((r) => round(r.linesPerSecond)),
      mbPerSecond: Number((bytes / mid.seconds / 1e6).toFixed(1)),
      seconds: Number(mid.seconds.toFixed(3)),
      appends: mid.batches,
      recordsPerAppend: round(mid.appended / mid.batches),
      peakQueued: mid.peakQueued,
      processCpuSecondsPerLine_us: Number(((mid.cpuSeconds / lines.length) * 1e6).toFixed(2)),
      // The collector's thread alone (the senders' thread excluded): what a line costs samon,
      // whatever else the machine runs. Median over the runs.
      collectorCpuPerLine_us: Number(
        ((median(runs.map((r) => r.mainCpuSeconds)) / lines.length) * 1e6).toFixed(2),
      ),
      collectorCpuPerLineAllRuns_us: runs.map((r) =>
        Number(((r.mainCpuSeconds / lines.length) * 1e6).toFixed(2)),
      ),
      // Every thread of the collector (its main thread, the append thread, libuv's pool): the
      // process's CPU less the senders' thread. What a line costs the machine.
      collectorAllThreadsCpuPerLine_us: Number(
        ((median(runs.map((r) => r.collectorCpuSeconds)) / lines.length) * 1e6).toFixed(2),
      ),
      collectorAllThreadsCpuPerLineAllRuns_us: runs.map((r) =>
        Number(((r.collectorCpuSeconds / lines.length) * 1e6).toFixed(2)),
      ),
      // The sender's own CPU (its process or thread), apart from the collector's.
      senderCpuPerLine_us: Number(
        ((median(runs.map((r) => r.senderCpuSeconds)) / lines.length) * 1e6).toFixed(2),
      ),
    };
  }

  // Baseline: a plain net server that only counts lines, same senders and bytes.
  if (want('baselineNetCountLines')) {
    const rates = [];
    for (let r = 0; r < RUNS; r++) {
      let count = 0;
      let resolveAll;
      const all = new Promise((resolve) => (resolveAll = resolve));
      const server = createServer((socket) => {
        socket.on('data', (chunk) => {
          // LF-framed and octet-counted payloads: count messages the cheap way (an LF ends
          // every LF-framed line; octet-counted ones are counted by their length prefix).
          count += countFrames(chunk, socket);
          if (count >= lines.length) resolveAll(performance.now());
        });
      });
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      const sender = startSender({
        kind: 'tcp',
        port: server.address().port,
        payloads: tcpPayloads,
      });
      await sender.next();
      const t0 = performance.now();
      sender.go();
      const t1 = await all;
      rates.push(lines.length / ((t1 - t0) / 1000));
      await sender.next();
      await sender.stop();
      await new Promise((resolve) => server.close(resolve));
    }
    results.baselineNetCountLines = { linesPerSecond: round(median(rates)) };
  }

  // Baseline: parse + JSON encode (toRecord) on one thread, no sockets.
  if (want('baselineParseAndEncode')) {
    const encoded = lines.map((l) => Buffer.from(l));
    const rates = [];
    const cpus = [];
    let sink = 0;
    for (let r = 0; r < RUNS + 1; r++) {
      const cpu0 = mainThreadCpuSeconds();
      const t0 = performance.now();
      const now = Date.now();
      for (const b of encoded) {
        const o = parse(b, {
          receivedAt: new Date(now).toISOString(),
          referenceTime: now,
          sender: '127.0.0.1',
        });
        sink += toRecord(o, now).value.length;
      }
      if (r > 0) {
        rates.push(encoded.length / ((performance.now() - t0) / 1000));
        cpus.push(((mainThreadCpuSeconds() - cpu0) / encoded.length) * 1e6);
      }
    }
    results.baselineParseAndEncode = {
      linesPerSecond: round(median(rates)),
      cpuPerLine_us: Number(median(cpus).toFixed(2)),
      sink: sink > 0,
    };
  }

  // Baseline: the raw SQLite append of the same records, in the appender's batch sizes.
  if (want('baselineSqliteAppend')) {
    const now = Date.now();
    const records = lines.map((l) =>
      toRecord(
        parse(l, {
          receivedAt: new Date(now).toISOString(),
          referenceTime: now,
          sender: '127.0.0.1',
        }),
        now,
      ),
    );
    const rates = [];
    const cpus = [];
    let batchCount = 0;
    for (let r = 0; r < RUNS; r++) {
      const log = await openSqlite();
      const cpu0 = mainThreadCpuSeconds();
      const t0 = performance.now();
      batchCount = 0;
      const limits = log.appendBatch ?? { maxRecords: 2_000, maxBytes: 768 * 1024 };
      for (const batch of batches(records, limits.maxRecords, limits.maxBytes)) {
        await log.append(batch);
        batchCount++;
      }
      rates.push(records.length / ((performance.now() - t0) / 1000));
      cpus.push(((mainThreadCpuSeconds() - cpu0) / records.length) * 1e6);
      await log.close();
    }
    results.baselineSqliteAppend = {
      recordsPerSecond: round(median(rates)),
      cpuPerRecord_us: Number(median(cpus).toFixed(2)),
      recordsPerAppend: round(records.length / batchCount),
      avgRecordBytes: round(records.reduce((s, rec) => s + rec.value.length, 0) / records.length),
    };
  }

  // UDP into samon, paced.
  const udpLines = lines.slice(0, Math.min(lines.length, 100_000));
  if (want('udpIntoSqlite')) {
    const sqlite = await openSqlite();
    const registry = new Registry();
    const collector = await collectorOn(
      RECORDS_PATH ? counting(sqlite, Number.POSITIVE_INFINITY).log : sqlite,
      registry,
    );
    const kernelBefore = udpRcvbufErrors();
    const sender = startSender({
      kind: 'udp',
      port: portOf(collector, 'udp'),
      rate: UDP_RATE,
      seconds: UDP_SECONDS,
      lines: udpLines,
    });
    await sender.next();
    const mainCpu = mainThreadCpuSeconds();
    const processCpu = process.cpuUsage();
    sender.go();
    const { sent, failed, sendSeconds, cpuSeconds: senderCpuSeconds } = await sender.next();
    // Let the socket buffer empty, then the queue.
    let last = -1;
    for (;;) {
      const now = await counter(registry, 'samon_syslog_messages_received_total', {
        transport: 'udp',
      });
      if (now === last) break;
      last = now;
      await sleep(200);
    }
    await collector.appender.drain();
    const mainCpuSeconds = mainThreadCpuSeconds() - mainCpu;
    const processUsed = process.cpuUsage(processCpu);
    const collectorCpuSeconds =
      (processUsed.user + processUsed.system) / 1e6 - (sender.inProcess ? senderCpuSeconds : 0);
    const received = await counter(registry, 'samon_syslog_messages_received_total', {
      transport: 'udp',
    });
    const dropped = await counter(registry, 'samon_syslog_udp_dropped_total');
    let kept = 0;
    for (const p of await sqlite.partitions(TOPICS.observations))
      kept += p.endOffset - p.startOffset;
    const kernelDrops = udpRcvbufErrors() - kernelBefore;
    results.udpIntoSqlite = {
      rate: UDP_RATE,
      seconds: UDP_SECONDS,
      achievedSendRate: round(sent / sendSeconds),
      sent,
      sendErrors: failed,
      received,
      dropped,
      kept,
      lost: sent - kept,
      kernelRcvbufErrors: kernelDrops,
      peakQueued: collector.appender.peakQueued,
      // The collector's thread per datagram it took (receive, parse, encode, append); its
      // capacity on a core of its own is about 1e6 / this.
      collectorCpuPerDatagram_us: Number(((mainCpuSeconds / received) * 1e6).toFixed(2)),
      // Per datagram kept (in the log), the main thread and all the collector's threads (the
      // receive and append threads too; the sender's thread excluded).
      collectorCpuPerKept_us: Number(((mainCpuSeconds / kept) * 1e6).toFixed(2)),
      collectorAllThreadsCpuPerKept_us: Number(((collectorCpuSeconds / kept) * 1e6).toFixed(2)),
      senderCpuPerDatagram_us: Number(((senderCpuSeconds / sent) * 1e6).toFixed(2)),
    };
    await sender.stop();
    await collector.close();
    await sqlite.close();
  }

  // Baseline: a plain dgram server that only counts, same pace.
  if (want('baselineDgramCount')) {
    const socket = createSocket({ type: 'udp4', recvBufferSize: 8 << 20 });
    let received = 0;
    socket.on('message', () => received++);
    await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const kernelBefore = udpRcvbufErrors();
    const sender = startSender({
      kind: 'udp',
      port: socket.address().port,
      rate: UDP_RATE,
      seconds: UDP_SECONDS,
      lines: udpLines,
    });
    await sender.next();
    const cpu0 = mainThreadCpuSeconds();
    sender.go();
    const { sent, sendSeconds, cpuSeconds: senderCpuSeconds } = await sender.next();
    await sleep(500);
    const cpuSeconds = mainThreadCpuSeconds() - cpu0;
    results.baselineDgramCount = {
      achievedSendRate: round(sent / sendSeconds),
      sent,
      received,
      lost: sent - received,
      kernelRcvbufErrors: udpRcvbufErrors() - kernelBefore,
      // Node's receive alone: the floor of the collector's cost per datagram.
      cpuPerDatagram_us: Number(((cpuSeconds / received) * 1e6).toFixed(2)),
      senderCpuPerDatagram_us: Number(((senderCpuSeconds / sent) * 1e6).toFixed(2)),
    };
    await sender.stop();
    socket.close();
  }

  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });

  const tcp = results.tcpIntoSqlite;
  // Parse + encode run on the collector's main thread, the durable append on its append thread
  // (since perf-ingest2; on the main thread before): the best it could do is the slower of the
  // two baselines; how close it gets is the collector's cost.
  if (tcp && results.baselineParseAndEncode && results.baselineSqliteAppend) {
    const ceiling = Math.min(
      results.baselineParseAndEncode.linesPerSecond,
      results.baselineSqliteAppend.recordsPerSecond,
    );
    tcp.ceilingFromBaselines = round(ceiling);
    tcp.ofCeiling = Number((tcp.linesPerSecond / ceiling).toFixed(2));
  }
  const udp = results.udpIntoSqlite;
  process.stdout.write(
    `${JSON.stringify(
      {
        benchmark: 'ingest',
        node: process.version,
        cpu: os.cpus()[0]?.model ?? 'unknown',
        cores: os.cpus().length,
        platform: `${os.platform()} ${os.release()}`,
        // Other work on the machine skews every figure: compare with the baselines of this run.
        loadAverage1m: { before: loadBefore, after: os.loadavg()[0] },
        corpus: {
          lines: lines.length,
          bytes,
          avgLineBytes: round(bytes / lines.length),
          kinds: Object.fromEntries([...kinds].sort((a, b) => b[1] - a[1])),
        },
        runs: RUNS,
        sender: senderKind,
        udpReceiveThread: UDP_RECEIVE_THREAD,
        collectorQueues: RECORDS_PATH ? 'records' : 'encoded batches',
        ...(senderBinary && pinSender ? { senderPinnedTo: pinSender } : {}),
        appender: appenderOptions,
        results,
        targets: {
          tcpLinesPerSecond: 100_000,
          tcpMet: tcp ? tcp.linesPerSecond >= 100_000 : undefined,
          udpRate: UDP_RATE,
          udpNoLossMet: udp
            ? udp.lost === 0 && udp.dropped === 0 && udp.achievedSendRate >= UDP_RATE * 0.98
            : undefined,
        },
      },
      null,
      2,
    )}\n`,
  );
}

// --- helpers ------------------------------------------------------------------------------

/** bench/sender.c compiled into `dir`, or undefined when there is no working `cc`. */
function compileSender(dir) {
  const binary = path.join(dir, 'sender');
  try {
    execFileSync('cc', ['-O2', '-o', binary, new URL('sender.c', import.meta.url).pathname], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    return binary;
  } catch {
    return undefined;
  }
}

/** The appender's cut: at most `max` records and about `maxBytes` bytes per append. */
function* batches(records, max, maxBytes) {
  let batch = [];
  let size = 0;
  for (const r of records) {
    const s = 70 + r.key.length * 3 + r.value.length + 40;
    if (batch.length > 0 && (batch.length >= max || size + s > maxBytes)) {
      yield batch;
      batch = [];
      size = 0;
    }
    batch.push(r);
    size += s;
  }
  if (batch.length > 0) yield batch;
}

/** Counts frames in a chunk: LF-terminated lines, or octet-counted frames (state per socket). */
function countFrames(chunk, socket) {
  const state = (socket.countState ??= { skip: 0, digits: '', counted: undefined });
  let n = 0;
  let i = 0;
  while (i < chunk.length) {
    if (state.skip > 0) {
      const take = Math.min(state.skip, chunk.length - i);
      state.skip -= take;
      i += take;
      if (state.skip === 0) n++;
      continue;
    }
    if (state.counted === undefined)
      state.counted = chunk[i] >= 0x30 && chunk[i] <= 0x39 && chunk[i] !== 0x30;
    if (state.counted) {
      const c = chunk[i++];
      if (c === 0x20) {
        state.skip = Number(state.digits);
        state.digits = '';
      } else state.digits += String.fromCharCode(c);
    } else {
      const lf = chunk.indexOf(0x0a, i);
      if (lf < 0) break;
      n++;
      i = lf + 1;
    }
  }
  return n;
}

/**
 * CPU seconds (user + system) of the main thread, the collector's, from /proc (Linux; clock
 * ticks of 10 ms, fine over runs of seconds); NaN elsewhere. process.cpuUsage() counts the
 * sender's worker thread too.
 */
function mainThreadCpuSeconds() {
  return threadCpuSeconds(`self/task/${process.pid}`);
}

/** CPU seconds of a thread from /proc/<which>/stat (`thread-self`: the calling thread). */
function threadCpuSeconds(which) {
  try {
    const stat = readFileSync(`/proc/${which}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** UDP receive-buffer overflows of the whole host (/proc/net/snmp), or NaN where unavailable. */
function udpRcvbufErrors() {
  try {
    const rows = readFileSync('/proc/net/snmp', 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('Udp:'));
    const names = rows[0].split(/\s+/);
    const values = rows[1].split(/\s+/);
    return Number(values[names.indexOf('RcvbufErrors')]);
  } catch {
    return Number.NaN;
  }
}

/** Realistic kmd traffic from 40 routers: the mix of performance-anchors.md W1. */
function corpus(count) {
  let a = 42;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(rand() * n);
  const pick = (list) => list[int(list.length)];
  const ip = () => `${10 + int(200)}.${int(256)}.${int(256)}.${1 + int(254)}`;
  const hex8 = () => (int(0xffffffff) >>> 0).toString(16).padStart(8, '0');
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
  const out = [];
  for (let i = 0; i < count; i++) {
    const t = pick(tunnels);
    const r = t.router;
    clock += int(50);
    const d = new Date(clock);
    const pad = (n) => String(n).padStart(2, '0');
    const bsd = `Nov ${d.getUTCDate()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    const roll = rand();
    const tunnel = (state) =>
      `VPN ${t.vpn} from ${t.peer} is ${state}. Local-ip: ${r.local}, gateway name: ${t.gateway}, vpn name: ${t.vpn}, tunnel-id: ${t.id}, local tunnel-if: st0.${t.id % 100}, remote tunnel-ip: Not-Available, Local IKE-ID: ${r.local}, Remote IKE-ID: ${t.peer}, AAA username: Not-Applicable, VR id: 0, Traffic-selector: , Traffic-selector local ID: ${PROXY}, Traffic-selector remote ID: ${PROXY}, SA Type: Static`;
    let tag;
    let text;
    let sd;
    if (roll < 0.5) {
      const direction = rand() < 0.5 ? 'inbound' : 'outbound';
      const spi = hex8();
      tag = 'KMD_PM_SA_ESTABLISHED';
      text = `Local gateway: ${r.local}, Remote gateway: ${t.peer}, Local ID: ${PROXY}, Remote ID: ${PROXY}, Direction: ${direction}, SPI: 0x${spi}, AUX-SPI: 0, Mode: Tunnel, Type: dynamic, Traffic-selector:  FC Name:`;
      sd = `local-address="${r.local}" remote-address="${t.peer}" local-initiator="ipv4_subnet(any:0,[0..7\\]=0.0.0.0/0)" remote-responder="ipv4_subnet(any:0,[0..7\\]=0.0.0.0/0)" argument1="${direction}" index1="${Number.parseInt(spi, 16)}" index2="0" mode="Tunnel" type="dynamic" traffic-selector-name="" first-forwarding-class=""`;
    } else if (roll < 0.75) {
      tag = 'KMD_VPN_UP_ALARM_USER';
      text = tunnel('up');
    } else if (roll < 0.875) {
      tag = 'KMD_VPN_DOWN_ALARM_USER';
      text = `${tunnel('down')}, Reason: ${pick(['DPD detected peer is dead', 'Tunnel configuration is deleted. Corresponding IKE/IPSec SAs are deleted'])}`;
    } else {
      const ikeTail = `IKE Version: 2, VPN: ${t.vpn} Gateway: ${t.gateway}, Local: ${r.local}/500, Remote: ${t.peer}/500, Local IKE-ID: ${r.local}, Remote IKE-ID: ${t.peer}, VR-ID: 0`;
      text = pick([
        `IKE negotiation successfully completed. ${ikeTail}, Role: Initiator`,
        `IKE negotiation failed with error: ${pick(['Timed out', 'No proposal chosen'])}. ${ikeTail}, Role: Initiator`,
      ]);
    }
    // Routers send BSD syslog by default, RFC 5424 with structured-data when configured so.
    if (sd && rand() < 0.3) {
      out.push(
        `<30>1 ${d.toISOString()} ${r.host} kmd ${r.pid} ${tag} [junos@2636.1.1.1.2.129 ${sd}] ${text}`,
      );
    } else {
      out.push(`<30>${bsd} ${r.host} kmd[${r.pid}]: ${tag ? `${tag}: ` : ''}${text}`);
    }
  }
  return out;
}
