import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AppendRecord } from '../../src/log/port.js';
import { BatchWriter, decodeBatch, encodeBatch } from '../../src/log/sqlite/appendCodec.js';

// A batch handed to the append thread as one buffer reads back as the records given: topics,
// keys (any Unicode), headers as stored (JSON or none), values byte for byte, timestamps.

const record: fc.Arbitrary<AppendRecord> = fc.record(
  {
    topic: fc.constantFrom('samon.observations.v1', 'samon.lifecycle.v1', 't'),
    // Short keys are copied char by char when ASCII, longer ones (> 64) written by Buffer.
    key: fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: 'binary', minLength: 60, maxLength: 100 }),
    ),
    value: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
    // Frozen headers (shared by records, as the collector's are) have their bytes cached.
    headers: fc
      .tuple(
        fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 8 }), {
          maxKeys: 3,
        }),
        fc.boolean(),
      )
      .map(([headers, frozen]) => (frozen ? Object.freeze(headers) : headers)),
    timestamp: fc.integer({ min: 0, max: 2 ** 47 }),
  },
  { requiredKeys: ['topic', 'key', 'value'] },
);

/** Records for a BatchWriter, each value given as its bytes or, when a text is drawn, as text. */
const writerEntries = fc.array(
  fc.tuple(record, fc.option(fc.string({ unit: 'binary', maxLength: 300 }))),
  { maxLength: 30 },
);

/** Adds the entries to the writer in order; returns the records they stand for. */
function addAll(writer: BatchWriter, entries: readonly [AppendRecord, string | null][]) {
  for (const [r, text] of entries)
    writer.add(r.topic, r.key, text ?? r.value, r.headers, r.timestamp);
  // Values given as text: their UTF-8 is the value (as Buffer.from makes it).
  return entries.map(([r, text]) => (text === null ? r : { ...r, value: Buffer.from(text) }));
}

describe('append thread batch codec', () => {
  it('decodes what it encodes', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 30 }), (records) => {
        const decoded = decodeBatch(encodeBatch(records));
        expect(decoded).toHaveLength(records.length);
        decoded.forEach((got, i) => {
          const want = records[i]!;
          expect(got.topic).toBe(want.topic);
          expect(got.key).toBe(want.key);
          expect(Buffer.compare(got.value, want.value)).toBe(0);
          expect(got.timestamp).toBe(want.timestamp);
          const json =
            want.headers && Object.keys(want.headers).length > 0
              ? JSON.stringify(want.headers)
              : null;
          expect(got.headersJson).toBe(json);
        });
      }),
    );
  });

  it('hands over a buffer of its own (transferable), not a slice of a shared pool', () => {
    const { buffer } = encodeBatch([{ topic: 't', key: 'k', value: Buffer.from('v') }]);
    expect(buffer.byteLength).toBeLessThan(100);
  });

  it('a BatchWriter writes the bytes encodeBatch writes, values given as text or bytes', () => {
    fc.assert(
      fc.property(writerEntries, fc.integer({ min: 1, max: 512 }), (entries, initial) => {
        const writer = new BatchWriter(initial);
        const records = addAll(writer, entries);
        const got = writer.batch();
        const want = encodeBatch(records);
        expect(got.count).toBe(records.length);
        expect(got.buffer.byteLength).toBe(writer.bytes);
        expect(Buffer.from(got.buffer)).toEqual(Buffer.from(want.buffer, 0, writer.bytes));
        // Topic indexes refer to the same list.
        expect(got.topics).toEqual(want.topics);
        // And a second batch() (a retry) is the same again, in a buffer of its own.
        const again = writer.batch();
        expect(again.buffer).not.toBe(got.buffer);
        expect(Buffer.from(again.buffer)).toEqual(Buffer.from(got.buffer));
      }),
    );
  });

  it('a BatchWriter on shared memory writes the same bytes into it, growing it when full', () => {
    fc.assert(
      fc.property(writerEntries, fc.integer({ min: 1, max: 4096 }), (entries, initial) => {
        const memory = new SharedArrayBuffer(initial);
        const writer = new BatchWriter(memory);
        const records = addAll(writer, entries);
        const got = writer.batch();
        const want = encodeBatch(records);
        expect(got.count).toBe(records.length);
        // The batch is the writer's memory (no copy); a bigger one once the first was full.
        // (Booleans: a failed match would print the whole memory.)
        expect(got.buffer === writer.memory).toBe(true);
        expect(got.buffer instanceof SharedArrayBuffer).toBe(true);
        if (got.buffer !== memory) expect(got.buffer.byteLength > initial).toBe(true);
        expect(got.buffer.byteLength >= writer.bytes).toBe(true);
        expect(Buffer.from(got.buffer, 0, writer.bytes)).toEqual(Buffer.from(want.buffer));
        expect(got.topics).toEqual(want.topics);
        expect(decodeBatch(got).map((r) => r.value.toString('hex'))).toEqual(
          records.map((r) => Buffer.from(r.value).toString('hex')),
        );
      }),
    );
  });
});
