import { createSocket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
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

const quiet = pino({ level: 'silent' });
const config = Config.parse({
  syslog: { udp: { port: 0 }, tcp: { port: 0 } },
  projection: { clockIntervalSeconds: 3600 },
});

/** A real log whose appends can be held back, as a slow or absent Kafka would. */
function throttled(log: EventLog) {
  let gate: Promise<void> = Promise.resolve();
  let open: () => void = () => {};
  const wrapped: EventLog = {
    ensureTopic: (topic, partitions) => log.ensureTopic(topic, partitions),
    append: async (records: readonly AppendRecord[]) => {
      await gate;
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
    hold() {
      gate = new Promise((resolve) => (open = resolve));
    },
    release() {
      open();
    },
  };
}

async function count(log: EventLog): Promise<number> {
  let n = 0;
  for (const p of await log.partitions(TOPICS.observations)) n += p.endOffset - p.startOffset;
  return n;
}

describe('back-pressure between the listeners and the log', () => {
  it('pauses a TCP sender while the log is held, then delivers every line in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'samon-bp-'));
    const real = await openEventLog({ kind: 'sqlite', path: join(dir, 'samon.db') });
    await real.ensureTopic(TOPICS.observations, 1);
    const slow = throttled(real);
    const collector = await startCollector({
      config,
      log: slow.log,
      logger: quiet,
      registry: new Registry(),
      parse: createSyslogParser({ year: 2026 }),
      appender: { maxQueued: 500, maxBatch: 100 },
    });
    try {
      slow.hold();
      const total = 5_000;
      const lines = Array.from(
        { length: total },
        (_, i) => `<30>Nov 27 10:00:00 srx1 kmd[1]: line ${i}`,
      );
      let maxQueued = 0;
      const sampler = setInterval(
        () => (maxQueued = Math.max(maxQueued, collector.appender.queued)),
        5,
      );
      const port = Number(
        collector.listening
          .find((l) => l.startsWith('tcp'))
          ?.split(':')
          .pop(),
      );
      const sent = new Promise<void>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () =>
          socket.end(lines.map((l) => `${l}\n`).join('')),
        );
        socket.on('close', () => resolve());
        socket.on('error', reject);
      });
      await new Promise((r) => setTimeout(r, 300));
      // Held: the queue stops near its bound instead of taking the whole stream.
      expect(collector.appender.queued).toBeLessThan(total);
      expect(await count(real)).toBe(0);
      slow.release();
      await sent;
      await collector.appender.drain();
      clearInterval(sampler);
      // A bounded overshoot: at most one socket chunk of lines beyond the bound.
      expect(maxQueued).toBeLessThan(500 + 1_500);
      const got: string[] = [];
      for await (const r of real.read(TOPICS.observations, { partition: 0, from: 'beginning' })) {
        got.push((JSON.parse(r.value.toString()) as { raw: string }).raw);
      }
      expect(got).toEqual(lines);
    } finally {
      await collector.close();
      await real.close();
    }
  });

  it('counts UDP datagrams it must drop while the log is held; kept + dropped = sent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'samon-bp-'));
    const real = await openEventLog({ kind: 'sqlite', path: join(dir, 'samon.db') });
    await real.ensureTopic(TOPICS.observations, 1);
    const slow = throttled(real);
    const registry = new Registry();
    const collector = await startCollector({
      config,
      log: slow.log,
      logger: quiet,
      registry,
      parse: createSyslogParser({ year: 2026 }),
      appender: { maxQueued: 100, maxBatch: 50 },
    });
    try {
      slow.hold();
      const socket = createSocket('udp4');
      const port = Number(
        collector.listening
          .find((l) => l.startsWith('udp'))
          ?.split(':')
          .pop(),
      );
      const total = 400;
      for (let i = 0; i < total; i++) {
        await new Promise<void>((resolve, reject) =>
          socket.send(`<30>Nov 27 10:00:00 srx1 kmd[1]: udp ${i}`, port, '127.0.0.1', (e) =>
            e ? reject(e) : resolve(),
          ),
        );
      }
      socket.close();
      const received = async () => {
        const text = await registry.getSingleMetricAsString('samon_syslog_messages_received_total');
        return Number(/transport="udp"} (\d+)/.exec(text)?.[1] ?? 0);
      };
      const deadline = Date.now() + 5_000;
      while ((await received()) < total && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      slow.release();
      await collector.appender.drain();
      const droppedText = await registry.getSingleMetricAsString('samon_syslog_udp_dropped_total');
      const dropped = Number(/samon_syslog_udp_dropped_total (\d+)/.exec(droppedText)?.[1]);
      expect(dropped).toBeGreaterThan(0);
      expect((await count(real)) + dropped).toBe(await received());
    } finally {
      await collector.close();
      await real.close();
    }
  });
});
