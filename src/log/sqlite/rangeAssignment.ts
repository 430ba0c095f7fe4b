/**
 * Kafka's range assignment for one topic: members sorted by id, each takes a contiguous run of
 * partitions, the first (count % members) members one more. Every member computes it alone from
 * the same member list, so the list — not a leader — decides.
 */
export function rangeAssignment(
  sortedMembers: readonly string[],
  partitionCount: number,
  member: string,
): number[] {
  const index = sortedMembers.indexOf(member);
  if (index < 0 || sortedMembers.length === 0) return [];
  const base = Math.floor(partitionCount / sortedMembers.length);
  const extra = partitionCount % sortedMembers.length;
  const start = index * base + Math.min(index, extra);
  const count = base + (index < extra ? 1 : 0);
  return Array.from({ length: count }, (_, i) => start + i);
}
