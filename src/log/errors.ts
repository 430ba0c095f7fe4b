// Typed errors of the event-log adapters. Each message says what was wrong and what to do.

export type EventLogErrorCode =
  | 'invalid-argument'
  | 'unknown-topic'
  | 'unknown-partition'
  | 'log-closed'
  | 'log-busy'
  | 'log-unavailable'
  | 'log-incompatible'
  | 'append-failed';

export class EventLogError extends Error {
  constructor(
    readonly code: EventLogErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EventLogError';
  }
}

/** A caller passed something the log cannot take (bad topic name, record, partition count…). */
export class InvalidLogArgumentError extends EventLogError {
  constructor(message: string) {
    super('invalid-argument', message);
    this.name = 'InvalidLogArgumentError';
  }
}

export class UnknownTopicError extends EventLogError {
  constructor(readonly topic: string) {
    super(
      'unknown-topic',
      `Topic "${topic}" does not exist in the event log. Create it with ensureTopic() or append to it first.`,
    );
    this.name = 'UnknownTopicError';
  }
}

export class UnknownPartitionError extends EventLogError {
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly partitionCount: number,
  ) {
    super(
      'unknown-partition',
      `Topic "${topic}" has no partition ${partition}: it has ${partitionCount} ` +
        `(0..${partitionCount - 1}). Use partitions() to list them.`,
    );
    this.name = 'UnknownPartitionError';
  }
}

export class LogClosedError extends EventLogError {
  constructor(operation: string) {
    super(
      'log-closed',
      `Cannot ${operation}: the event log was closed. Open a new one (openEventLog) instead.`,
    );
    this.name = 'LogClosedError';
  }
}

/** Another process held the SQLite write lock for longer than the busy timeout. */
export class LogBusyError extends EventLogError {
  constructor(path: string, busyTimeoutMs: number, cause: unknown) {
    super(
      'log-busy',
      `The event-log file ${path} stayed locked by another writer for more than ${busyTimeoutMs} ms. ` +
        'Retry, raise busyTimeoutMs, or check for a process stuck holding a write transaction.',
      { cause },
    );
    this.name = 'LogBusyError';
  }
}

/** The log backend cannot be reached (Kafka brokers down or misconfigured, file unreadable). */
export class LogUnavailableError extends EventLogError {
  constructor(message: string, cause?: unknown) {
    super('log-unavailable', message, { cause });
    this.name = 'LogUnavailableError';
  }
}

/** The SQLite file was written by an incompatible (newer) samon schema. */
export class LogIncompatibleError extends EventLogError {
  constructor(message: string) {
    super('log-incompatible', message);
    this.name = 'LogIncompatibleError';
  }
}

/** The backend refused an append (e.g. a record larger than the topic allows). */
export class AppendFailedError extends EventLogError {
  constructor(message: string, cause?: unknown) {
    super('append-failed', message, { cause });
    this.name = 'AppendFailedError';
  }
}
