import { LifecycleEvent } from '../domain/index.js';
import { partitionForKey } from '../log/partitioner.js';
import { TOPICS, type EventLog } from '../log/port.js';

export interface TimelineQuery {
  /** The tunnel id and its aliases (a provisional id learned before the VPN name). */
  readonly ids: readonly string[];
  /** Epoch ms, inclusive. */
  readonly from?: number;
  /** Epoch ms, exclusive. */
  readonly to?: number;
  readonly limit?: number;
  /** The lifecycle topic (default: samon's). */
  readonly topic?: string;
}

/**
 * A tunnel's lifecycle events from the lifecycle log. Events are keyed by tunnel id and stamped
 * with their event time, so the read starts at `from` through the log's time index (SQLite) or
 * `offsetsForTimes` (Kafka) and touches only the partitions of the tunnel's ids. Events appear
 * once each (ids are deterministic), in time order.
 */
export async function readTimeline(log: EventLog, query: TimelineQuery): Promise<LifecycleEvent[]> {
  const topic = query.topic ?? TOPICS.lifecycle;
  const partitionCount = (await log.partitions(topic)).length;
  if (partitionCount === 0) return [];
  const wanted = new Set(query.ids);
  const partitions = [...new Set(query.ids.map((id) => partitionForKey(id, partitionCount)))].sort(
    (a, b) => a - b,
  );
  const seen = new Set<string>();
  const events: LifecycleEvent[] = [];
  for (const partition of partitions) {
    const from = query.from === undefined ? ('beginning' as const) : { timestamp: query.from };
    for await (const record of log.read(topic, { partition, from })) {
      if (!wanted.has(record.key)) continue;
      if (query.to !== undefined && record.timestamp >= query.to) continue;
      const parsed = LifecycleEvent.safeParse(JSON.parse(record.value.toString('utf8')));
      if (!parsed.success) continue;
      const event = parsed.data;
      const identity = event.id ?? `${record.partition}:${record.offset}`;
      if (seen.has(identity)) continue;
      seen.add(identity);
      events.push(event);
    }
  }
  events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return query.limit === undefined ? events : events.slice(0, query.limit);
}
