import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setImmediate } from 'node:timers/promises';
import { LogBusyError } from '../errors.js';
import type { Batch, SubscribeOptions, Subscription } from '../port.js';
import { Waker } from '../waker.js';
import type { GroupStore, MemberRow } from './groupStore.js';
import { rangeAssignment } from './rangeAssignment.js';
import type { PageLimits, TopicInfo } from './sqliteStore.js';

export interface GroupSettings extends PageLimits {
  /** A member whose heartbeat is older than this is dead; its partitions go to the others. */
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  /** How often an idle member looks for new records and membership changes. */
  readonly pollIntervalMs: number;
  /** A member whose batch handler runs longer than this is dead too (Kafka's max.poll.interval). */
  readonly maxPollIntervalMs: number;
}

interface OwnedPartition {
  /** Identifies this holding of the claim; a commit under another claim is refused. */
  readonly claimId: number;
  /** Next offset to deliver. */
  position: number;
}

interface Plan {
  readonly anyDead: boolean;
  readonly lost: number[];
  readonly release: number[];
  readonly acquire: number[];
}

/**
 * One member of a consumer group on the SQLite file. Members find each other through the
 * group_members table (heartbeats), compute the same range assignment from the live members,
 * and hand partitions over through group_claims: a partition is taken only once its previous
 * holder released it (between its batches) or was declared dead, so two live members never
 * deliver the same partition at once, and commits are fenced by the claim.
 */
export class SqliteGroupMember implements Subscription {
  readonly done: Promise<void>;
  readonly memberId = `${hostname()}/${process.pid}/${randomUUID()}`;

  private readonly owned = new Map<number, OwnedPartition>();
  private reported: readonly number[] = [];
  private readonly waker = new Waker();
  private stopping = false;
  private expelled = false;
  private failure: Error | undefined;
  private handlerSince: number | undefined;
  private lastRebalance = 0;
  private nextClaimId = 1;
  private roundRobin = 0;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private stopAppendListener: (() => void) | undefined;
  private settle!: { resolve: () => void; reject: (error: unknown) => void };

