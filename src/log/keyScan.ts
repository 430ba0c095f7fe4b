import { partitionForKey } from './partitioner.js';
import type { EventLog, KeyReadOptions, LogRecord } from './port.js';
import { checkKeyRead, checkTopicName } from './validate.js';

export interface KeyScanOptions extends KeyReadOptions {
  /**
   * Stop at the first record of the partition (any key) stamped this long after `to` or later,
   * instead of reading to the end offset. Default: read to the end, which finds every record in
   * range even when timestamps go backwards by hours (a lagging projector partition).
   */
  readonly latenessMs?: number;
}

/**
 * readKey() by reading the key's partition from the first offset at or after `from` and
 * keeping that key's records in range: what Kafka offers (offsetsForTimes + fetch), and the
 * fallback for an EventLog without readKey.
 */
export async function* scanKey(
  log: EventLog,
  topic: string,
  key: string,
  options: KeyScanOptions = {},
): AsyncGenerator<LogRecord> {
  checkTopicName(topic);
  checkKeyRead(key, options);
  const { from, to, limit = Number.POSITIVE_INFINITY } = options;
  if (limit === 0 || (from !== undefined && to !== undefined && from >= to)) return;
  const partitionCount = (await log.partitions(topic)).length;
  const partition = partitionForKey(key, partitionCount);
  const stopAt =
    to === undefined || options.latenessMs === undefined ? undefined : to + options.latenessMs;
  let delivered = 0;
  for await (const record of log.read(topic, {
    partition,
    from: from === undefined ? 'beginning' : { timestamp: from },
  })) {
    if (stopAt !== undefined && record.timestamp >= stopAt) return;
    if (record.key !== key) continue;
    if (from !== undefined && record.timestamp < from) continue;
    if (to !== undefined && record.timestamp >= to) continue;
    yield record;
    if (++delivered >= limit) return;
  }
}

/** The log's readKey, or a scan of the key's partition when the log has none (a wrapper, a fake). */
export function readKey(
  log: EventLog,
  topic: string,
  key: string,
  options: KeyReadOptions = {},
): AsyncIterable<LogRecord> {
  return log.readKey ? log.readKey(topic, key, options) : scanKey(log, topic, key, options);
}
