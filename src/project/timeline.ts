import { LifecycleEvent } from '../domain/index.js';
import { withEvidenceLines, type EvidenceOptions } from './evidence.js';
import { readKey } from '../log/keyScan.js';
import { TOPICS, type EventLog, type LogRecord } from '../log/port.js';
import { readInTimeOrder } from '../log/readInTimeOrder.js';

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

/** A lifecycle event and its JSON exactly as the log holds it. */
export interface TimelineEntry {
  readonly event: LifecycleEvent;
  readonly json: string;
}

export interface ReadHooks {
  /** Told of every lifecycle record read (progress for long reads). */
  readonly onRecord?: () => void;
}

function decode(record: LogRecord): TimelineEntry | undefined {
  const json = record.value.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  const parsed = LifecycleEvent.safeParse(value);
  return parsed.success ? { event: parsed.data, json } : undefined;
}

const byTime = (a: TimelineEntry, b: TimelineEntry) =>
  a.event.at < b.event.at ? -1 : a.event.at > b.event.at ? 1 : 0;

/**
 * readTimeline with each event's stored JSON. Events are keyed by tunnel id and stamped with
 * their event time, so each id is one readKey: the log's index by key and time (SQLite) or its
 * partition from offsetsForTimes (Kafka). Each event once (ids are deterministic), in time order.
 */
export async function readTimelineEntries(
  log: EventLog,
  query: TimelineQuery,
  hooks: ReadHooks = {},
): Promise<TimelineEntry[]> {
  const topic = query.topic ?? TOPICS.lifecycle;
  const range = {
    ...(query.from !== undefined && { from: query.from }),
    ...(query.to !== undefined && { to: query.to }),
  };
  const seen = new Set<string>();
  const entries: TimelineEntry[] = [];
  for (const id of new Set(query.ids)) {
    for await (const record of readKey(log, topic, id, range)) {
      hooks.onRecord?.();
      const entry = decode(record);
      if (!entry) continue;
      const identity = entry.event.id ?? `${record.partition}:${record.offset}`;
      if (seen.has(identity)) continue;
      seen.add(identity);
      entries.push(entry);
    }
  }
  entries.sort(byTime);
  return query.limit === undefined ? entries : entries.slice(0, query.limit);
}

/** A tunnel's lifecycle events from the lifecycle log, in [from, to), in time order. */
export async function readTimeline(log: EventLog, query: TimelineQuery): Promise<LifecycleEvent[]> {
  return (await readTimelineEntries(log, query)).map((entry) => entry.event);
}

/**
 * readTimeline for people: observation ids in evidence replaced by the raw lines they name,
 * read back from the observation log (withEvidenceLines: the ids in evidenceIds, a line that is
 * gone as an unavailable note).
 */
export async function readTimelineWithLines(
  log: EventLog,
  query: TimelineQuery,
  options: EvidenceOptions = {},
): Promise<LifecycleEvent[]> {
  const entries = await withEvidenceLines(log, await readTimelineEntries(log, query), options);
  return entries.map((entry) => entry.event);
}

export interface TunnelIds {
  /** The id the tunnel has now (the given one unless it became an alias). */
  readonly canonical: string;
  /** The canonical id and every alias of it, the given id among them, sorted. */
  readonly ids: readonly string[];
}

/** How far around an alias's last event the tunnel that absorbed it is looked for. */
const OWNER_SEARCH = { beforeMs: 10 * 60_000, afterMs: 24 * 3_600_000 } as const;

/**
 * The ids a tunnel has had, from its TunnelDiscovered events alone (no projector state): the
 * fold announces a tunnel again, with data.aliases, whenever it absorbs a provisional tunnel or
 * is renamed. The given id may be one of those aliases: then the tunnel announcing it is found
 * among the TunnelDiscovered events of the same router shortly after the alias's last event —
 * the merge happens at the next observation that names the VPN.
 */
export async function resolveTunnelIds(
  log: EventLog,
  id: string,
  options: { readonly topic?: string } & ReadHooks = {},
): Promise<TunnelIds> {
  const topic = options.topic ?? TOPICS.lifecycle;
  const ids = new Set([id]);
  let current = id;
  for (;;) {
    const own = await discoveries(log, topic, current, options);
    for (const alias of own.aliases) ids.add(alias);
    const owner =
      own.lastMs === undefined
        ? undefined
        : await findOwner(log, topic, current, own.lastMs, options);
    if (owner === undefined || ids.has(owner)) break;
    ids.add(owner);
    current = owner;
  }
  return { canonical: current, ids: [...ids].sort() };
}

async function discoveries(
  log: EventLog,
  topic: string,
  id: string,
  hooks: ReadHooks,
): Promise<{ aliases: string[]; lastMs: number | undefined }> {
  const aliases: string[] = [];
  let lastMs: number | undefined;
  for await (const record of readKey(log, topic, id)) {
    hooks.onRecord?.();
    lastMs = Math.max(lastMs ?? record.timestamp, record.timestamp);
    aliases.push(...announcedAliases(record));
  }
  return { aliases, lastMs };
}

async function findOwner(
  log: EventLog,
  topic: string,
  alias: string,
  lastMs: number,
  hooks: ReadHooks,
): Promise<string | undefined> {
  const router = `${alias.split('/')[0]}/`;
  for await (const record of readInTimeOrder(log, topic, {
    from: lastMs - OWNER_SEARCH.beforeMs,
    until: lastMs + OWNER_SEARCH.afterMs,
  })) {
    hooks.onRecord?.();
    if (record.key === alias || !record.key.startsWith(router)) continue;
    if (announcedAliases(record).includes(alias)) return record.key;
  }
  return undefined;
}

/** data.aliases of a TunnelDiscovered record; the type header spares parsing the others. */
function announcedAliases(record: LogRecord): string[] {
  const type = record.headers.type;
  if (type !== undefined && type !== 'TunnelDiscovered') return [];
  const entry = decode(record);
  if (entry?.event.type !== 'TunnelDiscovered') return [];
  return entry.event.data.aliases ?? [];
}
