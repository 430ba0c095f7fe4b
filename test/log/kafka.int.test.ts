import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  openKafkaLog,
  type KafkaLogEntry,
  type KafkaLogOptions,
} from '../../src/log/kafka/index.js';
import { describeKafka } from '../support/kafka.js';
import {
  describeEventLogContract,
  readKeyAll,
  TEST_RUN_ID,
  uniqueName,
} from './eventLogContract.js';

describeKafka('kafka event log', (brokers) => {
  const logged: KafkaLogEntry[] = [];
  const options: KafkaLogOptions = {
    brokers,
    clientId: `samon-test-${TEST_RUN_ID}`,
    // The broker's minimum session timeout (group.min.session.timeout.ms) is 6 s.
    sessionTimeoutMs: 6_000,
    heartbeatIntervalMs: 500,
    maxWaitTimeMs: 200,
    logSink: (entry) => logged.push(entry),
  };
  const admin = () => new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();

  describeEventLogContract(
    'kafka',
    async () => {
      const opened = [await openKafkaLog(options)];
      return {
        log: opened[0]!,
        reopen: async () => {
          const log = await openKafkaLog(options);
          opened.push(log);
          return log;
        },
        cleanup: async () => {
          await Promise.all(opened.map((log) => log.close()));
        },
      };
    },
    { settleTimeoutMs: 45_000 },
  );

  describe('kafka specifics', () => {
    it('creates topics with the configured partitions and max.message.bytes', async () => {
      const log = await openKafkaLog({
        ...options,
        partitions: 3,
        maxMessageBytes: 4 * 1024 * 1024,
      });
      const client = admin();
      await client.connect();
      try {
        const topic = uniqueName('created');
        await log.append([{ topic, key: 'k', value: Buffer.from('v') }]);
        expect(await log.partitions(topic)).toHaveLength(3);
        const { resources } = await client.describeConfigs({
          includeSynonyms: false,
          resources: [
            { type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['max.message.bytes'] },
          ],
        });
        expect(resources[0]?.configEntries[0]?.configValue).toBe(String(4 * 1024 * 1024));
      } finally {
        await client.disconnect();
        await log.close();
      }
    });

    it('stops a key read at to + keyReadLatenessMs when that option is set', async () => {
      const exact = await openKafkaLog(options);
      const bounded = await openKafkaLog({ ...options, keyReadLatenessMs: 60_000 });
      try {
        const topic = uniqueName('key-lateness');
        await exact.ensureTopic(topic, 1);
        const base = Date.now() - 3_600_000;
        const at = (key: string, value: string, timestamp: number) => ({
          topic,
          key,
          value: Buffer.from(value),
          timestamp,
        });
        // A lagging writer: "late" is stamped inside the window but appended after a record
        // stamped two minutes past its end (one minute past it would still be read).
        await exact.append([
          at('t', 'in', base + 1_000),
          at('other', 'past-by-30s', base + 40_000),
          at('t', 'late-1', base + 2_000),
          at('other', 'past-by-2min', base + 130_000),
          at('t', 'late-2', base + 3_000),
        ]);
        const window = { from: base, to: base + 10_000 };
        const values = async (log: typeof exact) =>
          (await readKeyAll(log, topic, 't', window)).map((r) => r.value.toString());
        expect(await values(exact)).toEqual(['in', 'late-1', 'late-2']);
        expect(await values(bounded)).toEqual(['in', 'late-1']);
      } finally {
        await Promise.all([exact.close(), bounded.close()]);
      }
    });

    it('leaves out offsets retention deleted, and what it could not read in time', async () => {
      const log = await openKafkaLog(options);
      const client = admin();
      await client.connect();
      try {
        const topic = uniqueName('read-at-retention');
        await log.ensureTopic(topic, 1);
        await log.append(
          Array.from({ length: 50 }, (_, i) => ({ topic, key: 'k', value: Buffer.from(`v${i}`) })),
        );
        // What retention does to old segments: the partition now starts at offset 20.
        await client.fetchTopicMetadata({ topics: [topic] });
        await client.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '20' }] });
        expect((await log.partitions(topic))[0]?.startOffset).toBe(20);
        const offsets = async (asked: number[], timeoutMs?: number) =>
          (await log.readAt!(topic, 0, asked, timeoutMs === undefined ? {} : { timeoutMs })).map(
            (r) => r.offset,
          );
        expect(await offsets([3, 19, 20, 42])).toEqual([20, 42]);
        // Too short for a group join: nothing read, and no error.
        expect(await offsets([20, 42], 1)).toEqual([]);
      } finally {
        await client.disconnect();
        await log.close();
      }
    });

    it('logged nothing at ERROR level through the whole suite', () => {
      expect(logged.filter((entry) => entry.level === 'error')).toEqual([]);
    });
  });

  afterAll(async () => {
    // Remove this run's topics so repeated runs do not pile up on the shared broker.
    const client = admin();
    await client.connect();
    try {
      const mine = (await client.listTopics()).filter((t) => t.includes(`.${TEST_RUN_ID}.`));
      if (mine.length > 0) await client.deleteTopics({ topics: mine });
    } finally {
      await client.disconnect();
    }
    if (process.env.SAMON_TEST_KAFKA_LOG === '1') {
      for (const entry of logged) console.error(JSON.stringify(entry));
    }
  });
});
