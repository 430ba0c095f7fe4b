import { createRequire } from 'node:module';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, afterEach, expect, it, vi } from 'vitest';
import { openKafkaLog, type KafkaLogOptions } from '../../src/log/kafka/index.js';
import type { EventLog, LogRecord } from '../../src/log/port.js';
import { describeKafka } from '../support/kafka.js';
import { TEST_RUN_ID, uniqueName } from './eventLogContract.js';

// Failures a healthy shared broker does not produce on demand, injected into kafkajs itself:
// a consumer group whose coordinator is still loading (a fresh broker's first group), and a
// producer whose sequence numbers the brokers no longer accept.

const require = createRequire(import.meta.url);
interface ProtocolErrors {
  createErrorFromCode: (code: number) => Error & { type: string; retriable: boolean };
}
const { createErrorFromCode } = require('kafkajs/src/protocol/error.js') as ProtocolErrors;
const ConsumerGroup = require('kafkajs/src/consumer/consumerGroup.js') as {
  prototype: { joinAndSync: (this: unknown) => Promise<unknown> };
};
const COORDINATOR_LOAD_IN_PROGRESS = 14;
const OUT_OF_ORDER_SEQUENCE_NUMBER = 45;
const UNKNOWN_PRODUCER_ID = 59;

describeKafka('kafka event log recovery', (brokers) => {
  const options: KafkaLogOptions = {
    brokers,
    clientId: `samon-test-recovery-${TEST_RUN_ID}`,
    sessionTimeoutMs: 6_000,
    heartbeatIntervalMs: 500,
    maxWaitTimeMs: 200,
    logSink: () => undefined,
  };
  const topics: string[] = [];
  const logs: EventLog[] = [];
  const open = async (): Promise<EventLog> => {
    const log = await openKafkaLog(options);
    logs.push(log);
    return log;
  };

  afterEach(() => {
    vi.restoreAllMocks();
  });

  afterAll(async () => {
    await Promise.allSettled(logs.map((log) => log.close()));
    const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  });

  const records = (topic: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      topic,
      key: `tunnel-${i}`,
      value: Buffer.from(`value-${i}`),
    }));

  it('restarts a read whose group coordinator is loading, delivering each record once', async () => {
    const log = await open();
    const topic = uniqueName('coordinator-loading');
    topics.push(topic);
    await log.ensureTopic(topic, 3);
    const appended = await log.append(records(topic, 30));

    const real = ConsumerGroup.prototype.joinAndSync;
    let refused = 0;
    const join = vi.spyOn(ConsumerGroup.prototype, 'joinAndSync').mockImplementation(function (
      this: unknown,
    ) {
      // The first two joins fail as on a fresh broker; kafkajs gives up on them at once.
      if (refused < 2) {
        refused += 1;
        return Promise.reject(createErrorFromCode(COORDINATOR_LOAD_IN_PROGRESS));
      }
      return real.call(this);
    });

    for (const partition of [0, 1, 2]) {
      refused = 0;
      const got: LogRecord[] = [];
      for await (const record of log.read(topic, { partition, from: 'beginning' })) {
        got.push(record);
      }
      expect(refused).toBe(2);
      const expected = appended.filter((r) => r.partition === partition).map((r) => r.offset);
      expect(got.map((r) => r.offset)).toEqual(expected);
    }
    expect(join.mock.calls.length).toBeGreaterThanOrEqual(9);
  }, 60_000);

  it('starts a read mid-partition after a restart, without seeking', async () => {
    const log = await open();
    const topic = uniqueName('restart-offset');
    topics.push(topic);
    await log.ensureTopic(topic, 1);
    await log.append(records(topic, 20));
    const real = ConsumerGroup.prototype.joinAndSync;
    let refused = 0;
    vi.spyOn(ConsumerGroup.prototype, 'joinAndSync').mockImplementation(function (this: unknown) {
      if (refused++ < 1) return Promise.reject(createErrorFromCode(COORDINATOR_LOAD_IN_PROGRESS));
      return real.call(this);
    });
    const got: number[] = [];
    for await (const record of log.read(topic, { partition: 0, from: { offset: 12 }, limit: 5 })) {
      got.push(record.offset);
    }
    expect(got).toEqual([12, 13, 14, 15, 16]);
  }, 60_000);

  it.each([
    ['out-of-order sequence', OUT_OF_ORDER_SEQUENCE_NUMBER],
    ['unknown producer id', UNKNOWN_PRODUCER_ID],
  ])(
    'replaces its producer after an %s error',
    async (_name, code) => {
      // Calls through: the producers the log creates, in order.
      const producers = vi.spyOn(Kafka.prototype, 'producer');
      const created = (): Producer[] => producers.mock.results.map((r) => r.value as Producer);
      const log = await open();
      const topic = uniqueName('producer-renewal');
      topics.push(topic);
      await log.ensureTopic(topic, 1);
      expect(created()).toHaveLength(1);
      const first = created()[0]!;
      const disconnect = vi.spyOn(first, 'disconnect');
      // The brokers refuse every later send of this producer, as they do once out of step.
      vi.spyOn(first, 'sendBatch').mockRejectedValue(createErrorFromCode(code));

      await expect(log.append(records(topic, 3))).rejects.toMatchObject({
        message: expect.stringContaining(createErrorFromCode(code).message) as unknown,
      });
      const results = await log.append(records(topic, 4));
      expect(created()).toHaveLength(2);
      expect(disconnect).toHaveBeenCalled();
      expect(results.map((r) => r.offset)).toEqual([0, 1, 2, 3]);
      const read: string[] = [];
      for await (const record of log.read(topic, { partition: 0, from: 'beginning' })) {
        read.push(record.value.toString());
      }
      expect(read).toEqual(['value-0', 'value-1', 'value-2', 'value-3']);
    },
    60_000,
  );
});
