import { InvalidLogArgumentError } from './errors.js';
import type { AppendRecord, KeyReadOptions, OffsetReadOptions, ReadFrom } from './port.js';

// Kafka's rules for topic names, applied to both adapters so a topic that works in the
// embedded log also works on a broker.
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

export const MAX_PARTITIONS = 10_000;

export function checkTopicName(topic: unknown): asserts topic is string {
  if (typeof topic !== 'string' || !TOPIC_NAME.test(topic) || topic === '.' || topic === '..') {
    throw new InvalidLogArgumentError(
      `Invalid topic name ${JSON.stringify(topic)}: use 1–249 characters from [a-zA-Z0-9._-] ` +
        '(not "." or "..").',
    );
  }
}

export function checkPartitionCount(
  partitions: unknown,
  what: string,
): asserts partitions is number {
  if (
    typeof partitions !== 'number' ||
    !Number.isInteger(partitions) ||
    partitions < 1 ||
    partitions > MAX_PARTITIONS
  ) {
    throw new InvalidLogArgumentError(
      `${what} must be an integer from 1 to ${MAX_PARTITIONS}, got ${String(partitions)}.`,
    );
  }
}

export function checkPositiveMs(value: unknown, what: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidLogArgumentError(
      `${what} must be a positive number of milliseconds, got ${String(value)}.`,
    );
  }
}

export function checkGroupId(groupId: unknown): asserts groupId is string {
  if (typeof groupId !== 'string' || groupId.length === 0 || groupId.length > 255) {
    throw new InvalidLogArgumentError(
      `Invalid consumer group id ${JSON.stringify(groupId)}: use a non-empty string of at most 255 characters.`,
    );
  }
}

/** Checks every record before anything is written, so an append is all or nothing. */
export function checkAppendRecords(records: readonly AppendRecord[]): void {
  const list: unknown = records;
  if (!Array.isArray(list)) {
    throw new InvalidLogArgumentError('append() takes an array of records.');
  }
  let checkedTopic: string | undefined;
  records.forEach((record, index) => {
    const where = () => `Record ${index} of the append`;
    // A batch is mostly one topic: its name is checked once, not per record.
    if (record.topic !== checkedTopic) {
      checkTopicName(record.topic);
      checkedTopic = record.topic;
    }
    if (typeof record.key !== 'string') {
      throw new InvalidLogArgumentError(`${where()} has no string key (got ${typeof record.key}).`);
    }
    if (!Buffer.isBuffer(record.value)) {
      throw new InvalidLogArgumentError(
        `${where()} (key "${record.key}") has a value that is not a Buffer.`,
      );
    }
    if (
      record.timestamp !== undefined &&
      (!Number.isSafeInteger(record.timestamp) || record.timestamp < 0)
    ) {
      throw new InvalidLogArgumentError(
        `${where()} (key "${record.key}") has timestamp ${String(record.timestamp)}: ` +
          'use non-negative integer epoch milliseconds, or leave it out for the append time.',
      );
    }
    if (record.headers !== undefined && !validFrozenHeaders.has(record.headers)) {
      for (const [name, value] of Object.entries(record.headers)) {
        if (typeof value !== 'string') {
          throw new InvalidLogArgumentError(
            `${where()} (key "${record.key}") has header "${name}" that is not a string.`,
          );
        }
      }
      // A frozen object cannot change: checked once, not on every record that shares it.
      if (Object.isFrozen(record.headers)) validFrozenHeaders.add(record.headers);
    }
  });
}

const validFrozenHeaders = new WeakSet<object>();

export function checkReadPosition(from: ReadFrom, partition: number): void {
  if (!Number.isInteger(partition) || partition < 0) {
    throw new InvalidLogArgumentError(
      `Invalid partition ${String(partition)}: use an integer ≥ 0.`,
    );
  }
  if (from === 'beginning' || from === 'end') return;
  if (typeof from === 'object' && from !== null) {
    if ('offset' in from && Number.isSafeInteger(from.offset) && from.offset >= 0) return;
    if ('timestamp' in from && Number.isSafeInteger(from.timestamp)) return;
  }
  throw new InvalidLogArgumentError(
    `Invalid read position ${JSON.stringify(from)}: use { offset: n ≥ 0 }, { timestamp: epoch ms }, ` +
      "'beginning' or 'end'.",
  );
}

export function checkLimit(limit: unknown): void {
  if (limit === undefined) return;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0) {
    throw new InvalidLogArgumentError(
      `Invalid read limit ${JSON.stringify(limit)}: use an integer ≥ 0.`,
    );
  }
}

export function checkKeyRead(key: unknown, options: KeyReadOptions): asserts key is string {
  if (typeof key !== 'string') {
    throw new InvalidLogArgumentError(`readKey() needs a string key, got ${typeof key}.`);
  }
  for (const bound of ['from', 'to'] as const) {
    const value = options[bound];
    if (value !== undefined && !Number.isSafeInteger(value)) {
      throw new InvalidLogArgumentError(
        `Invalid readKey() bound ${bound}=${String(value)}: use integer epoch milliseconds.`,
      );
    }
  }
  checkLimit(options.limit);
}

/** Checks readAt()'s arguments; returns the offsets sorted, each once. */
export function checkOffsetRead(
  partition: number,
  offsets: readonly number[],
  options: OffsetReadOptions,
): number[] {
  checkReadPosition('beginning', partition);
  if (!Array.isArray(offsets)) {
    throw new InvalidLogArgumentError('readAt() needs an array of offsets.');
  }
  for (const offset of offsets) {
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new InvalidLogArgumentError(
        `Invalid offset ${JSON.stringify(offset)} for readAt(): use integers ≥ 0.`,
      );
    }
  }
  const { timeoutMs } = options;
  if (timeoutMs !== undefined && (!Number.isFinite(timeoutMs) || timeoutMs <= 0)) {
    throw new InvalidLogArgumentError(
      `Invalid readAt() timeoutMs ${String(timeoutMs)}: use a positive number of milliseconds.`,
    );
  }
  return Array.from(new Set<number>(offsets)).sort((a, b) => a - b);
}
