import { Kafka, logLevel } from 'kafkajs';
import { afterAll } from 'vitest';
import {
  openKafkaLog,
  type KafkaLogEntry,
  type KafkaLogOptions,
} from '../../src/log/kafka/index.js';
import { describeKafka } from '../support/kafka.js';
import { describeEventLogContract, TEST_RUN_ID } from './eventLogContract.js';

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

  afterAll(async () => {
    // Remove this run's topics so repeated runs do not pile up on the shared broker.
    const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const mine = (await admin.listTopics()).filter((t) => t.includes(`.${TEST_RUN_ID}.`));
      if (mine.length > 0) await admin.deleteTopics({ topics: mine });
    } finally {
      await admin.disconnect();
    }
    if (process.env.SAMON_TEST_KAFKA_LOG === '1') {
      for (const entry of logged) console.error(JSON.stringify(entry));
    }
  });
});
