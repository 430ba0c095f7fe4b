// Zone-less timestamps (RFC 3164, `show log` files) are wall-clock times in the router's
// zone. A zone turns wall-clock fields into epoch milliseconds. IANA offsets come from
// Intl.DateTimeFormat (ICU data shipped with Node): pure, no I/O.

/** Wall-clock fields → epoch ms; NaN when the fields are not a real date. */
export interface Zone {
  readonly name: string;
  toEpoch(
    year: number,
    month: number,
    day: number,
    h: number,
    m: number,
    s: number,
    ms: number,
  ): number;
}

const HOUR = 3_600_000;
const OFFSET = /^([+-])(\d{2}):?(\d{2})$/;
const UTC_NAMES = new Set(['utc', 'z', 'gmt', 'etc/utc', 'etc/gmt', 'universal', 'zulu']);

export function daysInMonth(year: number, month: number): number {
  if (month === 1) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 3 || month === 5 || month === 8 || month === 10 ? 30 : 31;
}

/** Wall-clock fields read as UTC → epoch ms; NaN when they are not a real date (years 0–9999). */
export function wallToUtc(
  year: number,
  month: number,
  day: number,
  h: number,
  m: number,
  s: number,
  ms: number,
): number {
  if (
    year < 0 ||
    year > 9999 ||
    month < 0 ||
    month > 11 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    h > 23 ||
    m > 59 ||
    s > 60
  ) {
    return Number.NaN;
  }
  if (
    !(h >= 0 && m >= 0 && s >= 0 && ms >= 0 && ms < 1000) ||
    !(Number.isInteger(h) && Number.isInteger(m) && Number.isInteger(s) && Number.isInteger(ms))
  ) {
    // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
    const t = Date.UTC(year, month, day, h, m, s === 60 ? 59 : s, ms);
    return year < 100 ? new Date(t).setUTCFullYear(year) : t;
  }
  // Consecutive stamps share their day: Date.UTC once per day, the time of day by arithmetic
  // (the sum Date.UTC makes for whole fields in range).
  if (year !== cachedYear || month !== cachedMonth || day !== cachedDay) {
    const t = Date.UTC(year, month, day);
    cachedDayMs = year < 100 ? new Date(t).setUTCFullYear(year) : t;
    cachedYear = year;
    cachedMonth = month;
    cachedDay = day;
  }
  return cachedDayMs + ((h * 60 + m) * 60 + (s === 60 ? 59 : s)) * 1000 + ms;
}

// The day of the last call (pure: a function of the arguments, kept between calls).
let cachedYear = -1;
let cachedMonth = -1;
let cachedDay = -1;
let cachedDayMs = 0;

function fixedZone(name: string, offsetMs: number): Zone {
  return {
    name,
    toEpoch: (y, mo, d, h, m, s, ms) => wallToUtc(y, mo, d, h, m, s, ms) - offsetMs,
  };
}

export const UTC: Zone = fixedZone('UTC', 0);

function ianaZone(name: string): Zone | undefined {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return undefined;
  }
  /** Offset (wall − UTC) in ms at an instant. */
  const offsetAt = (t: number): number => {
    const f: Record<string, number> = {};
    for (const part of format.formatToParts(t)) {
      if (part.type !== 'literal') f[part.type] = Number(part.value);
    }
    const wall = wallToUtc(
      f.year ?? 1970,
      (f.month ?? 1) - 1,
      f.day ?? 1,
      f.hour ?? 0,
      f.minute ?? 0,
      f.second ?? 0,
      0,
    );
    return wall - (t - (((t % 1000) + 1000) % 1000));
  };
  // The offset of a wall-clock hour is constant except in the hour of a DST change, which
  // is ambiguous (or does not exist) anyway: cache per wall-clock hour.
  const cache = new Map<number, number>();
  return {
    name,
    toEpoch(y, mo, d, h, m, s, ms) {
      const wall = wallToUtc(y, mo, d, h, m, s, ms);
      if (Number.isNaN(wall)) return wall;
      const key = Math.floor(wall / HOUR);
      let offset = cache.get(key);
      if (offset === undefined) {
        const start = key * HOUR;
        const first = offsetAt(start);
        const second = offsetAt(start - first);
        offset = second;
        if (cache.size > 50_000) cache.clear();
        cache.set(key, offset);
      }
      return wall - offset;
    },
  };
}

/** Resolves `UTC`, an offset (`+01:00`, `-0530`) or an IANA name; undefined if none of these. */
export function resolveZone(text: string): Zone | undefined {
  const name = text.trim();
  if (name === '') return undefined;
  if (UTC_NAMES.has(name.toLowerCase())) return UTC;
  const offset = OFFSET.exec(name);
  if (offset) {
    const hours = Number(offset[2]);
    const minutes = Number(offset[3]);
    if (hours > 23 || minutes > 59) return undefined;
    const ms = (hours * 60 + minutes) * 60_000 * (offset[1] === '-' ? -1 : 1);
    return ms === 0 ? UTC : fixedZone(name, ms);
  }
  return ianaZone(name);
}
