import { z } from 'zod';

/** RFC 3339 UTC with milliseconds, e.g. `2026-11-27T09:18:51.000Z` (contracts.md). */
export const IsoTime = z.iso.datetime({ precision: 3 });
export type IsoTime = z.infer<typeof IsoTime>;

/** Formats epoch milliseconds the way every contract prints time. */
export function isoFromMillis(ms: number): IsoTime {
  return new Date(ms).toISOString();
}

/** Parses a contract time string to epoch milliseconds. */
export function millisFromIso(time: IsoTime): number {
  return Date.parse(time);
}
