import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { SubscribeOptions, Subscription } from '../port.js';
import { toLogError } from './kafkaErrors.js';
import type { ResolvedKafkaOptions } from './kafkaOptions.js';
import { toLogRecord } from './kafkaRecords.js';

/**
 * One member of a Kafka consumer group. Offsets are committed by hand after each batch's
 * handler resolves, under the member's generation, so a member that lost the partition in a
 * rebalance gets its commit refused and the new owner resumes from the last good commit.
 */
export class KafkaSubscription implements Subscription {
  readonly done: Promise<void>;
  private owned: readonly number[] = [];
  private failure: Error | undefined;
  private stopping: Promise<void> | undefined;
  private settle!: { resolve: () => void; reject: (error: unknown) => void };

  private constructor(
    private readonly consumer: Consumer,
    private readonly options: SubscribeOptions,
    private readonly brokers: readonly string[],
    private readonly onEnd: (subscription: KafkaSubscription) => void,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
    });
  }

  /** Resolves once the member joined the group and got its first assignment. */
  static async start(
    kafka: Kafka,
    settings: ResolvedKafkaOptions,
    options: SubscribeOptions,
    onEnd: (subscription: KafkaSubscription) => void,
  ): Promise<KafkaSubscription> {
    const consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: settings.sessionTimeoutMs,
      heartbeatInterval: settings.heartbeatIntervalMs,
      maxWaitTimeInMs: settings.maxWaitTimeMs,
      allowAutoTopicCreation: false,
      retry: { retries: settings.retries },
    });
    const subscription = new KafkaSubscription(consumer, options, settings.brokers, onEnd);
    subscription.listen();
    try {
      await consumer.connect();
      await consumer.subscribe({
        topics: [options.topic],
        fromBeginning: options.fromBeginning ?? true,
      });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: (payload) => subscription.handle(payload),
      });
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw toLogError(error, {
        brokers: settings.brokers,
        action: `join consumer group ${options.groupId} on ${options.topic}`,
        topic: options.topic,
      });
    }
    return subscription;
  }

  assignment(): readonly number[] {
    return this.owned;
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private listen(): void {
    const { consumer, options } = this;
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      const partitions = [...(event.payload.memberAssignment[options.topic] ?? [])].sort(
        (a, b) => a - b,
      );
      const changed =
        partitions.length !== this.owned.length || partitions.some((p, i) => p !== this.owned[i]);
      this.owned = partitions;
      if (!changed || !options.onAssignment) return;
      // kafkajs does not wait for listeners; a failing one must still end the subscription.
      Promise.resolve()
        .then(() => options.onAssignment?.(partitions))
        .catch((error: unknown) => this.fail(error));
    });
    consumer.on(consumer.events.CRASH, (event) => {
      this.owned = [];
      if (!event.payload.restart) {
        this.fail(
          toLogError(event.payload.error, {
            brokers: this.brokers,
            action: `consume ${options.topic} in group ${options.groupId}`,
            topic: options.topic,
          }),
        );
      }
    });
  }

  private async handle(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (this.failure || !payload.isRunning() || payload.isStale()) return;
    const records = batch.messages.map((m) => toLogRecord(batch.topic, batch.partition, m));
    if (records.length > 0) {
      try {
        await this.options.onBatch({ topic: batch.topic, partition: batch.partition, records });
      } catch (error) {
        this.fail(error);
        return;
      }
    }
    const lastOffset = batch.lastOffset();
    payload.resolveOffset(lastOffset);
    // Errors here (a rebalance fenced this generation) go back to kafkajs, which rejoins; the
    // batch is then delivered again from the last commit, to whoever owns the partition.
    await payload.commitOffsetsIfNecessary({
      topics: [
        {
          topic: batch.topic,
          partitions: [
            { partition: batch.partition, offset: (BigInt(lastOffset) + 1n).toString() },
          ],
        },
      ],
    });
    await payload.heartbeat();
  }

  private fail(error: unknown): void {
    if (this.failure) return;
    this.failure = error instanceof Error ? error : new Error(String(error));
    // Not awaited: disconnect() waits for the batch in flight, which may be the caller.
    void this.stop();
  }

  private async shutdown(): Promise<void> {
    try {
      await this.consumer.disconnect();
    } catch (error) {
      this.failure ??= toLogError(error, {
        brokers: this.brokers,
        action: `leave consumer group ${this.options.groupId}`,
      });
    }
    this.owned = [];
    this.onEnd(this);
    if (this.failure) this.settle.reject(this.failure);
    else this.settle.resolve();
  }
}
