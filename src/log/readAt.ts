import type { EventLog, LogRecord, OffsetReadOptions } from './port.js';
import { checkOffsetRead, checkTopicName } from './validate.js';

/**
 * The log's readAt, or for a log without it (a wrapper, a fake) one read of a single record
 * from each offset, kept when it is the record asked for: read() starts at the partition's
 * start offset when asked for an older one.
 */
export async function readAt(
  log: EventLog,
  topic: string,
  partition: number,
  offsets: readonly number[],
  options: OffsetReadOptions = {},
): Promise<LogRecord[]> {
  if (log.readAt) return log.readAt(topic, partition, offsets, options);
  checkTopicName(topic);
  const wanted = checkOffsetRead(partition, offsets, options);
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  const found: LogRecord[] = [];
  for (const offset of wanted) {
    if (Date.now() >= deadline) break;
    for await (const record of log.read(topic, { partition, from: { offset }, limit: 1 })) {
      if (record.offset === offset) found.push(record);
    }
  }
  return found;
}
