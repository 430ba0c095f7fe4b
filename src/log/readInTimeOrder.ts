import type { EventLog, LogRecord } from './port.js';

export interface TimeOrderOptions {
  /** First timestamp to include (epoch ms); default: every record. */
  readonly from?: number;
  /** Stop before the first record at or after this timestamp (epoch ms). */
  readonly until?: number;
}

const before = (a: LogRecord, b: LogRecord) =>
  a.timestamp !== b.timestamp
    ? a.timestamp < b.timestamp
    : a.partition !== b.partition
      ? a.partition < b.partition
      : a.offset < b.offset;

/**
 * Reads every partition of a topic, up to the end offsets seen at the start, merged into one
 * stream in (timestamp, partition, offset) order — e.g. a timeline across routers. Each
 * partition is read in offset order, so the merge is exact when timestamps do not go backwards
 * within a partition (true for records appended with the append time); a record stamped
 * earlier than its predecessor comes out right after it.
 */
export async function* readInTimeOrder(
  log: EventLog,
  topic: string,
  options: TimeOrderOptions = {},
): AsyncGenerator<LogRecord> {
  const partitions = await log.partitions(topic);
  const from = options.from === undefined ? ('beginning' as const) : { timestamp: options.from };
  const iterators = partitions.map(({ partition }) =>
    log.read(topic, { partition, from })[Symbol.asyncIterator](),
  );
  try {
    const heads = await Promise.all(
      iterators.map(async (it) => (await it.next()).value as LogRecord | undefined),
    );
    for (;;) {
      let next = -1;
      heads.forEach((head, i) => {
        if (head && (next < 0 || before(head, heads[next]!))) next = i;
      });
      const record = heads[next];
      if (!record) return;
      if (options.until !== undefined && record.timestamp >= options.until) return;
      yield record;
      heads[next] = (await iterators[next]!.next()).value as LogRecord | undefined;
    }
  } finally {
    await Promise.allSettled(
      iterators.map(async (it) => {
        await it.return?.();
      }),
    );
  }
}
