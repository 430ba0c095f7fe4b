import { daysInMonth, type Zone } from './timezone.js';

// RFC 3164 and `show log` stamps have no year. A line is assumed to be written no later than
// shortly after its reference time (receive time, or the file's modification time), so its
// year is the latest one that puts the stamp at most SKEW after the reference. A line
// stamped Dec 31 read on Jan 1 thus belongs to the previous year, and a router whose clock
// is a little ahead at midnight on Dec 31 still gets the new year.
// Known limit: a year-long file whose first lines are from the first two days of January
// and whose mtime falls in the last two days of December puts those lines a year late.

const DAY = 86_400_000;
export const YEAR_INFERENCE_SKEW_MS = 2 * DAY;

export function inferYear(
  zone: Zone,
  referenceMs: number,
  month: number,
  day: number,
  h: number,
  m: number,
  s: number,
): number {
  const refYear = new Date(referenceMs).getUTCFullYear();
  const limit = referenceMs + YEAR_INFERENCE_SKEW_MS;
  // Feb 29 needs a leap year: look back up to 8 years.
  for (let year = refYear + 1; year >= refYear - 8; year--) {
    if (day > daysInMonth(year, month)) continue;
    const t = zone.toEpoch(year, month, day, h, m, s, 0);
    if (!Number.isNaN(t) && t <= limit) return year;
  }
  return refYear;
}
