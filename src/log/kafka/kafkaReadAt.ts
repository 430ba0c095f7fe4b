import type { EachBatchPayload } from 'kafkajs';
import type { LogRecord } from '../port.js';
import { toLogError } from './kafkaErrors.js';
import { throwawayConsumer, type ActiveRead, type ReadContext } from './kafkaRead.js';
import { toLogRecord } from './kafkaRecords.js';

export interface OffsetsRequest {
  readonly topic: string;
  readonly partition: number;
  readonly partitionCount: number;
  /** Sorted, each once, all within the partition's [start, end) offsets. */
  readonly offsets: readonly number[];
  readonly timeoutMs: number;
}

/**
 * Reads the records at some offsets of one partition with one short-lived consumer in a
 * throwaway group (kafkajs has no manual assignment: see readRange): it seeks to the first
 * offset wanted, keeps what each fetched batch holds of the wanted offsets, and seeks past the
 * gap to the next one, so records far apart cost a fetch each rather than a read of everything
 * between them. Offsets a batch skips over (not held) are left out. Whatever is not read within
 * timeoutMs, group join included, is left out too: the caller says those are unavailable.
 */
export async function readOffsets(
  context: ReadContext,
  request: OffsetsRequest,
): Promise<LogRecord[]> {
  const { admin, options } = context;
  const { topic, partition, offsets } = request;
  const found: LogRecord[] = [];
  if (offsets.length === 0) return found;
  const { consumer, groupId } = throwawayConsumer(context);
  const errorContext = { brokers: options.brokers, action: `read ${topic} at offsets`, topic };
  let settled = false;
  let settle: (error?: Error) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    settle = (error) => (error ? reject(error) : resolve());
  });
  const finish = (error?: Error) => {
    if (settled) return;
    settled = true;
    settle(error);
  };
  /** Index in `offsets` of the next offset to find. */
  let next = 0;
  const others = Array.from({ length: request.partitionCount }, (_, p) => p).filter(
    (p) => p !== partition,
  );
  consumer.on(consumer.events.CRASH, (event) => {
    if (!event.payload.restart) finish(toLogError(event.payload.error, errorContext));
  });
  // At each join, before the first fetch: a restarted consumer resumes at the next offset wanted.
  consumer.on(consumer.events.GROUP_JOIN, () => {
    try {
      consumer.seek({ topic, partition, offset: String(offsets[next]) });
      if (others.length > 0) consumer.pause([{ topic, partitions: others }]);
    } catch (error) {
      finish(toLogError(error, errorContext));
    }
  });
  let starting: Promise<void> = Promise.resolve();
  // A disconnect in the middle of connect() or of a join makes kafkajs log "write after end".
  const stop = async () => {
    await starting.catch(() => undefined);
    await consumer.disconnect().catch(() => undefined);
  };
  const active: ActiveRead = {
    abort: async (error) => {
      finish(error);
      await stop();
    },
  };
  context.active.add(active);

  const eachBatch = (payload: EachBatchPayload): Promise<void> => {
    const { batch } = payload;
    if (batch.partition !== partition) {
      payload.resolveOffset(batch.lastOffset());
      return Promise.resolve();
    }
    if (settled || payload.isStale()) return Promise.resolve();
    for (const message of batch.messages) {
      const offset = Number(message.offset);
      while (next < offsets.length && offsets[next]! < offset) next++;
      if (next < offsets.length && offsets[next] === offset) {
        found.push(toLogRecord(topic, partition, message));
        next++;
      }
    }
    const last = Number(batch.lastOffset());
    while (next < offsets.length && offsets[next]! <= last) next++;
    if (next >= offsets.length) {
      finish();
      return Promise.resolve();
    }
    if (offsets[next]! > last + 1)
      consumer.seek({ topic, partition, offset: String(offsets[next]) });
    else payload.resolveOffset(batch.lastOffset());
    return Promise.resolve();
  };

  const timer = setTimeout(finish, request.timeoutMs);
  const start = async () => {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch });
  };
  starting = start();
  starting.catch((error: unknown) => finish(toLogError(error, errorContext)));
  try {
    await finished;
    return found;
  } finally {
    clearTimeout(timer);
    // The answer does not wait for the consumer to leave (a join still under way at a timeout);
    // close() of the log waits for it through `active`.
    void stop().then(async () => {
      context.active.delete(active);
      await admin.deleteGroups([groupId]).catch(() => undefined);
    });
  }
}
