import { logLevel, type LogEntry } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createLogCreator, type KafkaLogEntry } from '../../src/log/kafka/kafkaLogging.js';
import { resolveKafkaOptions } from '../../src/log/kafka/kafkaOptions.js';
import { Handoff } from '../../src/log/kafka/handoff.js';

describe('resolveKafkaOptions', () => {
  it('fills defaults', () => {
    const resolved = resolveKafkaOptions({ brokers: ['127.0.0.1:9092'] });
    expect(resolved).toMatchObject({
      clientId: 'samon',
      partitions: 1,
      replicationFactor: 1,
      sessionTimeoutMs: 30_000,
      heartbeatIntervalMs: 3_000,
      ssl: false,
      logLevel: 'warn',
    });
  });

  it('names the setting to fix when brokers are wrong', () => {
    expect(() => resolveKafkaOptions({ brokers: [] })).toThrow(/kafka\.brokers/);
    expect(() => resolveKafkaOptions({ brokers: ['localhost'] })).toThrow(/host:port/);
  });

  it('reads TLS material from files, or takes PEM text as is', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n';
    expect(resolveKafkaOptions({ brokers: ['b:1'], ssl: { ca: pem } }).ssl).toEqual({
      ca: pem,
      rejectUnauthorized: true,
    });
    expect(() =>
      resolveKafkaOptions({ brokers: ['b:1'], ssl: { ca: '/nonexistent/ca.pem' } }),
    ).toThrow(/Cannot read kafka\.ssl\.ca file \/nonexistent\/ca\.pem/);
  });

  it('reads keys exactly unless a lateness bound is set, and checks that bound', () => {
    expect(resolveKafkaOptions({ brokers: ['b:1'] }).keyReadLatenessMs).toBeUndefined();
    expect(resolveKafkaOptions({ brokers: ['b:1'], keyReadLatenessMs: 0 }).keyReadLatenessMs).toBe(
      0,
    );
    for (const bad of [-1, 1.5, Number.POSITIVE_INFINITY]) {
      expect(() => resolveKafkaOptions({ brokers: ['b:1'], keyReadLatenessMs: bad })).toThrow(
        /keyReadLatenessMs/,
      );
    }
  });

  it('rejects a heartbeat interval that is not below the session timeout', () => {
    expect(() =>
      resolveKafkaOptions({
        brokers: ['b:1'],
        sessionTimeoutMs: 6_000,
        heartbeatIntervalMs: 6_000,
      }),
    ).toThrow(/heartbeatIntervalMs/);
  });
});

describe('kafkajs log routing', () => {
  const entry = (namespace: string, level: logLevel, message: string): LogEntry => ({
    namespace,
    level,
    label: '',
    log: { timestamp: 'now', message, logger: 'kafkajs', groupId: 'g' },
  });

  it('passes WARN and ERROR to the sink and keeps expected noise out', () => {
    const seen: KafkaLogEntry[] = [];
    const log = createLogCreator((e) => seen.push(e), 'warn')(logLevel.WARN);
    log(entry('Runner', logLevel.WARN, 'The group is rebalancing, re-joining'));
    log(entry('Consumer', logLevel.ERROR, 'Crash: KafkaJSNumberOfRetriesExceeded'));
    log(entry('Consumer', logLevel.INFO, 'Starting'));
    log(entry('Connection', logLevel.ERROR, 'Response Heartbeat(key: 12, version: 3)'));
    log(
      entry(
        'Producer',
        logLevel.WARN,
        'Limiting retries for the idempotent producer may invalidate EoS guarantees',
      ),
    );
    expect(seen).toEqual([
      {
        level: 'warn',
        namespace: 'Runner',
        message: 'The group is rebalancing, re-joining',
        extra: { groupId: 'g' },
      },
      {
        level: 'error',
        namespace: 'Consumer',
        message: 'Crash: KafkaJSNumberOfRetriesExceeded',
        extra: { groupId: 'g' },
      },
    ]);
  });

  it('shows the demoted entries at debug', () => {
    const seen: KafkaLogEntry[] = [];
    const log = createLogCreator((e) => seen.push(e), 'debug')(logLevel.DEBUG);
    log(entry('Connection', logLevel.ERROR, 'Response Heartbeat(key: 12, version: 3)'));
    expect(seen.map((e) => e.level)).toEqual(['debug']);
  });
});

describe('Handoff', () => {
  it('makes the producer wait while full and releases it when the reader closes', async () => {
    const queue = new Handoff<number>(1);
    expect(await queue.push(1)).toBe(true);
    let second: boolean | undefined;
    const pending = queue.push(2).then((ok) => (second = ok));
    await new Promise((resolve) => setImmediate(resolve));
    expect(second).toBeUndefined();
    expect(await queue.take()).toBe(1);
    await pending;
    expect(second).toBe(true);
    queue.close();
    expect(await queue.push(3)).toBe(false);
  });

  it('drains, then ends or throws', async () => {
    const ended = new Handoff<number>(4);
    await ended.push(1);
    ended.finish();
    expect(await ended.take()).toBe(1);
    expect(await ended.take()).toBeUndefined();

    const failed = new Handoff<number>(4);
    const waiting = failed.take();
    failed.finish(new Error('broker gone'));
    await expect(waiting).rejects.toThrow('broker gone');
  });
});
