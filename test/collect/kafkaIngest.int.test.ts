import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as tcpConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCollector, type RunningCollector } from '../../src/collect/collector.js';
import { Config } from '../../src/config/index.js';
import { Observation } from '../../src/domain/index.js';
import { createSyslogParser } from '../../src/junos/syslog/index.js';
import { openEventLog } from '../../src/log/index.js';
import { TOPICS, type AppendRecord, type EventLog, type LogRecord } from '../../src/log/port.js';
import { describeKafka } from '../support/kafka.js';
import { selfSignedCert } from '../support/tls.js';

// The listeners (UDP, TCP in both framings, TLS) into the real broker through startCollector and
// the Kafka adapter. The collector always writes samon.observations.v1, which other tests on the
// shared broker write too, so each run uses router names of its own and reads back only those.

const RUN = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const routerName = (what: string) => `srx-${RUN}-${what}`;
/** The Kafka adapter's default produce request size (maxRequestBytes). */
const KAFKA_REQUEST_BYTES = 1024 * 1024;

function kmdLine(router: string, n: number, padding = 0): string {
  const spi = (0x10000000 + n).toString(16);
  return `<30>Nov 27 10:00:${String(n % 60).padStart(2, '0')} ${router} kmd[1555]: KMD_PM_SA_ESTABLISHED: Local gateway: 192.0.2.1, Remote gateway: 198.51.100.${n % 250}, Local ID: ipv4_subnet(any:0,[0..7]=10.0.0.0/24), Remote ID: ipv4_subnet(any:0,[0..7]=10.1.0.0/24), Direction: inbound, SPI: 0x${spi}, AUX-SPI: 0, Mode: Tunnel, Type: dynamic, Traffic-selector: ${'x'.repeat(padding)} FC Name: `;
}

const lines = (router: string, count: number, padding = 0) =>
  Array.from({ length: count }, (_, n) => kmdLine(router, n, padding));

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function streamSend(open: (onConnect: () => void) => Socket, payload: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = open(() => socket.end(payload));
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
}

/** The log with the size of every append recorded, and a gate to hold appends back. */
function recording(log: EventLog) {
  const appendBytes: number[] = [];
  let gate: Promise<void> = Promise.resolve();
  let open = () => {};
  const size = (r: AppendRecord) =>
    70 +
    Buffer.byteLength(r.key) +
    r.value.length +
    Object.entries(r.headers ?? {}).reduce(
      (sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v) + 4,
      0,
    );
  const wrapped: EventLog = {
    ensureTopic: (topic, partitions) => log.ensureTopic(topic, partitions),
    append: async (records) => {
      await gate;
      appendBytes.push(records.reduce((sum, r) => sum + size(r), 0));
      return log.append(records);
    },
    read: (topic, options) => log.read(topic, options),
    subscribe: (options) => log.subscribe(options),
    partitions: (topic) => log.partitions(topic),
    committed: (groupId, topic) => log.committed(groupId, topic),
    close: () => log.close(),
  };
  return {
    log: wrapped,
    appendBytes,
    hold: () => {
      gate = new Promise((resolve) => (open = resolve));
    },
    release: () => open(),
  };
}

