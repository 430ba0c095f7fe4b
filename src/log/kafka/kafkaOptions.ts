import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { InvalidLogArgumentError, LogUnavailableError } from '../errors.js';
import { checkPartitionCount, checkPositiveMs } from '../validate.js';
import type { KafkaLogLevel, KafkaLogSink } from './kafkaLogging.js';

/** TLS material as the config gives it: each of ca/cert/key is a PEM file path or PEM text. */
export interface KafkaTlsOptions {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly rejectUnauthorized?: boolean;
}

export interface KafkaSaslOptions {
  readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  readonly username: string;
  readonly password: string;
}

export interface KafkaLogOptions {
  /** host:port of one or more brokers (config kafka.brokers). */
  readonly brokers: readonly string[];
  readonly clientId?: string;
  readonly ssl?: boolean | KafkaTlsOptions;
  readonly sasl?: KafkaSaslOptions;
  /** Partitions of topics samon creates without an explicit count (default 1). */
  readonly partitions?: number;
  /** Replication factor of topics samon creates (default 1). */
  readonly replicationFactor?: number;
  /** max.message.bytes of topics samon creates (default 8 MiB; Kafka's own is 1 MiB). */
  readonly maxMessageBytes?: number;
  /** Consumer-group session timeout (default 30 000; the broker allows 6 000–1 800 000 by default). */
  readonly sessionTimeoutMs?: number;
  /** Group heartbeat interval (default a third of the session timeout, at most 3 000). */
  readonly heartbeatIntervalMs?: number;
  /** Longest a fetch waits at the broker for new records (default 1 000). */
  readonly maxWaitTimeMs?: number;
  /** Records of one append are sent in requests of about this many bytes (default 1 MiB). */
  readonly maxRequestBytes?: number;
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** Retries of a failed request before an operation fails (default 5; appends use at least 1). */
  readonly retries?: number;
  /**
   * readKey() with a `to` bound stops at the first record of the partition stamped this long
   * after `to`, instead of reading on to the end offset: much less to read for an old window,
   * but a record stamped before `to` and appended after one stamped that much later is missed.
   * Default: unset, read to the end (exact).
   */
  readonly keyReadLatenessMs?: number;
  /** kafkajs log level (default 'warn'). */
  readonly logLevel?: KafkaLogLevel;
  /** Where kafkajs logs go (default: JSON lines on stderr). */
  readonly logSink?: KafkaLogSink;
}

export interface ResolvedKafkaOptions {
  readonly brokers: string[];
  readonly clientId: string;
  readonly ssl: boolean | ConnectionOptions;
  readonly sasl: KafkaSaslOptions | undefined;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly maxMessageBytes: number;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly maxWaitTimeMs: number;
  readonly maxRequestBytes: number;
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly retries: number;
  readonly keyReadLatenessMs: number | undefined;
  readonly logLevel: KafkaLogLevel;
}

const BROKER = /^[^\s:]+:\d{1,5}$/;

export function resolveKafkaOptions(options: KafkaLogOptions): ResolvedKafkaOptions {
  const brokers = [...(options.brokers ?? [])];
  if (brokers.length === 0 || !brokers.every((b) => typeof b === 'string' && BROKER.test(b))) {
    throw new InvalidLogArgumentError(
      `Kafka brokers ${JSON.stringify(options.brokers)} are not a list of host:port: ` +
        'set kafka.brokers in the config, e.g. ["127.0.0.1:9092"].',
    );
  }
  const partitions = options.partitions ?? 1;
  checkPartitionCount(partitions, 'Kafka log option "partitions"');
  const replicationFactor = options.replicationFactor ?? 1;
  if (!Number.isInteger(replicationFactor) || replicationFactor < 1) {
    throw new InvalidLogArgumentError(
      `Kafka log option "replicationFactor" must be an integer ≥ 1, got ${String(replicationFactor)}.`,
    );
  }
  const sessionTimeoutMs = options.sessionTimeoutMs ?? 30_000;
  const heartbeatIntervalMs =
    options.heartbeatIntervalMs ?? Math.min(3_000, Math.floor(sessionTimeoutMs / 3));
  const resolved: ResolvedKafkaOptions = {
    brokers,
    clientId: options.clientId ?? 'samon',
    ssl: loadTls(options.ssl),
    sasl: options.sasl,
    partitions,
    replicationFactor,
    maxMessageBytes: options.maxMessageBytes ?? 8 * 1024 * 1024,
    sessionTimeoutMs,
    heartbeatIntervalMs,
    maxWaitTimeMs: options.maxWaitTimeMs ?? 1_000,
    maxRequestBytes: options.maxRequestBytes ?? 1024 * 1024,
    connectionTimeoutMs: options.connectionTimeoutMs ?? 3_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    retries: options.retries ?? 5,
    keyReadLatenessMs: options.keyReadLatenessMs,
    logLevel: options.logLevel ?? 'warn',
  };
  for (const key of [
    'maxMessageBytes',
    'sessionTimeoutMs',
    'heartbeatIntervalMs',
    'maxWaitTimeMs',
    'maxRequestBytes',
    'connectionTimeoutMs',
    'requestTimeoutMs',
  ] as const) {
    checkPositiveMs(resolved[key], `Kafka log option "${key}"`);
  }
  if (heartbeatIntervalMs >= sessionTimeoutMs) {
    throw new InvalidLogArgumentError(
      `Kafka log option "heartbeatIntervalMs" (${heartbeatIntervalMs}) must be below ` +
        `"sessionTimeoutMs" (${sessionTimeoutMs}).`,
    );
  }
  const lateness = resolved.keyReadLatenessMs;
  if (lateness !== undefined && (!Number.isSafeInteger(lateness) || lateness < 0)) {
    throw new InvalidLogArgumentError(
      `Kafka log option "keyReadLatenessMs" must be an integer ≥ 0 (milliseconds), got ${String(lateness)}.`,
    );
  }
  if (!Number.isInteger(resolved.retries) || resolved.retries < 0) {
    throw new InvalidLogArgumentError(
      `Kafka log option "retries" must be an integer ≥ 0, got ${String(resolved.retries)}.`,
    );
  }
  return resolved;
}

function loadTls(ssl: boolean | KafkaTlsOptions | undefined): boolean | ConnectionOptions {
  if (ssl === undefined || typeof ssl === 'boolean') return ssl ?? false;
  const tls: ConnectionOptions = { rejectUnauthorized: ssl.rejectUnauthorized ?? true };
  return {
    ...tls,
    ...(ssl.ca === undefined ? {} : { ca: pem(ssl.ca, 'kafka.ssl.ca') }),
    ...(ssl.cert === undefined ? {} : { cert: pem(ssl.cert, 'kafka.ssl.cert') }),
    ...(ssl.key === undefined ? {} : { key: pem(ssl.key, 'kafka.ssl.key') }),
  };
}

function pem(value: string, setting: string): string {
  if (value.trimStart().startsWith('-----BEGIN')) return value;
  try {
    return readFileSync(value, 'utf8');
  } catch (error) {
    throw new LogUnavailableError(
      `Cannot read ${setting} file ${value}: ${(error as Error).message}. ` +
        `Point ${setting} at a readable PEM file.`,
      error,
    );
  }
}
