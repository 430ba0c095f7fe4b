import type { Statement } from 'better-sqlite3';
import type { SqliteStore, TopicInfo } from './sqliteStore.js';

// The consumer-group tables: who is in a group (heartbeats), who holds which partition
// (claims), and where the group is (committed offsets). Shared by every process on the file.

export interface MemberRow {
  readonly member_id: string;
  readonly heartbeat_at: number;
  readonly handler_since: number | null;
}

export interface ClaimRow {
  readonly partition_no: number;
  readonly member_id: string;
  readonly claim_id: number;
}

export class GroupStore {
  private readonly upsertMember: Statement<[string, number, string, number]>;
  private readonly touchMember: Statement<[number, number | null, string, number, string]>;
  private readonly deleteMember: Statement<[string, number, string]>;
  private readonly selectMembers: Statement<[string, number], MemberRow>;
  private readonly deleteClaimsOf: Statement<[string, number, string]>;
  private readonly selectClaims: Statement<[string, number], ClaimRow>;
  private readonly selectClaim: Statement<[string, number, number], ClaimRow>;
  private readonly insertClaim: Statement<[string, number, number, string, number]>;
  private readonly deleteClaim: Statement<[string, number, number, string]>;
  private readonly selectOffset: Statement<[string, number, number], { next_offset: number }>;
  private readonly selectOffsets: Statement<
    [string, number],
    { partition_no: number; next_offset: number }
  >;
  private readonly upsertOffset: Statement<[string, number, number, number, number]>;

  constructor(readonly store: SqliteStore) {
    const db = store.db;
    this.upsertMember = db.prepare(
      'INSERT INTO group_members (group_id, topic_id, member_id, heartbeat_at) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (group_id, topic_id, member_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at',
    );
    this.touchMember = db.prepare(
      'UPDATE group_members SET heartbeat_at = ?, handler_since = ? ' +
        'WHERE group_id = ? AND topic_id = ? AND member_id = ?',
    );
    this.deleteMember = db.prepare(
      'DELETE FROM group_members WHERE group_id = ? AND topic_id = ? AND member_id = ?',
    );
    this.selectMembers = db.prepare(
      'SELECT member_id, heartbeat_at, handler_since FROM group_members ' +
        'WHERE group_id = ? AND topic_id = ? ' +
        'ORDER BY member_id',
    );
    this.deleteClaimsOf = db.prepare(
      'DELETE FROM group_claims WHERE group_id = ? AND topic_id = ? AND member_id = ?',
    );
    this.selectClaims = db.prepare(
      'SELECT partition_no, member_id, claim_id FROM group_claims WHERE group_id = ? AND topic_id = ?',
    );
    this.selectClaim = db.prepare(
      'SELECT partition_no, member_id, claim_id FROM group_claims ' +
        'WHERE group_id = ? AND topic_id = ? AND partition_no = ?',
    );
    this.insertClaim = db.prepare(
      'INSERT INTO group_claims (group_id, topic_id, partition_no, member_id, claim_id) ' +
        'VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    this.deleteClaim = db.prepare(
      'DELETE FROM group_claims WHERE group_id = ? AND topic_id = ? AND partition_no = ? AND member_id = ?',
    );
    this.selectOffset = db.prepare(
      'SELECT next_offset FROM group_offsets WHERE group_id = ? AND topic_id = ? AND partition_no = ?',
    );
    this.selectOffsets = db.prepare(
      'SELECT partition_no, next_offset FROM group_offsets WHERE group_id = ? AND topic_id = ? ' +
        'ORDER BY partition_no',
    );
    this.upsertOffset = db.prepare(
      'INSERT INTO group_offsets (group_id, topic_id, partition_no, next_offset, committed_at) ' +
        'VALUES (?, ?, ?, ?, ?) ON CONFLICT (group_id, topic_id, partition_no) ' +
        'DO UPDATE SET next_offset = excluded.next_offset, committed_at = excluded.committed_at',
    );
  }

  join(groupId: string, topic: TopicInfo, memberId: string, now: number): void {
    this.store.write(() => this.upsertMember.run(groupId, topic.id, memberId, now));
  }

  /** Refreshes a heartbeat; false when the member row is gone (others expelled it). */
  heartbeat(
    groupId: string,
    topic: TopicInfo,
    memberId: string,
    now: number,
    handlerSince: number | undefined,
  ): boolean {
    return this.store.write(
      () =>
        this.touchMember.run(now, handlerSince ?? null, groupId, topic.id, memberId).changes === 1,
    );
  }

  leave(groupId: string, topic: TopicInfo, memberId: string): void {
    this.store.write(() => {
      this.deleteClaimsOf.run(groupId, topic.id, memberId);
      this.deleteMember.run(groupId, topic.id, memberId);
    });
  }

  members(groupId: string, topic: TopicInfo): MemberRow[] {
    return this.selectMembers.all(groupId, topic.id);
  }

  claims(groupId: string, topic: TopicInfo): ClaimRow[] {
    return this.selectClaims.all(groupId, topic.id);
  }

  /** Removes the members `isDead` picks, with their claims. Call inside store.write(). */
  expel(groupId: string, topic: TopicInfo, isDead: (member: MemberRow) => boolean): number {
    let expelled = 0;
    for (const member of this.selectMembers.all(groupId, topic.id)) {
      if (!isDead(member)) continue;
      this.deleteClaimsOf.run(groupId, topic.id, member.member_id);
      this.deleteMember.run(groupId, topic.id, member.member_id);
      expelled += 1;
    }
    return expelled;
  }

  /** Takes an unclaimed partition; false when someone holds it. Call inside store.write(). */
  claim(
    groupId: string,
    topic: TopicInfo,
    partition: number,
    memberId: string,
    claimId: number,
  ): boolean {
    return this.insertClaim.run(groupId, topic.id, partition, memberId, claimId).changes === 1;
  }

  release(groupId: string, topic: TopicInfo, partition: number, memberId: string): void {
    this.deleteClaim.run(groupId, topic.id, partition, memberId);
  }

  committedOffset(groupId: string, topic: TopicInfo, partition: number): number | undefined {
    return this.selectOffset.get(groupId, topic.id, partition)?.next_offset;
  }

  committedOffsets(groupId: string, topic: TopicInfo): Map<number, number> {
    const offsets = new Map<number, number>();
    for (const row of this.selectOffsets.all(groupId, topic.id)) {
      offsets.set(row.partition_no, row.next_offset);
    }
    return offsets;
  }

  /**
   * Commits `nextOffset` for a partition only while this member still holds the same claim
   * (generation fencing): a member that lost the partition, even briefly, cannot overwrite
   * the new owner's progress. Also counts as a heartbeat.
   */
  commit(
    groupId: string,
    topic: TopicInfo,
    partition: number,
    memberId: string,
    claimId: number,
    nextOffset: number,
    now: number,
  ): boolean {
    return this.store.write(() => {
      const claim = this.selectClaim.get(groupId, topic.id, partition);
      if (!claim || claim.member_id !== memberId || claim.claim_id !== claimId) return false;
      this.upsertOffset.run(groupId, topic.id, partition, nextOffset, now);
      this.touchMember.run(now, null, groupId, topic.id, memberId);
      return true;
    });
  }
}
