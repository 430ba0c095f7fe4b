import type { Observation } from '../../domain/observation.js';
import { Catalog } from '../catalog/catalog.js';
import type { CompiledEntry, MessageView, ObservationFields } from '../catalog/types.js';
import { finishMessage, newEnvelope, scanEnvelope } from './envelope.js';
import { stampToEpoch } from './timestamp.js';
import { resolveZone } from './timezone.js';
import { inferYear } from './year.js';

export type { CompiledEntry } from '../catalog/types.js';
export { resolveZone } from './timezone.js';

export interface SyslogParserOptions {
  /** Year for year-less (RFC 3164 / `show log`) timestamps; default: inferred from the context. */
  readonly year?: number;
  /** Zone of zone-less timestamps: an IANA name (`Europe/Paris`) or an offset (`+01:00`). Default UTC. */
  readonly timezone?: string;
  /** Operator catalog entries, tried before the built-in ones (see compileCatalogEntries). */
  readonly extraEntries?: readonly CompiledEntry[];
}

export interface ParseContext {
  /** Collector's clock when the line arrived (RFC 3339); copied to the observation. */
  readonly receivedAt?: string;
  /** Epoch ms used to infer the year of year-less timestamps (file mtime, receive time). */
  readonly referenceTime?: number;
  /** Address of the sender, copied to the observation. */
  readonly sender?: string;
}

/** Turns one syslog line (without its newline) into an observation. Never throws. */
export type SyslogParser = (line: string | Uint8Array, context?: ParseContext) => Observation;

/** Earliest and latest instants an RFC 3339 four-digit year can print. */
const MIN_MS = Date.parse('0000-01-01T00:00:00.000Z');
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const EPOCH = '1970-01-01T00:00:00.000Z';
const NO_CONTEXT: ParseContext = {};
/** No program name is a space (it ends the token): marks a program the catalog ignores. */
const IGNORED = ' ';
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const MILLIS = Array.from({ length: 1000 }, (_, i) => `.${String(i).padStart(3, '0')}Z`);

/** Strips one trailing LF or CRLF: `raw` is the line without its newline. */
function withoutNewline(text: string): string {
  let end = text.length;
  if (text.charCodeAt(end - 1) === 10) end--;
  if (text.charCodeAt(end - 1) === 13 && end < text.length) end--;
  return end === text.length ? text : text.slice(0, end);
}

function basename(program: string): string {
  const slash = program.lastIndexOf('/');
  return (slash >= 0 ? program.slice(slash + 1) : program).toLowerCase();
}

/**
 * Builds a parser. Throws RangeError for an unknown `timezone` or an impossible `year`
 * (configuration errors); the parser it returns never throws.
 *
 * - `router` is the line's HOSTNAME, else `context.sender`, else `-`.
 * - `time` is the router's stamp in RFC 3339 UTC. Year-less stamps take `year`, else the
 *   year inferred from `context.referenceTime` (else `receivedAt`; see year.ts); with
 *   neither, 1970. A line without a usable stamp takes `receivedAt`, else the reference
 *   time, else 1970-01-01T00:00:00.000Z.
 * - A line in no known syslog form, or whose message source names no program, becomes
 *   `unrecognized` with program ''.
 */
