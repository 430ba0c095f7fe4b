import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogAppender } from '../../src/collect/appender.js';
import { CollectMetrics } from '../../src/collect/metrics.js';
import { SyslogIngest, toRecord } from '../../src/collect/syslog/ingest.js';
import { createSyslogParser } from '../../src/junos/syslog/index.js';
import { openEventLog } from '../../src/log/index.js';
import { TOPICS, type AppendRecord, type EventLog } from '../../src/log/port.js';
import type { EncodedBatch } from '../../src/log/sqlite/appendCodec.js';

// The collector encodes records into their batch as it queues them when the log takes encoded
// batches (the embedded log). What lands in the log must be what the record path (toRecord,
// append) wrote: same keys, value bytes, headers, timestamps, partitions and offsets.

const quiet = pino({ level: 'silent' });
const NOW = Date.UTC(2026, 10, 27, 10, 0, 0, 123);
const parse = createSyslogParser({ year: 2026 });

const lines = Array.from({ length: 700 }, (_, i) => {
  const router = `srx-${i % 9}`;
  return i % 5 === 0
    ? `<30>Nov 27 10:00:00 ${router} kmd[1]: KMD_VPN_UP_ALARM_USER: VPN vpn-${i} from 192.0.2.${i % 250} is up. Local-ip: 198.51.100.1, gateway name: gw-${i}, vpn name: vpn-${i}, tunnel-id: ${131073 + i}`
    : i % 5 === 1
      ? `<30>Nov 27 10:00:01 ${router} kmd[1]: something "quoted" \\ with ünïcödé ✓ 𝄞 and a tab\there ${i}`
      : `<30>Nov 27 10:00:02 ${router} kmd[1]: KMD_PM_SA_ESTABLISHED: Local gateway: 192.0.2.1, Remote gateway: 198.51.100.${i % 250}, Local ID: ipv4_subnet(any:0,[0..7]=10.0.0.0/24), Remote ID: ipv4_subnet(any:0,[0..7]=10.1.0.0/24), Direction: inbound, SPI: 0x${(0x10000000 + i).toString(16)}, AUX-SPI: 0, Mode: Tunnel, Type: dynamic, Traffic-selector:  FC Name: `;
});

/** The log's methods but appendEncoded: the appender then queues records (the record path). */
function recordsOnly(log: EventLog): EventLog {
  return {
    ensureTopic: (t, p) => log.ensureTopic(t, p),
    append: (records) => log.append(records),
    read: (t, o) => log.read(t, o),
    subscribe: (o) => log.subscribe(o),
    partitions: (t) => log.partitions(t),
    committed: (g, t) => log.committed(g, t),
    close: () => log.close(),
  };
}

async function stored(log: EventLog) {
  const out: unknown[] = [];
  for (const { partition } of await log.partitions(TOPICS.observations)) {
    for await (const r of log.read(TOPICS.observations, { partition, from: 'beginning' })) {
      out.push({
        partition: r.partition,
        offset: r.offset,
        key: r.key,
        value: r.value.toString('hex'),
        headers: r.headers,
        timestamp: r.timestamp,
      });
    }
  }
  return out;
}

describe('records encoded into their batch as they are queued', () => {
  let dir: string;
  const logs: EventLog[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'samon-encoded-'));
  });
  afterEach(async () => {
    await Promise.all(logs.splice(0).map((l) => l.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function openLog(name: string): Promise<EventLog> {
    const log = await openEventLog({ kind: 'sqlite', path: join(dir, `${name}.db`) });
    await log.ensureTopic(TOPICS.observations, 4);
    logs.push(log);
    return log;
  }

  it('land in the log byte for byte as the record path wrote them', async () => {
    // The record path, as the collector had it: parse, toRecord, push.
    const before = await openLog('records');
    const recordPath = new LogAppender(recordsOnly(before), quiet, { maxBatch: 256 });
    const iso = new Date(NOW).toISOString();
    const records = lines.map((l) =>
      toRecord(parse(l, { receivedAt: iso, referenceTime: NOW, sender: '192.0.2.9' }), NOW),
    );
    await recordPath.push(records.slice(0, 600));
    for (const r of records.slice(600)) expect(recordPath.offer(r)).toBe(true);
    await recordPath.close();

    // The collector's ingest on the embedded log itself: encoded as queued.
    const after = await openLog('encoded');
    const appender = new LogAppender(after, quiet, { maxBatch: 256 });
    const ingest = new SyslogIngest(parse, appender, new CollectMetrics(new Registry()), () => NOW);
    const frames = lines.slice(0, 600).map((l) => ({ line: Buffer.from(l), truncated: false }));
    await ingest.stream(frames, '192.0.2.9', 'tcp');
    for (const l of lines.slice(600)) ingest.datagram(Buffer.from(l), '192.0.2.9', false, NOW);
    await appender.close();

    const want = await stored(before);
    expect(want).toHaveLength(lines.length);
    expect(await stored(after)).toEqual(want);
  });

  it('retry a failed batch as it was, then go on in order', async () => {
    const real = (await openLog('retried')) as EventLog & {
      appendEncoded(batch: EncodedBatch): Promise<void>;
    };
    const seen: number[] = [];
    let failures = 1;
    const flaky = {
      ...recordsOnly(real),
      appendEncoded: (batch: EncodedBatch) => {
        seen.push(batch.count);
        if (failures-- > 0) return Promise.reject(new Error('the log is away'));
        return real.appendEncoded(batch);
      },
    };
    const appender = new LogAppender(flaky, quiet, { maxBatch: 100, lingerMs: 0 });
    const records: AppendRecord[] = lines.map((l, i) => ({
      topic: TOPICS.observations,
      key: 'one-router',
      value: Buffer.from(`${i} ${l}`),
      timestamp: NOW + i,
    }));
    await appender.push(records.slice(0, 150));
    for (const r of records.slice(150, 250)) appender.offer(r);
    await appender.drain();
    // The first batch twice (failed, then retried unchanged), the rest after it.
    expect(seen[0]).toBe(seen[1]);
    expect(seen.slice(1).reduce((a, b) => a + b, 0)).toBe(250);
    const got = (await stored(real)) as { value: string; timestamp: number }[];
    expect(got.map((r) => Buffer.from(r.value, 'hex').toString())).toEqual(
      records.slice(0, 250).map((r) => r.value.toString()),
    );
    await appender.close();
  });
});
