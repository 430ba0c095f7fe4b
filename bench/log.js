// Embedded-log append benchmark (issue 3, item 6): records/s through SqliteLog.append() for
// 500-, 2 000- and 10 000-record batches of ~400-byte values, with and without the key index,
// beside a baseline measured in the same run: raw better-sqlite3 inserts of the same values into
// a minimal table (rowid, key, value), one transaction per batch, WAL, synchronous=FULL.
// Run: npm run build && node bench/log.js [--records N] [--runs R] [--dir DIR]
// Prints one JSON object. Each figure is the best of R runs (a loaded machine only slows runs).
import { Buffer } from 'node:buffer';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { openSqliteLog } from '../dist/log/index.js';
import { numberArg, textArg } from './lib.js';

const RECORDS = numberArg('--records', 40_000);
const RUNS = numberArg('--runs', 3);
const DIR = textArg('--dir', os.tmpdir());
const BATCHES = [500, 2000, 10_000];
const TOPIC = 'samon.observations';
const KEYS = 1000;

/** ~400-byte JSON values, as an observation of one router's syslog line. */
function makeRecords(n) {
  const records = [];
  for (let i = 0; i < n; i++) {
    const key = `router-${i % KEYS}`;
    const body = {
      kind: 'syslog',
      router: key,
      seq: i,
      line: `<30>1 2026-11-27T12:00:00.000Z ${key} kmd 1234 KMD_VPN_UP_ALERT [junos@2636.1.1.1.2.18 local-address="10.0.${i % 250}.1" remote-address="192.0.2.${i % 250}" ike-id="peer-${i}" vpn-name="vpn-${i % 5000}"] `,
    };
    let value = JSON.stringify(body);
    value += ' '.repeat(Math.max(0, 400 - value.length));
    records.push({ topic: TOPIC, key, value: Buffer.from(value) });
  }
  return records;
}

async function measureLog(records, batch, keyIndex) {
  const dir = mkdtempSync(path.join(DIR, 'samon-bench-log-'));
  try {
    const log = await openSqliteLog({
      path: path.join(dir, 'log.sqlite'),
      partitions: 4,
      keyIndexed: () => keyIndex,
    });
    await log.ensureTopic(TOPIC, 4);
    const started = performance.now();
    for (let i = 0; i < records.length; i += batch) {
      await log.append(records.slice(i, i + batch));
    }
    const seconds = (performance.now() - started) / 1000;
    await log.close();
    return records.length / seconds;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function measureBaseline(records, batch) {
  const dir = mkdtempSync(path.join(DIR, 'samon-bench-raw-'));
  try {
    const db = new Database(path.join(dir, 'raw.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE records (id INTEGER PRIMARY KEY, record_key TEXT NOT NULL, value BLOB)');
    const insert = db.prepare('INSERT INTO records (record_key, value) VALUES (?, ?)');
    const insertBatch = db.transaction((slice) => {
      for (const r of slice) insert.run(r.key, r.value);
    });
    const started = performance.now();
    for (let i = 0; i < records.length; i += batch) insertBatch(records.slice(i, i + batch));
    const seconds = (performance.now() - started) / 1000;
    db.close();
    return records.length / seconds;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const best = async (fn) => {
  let top = 0;
  for (let r = 0; r < RUNS; r++) top = Math.max(top, await fn());
  return Math.round(top);
};

const records = makeRecords(RECORDS);
const results = [];
for (const batch of BATCHES) {
  const baseline = await best(() => measureBaseline(records, batch));
  const noIndex = await best(() => measureLog(records, batch, false));
  const keyIndex = await best(() => measureLog(records, batch, true));
  results.push({
    batch,
    baselineRecordsPerSec: baseline,
    appendRecordsPerSec: noIndex,
    appendKeyIndexRecordsPerSec: keyIndex,
    appendVsBaseline: Number((noIndex / baseline).toFixed(2)),
    appendKeyIndexVsBaseline: Number((keyIndex / baseline).toFixed(2)),
  });
}
process.stdout.write(
  `${JSON.stringify(
    {
      records: RECORDS,
      valueBytes: records[0].value.length,
      keys: KEYS,
      partitions: 4,
      runs: RUNS,
      loadavg: os.loadavg().map((l) => Number(l.toFixed(1))),
      cpus: os.cpus().length,
      results,
    },
    null,
    2,
  )}\n`,
);
