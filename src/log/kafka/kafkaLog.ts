import {
  Kafka,
  Partitioners,
  type Admin,
  type Producer,
  type SASLOptions,
  type TopicMessages,
} from 'kafkajs';
import {
  InvalidLogArgumentError,
  LogClosedError,
  UnknownPartitionError,
  UnknownTopicError,
} from '../errors.js';
import { partitionForKey } from '../partitioner.js';
import type {
  AppendRecord,
  AppendResult,
  EventLog,
  KeyReadOptions,
  LogRecord,
  OffsetReadOptions,
  PartitionInfo,
  ReadOptions,
  SubscribeOptions,
  Subscription,
} from '../port.js';
import {
  checkAppendRecords,
  checkGroupId,
  checkLimit,
  checkOffsetRead,
  checkPartitionCount,
  checkReadPosition,
  checkTopicName,
} from '../validate.js';
import { scanKey } from '../keyScan.js';
import { isUnknownTopic, toLogError } from './kafkaErrors.js';
import { createLogCreator, stderrSink, toKafkajsLevel } from './kafkaLogging.js';
import {
  resolveKafkaOptions,
  type KafkaLogOptions,
  type KafkaSaslOptions,
  type ResolvedKafkaOptions,
} from './kafkaOptions.js';
import { needsNewProducer } from './kafkaErrors.js';
import { readRange, type ActiveRead } from './kafkaRead.js';
import { readOffsets } from './kafkaReadAt.js';
import { approximateSize, toMessage } from './kafkaRecords.js';
import { KafkaSubscription } from './kafkaSubscription.js';

/** readAt()'s bound when the caller gives none: a group join and a few fetches take ~1–4 s. */
const READ_AT_TIMEOUT_MS = 10_000;

/**
 * The production event log: Kafka topics through kafkajs. Appends go through one idempotent
 * producer (acks=all, one request in flight, so retries neither duplicate nor reorder); the
 * partition is chosen here with Kafka's default murmur2 rule, the one the SQLite log uses.
 */
export async function openKafkaLog(options: KafkaLogOptions): Promise<EventLog> {
  const settings = resolveKafkaOptions(options);
  const kafka = new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    ssl: settings.ssl,
    ...(settings.sasl ? { sasl: toSasl(settings.sasl) } : {}),
    connectionTimeout: settings.connectionTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    retry: { retries: settings.retries },
    logLevel: toKafkajsLevel(settings.logLevel),
    logCreator: createLogCreator(options.logSink ?? stderrSink, settings.logLevel),
  });
  const admin = kafka.admin({ retry: { retries: settings.retries } });
  const producer = createProducer(kafka, settings);
  try {
    await admin.connect();
    await producer.connect();
  } catch (error) {
    await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
    throw toLogError(error, { brokers: settings.brokers, action: 'connect to Kafka' });
  }
  return new KafkaLog(kafka, admin, producer, settings);
}

function createProducer(kafka: Kafka, settings: ResolvedKafkaOptions): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
    // Bounded, unlike kafkajs's default for idempotent producers: an append must fail (and be
    // retried by the caller) rather than hang while the brokers are away.
    retry: { retries: Math.max(1, settings.retries) },
  });
}

function toSasl(sasl: KafkaSaslOptions): SASLOptions {
  const { username, password } = sasl;
  switch (sasl.mechanism) {
    case 'plain':
      return { mechanism: 'plain', username, password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username, password };
  }
}

