import type { LifecycleEvent } from '../domain/index.js';
import { UnknownTopicError } from '../log/errors.js';
import { TOPICS, type EventLog } from '../log/port.js';
import { readAt } from '../log/readAt.js';

// Lifecycle events may cite an observation by its id, `partition@offset` in the observation log
// (the projector's default, projection.evidence: id), instead of its raw line. People read lines:
// timelines replace each id by the line of the record it names, read back from the log.

/** An observation id as the projector writes it: decimal, no leading zeros. */
const OBSERVATION_ID = /^(0|[1-9]\d{0,5})@(0|[1-9]\d{0,15})$/;

/** The partition and offset an evidence entry names, when it is an observation id. */
export function parseObservationId(
  evidence: string,
): { partition: number; offset: number } | undefined {
  const match = OBSERVATION_ID.exec(evidence);
  if (!match) return undefined;
  const offset = Number(match[2]);
  return Number.isSafeInteger(offset) ? { partition: Number(match[1]), offset } : undefined;
}

export interface EvidenceOptions {
  /** The observation topic the ids point into (default: samon's). */
  readonly observationsTopic?: string;
  /** How long the reads may take, all partitions together (default 10 s). */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** What an id whose line cannot be shown is replaced by: the id, and why. */
export const unavailableEvidence = (id: string, why: string): string =>
  `evidence unavailable: ${id} (${why})`;

export function isUnavailableEvidence(line: string): boolean {
  return line.startsWith('evidence unavailable: ');
}

/** What an id names: the observation's raw line and router, or a note saying why there is none. */
export interface CitedLine {
  readonly line: string;
  readonly router?: string;
}

/**
 * The raw line of each observation id, read from the observation log: one readAt per partition,
 * all at once. An id whose record is gone (retention, another log), is not an observation, or was
 * not read in time maps to an unavailableEvidence() note; nothing here throws for a lost line.
 */
export async function evidenceLines(
  log: EventLog,
  ids: Iterable<string>,
  options: EvidenceOptions = {},
): Promise<Map<string, CitedLine>> {
  const topic = options.observationsTopic ?? TOPICS.observations;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const byPartition = new Map<number, Map<number, string>>();
  for (const id of ids) {
    const place = parseObservationId(id);
    if (!place) continue;
    let offsets = byPartition.get(place.partition);
    if (!offsets) byPartition.set(place.partition, (offsets = new Map<number, string>()));
    offsets.set(place.offset, id);
  }
  const lines = new Map<string, CitedLine>();
  if (byPartition.size === 0) return lines;
  const note = (id: string, why: string) => ({ line: unavailableEvidence(id, why) });
  let partitionCount: number;
  try {
    partitionCount = (await log.partitions(topic)).length;
  } catch (error) {
    const why =
      error instanceof UnknownTopicError ? 'not in the observation log' : problem(topic, error);
    for (const offsets of byPartition.values())
      for (const id of offsets.values()) lines.set(id, note(id, why));
    return lines;
  }
  const started = Date.now();
  await Promise.all(
    [...byPartition].map(async ([partition, offsets]) => {
      if (partition >= partitionCount) {
        for (const id of offsets.values()) lines.set(id, note(id, 'not in the observation log'));
        return;
      }
      try {
        const records = await readAt(log, topic, partition, [...offsets.keys()], { timeoutMs });
        for (const record of records) {
          const id = offsets.get(record.offset);
          if (id === undefined) continue;
          offsets.delete(record.offset);
          lines.set(id, cited(record.value) ?? note(id, 'not an observation'));
        }
        const why =
          Date.now() - started >= timeoutMs
            ? `not read within ${timeoutMs / 1000} s`
            : 'not in the observation log';
        for (const id of offsets.values()) lines.set(id, note(id, why));
      } catch (error) {
        for (const id of offsets.values()) lines.set(id, note(id, problem(topic, error)));
      }
    }),
  );
  return lines;
}

function problem(topic: string, error: unknown): string {
  return `cannot read ${topic}: ${error instanceof Error ? error.message : String(error)}`;
}

function cited(value: Buffer): CitedLine | undefined {
  try {
    const observation = JSON.parse(value.toString('utf8')) as {
      raw?: unknown;
      router?: unknown;
    } | null;
    const { raw, router } = observation ?? {};
    if (typeof raw !== 'string') return undefined;
    return typeof router === 'string' ? { line: raw, router } : { line: raw };
  } catch {
    return undefined;
  }
}

/** A lifecycle event and its JSON, as a timeline holds them. */
export interface EvidenceEntry {
  readonly event: LifecycleEvent;
  readonly json: string;
}

/**
 * The entries with each observation id in `evidence` replaced by that observation's raw line (or
 * an unavailable note), and the ids cited, in order, in `evidenceIds` (contracts.md: evidence is
 * a raw line or an observation id; this only adds a field). Entries citing no id stay as they are,
 * JSON included; the others' JSON keeps the stored field order.
 */
export async function withEvidenceLines<E extends EvidenceEntry>(
  log: EventLog,
  entries: readonly E[],
  options: EvidenceOptions = {},
): Promise<E[]> {
  const cited = new Set<string>();
  for (const { event } of entries)
    for (const evidence of event.evidence) if (parseObservationId(evidence)) cited.add(evidence);
  if (cited.size === 0) return [...entries];
  const lines = await evidenceLines(log, cited, options);
  return entries.map((entry) => {
    const { event } = entry;
    const ids = event.evidence.filter((e) => lines.has(e));
    if (ids.length === 0) return entry;
    const evidence = event.evidence.map((e) => {
      const found = lines.get(e);
      if (!found) return e;
      // An event cites observations of its own router: another router's record at that place
      // means the observation log is not the one the events were folded from (recreated topic).
      if (found.router !== undefined && found.router !== event.router)
        return unavailableEvidence(
          e,
          `the record there is ${found.router}'s, not ${event.router}'s`,
        );
      return found.line;
    });
    const stored = JSON.parse(entry.json) as Record<string, unknown>;
    return {
      ...entry,
      event: { ...event, evidence, evidenceIds: ids },
      json: JSON.stringify({ ...stored, evidence, evidenceIds: ids }),
    };
  });
}