describeKafka('syslog listeners into Kafka', (brokers) => {
  let dir: string;
  let kafka: EventLog;
  let recorder: ReturnType<typeof recording>;
  let collector: RunningCollector;
  let registry: Registry;
  const startedAt = Date.now();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'samon-kafka-ingest-'));
    const { cert, key } = selfSignedCert(dir);
    const opened = await openEventLog({
      kind: 'kafka',
      brokers,
      clientId: `samon-ingest-test-${RUN}`,
      partitions: 4,
      logLevel: 'error',
    });
    await opened.ensureTopic(TOPICS.observations, 4);
    recorder = recording(opened);
    kafka = recorder.log;
    registry = new Registry();
    collector = await startCollector({
      config: Config.parse({
        syslog: {
          udp: { port: 0 },
          tcp: { port: 0 },
          tls: { enabled: true, port: 0, cert, key },
        },
        projection: { clockIntervalSeconds: 3600 },
      }),
      log: kafka,
      logger: pino({ level: 'silent' }),
      registry,
      parse: createSyslogParser({ year: 2026 }),
    });
  });

  afterAll(async () => {
    await collector?.close();
    await kafka?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const portOf = (transport: string) => {
    const url = collector.listening.find((l) => l.startsWith(`${transport}://`));
    if (!url) throw new Error(`${transport} listener not running`);
    return Number(url.split(':').pop());
  };

  async function received(transport: string): Promise<number> {
    const { values } = await registry
      .getSingleMetric('samon_syslog_messages_received_total')!
      .get();
    return values.find((v) => v.labels.transport === transport)?.value ?? 0;
  }

  /** Waits until the listeners took `total` messages of a transport and the log has them all. */
  async function settle(transport: string, total: number): Promise<void> {
    await until(async () => (await received(transport)) >= total, `${total} ${transport} lines`);
    await collector.appender.drain();
  }

  /** This run's records of some routers, per router, in log order (a router is one partition). */
  async function recordsOf(routers: readonly string[]): Promise<Map<string, LogRecord[]>> {
    const byRouter = new Map<string, LogRecord[]>(routers.map((r) => [r, []]));
    for (const { partition } of await kafka.partitions(TOPICS.observations)) {
      const from = { timestamp: startedAt - 1_000 };
      for await (const record of kafka.read(TOPICS.observations, { partition, from })) {
        byRouter.get(record.key)?.push(record);
      }
    }
    return byRouter;
  }

  const observation = (record: LogRecord) =>
    Observation.parse(JSON.parse(record.value.toString('utf8')));

  /** Each record is one received line as an observation: sender, receive time, key, kind. */
  function expectObservations(records: readonly LogRecord[], router: string): Observation[] {
    const observations = records.map(observation);
    for (const [i, o] of observations.entries()) {
      expect(o.router).toBe(router);
      expect(o.source).toBe('syslog');
      expect(o.kind).toBe('ipsec-sa-established');
      expect(o.sender).toBe('127.0.0.1');
      expect(o.receivedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const receivedAt = Date.parse(o.receivedAt ?? '');
      expect(receivedAt).toBeGreaterThanOrEqual(startedAt);
      expect(receivedAt).toBeLessThanOrEqual(Date.now());
      expect(records[i]!.key).toBe(router);
      expect(records[i]!.timestamp).toBe(receivedAt);
      expect(records[i]!.headers).toMatchObject({ kind: o.kind, source: 'syslog' });
    }
    return observations;
  }

  it('takes UDP datagrams into Kafka, each once, in order, with sender and receive time', async () => {
    const router = routerName('udp');
    const sent = lines(router, 300);
    const before = await received('udp');
    const socket = createSocket('udp4');
    for (const line of sent) {
      await new Promise<void>((resolve, reject) =>
        socket.send(`${line}\n`, portOf('udp'), '127.0.0.1', (e) => (e ? reject(e) : resolve())),
      );
    }
    socket.close();
    await settle('udp', before + sent.length);
    const records = (await recordsOf([router])).get(router)!;
    expect(expectObservations(records, router).map((o) => o.raw)).toEqual(sent);
  });

  it('takes TCP in both framings over concurrent connections, each line once, in order', async () => {
    const lf = routerName('tcp-lf');
    const counted = routerName('tcp-oc');
    const lfLines = lines(lf, 1_500);
    const countedLines = lines(counted, 1_500);
    const before = await received('tcp');
    const port = portOf('tcp');
    await Promise.all([
      streamSend(
        (onConnect) => tcpConnect(port, '127.0.0.1', onConnect),
        lfLines.map((l) => `${l}\n`).join(''),
      ),
      streamSend(
        (onConnect) => tcpConnect(port, '127.0.0.1', onConnect),
        countedLines.map((l) => `${Buffer.byteLength(l)} ${l}`).join(''),
      ),
    ]);
    await settle('tcp', before + 3_000);
    const byRouter = await recordsOf([lf, counted]);
    expect(expectObservations(byRouter.get(lf)!, lf).map((o) => o.raw)).toEqual(lfLines);
    expect(expectObservations(byRouter.get(counted)!, counted).map((o) => o.raw)).toEqual(
      countedLines,
    );
  });

  it('takes TLS (RFC 5425, octet-counted) into Kafka, each line once, in order', async () => {
    const router = routerName('tls');
    const sent = lines(router, 500);
    const before = await received('tls');
    await streamSend(
      (onConnect) =>
        tlsConnect(
          { port: portOf('tls'), host: '127.0.0.1', rejectUnauthorized: false },
          onConnect,
        ),
      sent.map((l) => `${Buffer.byteLength(l)} ${l}`).join(''),
    );
    await settle('tls', before + sent.length);
    const records = (await recordsOf([router])).get(router)!;
    expect(expectObservations(records, router).map((o) => o.raw)).toEqual(sent);
  });

  it('keeps every append within one Kafka produce request, so a retry is all-or-nothing', async () => {
    // 4 MB of 2 KiB lines queued while the log is held (as during an outage): the appender must
    // cut the backlog into appends the adapter sends as one request each.
    const router = routerName('big');
    const sent = lines(router, 2_000, 1_700);
    const before = await received('tcp');
    const firstAppend = recorder.appendBytes.length;
    recorder.hold();
    try {
      await streamSend(
        (onConnect) => tcpConnect(portOf('tcp'), '127.0.0.1', onConnect),
        sent.map((l) => `${l}\n`).join(''),
      );
      await until(async () => (await received('tcp')) >= before + sent.length, 'the backlog');
    } finally {
      recorder.release();
    }
    await collector.appender.drain();
    const sizes = recorder.appendBytes.slice(firstAppend);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeGreaterThan(4 * KAFKA_REQUEST_BYTES);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(KAFKA_REQUEST_BYTES);
    const records = (await recordsOf([router])).get(router)!;
    expect(records.map((r) => observation(r).raw)).toEqual(sent);
  });
});