class KafkaLog implements EventLog {
  // Partition counts only grow in Kafka and samon never grows them, so caching is safe.
  private readonly partitionCounts = new Map<string, number>();
  private readonly subscriptions = new Set<KafkaSubscription>();
  private readonly activeReads = new Set<ActiveRead>();
  private closed = false;
  /** The connected producer; replaced when the brokers no longer accept its sequence numbers. */
  private producer: Promise<Producer>;

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    producer: Producer,
    private readonly settings: ResolvedKafkaOptions,
  ) {
    this.producer = Promise.resolve(producer);
  }

  async ensureTopic(topic: string, partitions?: number): Promise<void> {
    this.checkOpen('ensure a topic');
    checkTopicName(topic);
    const count = partitions ?? this.settings.partitions;
    checkPartitionCount(count, `Partition count of topic "${topic}"`);
    await this.createTopic(topic, count);
  }

  async append(records: readonly AppendRecord[]): Promise<AppendResult[]> {
    this.checkOpen('append');
    checkAppendRecords(records);
    if (records.length === 0) return [];
    const counts = new Map<string, number>();
    for (const topic of new Set(records.map((r) => r.topic))) {
      counts.set(topic, await this.createTopic(topic, this.settings.partitions));
    }
    const now = Date.now();
    const results: AppendResult[] = [];
    for (const chunk of this.chunks(records)) {
      results.push(...(await this.send(chunk, counts, now)));
    }
    return results;
  }

  async *read(topic: string, options: ReadOptions): AsyncIterable<LogRecord> {
    this.checkOpen('read');
    checkTopicName(topic);
    checkReadPosition(options.from, options.partition);
    checkLimit(options.limit);
    const infos = await this.partitions(topic);
    const info = infos.find((p) => p.partition === options.partition);
    if (!info) throw new UnknownPartitionError(topic, options.partition, infos.length);
    const start = await this.startOf(topic, info, options.from);
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    if (start >= info.endOffset || limit === 0) return;
    yield* readRange(
      { kafka: this.kafka, admin: this.admin, options: this.settings, active: this.activeReads },
      {
        topic,
        partition: info.partition,
        partitionCount: infos.length,
        start,
        end: info.endOffset,
        limit,
      },
    );
  }

  /**
   * The key's partition from offsetsForTimes(from), keeping that key's records. Kafka has no
   * index by key: this reads every record of the partition from `from` to the end offset seen
   * at the start (or to `to` + keyReadLatenessMs when that option is set), through one read().
   */
  async *readKey(
    topic: string,
    key: string,
    options: KeyReadOptions = {},
  ): AsyncIterable<LogRecord> {
    this.checkOpen('read a key');
    yield* scanKey(this, topic, key, {
      ...options,
      ...(this.settings.keyReadLatenessMs === undefined
        ? {}
        : { latenessMs: this.settings.keyReadLatenessMs }),
    });
  }

  /**
   * Offsets outside the partition's [start, end) are left out at once; the others are fetched by
   * one consumer (a group join, then a fetch per cluster of nearby offsets), within timeoutMs.
   */
  async readAt(
    topic: string,
    partition: number,
    offsets: readonly number[],
    options: OffsetReadOptions = {},
  ): Promise<LogRecord[]> {
    this.checkOpen('read at offsets');
    checkTopicName(topic);
    const wanted = checkOffsetRead(partition, offsets, options);
    const infos = await this.partitions(topic);
    const info = infos.find((p) => p.partition === partition);
    if (!info) throw new UnknownPartitionError(topic, partition, infos.length);
    const held = wanted.filter((o) => o >= info.startOffset && o < info.endOffset);
    return readOffsets(
      { kafka: this.kafka, admin: this.admin, options: this.settings, active: this.activeReads },
      {
        topic,
        partition,
        partitionCount: infos.length,
        offsets: held,
        timeoutMs: options.timeoutMs ?? READ_AT_TIMEOUT_MS,
      },
    );
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    this.checkOpen('subscribe');
    checkGroupId(options.groupId);
    checkTopicName(options.topic);
    if (typeof options.onBatch !== 'function') {
      throw new InvalidLogArgumentError('subscribe() needs an onBatch handler.');
    }
    await this.createTopic(options.topic, this.settings.partitions);
    const subscription = await KafkaSubscription.start(this.kafka, this.settings, options, (s) =>
      this.subscriptions.delete(s),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async partitions(topic: string): Promise<PartitionInfo[]> {
    this.checkOpen('list partitions');
    checkTopicName(topic);
    await this.requireTopic(topic);
    try {
      const offsets = await this.fetchTopicOffsets(topic);
      return offsets
        .map((p) => ({
          partition: p.partition,
          startOffset: Number(p.low),
          endOffset: Number(p.high),
        }))
        .sort((a, b) => a.partition - b.partition);
    } catch (error) {
      throw this.error(error, `list the partitions of ${topic}`, topic);
    }
  }

  /**
   * kafkajs 2.2.4's fetchTopicOffsets can throw a TypeError ("Cannot destructure property
   * 'partitions' of 'low.pop(...)'") when a broker answers one of its two offset requests with
   * no partitions while metadata settles; asking again succeeds.
   */
  private async fetchTopicOffsets(topic: string): ReturnType<Admin['fetchTopicOffsets']> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.admin.fetchTopicOffsets(topic);
      } catch (error) {
        if (!(error instanceof TypeError) || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }

  async committed(groupId: string, topic: string): Promise<Map<number, number>> {
    this.checkOpen('read committed offsets');
    checkGroupId(groupId);
    checkTopicName(topic);
    const committed = new Map<number, number>();
    if (!(await this.topicExists(topic))) return committed;
    try {
      const [result] = await this.admin.fetchOffsets({ groupId, topics: [topic] });
      for (const { partition, offset } of result?.partitions ?? []) {
        if (Number(offset) >= 0) committed.set(partition, Number(offset));
      }
      return committed;
    } catch (error) {
      throw this.error(error, `read the committed offsets of group ${groupId}`, topic);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.subscriptions].map((s) => s.stop()));
    await Promise.allSettled([...this.activeReads].map((r) => r.abort(new LogClosedError('read'))));
    const producer = this.producer.then((p) => p.disconnect());
    await Promise.allSettled([producer, this.admin.disconnect()]);
  }

  /**
   * After an out-of-order-sequence or unknown-producer error the idempotent producer's state is
   * out of step with the brokers' and every later send would fail the same way: start afresh
   * with a new producer id. The batch in doubt may be stored already, so its retry by the
   * caller is at-least-once (docs/event-log.md, "Kafka: producer recovery").
   */
  private renewProducer(failed: Promise<Producer>): void {
    if (this.producer !== failed || this.closed) return;
    this.producer = failed
      .then((old) => old.disconnect())
      .catch(() => undefined)
      .then(async () => {
        const fresh = createProducer(this.kafka, this.settings);
        await fresh.connect();
        return fresh;
      });
    // A failed connect is retried at the next append; the rejection is observed there.
    this.producer.catch(() => undefined);
  }

  /** Creates the topic unless it exists; returns its partition count. */
  private async createTopic(topic: string, partitions: number): Promise<number> {
    const cached = this.partitionCounts.get(topic);
    if (cached !== undefined) return cached;
    try {
      await this.admin.createTopics({
        waitForLeaders: true,
        topics: [
          {
            topic,
            numPartitions: partitions,
            replicationFactor: this.settings.replicationFactor,
            configEntries: [
              { name: 'max.message.bytes', value: String(this.settings.maxMessageBytes) },
            ],
          },
        ],
      });
    } catch (error) {
      // kafkajs 2.2.4 waits for leaders with metadata requests and retries only
      // LEADER_NOT_AVAILABLE; on a KRaft broker the new topic can briefly answer
      // UNKNOWN_TOPIC_OR_PARTITION instead (seen on a fresh CI broker). The topic was created:
      // wait for its metadata ourselves.
      if (!isMetadataSettling(error)) throw this.error(error, `create topic ${topic}`);
      return this.awaitTopic(topic, error);
    }
    return this.requireTopic(topic);
  }

  private async awaitTopic(topic: string, cause: unknown): Promise<number> {
    for (let attempt = 1; attempt <= 40; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      try {
        return await this.requireTopic(topic);
      } catch {
        // not visible yet
      }
    }
    throw this.error(cause, `create topic ${topic} (its metadata did not settle within 10 s)`);
  }

  /** The topic's partition count; UnknownTopicError if it does not exist. */
  private async requireTopic(topic: string): Promise<number> {
    const cached = this.partitionCounts.get(topic);
    if (cached !== undefined) return cached;
    if (!(await this.topicExists(topic))) throw new UnknownTopicError(topic);
    try {
      const { topics } = await this.admin.fetchTopicMetadata({ topics: [topic] });
      const count = topics[0]?.partitions.length ?? 0;
      if (count === 0) throw new UnknownTopicError(topic);
      this.partitionCounts.set(topic, count);
      return count;
    } catch (error) {
      throw this.error(error, `describe topic ${topic}`, topic);
    }
  }

  // listTopics asks for all topics: unlike a metadata request naming the topic, it neither
  // retries on an unknown topic nor could it create one.
  private async topicExists(topic: string): Promise<boolean> {
    if (this.partitionCounts.has(topic)) return true;
    try {
      return (await this.admin.listTopics()).includes(topic);
    } catch (error) {
      throw this.error(error, `list topics`);
    }
  }

  private async startOf(
    topic: string,
    info: PartitionInfo,
    from: ReadOptions['from'],
  ): Promise<number> {
    if (from === 'beginning') return info.startOffset;
    if (from === 'end') return info.endOffset;
    if ('offset' in from) return Math.max(from.offset, info.startOffset);
    try {
      const found = await this.admin.fetchTopicOffsetsByTimestamp(topic, from.timestamp);
      const offset = found.find((p) => p.partition === info.partition)?.offset;
      // kafkajs answers the high watermark when no record is that recent.
      return offset === undefined ? info.endOffset : Number(offset);
    } catch (error) {
      throw this.error(error, `find the offset at ${from.timestamp} in ${topic}`, topic);
    }
  }

  /** Splits an append into requests of about maxRequestBytes, keeping input order. */
  private *chunks(records: readonly AppendRecord[]): Generator<AppendRecord[]> {
    let chunk: AppendRecord[] = [];
    let bytes = 0;
    for (const record of records) {
      const size = approximateSize(record);
      if (chunk.length > 0 && bytes + size > this.settings.maxRequestBytes) {
        yield chunk;
        chunk = [];
        bytes = 0;
      }
      chunk.push(record);
      bytes += size;
    }
    if (chunk.length > 0) yield chunk;
  }

  private async send(
    chunk: readonly AppendRecord[],
    counts: ReadonlyMap<string, number>,
    now: number,
  ): Promise<AppendResult[]> {
    const byTopic = new Map<string, TopicMessages>();
    const placed = chunk.map((record) => {
      const partition = partitionForKey(record.key, counts.get(record.topic)!);
      let entry = byTopic.get(record.topic);
      if (!entry) {
        entry = { topic: record.topic, messages: [] };
        byTopic.set(record.topic, entry);
      }
      entry.messages.push(toMessage(record, partition, now));
      return { topic: record.topic, partition };
    });
    let metadata;
    const current = this.producer;
    let producer: Producer;
    try {
      producer = await current;
    } catch (error) {
      // A renewed producer that could not connect: try again with another at the next append.
      this.renewProducer(current);
      throw this.error(error, `connect a new producer to append ${chunk.length} records`);
    }
    try {
      metadata = await producer.sendBatch({ topicMessages: [...byTopic.values()], acks: -1 });
    } catch (error) {
      if (needsNewProducer(error)) this.renewProducer(current);
      throw this.error(error, `append ${chunk.length} records`);
    }
    // One record batch per partition per request: its records get consecutive offsets from
    // baseOffset, in the order we gave them.
    const next = new Map<string, number>();
    for (const m of metadata) {
      next.set(`${m.topicName}/${m.partition}`, Number(m.baseOffset ?? m.offset));
    }
    return placed.map(({ topic, partition }) => {
      const slot = `${topic}/${partition}`;
      const offset = next.get(slot);
      if (offset === undefined || Number.isNaN(offset)) {
        throw new Error(`Kafka acknowledged the append without an offset for ${slot}.`);
      }
      next.set(slot, offset + 1);
      return { topic, partition, offset };
    });
  }

  private error(error: unknown, action: string, topic?: string): Error {
    if (topic !== undefined && isUnknownTopic(error)) {
      this.partitionCounts.delete(topic);
    }
    return toLogError(error, {
      brokers: this.settings.brokers,
      action,
      ...(topic === undefined ? {} : { topic }),
    });
  }

  private checkOpen(operation: string): void {
    if (this.closed) throw new LogClosedError(operation);
  }
}

function isMetadataSettling(error: unknown): boolean {
  // kafkajs may hand the protocol error over directly or wrapped by its retrier.
  for (
    let e = error as { type?: unknown; originalError?: unknown; cause?: unknown } | null, depth = 0;
    e && depth < 4;
    depth++
  ) {
    if (e.type === 'UNKNOWN_TOPIC_OR_PARTITION' || e.type === 'LEADER_NOT_AVAILABLE') return true;
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return false;
}
