import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { startCollector } from '../../src/collect/collector.js';
import { Config } from '../../src/config/index.js';
import { createSyslogParser } from '../../src/junos/syslog/index.js';
import { openEventLog } from '../../src/log/index.js';
import { TOPICS, type AppendRecord, type EventLog } from '../../src/log/port.js';

// Batch sizes the collector gives its log: about 768 KiB by default (one Kafka produce request,
// see appender.ts), larger where the log asks for it (appendBatch: the embedded SQLite log, where
// an append is one commit and one fsync whatever its size).

const quiet = pino({ level: 'silent' });
const LINES = 6_000;
const line = (i: number) =>
  `<30>Nov 27 10:00:00 srx${i % 7} kmd[1]: KMD_VPN_UP_ALARM_USER: VPN vpn-${i} from 192.0.2.${i % 250} is up. ` +
  `Local-ip: 198.51.100.1, gateway name: gw-${i}, vpn name: vpn-${i}, tunnel-id: ${131073 + i}`;

/** A real log that holds its first append until released and records every batch. */
function observed(log: EventLog, forwardBatchHint: boolean) {
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let first = true;
  const batches: { records: number; bytes: number }[] = [];
  const wrapped: EventLog = {
    ensureTopic: (topic, partitions) => log.ensureTopic(topic, partitions),
    append: async (records: readonly AppendRecord[]) => {
      if (first) {
        first = false;
        await held;
      }
      batches.push({
        records: records.length,
        bytes: records.reduce((sum, r) => sum + r.value.length, 0),
      });
      return log.append(records);
    },
    read: (topic, options) => log.read(topic, options),
    subscribe: (options) => log.subscribe(options),
    partitions: (topic) => log.partitions(topic),
    committed: (groupId, topic) => log.committed(groupId, topic),
    close: () => log.close(),
    ...(forwardBatchHint && log.appendBatch ? { appendBatch: log.appendBatch } : {}),
  };
  return { log: wrapped, batches, release };
}

async function ingest(asSqlite: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'samon-batches-'));
  const real = await openEventLog({ kind: 'sqlite', path: join(dir, 'samon.db') });
  await real.ensureTopic(TOPICS.observations, 2);
  const log = observed(real, asSqlite);
  const collector = await startCollector({
    config: Config.parse({
      syslog: { udp: { enabled: false }, tcp: { port: 0 } },
      projection: { clockIntervalSeconds: 3600 },
    }),
    log: log.log,
    logger: quiet,
    registry: new Registry(),
    parse: createSyslogParser({ year: 2026 }),
  });
  try {
    const port = Number(collector.listening[0]!.split(':').pop());
    const payload = Array.from({ length: LINES }, (_, i) => `${line(i)}\n`).join('');
    await new Promise<void>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.end(payload));
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    // Everything is queued behind the held first append: what follows shows the batch limits.
    while (collector.appender.queued < LINES) await new Promise((r) => setTimeout(r, 10));
    log.release();
    await collector.appender.drain();
    return log.batches;
  } finally {
    await collector.close();
    await real.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('append batch sizes', () => {
  it('cuts batches of about 768 KiB for a log that states no preference (Kafka)', async () => {
    const batches = await ingest(false);
    expect(batches.reduce((n, b) => n + b.records, 0)).toBe(LINES);
    expect(Math.max(...batches.map((b) => b.bytes))).toBeLessThanOrEqual(768 * 1024);
    expect(batches.length).toBeGreaterThan(3);
  });

  it('cuts bigger batches for the embedded SQLite log: fewer commits and fsyncs', async () => {
    const batches = await ingest(true);
    expect(batches.reduce((n, b) => n + b.records, 0)).toBe(LINES);
    expect(Math.max(...batches.map((b) => b.bytes))).toBeGreaterThan(2 * 768 * 1024);
    expect(Math.max(...batches.map((b) => b.records))).toBeLessThanOrEqual(4_000);
  });
});
