import fc from 'fast-check';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { LogAppender } from '../../src/collect/appender.js';
import type { EventLog } from '../../src/log/port.js';
import { decodeBatch, type EncodedBatch } from '../../src/log/sqlite/appendCodec.js';

// The appender writes each batch into shared memory that the log reads in place, and hands that
// memory to a later batch once the append has settled. A log that reads a batch only some time
// after it was given (as the append thread does), or fails it first, must still read every
// record as queued: the memory is never written while its batch is in the log's hands.

const quiet = pino({ level: 'silent' });

function slowLog(fails: Set<number>) {
  const values: string[] = [];
  let calls = 0;
  const log = {
    appendBatch: { maxRecords: 4_000, maxBytes: 4 << 20 },
    append: () => Promise.reject(new Error('records path not expected')),
    async appendEncoded(batch: EncodedBatch): Promise<void> {
      const call = calls++;
      // Read later, after the appender has had turns to queue (and write) more records.
      await new Promise((resolve) => setTimeout(resolve, 1));
      await new Promise((resolve) => setImmediate(resolve));
      const decoded = decodeBatch(batch).map((r) => r.value.toString());
      if (fails.has(call)) throw new Error('the log is away');
      values.push(...decoded);
    },
  } as unknown as EventLog;
  return { log, values };
}

describe('LogAppender batch memory', () => {
  it('is not written while its batch is in the log, and serves later batches', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 40 }),
        fc.uniqueArray(fc.nat({ max: 8 }), { maxLength: 3 }),
        async (bursts, maxBatch, failing) => {
          const { log, values } = slowLog(new Set(failing));
          const appender = new LogAppender(log, quiet, {
            maxBatch,
            maxBatchBytes: 2_000,
            lingerMs: 0,
            maxBackoffMs: 1,
          });
          const want: string[] = [];
          for (const burst of bursts) {
            for (let i = 0; i < burst; i++) {
              const value = `${want.length} ${'x'.repeat(want.length % 97)} ✓`;
              want.push(value);
              appender.pushText('t', `k${want.length % 3}`, value, undefined, want.length);
            }
            await new Promise((resolve) => setTimeout(resolve, want.length % 3));
          }
          await appender.drain();
          expect(values).toEqual(want);
          await appender.close();
        },
      ),
      { numRuns: 25 },
    );
  });
});
