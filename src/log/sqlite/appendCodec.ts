import type { AppendRecord, Headers } from '../port.js';

// A batch of records as one buffer, handed to the append thread as a transfer (no copy, one
// message per batch) instead of a structured clone of thousands of objects.
//
// Per record: u16 topic index, f64 timestamp (NaN: none), then key, headers JSON and value, each
// as u32 byte length + bytes (headers length 0xFFFFFFFF: no headers).

export interface EncodedBatch {
  /**
   * The records from byte 0: a buffer of the batch's own (transferred to the thread), or the
   * shared memory a BatchWriter wrote them into (read in place; not written to again until the
   * append has settled).
   */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  readonly topics: string[];
  readonly count: number;
}

const NO_HEADERS = 0xffffffff;

/** JSON of frozen headers objects, which writers share between records (the collector does). */
const frozenHeadersJson = new WeakMap<Headers, string | null>();
/** The same JSON's UTF-8, for BatchWriter. */
const frozenHeadersBytes = new WeakMap<Headers, Buffer>();

/** Headers as stored: JSON, or NULL when there are none. */
export function headersJson(headers: Headers): string | null {
  const cached = frozenHeadersJson.get(headers);
  if (cached !== undefined) return cached;
  const json = Object.keys(headers).length > 0 ? JSON.stringify(headers) : null;
  if (Object.isFrozen(headers)) frozenHeadersJson.set(headers, json);
  return json;
}

/** headersJson's UTF-8 when the headers are frozen (shared), else undefined (no cache). */
function frozenHeadersUtf8(headers: Headers, json: string): Buffer | undefined {
  let bytes = frozenHeadersBytes.get(headers);
  if (bytes === undefined && Object.isFrozen(headers)) {
    bytes = Buffer.from(json);
    frozenHeadersBytes.set(headers, bytes);
  }
  return bytes;
}

/** Keys up to this long are copied char by char when ASCII (shorter than a call into C++). */
const SHORT_KEY = 64;

export function encodeBatch(records: readonly AppendRecord[]): EncodedBatch {
  let size = 0;
  for (const record of records) size += 22 + record.key.length * 3 + record.value.length;
  const writer = new BatchWriter(Math.max(64, size));
  for (const { topic, key, value, headers, timestamp } of records) {
    writer.add(topic, key, value, headers, timestamp);
  }
  return writer.batch();
}

/**
 * A batch encoded as its records come, each value written once, from its text, straight into the
 * batch: a writer (the collector's appender) keeps no record object and no value buffer per
 * record while the batch waits for its turn. encodeBatch is the same for records at hand.
 *
 * Given shared memory, the writer writes into it and its batch is that memory itself: no copy of
 * the batch per try, and the memory can serve a later writer once the batch is in the log (the
 * collector sizes it for a whole batch, so it does not grow by copies as records come either).
 */
export class BatchWriter {
  private buf: Buffer;
  private shared: SharedArrayBuffer | undefined;
  private at = 0;
  private readonly topics: string[] = [];
  private lastTopic: string | undefined;
  private lastTopicIndex = 0;
  private records = 0;

  constructor(initial: number | SharedArrayBuffer = 64 * 1024) {
    if (typeof initial === 'number') {
      this.buf = Buffer.allocUnsafeSlow(initial);
    } else {
      this.shared = initial;
      this.buf = Buffer.from(initial);
    }
  }

  /** The shared memory written into (undefined: the writer's own buffer), for a later writer. */
  get memory(): SharedArrayBuffer | undefined {
    return this.shared;
  }

  get count(): number {
    return this.records;
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.at;
  }

