import { wallToUtc, type Zone } from './timezone.js';

// Hand-written scanners for the two timestamp shapes syslog uses. Each returns the index just
// past the timestamp, or -1 when the text there is not a timestamp of that shape; the
// broken-down fields land in a caller-owned Stamp to avoid an allocation per line.

export interface Stamp {
  year: number; // -1 when the stamp has none (RFC 3164)
  month: number; // 0–11
  day: number;
  h: number;
  m: number;
  s: number;
  ms: number;
  /** Offset from UTC in minutes, or NaN when the stamp is zone-less. */
  offsetMinutes: number;
}

export function newStamp(): Stamp {
  return { year: -1, month: 0, day: 1, h: 0, m: 0, s: 0, ms: 0, offsetMinutes: Number.NaN };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Month index of the English abbreviation at `i` (case as written), or -1; no substring, and
 * no startsWith (a call costs more than the rest of the stamp).
 */
function monthAt(text: string, i: number): number {
  // The three letters as one number: a switch on the middle letter, then a check.
  const c = text.charCodeAt(i + 1);
  let m: number;
  switch (c) {
    case 97 /* a */:
      m = text.charCodeAt(i) === 74 ? 0 : text.charCodeAt(i + 2) === 114 ? 2 : 4; // Jan Mar May
      break;
    case 101 /* e */:
      m = text.charCodeAt(i) === 70 ? 1 : text.charCodeAt(i) === 83 ? 8 : 11; // Feb Sep Dec
      break;
    case 112 /* p */:
      m = 3; // Apr
      break;
    case 117 /* u */:
      m = text.charCodeAt(i + 2) === 110 ? 5 : text.charCodeAt(i + 2) === 108 ? 6 : 7; // Jun Jul Aug
      break;
    case 99 /* c */:
      m = 9; // Oct
      break;
    case 111 /* o */:
      m = 10; // Nov
      break;
    default:
      return -1;
  }
  const name = MONTHS[m]!;
  return text.charCodeAt(i) === name.charCodeAt(0) && text.charCodeAt(i + 2) === name.charCodeAt(2)
    ? m
    : -1;
}

function digit(text: string, i: number): number {
  const c = text.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

function two(text: string, i: number): number {
  const a = digit(text, i);
  const b = digit(text, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

function four(text: string, i: number): number {
  const a = two(text, i);
  const b = two(text, i + 2);
  return a < 0 || b < 0 ? -1 : a * 100 + b;
}

/** Fraction of a second: `.d…` (any number of digits, kept to milliseconds). */
function fraction(text: string, i: number, out: Stamp): number {
  out.ms = 0;
  if (text.charCodeAt(i) !== 46 /* . */) return i;
  let j = i + 1;
  let scale = 100;
  while (digit(text, j) >= 0) {
    if (scale >= 1) out.ms += digit(text, j) * scale;
    scale /= 10;
    j++;
  }
  return j === i + 1 ? -1 : j;
}

/** RFC 3339 / RFC 5424 TIMESTAMP: `2026-11-27T09:18:51.123+01:00`; a missing zone is tolerated. */
export function scanIsoStamp(text: string, i: number, out: Stamp): number {
  const year = four(text, i);
  if (year < 0 || text.charCodeAt(i + 4) !== 45 || text.charCodeAt(i + 7) !== 45) return -1;
  const month = two(text, i + 5);
  const day = two(text, i + 8);
  const t = text.charCodeAt(i + 10);
  if (month < 1 || day < 0 || (t !== 84 && t !== 116) /* T t */) return -1;
  const h = two(text, i + 11);
  const m = two(text, i + 14);
  const s = two(text, i + 17);
  if (h < 0 || m < 0 || s < 0 || text.charCodeAt(i + 13) !== 58 || text.charCodeAt(i + 16) !== 58) {
    return -1;
  }
  let j = fraction(text, i + 19, out);
  if (j < 0) return -1;
  out.year = year;
  out.month = month - 1;
  out.day = day;
  out.h = h;
  out.m = m;
  out.s = s;
  const z = text.charCodeAt(j);
  if (z === 90 || z === 122 /* Z z */) {
    out.offsetMinutes = 0;
    j++;
  } else if (z === 43 || z === 45 /* + - */) {
    const oh = two(text, j + 1);
    const om = two(text, j + 4);
    if (oh < 0 || om < 0 || text.charCodeAt(j + 3) !== 58) return -1;
    out.offsetMinutes = (oh * 60 + om) * (z === 45 ? -1 : 1);
    j += 6;
  } else {
    out.offsetMinutes = Number.NaN;
  }
  return j;
}

/**
 * RFC 3164 / `show log` stamp: `Nov 28 11:24:02`, `Aug  3 10:18:44` (space-padded day),
 * Junos `time-format`: `Aug 21 12:36:30.401 2006` (milliseconds and/or year after the time).
 */
export function scanBsdStamp(text: string, i: number, out: Stamp): number {
  const month = monthAt(text, i);
  if (month < 0 || text.charCodeAt(i + 3) !== 32) return -1;
  let j = i + 4;
  if (text.charCodeAt(j) === 32) j++;
  let day = digit(text, j);
  if (day < 0) return -1;
  j++;
  const d2 = digit(text, j);
  if (d2 >= 0) {
    day = day * 10 + d2;
    j++;
  }
  if (text.charCodeAt(j) !== 32) return -1;
  j++;
  const h = two(text, j);
  const m = two(text, j + 3);
  const s = two(text, j + 6);
  if (h < 0 || m < 0 || s < 0 || text.charCodeAt(j + 2) !== 58 || text.charCodeAt(j + 5) !== 58) {
    return -1;
  }
  j = fraction(text, j + 8, out);
  if (j < 0) return -1;
  out.year = -1;
  // `time-format year`: a four-digit year after the time.
  if (text.charCodeAt(j) === 32) {
    const year = four(text, j + 1);
    const after = text.charCodeAt(j + 5);
    if (year >= 0 && (after === 32 || Number.isNaN(after))) {
      out.year = year;
      j += 5;
    }
  }
  out.month = month;
  out.day = day;
  out.h = h;
  out.m = m;
  out.s = s;
  out.offsetMinutes = Number.NaN;
  return j;
}

/** Epoch ms of a complete stamp (year known); zone-less stamps are read in `zone`. */
export function stampToEpoch(stamp: Stamp, zone: Zone): number {
  const { year, month, day, h, m, s, ms } = stamp;
  if (Number.isNaN(stamp.offsetMinutes)) return zone.toEpoch(year, month, day, h, m, s, ms);
  return wallToUtc(year, month, day, h, m, s, ms) - stamp.offsetMinutes * 60_000;
}
