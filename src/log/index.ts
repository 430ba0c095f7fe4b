import { openKafkaLog, type KafkaLogOptions } from './kafka/index.js';
import type { EventLog } from './port.js';
import { openSqliteLog, type SqliteLogOptions } from './sqlite/index.js';

export type {
  AppendRecord,
  AppendResult,
  Batch,
  EventLog,
  Headers,
  KeyReadOptions,
  LogRecord,
  OffsetReadOptions,
  PartitionInfo,
  ReadFrom,
  ReadOptions,
  SubscribeOptions,
  Subscription,
} from './port.js';
export { TOPICS } from './port.js';
export * from './errors.js';
export { readKey, scanKey } from './keyScan.js';
export type { KeyScanOptions } from './keyScan.js';
export { partitionForKey } from './partitioner.js';
export { readAt } from './readAt.js';
export { readInTimeOrder } from './readInTimeOrder.js';
export type { TimeOrderOptions } from './readInTimeOrder.js';
export { openSqliteLog } from './sqlite/index.js';
export type { SqliteLogOptions } from './sqlite/index.js';
export { openKafkaLog } from './kafka/index.js';
export type {
  KafkaLogEntry,
  KafkaLogLevel,
  KafkaLogOptions,
  KafkaLogSink,
  KafkaSaslOptions,
  KafkaTlsOptions,
} from './kafka/index.js';

export type EventLogOptions =
  ({ readonly kind: 'sqlite' } & SqliteLogOptions) | ({ readonly kind: 'kafka' } & KafkaLogOptions);

/** Opens the configured event log: the embedded SQLite file or Kafka. */
export function openEventLog(options: EventLogOptions): Promise<EventLog> {
  switch (options.kind) {
    case 'sqlite':
      return openSqliteLog(options);
    case 'kafka':
      return openKafkaLog(options);
  }
}
