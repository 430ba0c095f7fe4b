import { scanStructuredData, SdParams, type StructuredData } from './structured-data.js';
import { newStamp, scanBsdStamp, scanIsoStamp, type Stamp } from './timestamp.js';

// The syslog envelope of one line, in every form a Junos router, a relay or a log file
// produces (docs/syslog.md):
//   RFC 5424:  <PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD…|-] [BOM]MSG
//   RFC 3164:  [<PRI>]Mmm dd hh:mm:ss HOST prog[pid]: [%FAC-SEV-]TAG: text
//   show log:  Mmm dd hh:mm:ss  HOST prog[pid]: TAG: text   (two spaces, `Aug  3`)
//   SRX SPU:   … HOST (FPC Slot 1, PIC Slot 0) SPC1_PIC0 kmd[pid]: TAG: text
// A hand-written scanner: every step moves forward, so the cost is linear in the line.

export interface Envelope {
  stamp: Stamp;
  /** False for RFC 5424 `-` timestamps. */
  hasStamp: boolean;
  /** HOSTNAME ('' when absent or `-`). */
  host: string;
  /** Program as written, without `[pid]` ('' when the line names none). */
  program: string;
  /** Junos TAG or RFC 5424 MSGID ('' when none). */
  tag: string;
  /** Message text after the tag. */
  text: string;
  sd: SdParams | undefined;
  /** Scratch for `sd`, reused from line to line. */
  readonly sdParams: SdParams;
  /**
   * Where the message (tag and text) starts when scanEnvelope was asked not to read it yet
   * (see finishMessage); -1 once `tag` and `text` are final.
   */
  msgStart: number;
  /** Where `text` starts when the tag is final but the text not sliced yet; -1 otherwise. */
  textStart: number;
}

export function newEnvelope(): Envelope {
  return {
    stamp: newStamp(),
    hasStamp: false,
    host: '',
    program: '',
    tag: '',
    text: '',
    sd: undefined,
    sdParams: new SdParams(),
    msgStart: -1,
    textStart: -1,
  };
}

const SPU_PREFIX = '(FPC Slot ';

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Index of the next space (or the end of the line). */
function tokenEnd(line: string, i: number): number {
  const space = line.indexOf(' ', i);
  return space < 0 ? line.length : space;
}

function skipSpaces(line: string, i: number): number {
  while (line.charCodeAt(i) === 32) i++;
  return i;
}

/** The token [start, end), '' for the nil value `-`. */
function nilToken(line: string, start: number, end: number): string {
  if (end - start === 1 && line.charCodeAt(start) === 45) return '';
  return line.slice(start, end);
}

/**
 * Junos TAG at `i`: uppercase letters, digits and underscores (at least one underscore, so
 * that "IKE negotiation…" or "DPD:" are not taken for one), then `:`. Returns the index of
 * the colon, or -1.
 */
function scanTag(line: string, i: number): number {
  let j = i;
  const first = line.charCodeAt(j);
  if (!(first >= 65 && first <= 90)) return -1;
  let underscore = false;
  for (;;) {
    const c = line.charCodeAt(j);
    if ((c >= 65 && c <= 90) || isDigit(c)) j++;
    else if (c === 95) {
      underscore = true;
      j++;
    } else break;
  }
  if (!underscore || line.charCodeAt(j) !== 58) return -1;
  const after = line.charCodeAt(j + 1);
  return after === 32 || Number.isNaN(after) ? j : -1;
}

/**
 * `explicit-priority`: `%DAEMON-6-KMD_PM_SA_ESTABLISHED: text` (the tag may be absent:
 * `%DAEMON-6: text`). Returns the index where the tag (or text) starts, or -1.
 */
function skipExplicitPriority(line: string, i: number): number {
  let j = i + 1;
  const start = j;
  while (j < line.length) {
    const c = line.charCodeAt(j);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || isDigit(c)) j++;
    else break;
  }
  if (j === start || line.charCodeAt(j) !== 45) return -1;
  j++;
  if (!isDigit(line.charCodeAt(j))) return -1;
  while (isDigit(line.charCodeAt(j))) j++;
  const c = line.charCodeAt(j);
  if (c === 45) return j + 1;
  if (c === 58) return skipSpaces(line, j + 1);
  return -1;
}