  private constructor(
    private readonly groups: GroupStore,
    private readonly topic: TopicInfo,
    private readonly options: SubscribeOptions,
    private readonly settings: GroupSettings,
    private readonly onEnd: (member: SqliteGroupMember) => void,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
    });
  }

  /** Joins the group and takes a first assignment before resolving, as a Kafka join does. */
  static async start(
    groups: GroupStore,
    topic: TopicInfo,
    options: SubscribeOptions,
    settings: GroupSettings,
    onEnd: (member: SqliteGroupMember) => void,
  ): Promise<SqliteGroupMember> {
    const member = new SqliteGroupMember(groups, topic, options, settings, onEnd);
    try {
      groups.join(options.groupId, topic, member.memberId, Date.now());
      await member.rebalance();
    } catch (error) {
      member.leaveQuietly();
      throw error;
    }
    member.heartbeatTimer = setInterval(() => member.heartbeat(), settings.heartbeatIntervalMs);
    member.heartbeatTimer.unref();
    member.stopAppendListener = groups.store.onAppend((appended) => {
      if (appended === topic.name) member.waker.wake();
    });
    void member.run();
    return member;
  }

  assignment(): readonly number[] {
    return this.sortedOwned();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.waker.wake();
    await this.done.catch(() => undefined);
  }

  private async run(): Promise<void> {
    let failure: unknown;
    try {
      while (!this.stopping) {
        if (this.failure !== undefined) throw this.failure;
        if (this.expelled || Date.now() - this.lastRebalance >= this.settings.pollIntervalMs) {
          await this.rebalance();
        }
        if (this.stopping) break;
        const delivered = await this.deliverOne();
        if (this.stopping) break;
        // Sleep when idle; when busy still yield to the event loop between batches, so timers
        // (this member's heartbeat) and I/O run while a backlog is delivered.
        if (delivered) await setImmediate();
        else await this.waker.sleep(this.settings.pollIntervalMs);
      }
    } catch (error) {
      failure = error;
    }
    clearInterval(this.heartbeatTimer);
    this.stopAppendListener?.();
    this.leaveQuietly();
    this.onEnd(this);
    if (failure === undefined) this.settle.resolve();
    else this.settle.reject(failure);
  }

  private heartbeat(): void {
    try {
      const alive = this.groups.heartbeat(
        this.options.groupId,
        this.topic,
        this.memberId,
        Date.now(),
        this.handlerSince,
      );
      if (!alive) {
        this.expelled = true;
        this.waker.wake();
      }
    } catch (error) {
      // A busy file only delays this beat; the next one (or a commit) refreshes it.
      if (error instanceof LogBusyError) return;
      this.failure = error instanceof Error ? error : new Error(String(error));
      this.waker.wake();
    }
  }

  /** Delivers one batch from the next owned partition that has records; false if none has. */
  private async deliverOne(): Promise<boolean> {
    const partitions = this.sortedOwned();
    if (partitions.length === 0) return false;
    const store = this.groups.store;
    const ends = store.nextOffsets(this.topic);
    for (let i = 0; i < partitions.length; i++) {
      const partition = partitions[(this.roundRobin + i) % partitions.length]!;
      const owned = this.owned.get(partition)!;
      const end = ends.get(partition) ?? 0;
      if (owned.position >= end) continue;
      const records = store.readRecords(this.topic, partition, owned.position, end, this.settings);
      const last = records.at(-1);
      if (!last) continue;
      this.roundRobin = (this.roundRobin + i + 1) % partitions.length;
      const batch: Batch = { topic: this.topic.name, partition, records };
      this.handlerSince = Date.now();
      try {
        await this.options.onBatch(batch);
      } finally {
        this.handlerSince = undefined;
      }
      this.commit(partition, owned, last.offset + 1);
      return true;
    }
    return false;
  }

  private commit(partition: number, owned: OwnedPartition, nextOffset: number): void {
    let committed: boolean;
    try {
      committed = this.groups.commit(
        this.options.groupId,
        this.topic,
        partition,
        this.memberId,
        owned.claimId,
        nextOffset,
        Date.now(),
      );
    } catch (error) {
      // Not committed: the batch is delivered again (at-least-once), never skipped.
      if (error instanceof LogBusyError) return;
      throw error;
    }
    if (committed) {
      owned.position = nextOffset;
    } else {
      // Fenced: someone else holds the partition now and continues from the last commit.
      this.owned.delete(partition);
      this.lastRebalance = 0;
    }
  }

  private async rebalance(): Promise<void> {
    const now = Date.now();
    this.lastRebalance = now;
    const { groupId } = this.options;
    try {
      if (this.expelled) {
        this.expelled = false;
        this.owned.clear();
        this.groups.join(groupId, this.topic, this.memberId, now);
      }
      const first = this.plan(now);
      for (const partition of first.lost) this.owned.delete(partition);
      if (first.anyDead || first.release.length > 0 || first.acquire.length > 0) {
        const { plan, acquired } = this.groups.store.write(() => {
          const plan = this.plan(now);
          if (plan.anyDead) this.groups.expel(groupId, this.topic, (m) => !this.isLive(m, now));
          for (const partition of plan.release) {
            this.groups.release(groupId, this.topic, partition, this.memberId);
          }
          const acquired = new Map<number, OwnedPartition>();
          for (const partition of plan.acquire) {
            const claimId = this.nextClaimId++;
            if (this.groups.claim(groupId, this.topic, partition, this.memberId, claimId)) {
              acquired.set(partition, { claimId, position: this.startPosition(partition) });
            }
          }
          return { plan, acquired };
        });
        for (const partition of [...plan.lost, ...plan.release]) this.owned.delete(partition);
        for (const [partition, owned] of acquired) this.owned.set(partition, owned);
      }
    } catch (error) {
      // A busy file postpones the rebalance to the next poll; nothing is delivered meanwhile
      // that this member does not hold.
      if (!(error instanceof LogBusyError)) throw error;
    }
    const current = this.sortedOwned();
    if (!sameNumbers(current, this.reported)) {
      this.reported = current;
      await this.options.onAssignment?.(current);
    }
  }

  /** What to change so this member holds exactly its share of the live members' assignment. */
  private plan(now: number): Plan {
    const { groupId } = this.options;
    const members = this.groups.members(groupId, this.topic);
    if (!members.some((m) => m.member_id === this.memberId)) {
      this.expelled = true;
      return { anyDead: false, lost: [...this.owned.keys()], release: [], acquire: [] };
    }
    const live = members.filter((m) => this.isLive(m, now)).map((m) => m.member_id);
    const dead = new Set(members.filter((m) => !this.isLive(m, now)).map((m) => m.member_id));
    const desired = new Set(rangeAssignment(live, this.topic.partitions, this.memberId));
    const claims = new Map(this.groups.claims(groupId, this.topic).map((c) => [c.partition_no, c]));
    const lost = [...this.owned].flatMap(([partition, owned]) => {
      const claim = claims.get(partition);
      return claim?.member_id === this.memberId && claim.claim_id === owned.claimId
        ? []
        : [partition];
    });
    const release = [...claims.values()]
      .filter((c) => c.member_id === this.memberId && !desired.has(c.partition_no))
      .map((c) => c.partition_no);
    const acquire = [...desired].filter((partition) => {
      const claim = claims.get(partition);
      return !claim || dead.has(claim.member_id);
    });
    return { anyDead: dead.size > 0, lost, release, acquire };
  }

  /** Alive: heartbeating, and not stuck in one batch handler. This member always is. */
  private isLive(member: MemberRow, now: number): boolean {
    if (member.member_id === this.memberId) return true;
    if (member.heartbeat_at < now - this.settings.sessionTimeoutMs) return false;
    return (
      member.handler_since === null || member.handler_since >= now - this.settings.maxPollIntervalMs
    );
  }

  private startPosition(partition: number): number {
    const store = this.groups.store;
    const committed = this.groups.committedOffset(this.options.groupId, this.topic, partition);
    if (committed !== undefined) return committed;
    const end = store.nextOffset(this.topic, partition);
    return this.options.fromBeginning === false
      ? end
      : store.startOffset(this.topic, partition, end);
  }

  private leaveQuietly(): void {
    try {
      this.groups.leave(this.options.groupId, this.topic, this.memberId);
    } catch {
      // The others expel this member after the session timeout instead.
    }
  }

  private sortedOwned(): number[] {
    return [...this.owned.keys()].sort((a, b) => a - b);
  }
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