  /** Adds a record whose value is `value`'s UTF-8 (a string) or its bytes. */
  add(
    topic: string,
    key: string,
    value: string | Uint8Array,
    headers: Headers | undefined,
    timestamp: number | undefined,
  ): void {
    const json = headers === undefined ? null : headersJson(headers);
    const valueMax = typeof value === 'string' ? value.length * 3 : value.length;
    this.reserve(22 + key.length * 3 + (json === null ? 0 : json.length * 3) + valueMax);
    if (topic !== this.lastTopic) {
      this.lastTopic = topic;
      let index = this.topics.indexOf(topic);
      if (index < 0) index = this.topics.push(topic) - 1;
      this.lastTopicIndex = index;
    }
    const buf = this.buf;
    let at = this.at;
    buf.writeUInt16LE(this.lastTopicIndex, at);
    buf.writeDoubleLE(timestamp ?? Number.NaN, at + 2);
    at += 10;
    let keyBytes = key.length <= SHORT_KEY ? key.length : -1;
    for (let i = 0; i < keyBytes; i++) {
      const c = key.charCodeAt(i);
      if (c >= 0x80) keyBytes = -1;
      else buf[at + 4 + i] = c;
    }
    if (keyBytes < 0) keyBytes = buf.write(key, at + 4, 'utf8');
    buf.writeUInt32LE(keyBytes, at);
    at += 4 + keyBytes;
    if (json === null) {
      buf.writeUInt32LE(NO_HEADERS, at);
      at += 4;
    } else {
      const bytes = frozenHeadersUtf8(headers!, json);
      let jsonBytes: number;
      if (bytes) {
        buf.set(bytes, at + 4);
        jsonBytes = bytes.length;
      } else {
        jsonBytes = buf.write(json, at + 4, 'utf8');
      }
      buf.writeUInt32LE(jsonBytes, at);
      at += 4 + jsonBytes;
    }
    let valueBytes: number;
    if (typeof value === 'string') {
      valueBytes = buf.write(value, at + 4, 'utf8');
    } else {
      buf.set(value, at + 4);
      valueBytes = value.length;
    }
    buf.writeUInt32LE(valueBytes, at);
    this.at = at + 4 + valueBytes;
    this.records++;
  }

  /**
   * The batch so far: the shared memory itself, or a copy in a buffer of its own (it can be
   * transferred, and this writer can give the same batch again for a retry).
   */
  batch(): EncodedBatch {
    const topics = [...this.topics];
    if (this.shared) return { buffer: this.shared, topics, count: this.records };
    const buffer = new ArrayBuffer(this.at);
    new Uint8Array(buffer).set(this.buf.subarray(0, this.at));
    return { buffer, topics, count: this.records };
  }

  private reserve(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    const size = Math.max(this.buf.length * 2, this.at + bytes);
    let grown: Buffer;
    if (this.shared) {
      this.shared = new SharedArrayBuffer(size);
      grown = Buffer.from(this.shared);
    } else {
      grown = Buffer.allocUnsafeSlow(size);
    }
    this.buf.copy(grown, 0, 0, this.at);
    this.buf = grown;
  }
}

/** A decoded record: headers as stored (JSON), values views into the batch's buffer. */
export interface DecodedRecord {
  readonly topic: string;
  readonly key: string;
  readonly value: Buffer;
  readonly headersJson: string | null;
  readonly timestamp: number | undefined;
}

export function decodeBatch(batch: EncodedBatch): DecodedRecord[] {
  const buf = Buffer.from(batch.buffer);
  const records = new Array<DecodedRecord>(batch.count);
  let at = 0;
  for (let i = 0; i < batch.count; i++) {
    const topic = batch.topics[buf.readUInt16LE(at)]!;
    const ts = buf.readDoubleLE(at + 2);
    at += 10;
    const keyBytes = buf.readUInt32LE(at);
    const key = buf.toString('utf8', at + 4, at + 4 + keyBytes);
    at += 4 + keyBytes;
    const jsonBytes = buf.readUInt32LE(at);
    let json: string | null = null;
    at += 4;
    if (jsonBytes !== NO_HEADERS) {
      json = buf.toString('utf8', at, at + jsonBytes);
      at += jsonBytes;
    }
    const valueBytes = buf.readUInt32LE(at);
    const value = buf.subarray(at + 4, at + 4 + valueBytes);
    at += 4 + valueBytes;
    records[i] = {
      topic,
      key,
      value,
      headersJson: json,
      timestamp: Number.isNaN(ts) ? undefined : ts,
    };
  }
  return records;
}