/** Sets tag and text from the message part starting at `i`. */
function scanMessage(line: string, i: number, env: Envelope): void {
  if (line.charCodeAt(i) === 0xfeff) i++;
  // rsyslog's RFC 5424 forward templates keep the space that followed a BSD `prog[pid]:`,
  // so a relayed MSG starts with it (`… kmd 1555 - -  KMD_PM_SA_ESTABLISHED: …`).
  i = skipSpaces(line, i);
  if (line.charCodeAt(i) === 37 /* % */) {
    const after = skipExplicitPriority(line, i);
    if (after >= 0) i = after;
  }
  const colon = scanTag(line, i);
  if (colon >= 0) {
    const tag = line.slice(i, colon);
    if (env.tag === '' || env.tag === tag) {
      env.tag = tag;
      i = skipSpaces(line, colon + 1);
    }
  }
  env.text = i === 0 ? line : line.slice(i);
}

const sdScratch: StructuredData = { end: -1, paramsStart: -1, paramsEnd: -1 };

/** RFC 5424 after `<PRI>1 ` (or after `<PRI>` when a sender omits the version). */
function scan5424(line: string, i: number, env: Envelope): boolean {
  if (line.charCodeAt(i) === 45 /* - */ && line.charCodeAt(i + 1) === 32) {
    env.hasStamp = false;
    i += 2;
  } else {
    const end = scanIsoStamp(line, i, env.stamp);
    if (end < 0 || line.charCodeAt(end) !== 32) return false;
    env.hasStamp = true;
    i = end + 1;
  }
  i = skipSpaces(line, i);
  let end = tokenEnd(line, i);
  env.host = nilToken(line, i, end);
  i = skipSpaces(line, end);
  end = tokenEnd(line, i);
  env.program = nilToken(line, i, end);
  i = skipSpaces(line, end);
  end = tokenEnd(line, i); // PROCID
  i = skipSpaces(line, end);
  end = tokenEnd(line, i);
  env.tag = nilToken(line, i, end);
  i = end < line.length ? end + 1 : end;
  if (
    line.charCodeAt(i) === 45 /* - */ &&
    (line.charCodeAt(i + 1) === 32 || i + 1 === line.length)
  ) {
    i += 2;
  } else if (line.charCodeAt(i) === 91 /* [ */) {
    scanStructuredData(line, i, sdScratch, env.sdParams);
    if (sdScratch.end >= 0) {
      if (sdScratch.paramsStart >= 0) env.sd = env.sdParams;
      i = sdScratch.end;
      if (line.charCodeAt(i) === 32) i++;
    }
  }
  if (i < line.length) env.msgStart = i;
  return true;
}

