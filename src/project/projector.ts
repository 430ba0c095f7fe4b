import type { Logger } from 'pino';
import type { LifecycleEvent } from '../domain/index.js';
import { Observation } from '../domain/index.js';
import {
  TOPICS,
  type AppendRecord,
  type Batch,
  type EventLog,
  type LogRecord,
  type Subscription,
} from '../log/port.js';
import type { RouterFold } from './fold.js';
import type { SnapshotStore } from './snapshotStore.js';
import { UnknownTopicError } from '../log/errors.js';
import { parseIsoTime } from '../domain/sa/isoTime.js';
import { checkedObservation } from './observationCheck.js';

/** More source offsets than one appended chunk can span (catch-up chunks and log batches). */
const APPEND_WINDOW = 100_000;

export interface ProjectorOptions {
  readonly groupId: string;
  /** Take a snapshot of a partition after this many folded observations. */
  readonly snapshotEveryRecords: number;
  /**
   * And at most one snapshot per partition per this many ms (default 30 s): a snapshot writes the
   * whole partition state, so snapshotting every N records while catching up on a long log costs
   * O(N²); by time it stays a small fraction of the work.
   */
  readonly snapshotMinIntervalMs?: number;
  /** How far back in event time a restart looks for events it appended but did not record. */
  readonly resumeScanMarginMs?: number;
  /** Topic names (default: samon's, TOPICS). */
  readonly topics?: { readonly observations: string; readonly lifecycle: string };
  /**
   * 'id' (default): an observation without an id gets its record's `partition@offset`, which
   * events cite instead of the line (docs/lifecycle.md, evidence); 'line': observations as stored.
   */
  readonly evidence?: 'id' | 'line';
}

export interface ProjectorHooks {
  onFolded?(count: number): void;
  onEvents?(events: readonly LifecycleEvent[]): void;
  onInvalidRecord?(record: LogRecord, problem: string): void;
  onSnapshot?(partition: number): void;
}

interface PartitionProjection<S> {
  readonly partition: number;
  next: number;
  readonly routers: Map<string, S>;
  sinceSnapshot: number;
  /** Event ids appended before a crash, found by the resume scan; skipped once. */
  readonly alreadyAppended: Set<string>;
  /**
   * Events of observations before this offset are in the lifecycle log (the recorded progress):
   * refolding them (from an older or a discarded snapshot) appends nothing.
   */
  appendedThrough: number;
  /** Smallest observation time folded since the last snapshot: events appended since are no older (less a margin). */
  oldestSinceSnapshot: number;
  lastSnapshotAt: number;
  /** How long the last snapshot took (ms of the projector's clock). */
  lastSnapshotCostMs: number;
  lastObservationMs: number;
  /** Log timestamp of the last record folded (0 before the first). */
  lastRecordMs: number;
}

const HEADER_SOURCE = 'samon-source';
/**
 * A snapshot writes the whole partition state: at a million SAs that takes seconds. While
 * catching up on a long log, the next one waits until this many times its cost has passed, so
 * snapshots stay under a tenth of the work whatever the state's size.
 */
const SNAPSHOT_COST_SHARE = 10;
const NO_EVENTS: readonly LifecycleEvent[] = [];

/**
 * The projector: folds the observation log, one state per router, and appends lifecycle events.
 * At-least-once in, exactly-once effect: a partition's state is snapshotted with the offset it
 * covers; after a restart it resumes from the snapshot and skips events it had already appended.
 */
export class Projector<S> {
  private readonly partitions = new Map<number, PartitionProjection<S>>();
  private readonly restoring = new Map<number, Promise<PartitionProjection<S>>>();
  private subscription: Subscription | undefined;
  private startedAt = 0;
  private readonly scope: string;
  private readonly topics: { readonly observations: string; readonly lifecycle: string };

  constructor(
    private readonly log: EventLog,
    private readonly fold: RouterFold<S>,
    private readonly store: SnapshotStore,
    private readonly logger: Logger,
    private readonly options: ProjectorOptions,
    private readonly hooks: ProjectorHooks = {},
    private readonly now: () => number = Date.now,
  ) {
    this.topics = options.topics ?? TOPICS;
    this.scope = `${options.groupId}/${this.topics.observations}`;
  }

  async start(): Promise<void> {
    this.startedAt = this.now();
    this.subscription = await this.log.subscribe({
      groupId: this.options.groupId,
      topic: this.topics.observations,
      fromBeginning: true,
      onAssignment: (partitions) => this.assign(partitions),
      onBatch: (batch) => this.onBatch(batch),
    });
  }