export function createSyslogParser(options: SyslogParserOptions = {}): SyslogParser {
  const zone = resolveZone(options.timezone ?? 'UTC');
  if (!zone) throw new RangeError(`unknown time zone: ${options.timezone}`);
  const fixedYear = options.year;
  if (
    fixedYear !== undefined &&
    !(Number.isInteger(fixedYear) && fixedYear >= 0 && fixedYear <= 9999)
  ) {
    throw new RangeError(`year must be an integer from 0 to 9999: ${fixedYear}`);
  }
  const catalog = new Catalog(options.extraEntries ?? []);
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  const env = newEnvelope();
  const view: { program: string; tag: string; text: string; sd: MessageView['sd'] } = {
    program: '',
    tag: '',
    text: '',
    sd: undefined,
  };

  // Formatting a Date for every line is a large part of the cost: format the minute once and
  // append seconds and milliseconds from tables.
  let lastMinute = Number.NaN;
  let minutePrefix = '';
  const iso = (ms: number): string => {
    const minute = Math.floor(ms / 60_000);
    if (minute !== lastMinute) {
      lastMinute = minute;
      minutePrefix = new Date(minute * 60_000).toISOString().slice(0, 17);
    }
    const rest = ms - minute * 60_000;
    const second = Math.floor(rest / 1000);
    return minutePrefix + TWO_DIGITS[second]! + MILLIS[rest - second * 1000]!;
  };
  let lastReceivedAt: string | undefined;
  let lastReceivedMs = Number.NaN;
  const referenceOf = (context: ParseContext): number => {
    if (context.referenceTime !== undefined && Number.isFinite(context.referenceTime)) {
      return context.referenceTime;
    }
    if (context.receivedAt === undefined) return Number.NaN;
    if (context.receivedAt !== lastReceivedAt) {
      lastReceivedAt = context.receivedAt;
      lastReceivedMs = Date.parse(context.receivedAt);
    }
    return lastReceivedMs;
  };
  // Year inference depends only on the month/day/time and the reference: cache the last one
  // (a file is read with one reference; consecutive lines share a day).
  let yearKey = Number.NaN;
  let yearRef = Number.NaN;
  let yearValue = 1970;

  const fallbackTime = (context: ParseContext): string => {
    const reference = referenceOf(context);
    if (context.receivedAt !== undefined && !Number.isNaN(lastReceivedMs)) {
      return context.receivedAt;
    }
    return reference >= MIN_MS && reference <= MAX_MS ? iso(reference) : EPOCH;
  };

  // The time of the last line, by its complete stamp: consecutive lines often share it.
  let lastYear = -1;
  let lastMonth = -1;
  let lastDay = -1;
  let lastH = -1;
  let lastM = -1;
  let lastS = -1;
  let lastMs = -1;
  let lastOffset = Number.NaN;
  let lastTime = '';

  const timeOf = (context: ParseContext): string => {
    if (!env.hasStamp) return fallbackTime(context);
    const stamp = env.stamp;
    if (stamp.year < 0) {
      if (fixedYear !== undefined) stamp.year = fixedYear;
      else {
        const reference = referenceOf(context);
        if (Number.isNaN(reference)) stamp.year = 1970;
        else {
          const key = ((stamp.month * 32 + stamp.day) * 24 + stamp.h) * 60 + stamp.m;
          if (key !== yearKey || reference !== yearRef) {
            yearKey = key;
            yearRef = reference;
            yearValue = inferYear(
              zone,
              reference,
              stamp.month,
              stamp.day,
              stamp.h,
              stamp.m,
              stamp.s,
            );
          }
          stamp.year = yearValue;
        }
      }
    }
    const offset = stamp.offsetMinutes;
    if (
      stamp.s === lastS &&
      stamp.ms === lastMs &&
      stamp.m === lastM &&
      stamp.h === lastH &&
      stamp.day === lastDay &&
      stamp.month === lastMonth &&
      stamp.year === lastYear &&
      (offset === lastOffset || (Number.isNaN(offset) && Number.isNaN(lastOffset)))
    ) {
      return lastTime;
    }
    const ms = stampToEpoch(stamp, zone);
    if (!(ms >= MIN_MS && ms <= MAX_MS)) return fallbackTime(context);
    lastYear = stamp.year;
    lastMonth = stamp.month;
    lastDay = stamp.day;
    lastH = stamp.h;
    lastM = stamp.m;
    lastS = stamp.s;
    lastMs = stamp.ms;
    lastOffset = offset;
    lastTime = iso(ms);
    return lastTime;
  };

  const observation = (
    kind: string,
    router: string,
    time: string,
    raw: string,
    context: ParseContext,
    data: ObservationFields,
  ): Observation => {
    if (context.receivedAt === undefined && context.sender === undefined) {
      return { v: 1, kind, router, time, source: 'syslog', raw, data } as Observation;
    }
    const o: Record<string, unknown> = { v: 1, kind, router, time };
    if (context.receivedAt !== undefined) o.receivedAt = context.receivedAt;
    o.source = 'syslog';
    o.raw = raw;
    if (context.sender !== undefined) o.sender = context.sender;
    o.data = data;
    return o as Observation;
  };

  // The catalog's own string for a program as written, IGNORED when the catalog reads none of
  // its lines, '' when it names no program. Cached: the same few programs repeat, and without
  // the cache every line of a program nobody reads paid a lowercase copy; the catalog's string
  // also makes the entries' program checks compare one pointer instead of characters.
  const catalogPrograms = new Map<string, string>();
  for (const p of catalog.programs) catalogPrograms.set(p, p);
  const resolved = new Map<string, string>();
  let lastWritten = '';
  let lastResolved = '';
  const catalogProgram = (written: string): string => {
    if (written === lastWritten) return lastResolved;
    let found = resolved.get(written);
    if (found === undefined) {
      const base = basename(written);
      found =
        catalogPrograms.get(written) ?? catalogPrograms.get(base) ?? (base === '' ? '' : IGNORED);
      // Bounded: a feed of made-up program names must not grow it without end.
      if (resolved.size >= 1024) resolved.clear();
      resolved.set(written, found);
    }
    lastWritten = written;
    lastResolved = found;
    return found;
  };

  const parse = (raw: string, context: ParseContext): Observation => {
    if (!scanEnvelope(raw, env, false)) {
      return observation(
        'unrecognized',
        context.sender || '-',
        fallbackTime(context),
        raw,
        context,
        {
          program: '',
        },
      );
    }
    const router = env.host || context.sender || '-';
    const time = timeOf(context);
    const program = catalogProgram(env.program);
    if (program === IGNORED || program === '') {
      if (program === IGNORED) {
        // Its tag and text are never read: the message is not scanned.
        return observation('ignored', router, time, raw, context, { program: env.program });
      }
      finishMessage(raw, env);
      const data: ObservationFields = { program: '' };
      if (env.tag) data.tag = env.tag;
      return observation('unrecognized', router, time, raw, context, data);
    }
    finishMessage(raw, env);
    view.program = program;
    view.tag = env.tag;
    view.text = env.text;
    view.sd = env.sd;
    const found = catalog.match(view);
    if (found) return observation(found.entry.kind, router, time, raw, context, found.fields);
    const data: ObservationFields = { program };
    if (env.tag) data.tag = env.tag;
    return observation('unrecognized', router, time, raw, context, data);
  };

  return (line, context = NO_CONTEXT) => {
    let raw = '';
    try {
      raw = withoutNewline(typeof line === 'string' ? line : decoder.decode(line));
      return parse(raw, context);
    } catch {
      // Defence in depth: the scanners are written not to throw, but an observation must come
      // out of every line whatever happens.
      return observation('unrecognized', context.sender || '-', EPOCH, raw, context, {
        program: '',
      });
    }
  };
}
