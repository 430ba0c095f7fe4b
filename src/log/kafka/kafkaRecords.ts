import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import type { AppendRecord, Headers, LogRecord } from '../port.js';

// Port records ↔ kafkajs messages. Offsets and timestamps are decimal strings in kafkajs and
// numbers in the port (safe: 2^53 records per partition is out of reach).

export function toMessage(record: AppendRecord, partition: number, now: number): Message {
  return {
    key: record.key,
    value: record.value,
    partition,
    timestamp: String(record.timestamp ?? now),
    ...(record.headers && Object.keys(record.headers).length > 0
      ? { headers: { ...record.headers } }
      : {}),
  };
}

export function toLogRecord(topic: string, partition: number, message: KafkaMessage): LogRecord {
  return {
    topic,
    partition,
    offset: Number(message.offset),
    key: message.key?.toString('utf8') ?? '',
    value: message.value ?? Buffer.alloc(0),
    headers: decodeHeaders(message.headers),
    timestamp: Number(message.timestamp),
  };
}

function decodeHeaders(headers: IHeaders | undefined): Headers {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    // kafkajs gathers a repeated header into an array; like Java's lastHeader(), the last wins.
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (last !== undefined) decoded[name] = Buffer.isBuffer(last) ? last.toString('utf8') : last;
  }
  return decoded;
}

/** Rough wire size of a record, to keep each produce request near the configured size. */
export function approximateSize(record: AppendRecord): number {
  let size = 70 + Buffer.byteLength(record.key) + record.value.length;
  for (const [name, value] of Object.entries(record.headers ?? {})) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value) + 4;
  }
  return size;
}