  /** Resolves when the subscription ends; rejects if folding failed. */
  get done(): Promise<void> {
    return this.subscription?.done ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = undefined;
    for (const projection of this.partitions.values()) this.snapshot(projection);
  }

  /** Every router state this projector owns now, sorted by router. */
  routers(): [string, S][] {
    const all: [string, S][] = [];
    for (const projection of this.partitions.values()) all.push(...projection.routers);
    return all.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Positions per owned partition (the next offset to fold). */
  positions(): Map<number, number> {
    return new Map([...this.partitions].map(([p, projection]) => [p, projection.next]));
  }

  /** Observations not folded yet, and how old the oldest of them is (by its log timestamp). */
  /**
   * Observations not folded yet, and roughly how old they are: the log time of the last record
   * folded on a partition that is behind (the oldest unfolded one is at least that old; reading
   * it instead would cost a Kafka consumer join per scrape). A partition that has folded nothing
   * yet counts from the projector's start.
   */
  async lag(): Promise<{ records: number; seconds: number; partitions: number }> {
    const info = await this.log.partitions(this.topics.observations);
    // Partitions still restoring count as not folded from where their restore started (0 at worst).
    const owned = new Set([...(this.subscription?.assignment() ?? []), ...this.partitions.keys()]);
    let records = 0;
    let oldest = Number.POSITIVE_INFINITY;
    for (const partition of owned) {
      const projection = this.partitions.get(partition);
      const next = projection?.next ?? 0;
      const end = info.find((p) => p.partition === partition)?.endOffset ?? next;
      const behind = Math.max(0, end - next);
      records += behind;
      if (behind > 0) oldest = Math.min(oldest, projection?.lastRecordMs || this.startedAt);
    }
    const seconds = Number.isFinite(oldest) ? Math.max(0, (this.now() - oldest) / 1000) : 0;
    return { records, seconds, partitions: this.partitions.size === owned.size ? owned.size : 0 };
  }

  /** Age of the oldest snapshot that is missing something; 0 when every partition is snapshotted. */
  snapshotAgeSeconds(): number {
    let oldest = Number.POSITIVE_INFINITY;
    for (const p of this.partitions.values()) {
      if (p.sinceSnapshot > 0) oldest = Math.min(oldest, p.lastSnapshotAt);
    }
    return Number.isFinite(oldest) ? Math.max(0, (this.now() - oldest) / 1000) : 0;
  }

  private async assign(partitions: readonly number[]): Promise<void> {
    for (const [p, projection] of this.partitions) {
      if (!partitions.includes(p)) {
        this.snapshot(projection);
        this.partitions.delete(p);
        this.logger.info({ partition: p }, 'partition handed over; state snapshotted');
      }
    }
    await Promise.all(partitions.map((p) => this.projection(p)));
  }

  private projection(partition: number): Promise<PartitionProjection<S>> {
    const existing = this.partitions.get(partition);
    if (existing) return Promise.resolve(existing);
    let pending = this.restoring.get(partition);
    if (!pending) {
      pending = this.restore(partition).finally(() => this.restoring.delete(partition));
      this.restoring.set(partition, pending);
    }
    return pending;
  }

  private async restore(partition: number): Promise<PartitionProjection<S>> {
    let snapshot = this.store.load(this.scope, partition);
    const routers = new Map<string, S>();
    try {
      for (const [router, state] of Object.entries(snapshot?.routers ?? {}))
        routers.set(router, this.fold.restore(state));
    } catch (error) {
      // A snapshot of another format (an older samon): the state is rebuilt from the log, and
      // the recorded progress keeps the events already appended from being appended again.
      this.logger.warn(
        { partition, problem: error instanceof Error ? error.message : String(error) },
        'snapshot not readable by this version; rebuilding the partition state from the log',
      );
      routers.clear();
      snapshot = undefined;
    }
    const progress = this.store.progress(this.scope, partition);
    const projection: PartitionProjection<S> = {
      partition,
      next: snapshot?.next ?? 0,
      routers,
      sinceSnapshot: 0,
      alreadyAppended: new Set(),
      appendedThrough: progress?.appendedThrough ?? 0,
      oldestSinceSnapshot: Number.POSITIVE_INFINITY,
      lastSnapshotAt: snapshot?.takenAt ?? this.now(),
      lastSnapshotCostMs: 0,
      lastObservationMs: 0,
      lastRecordMs: 0,
    };
    const end =
      (await this.log.partitions(this.topics.observations)).find((p) => p.partition === partition)
        ?.endOffset ?? 0;
    // Every appended event comes from an observation below the end offset: with the progress at
    // the end (a clean stop, a discarded snapshot) no event can be past it, and the scan of the
    // lifecycle log (every event of the last hour before the progress) would find nothing.
    if (progress) {
      if (Math.max(projection.next, projection.appendedThrough) < end)
        await this.findAppended(projection, progress.eventsFrom);
    } else await this.findAppendedWithoutProgress(projection);
    // Catch up from the snapshot to where the group's committed offset will start delivering.
    if (end > projection.next) {
      let chunk: LogRecord[] = [];
      for await (const record of this.log.read(this.topics.observations, {
        partition,
        from: { offset: projection.next },
      })) {
        chunk.push(record);
        if (chunk.length >= 1000) {
          await this.foldRecords(projection, chunk);
          chunk = [];
        }
      }
      if (chunk.length) await this.foldRecords(projection, chunk);
    }
    this.partitions.set(partition, projection);
    this.logger.info(
      {
        partition,
        fromSnapshot: snapshot?.next ?? null,
        next: projection.next,
        routers: routers.size,
      },
      'partition restored',
    );
    return projection;
  }

  /** Ids of events appended for observations past the last recorded progress (a crash window). */
  private async findAppended(
    projection: PartitionProjection<S>,
    eventsFrom: number,
  ): Promise<void> {
    const from = eventsFrom - (this.options.resumeScanMarginMs ?? 3_600_000);
    for (const { partition } of await this.log.partitions(this.topics.lifecycle)) {
      for await (const record of this.log.read(this.topics.lifecycle, {
        partition,
        from: { timestamp: from },
      })) {
        const source = record.headers[HEADER_SOURCE];
        if (!source) continue;
        const [p, offset] = source.split(':').map(Number);
        if (
          p === projection.partition &&
          offset !== undefined &&
          offset >= Math.max(projection.next, projection.appendedThrough)
        ) {
          const id = (JSON.parse(record.value.toString('utf8')) as { id?: string }).id;
          if (id) projection.alreadyAppended.add(id);
        }
      }
    }
  }

  /**
   * No recorded progress (a first start, a crash before the first progress row, or a lost
   * snapshot store beside a lifecycle log that already holds events): the whole lifecycle log
   * says how far this partition's events were appended. Chunks are appended in offset order,
   * one after the other, so everything before the last chunk that reached the log is complete;
   * only the ids of the last `APPEND_WINDOW` source offsets are kept to skip individually.
   */
  private async findAppendedWithoutProgress(projection: PartitionProjection<S>): Promise<void> {
    let last = -1;
    const recent: { offset: number; value: Buffer }[] = [];
    let lifecycle: { partition: number }[];
    try {
      lifecycle = await this.log.partitions(this.topics.lifecycle);
    } catch (error) {
      if (error instanceof UnknownTopicError) return; // nothing appended yet, anywhere
      throw error;
    }
    for (const { partition } of lifecycle) {
      for await (const record of this.log.read(this.topics.lifecycle, {
        partition,
        from: { offset: 0 },
      })) {
        const source = record.headers[HEADER_SOURCE];
        if (!source) continue;
        const [p, offset] = source.split(':').map(Number);
        if (p !== projection.partition || offset === undefined || !Number.isFinite(offset))
          continue;
        if (offset > last) last = offset;
        if (offset > last - APPEND_WINDOW) recent.push({ offset, value: record.value });
      }
    }
    if (last < 0) return;
    projection.appendedThrough = Math.max(0, last + 1 - APPEND_WINDOW);
    for (const { offset, value } of recent) {
      if (offset < projection.appendedThrough) continue;
      const id = (JSON.parse(value.toString('utf8')) as { id?: string }).id;
      if (id) projection.alreadyAppended.add(id);
    }
    this.logger.info(
      { partition: projection.partition, appendedThrough: projection.appendedThrough },
      'no recorded progress: events already in the lifecycle log are not appended again',
    );
  }

  private async onBatch(batch: Batch): Promise<void> {
    const projection = await this.projection(batch.partition);
    await this.foldRecords(projection, batch.records);
  }

  private async foldRecords(
    projection: PartitionProjection<S>,
    records: readonly LogRecord[],
  ): Promise<void> {
    const out: AppendRecord[] = [];
    const emitted: LifecycleEvent[] = [];
    let folded = 0;
    for (const record of records) {
      if (record.offset < projection.next) continue; // delivered again after a rebalance
      const observation = this.decode(record);
      if (observation) {
        let state =
          projection.routers.get(observation.router) ?? this.fold.initial(observation.router);
        const result = this.fold.evolve(state, observation);
        state = result.state;
        projection.routers.set(observation.router, state);
        const timeMs = parseIsoTime(observation.time);
        if (timeMs < projection.oldestSinceSnapshot) projection.oldestSinceSnapshot = timeMs;
        projection.lastObservationMs = Math.max(projection.lastObservationMs, timeMs);
        const appended = record.offset < projection.appendedThrough;
        for (const event of appended ? NO_EVENTS : result.events) {
          if (event.id && projection.alreadyAppended.delete(event.id)) continue;
          emitted.push(event);
          out.push({
            topic: this.topics.lifecycle,
            key: event.tunnel ?? event.router,
            value: Buffer.from(JSON.stringify(event)),
            headers: {
              type: event.type,
              [HEADER_SOURCE]: `${projection.partition}:${record.offset}`,
            },
            timestamp: parseIsoTime(event.at),
          });
        }
        folded++;
      }
      projection.next = record.offset + 1;
      projection.lastRecordMs = record.timestamp;
      projection.sinceSnapshot++;
    }
    if (out.length) {
      await this.log.append(out);
      // Progress after the append: a crash in between is found again by the resume scan. With
      // nothing appended the recorded progress still holds (a refold appends nothing before it),
      // so a catch-up over events already in the log writes no progress row per chunk.
      const eventsFrom = Number.isFinite(projection.oldestSinceSnapshot)
        ? projection.oldestSinceSnapshot
        : projection.lastObservationMs;
      // Never lowered: while refolding what is already appended, a crash must not forget it.
      projection.appendedThrough = Math.max(projection.appendedThrough, projection.next);
      this.store.saveProgress(this.scope, projection.partition, {
        appendedThrough: projection.appendedThrough,
        eventsFrom,
      });
    }
    this.hooks.onFolded?.(folded);
    if (emitted.length) this.hooks.onEvents?.(emitted);
    const sinceSnapshotMs = this.now() - projection.lastSnapshotAt;
    if (
      projection.sinceSnapshot >= this.options.snapshotEveryRecords &&
      sinceSnapshotMs >= (this.options.snapshotMinIntervalMs ?? 30_000) &&
      sinceSnapshotMs >= SNAPSHOT_COST_SHARE * projection.lastSnapshotCostMs
    ) {
      this.snapshot(projection);
    }
  }

  private decode(record: LogRecord): Observation | undefined {
    let value: unknown;
    try {
      value = JSON.parse(record.value.toString('utf8'));
    } catch {
      this.invalid(record, 'not JSON');
      return undefined;
    }
    let observation = checkedObservation(value);
    if (!observation) {
      const parsed = Observation.safeParse(value);
      if (!parsed.success) {
        this.invalid(
          record,
          parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        );
        return undefined;
      }
      observation = parsed.data;
    }
    if (observation.id === undefined && this.options.evidence !== 'line')
      observation.id = `${record.partition}@${record.offset}`;
    return observation;
  }

  private invalid(record: LogRecord, problem: string): void {
    this.hooks.onInvalidRecord?.(record, problem);
    this.logger.warn(
      { partition: record.partition, offset: record.offset, problem },
      'skipping an observation record that is not a valid v1 observation (it stays in the log)',
    );
  }

  private snapshot(projection: PartitionProjection<S>): void {
    const started = this.now();
    const routers: Record<string, unknown> = {};
    for (const [router, state] of [...projection.routers].sort(([a], [b]) => (a < b ? -1 : 1))) {
      routers[router] = this.fold.snapshot(state);
    }
    const takenAt = this.now();
    this.store.save(this.scope, projection.partition, { next: projection.next, routers, takenAt });
    projection.sinceSnapshot = 0;
    projection.oldestSinceSnapshot = Number.POSITIVE_INFINITY;
    projection.lastSnapshotAt = takenAt;
    projection.lastSnapshotCostMs = this.now() - started;
    this.hooks.onSnapshot?.(projection.partition);
  }
}
