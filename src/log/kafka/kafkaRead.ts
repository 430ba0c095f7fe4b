import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { LogRecord } from '../port.js';
import { Handoff } from './handoff.js';
import { toLogError } from './kafkaErrors.js';
import type { ResolvedKafkaOptions } from './kafkaOptions.js';
import { toLogRecord } from './kafkaRecords.js';

export interface PartitionRange {
  readonly topic: string;
  readonly partition: number;
  readonly partitionCount: number;
  /** First offset to deliver. */
  readonly start: number;
  /** End offset seen when the read began: delivery stops before it. */
  readonly end: number;
  readonly limit: number;
}

export interface ReadContext {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly options: ResolvedKafkaOptions;
  /** Unfinished reads, so close() can end them: the reader gets a LogClosedError. */
  readonly active: Set<ActiveRead>;
}

export interface ActiveRead {
  abort(error: Error): Promise<void>;
}

/** Restarts of a read's consumer after retriable errors before the read fails. */
const MAX_RESTARTS = 10;

/**
 * A consumer in a group of its own (kafkajs has no manual assignment), for one read; the caller
 * deletes the group when done. kafkajs restarts it after retriable errors (coordinator loading
 * or moving, a broker away) up to MAX_RESTARTS times.
 */
export function throwawayConsumer(context: ReadContext): { consumer: Consumer; groupId: string } {
  const { kafka, options } = context;
  const groupId = `samon-read-${randomUUID()}`;
  let restarts = 0;
  const consumer = kafka.consumer({
    groupId,
    sessionTimeout: options.sessionTimeoutMs,
    heartbeatInterval: options.heartbeatIntervalMs,
    maxWaitTimeInMs: options.maxWaitTimeMs,
    allowAutoTopicCreation: false,
    retry: {
      retries: options.retries,
      restartOnFailure: () => Promise.resolve(++restarts <= MAX_RESTARTS),
    },
  });
  return { consumer, groupId };
}

/**
 * Reads one partition range with a short-lived consumer in a throwaway group: kafkajs has no
 * manual assignment, so the consumer joins alone, seeks, pauses the other partitions, and is
 * disconnected (and its group deleted) when the range is done or the caller stops iterating.
 *
 * The seek and the pause are made at each group join, never after run() returns: a consumer
 * that crashes (a fresh broker answers "The coordinator is loading" to its first group) has
 * no consumer group to seek in, and one that kafkajs restarts after a retriable error starts a
 * new group that has forgotten them. A restarted read seeks to the first record it has not
 * delivered yet. (Setting the group's offsets through the admin client instead costs a
 * throwaway consumer of its own: about 5 s per read.)
 */
export async function* readRange(
  context: ReadContext,
  range: PartitionRange,
): AsyncGenerator<LogRecord> {
  const { admin, options } = context;
  const { consumer, groupId } = throwawayConsumer(context);
  const queue = new Handoff<LogRecord[]>(2);
  const context_ = { brokers: options.brokers, action: `read ${range.topic}`, topic: range.topic };
  let next = range.start;
  consumer.on(consumer.events.CRASH, (event) => {
    if (!event.payload.restart) queue.finish(toLogError(event.payload.error, context_));
  });
  const others = Array.from({ length: range.partitionCount }, (_, p) => p).filter(
    (p) => p !== range.partition,
  );
  // Emitted inside the join, before the consumer's first fetch.
  consumer.on(consumer.events.GROUP_JOIN, () => {
    try {
      consumer.seek({ topic: range.topic, partition: range.partition, offset: String(next) });
      if (others.length > 0) consumer.pause([{ topic: range.topic, partitions: others }]);
    } catch (error) {
      queue.finish(toLogError(error, context_));
    }
  });
  const active: ActiveRead = {
    abort: async (error) => {
      queue.finish(error);
      queue.close();
      await consumer.disconnect().catch(() => undefined);
    },
  };
  context.active.add(active);

  const eachBatch = async (payload: EachBatchPayload): Promise<void> => {
    const { batch } = payload;
    if (batch.partition !== range.partition) {
      payload.resolveOffset(batch.lastOffset());
      return;
    }
    // Fetched before our seek applied: drop it, the seek refetches from `next`.
    if (payload.isStale()) return;
    const records = batch.messages
      .filter((m) => Number(m.offset) >= next && Number(m.offset) < range.end)
      .map((m) => toLogRecord(range.topic, range.partition, m));
    const last = records.at(-1);
    if (last) {
      next = last.offset + 1;
      if (!(await queue.push(records))) return;
    }
    payload.resolveOffset(batch.lastOffset());
    if (Number(batch.lastOffset()) + 1 >= range.end) queue.finish();
  };

  try {
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [range.topic], fromBeginning: true });
      await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch });
    } catch (error) {
      throw toLogError(error, context_);
    }

    let delivered = 0;
    for (;;) {
      const records = await queue.take();
      if (!records) return;
      for (const record of records) {
        yield record;
        delivered += 1;
        if (delivered >= range.limit) return;
      }
    }
  } finally {
    queue.close();
    await consumer.disconnect().catch(() => undefined);
    context.active.delete(active);
    // Empty and offset-less, the group would linger until the broker's cleanup; drop it now.
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
}