// The usual header after an RFC 3164 stamp (`  HOST prog[pid]: TAG: `), read by one regex:
// irregexp's compiled code reads it in about a third of the time of the character loop below
// (charCodeAt costs ~1.2 ns a character on a sliced or flattened line). It accepts only what
// the loop reads the same way, so its groups are the loop's values: a host token without `[`
// not ending with `:` (else it is the program) nor starting with `(` (the SPU prefix), a
// program not starting with `(`, a `[pid]` without space, and a message not starting with a
// BOM or `%`; the tag as scanTag reads it (the longest run of [A-Z0-9_], so the regex cannot
// stop earlier). Anything else goes through the loop (test/junos/syslog/envelope.unit.test.ts
// checks regex = loop on generated and mutated lines). Each quantifier stops at a fixed
// delimiter and the regex is sticky at one position: linear time.
const HEADER_3164 =
  / +((?!\()[^ []*[^ [:]) +((?!\()[^ :[]+)(?:\[[^ \]]*\])?:(?! *[\ufeff%]) *(?:([A-Z][A-Z0-9]*_[A-Z0-9_]*):(?= |$) *)?/y;

/** Lets tests compare the regex with the character loop. */
export const envelopeOptions = { headerRegex: true };

/** After an RFC 3164 timestamp: `HOST [(FPC Slot…) SPCx_PICy] prog[pid]: message`. */
function scan3164(line: string, i: number, env: Envelope): boolean {
  if (line.charCodeAt(i) !== 32) return false;
  if (envelopeOptions.headerRegex) {
    HEADER_3164.lastIndex = i;
    const m = HEADER_3164.exec(line);
    if (m !== null) {
      env.host = m[1]!;
      env.program = m[2]!;
      const tag = m[3];
      if (tag !== undefined) env.tag = tag;
      env.textStart = HEADER_3164.lastIndex;
      return true;
    }
  }
  i = skipSpaces(line, i);
  let end = tokenEnd(line, i);
  // A line without HOSTNAME starts with the program (`kmd[1]:`) or with the SPU prefix.
  if (!(endsProgram(line, i, end) || isSpuPrefix(line, i))) {
    env.host = line.slice(i, end);
    i = skipSpaces(line, end);
  }
  if (isSpuPrefix(line, i)) {
    const close = line.indexOf(')', i);
    if (close < 0) return false;
    i = skipSpaces(line, close + 1);
    end = tokenEnd(line, i);
    if (!endsProgram(line, i, end)) i = skipSpaces(line, end);
  }
  // prog[pid]: or prog:
  let j = i;
  while (j < line.length) {
    const c = line.charCodeAt(j);
    if (c === 58 || c === 32 || c === 91) break;
    j++;
  }
  const programEnd = j;
  if (line.charCodeAt(j) === 91 /* [ */) {
    const close = line.indexOf(']', j);
    if (close < 0 || close > tokenEnd(line, j)) return noProgram(line, i, env);
    j = close + 1;
  }
  if (line.charCodeAt(j) !== 58 || j === i) return noProgram(line, i, env);
  env.program = line.slice(i, programEnd);
  env.msgStart = skipSpaces(line, j + 1);
  return true;
}

/** `(FPC Slot ` at `i` (the first character is checked first: startsWith is not cheap). */
function isSpuPrefix(line: string, i: number): boolean {
  return line.charCodeAt(i) === 40 /* ( */ && line.startsWith(SPU_PREFIX, i);
}

/** The token [start, end) ends with `:` or contains `[`: it is a program, not a host. */
function endsProgram(line: string, start: number, end: number): boolean {
  if (end > start && line.charCodeAt(end - 1) === 58) return true;
  const bracket = line.indexOf('[', start);
  return bracket >= 0 && bracket < end;
}

/** A BSD line whose message source names no program: text kept, program ''. */
function noProgram(line: string, i: number, env: Envelope): boolean {
  env.program = '';
  env.text = line.slice(i);
  return true;
}

/**
 * Parses the envelope; false when the line is in no known form. With `message` false the
 * tag and text are left for finishMessage (a line of a program nobody reads needs neither).
 */
export function scanEnvelope(line: string, env: Envelope, message = true): boolean {
  const ok = scanHeader(line, env);
  if (ok && message) finishMessage(line, env);
  return ok;
}

/** Reads the tag and text that scanEnvelope(…, false) left. */
export function finishMessage(line: string, env: Envelope): void {
  if (env.textStart >= 0) {
    env.text = line.slice(env.textStart);
    env.textStart = -1;
    return;
  }
  if (env.msgStart < 0) return;
  const start = env.msgStart;
  env.msgStart = -1;
  scanMessage(line, start, env);
}

function scanHeader(line: string, env: Envelope): boolean {
  env.msgStart = -1;
  env.textStart = -1;
  env.hasStamp = false;
  env.host = '';
  env.program = '';
  env.tag = '';
  env.text = '';
  env.sd = undefined;
  let i = 0;
  if (line.charCodeAt(0) === 0xfeff) i = 1;
  let pri = false;
  if (line.charCodeAt(i) === 60 /* < */) {
    let j = i + 1;
    while (j < i + 4 && isDigit(line.charCodeAt(j))) j++;
    if (j === i + 1 || line.charCodeAt(j) !== 62 /* > */) return false;
    i = j + 1;
    pri = true;
  }
  if (pri && line.charCodeAt(i) === 49 /* 1 */ && line.charCodeAt(i + 1) === 32) {
    return scan5424(line, i + 2, env);
  }
  i = skipSpaces(line, i);
  if (isDigit(line.charCodeAt(i))) {
    // An RFC 3339 stamp: a relay's BSD form (`<30>2026-…+01:00 host kmd[1]: …`) or RFC 5424
    // without its version (`<166> 2023-… host - - - text`). The program token tells them apart.
    const end = scanIsoStamp(line, i, env.stamp);
    if (end < 0 || line.charCodeAt(end) !== 32) return false;
    const hostEnd = tokenEnd(line, skipSpaces(line, end));
    const next = skipSpaces(line, hostEnd);
    env.hasStamp = true;
    if (pri && !endsProgram(line, next, tokenEnd(line, next))) return scan5424(line, i, env);
    return scan3164(line, end, env);
  }
  const end = scanBsdStamp(line, i, env.stamp);
  if (end < 0) return false;
  env.hasStamp = true;
  return scan3164(line, end, env);
}
