import { pino, type Logger } from 'pino';
import { Writable } from 'node:stream';
import { REDACT } from '../../../../src/cli/logger.js';
import { LogAppender } from '../../../../src/collect/appender.js';
import type { Observation } from '../../../../src/domain/index.js';
import type { AppendRecord, EventLog } from '../../../../src/log/port.js';

/** An appender over an in-memory log: the observations appended, in order, with their keys. */
export function memoryAppender(): {
  appender: LogAppender;
  records: { key: string; observation: Observation }[];
} {
  const records: { key: string; observation: Observation }[] = [];
  const log = {
    append: async (batch: readonly AppendRecord[]) => {
      await Promise.resolve();
      for (const r of batch) {
        records.push({ key: r.key, observation: JSON.parse(r.value.toString()) as Observation });
      }
      return batch.map((_r, i) => ({ partition: 0, offset: records.length - batch.length + i }));
    },
  } as unknown as EventLog;
  return { appender: new LogAppender(log, pino({ level: 'silent' }), { lingerMs: 0 }), records };
}

/** A pino logger, redacting as samon's does, that keeps every line (to look for secrets in). */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ level: 'trace', redact: REDACT }, sink), lines };
}
