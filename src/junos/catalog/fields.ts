import { normalizeSpi } from '../../domain/spi.js';
import type { FieldValue, ObservationFields } from './types.js';

// Field extraction for Junos "Label: value, Label: value" texts. Labels are located in order
// with indexOf, and a value runs up to the next label found. Splitting on ", " would break on
// values that contain commas (proxy IDs `ipv4_subnet(any:0,[0..7]=0.0.0.0/0)`, IKE-IDs that
// are certificate DNs), and this also tolerates what real lines do: a missing comma
// (`VPN: x Gateway: y`), `VR-ID: 5: Role:` next to `VR-ID: 5, Role:`, empty values rendered
// as double spaces (`Traffic-selector:  FC Name:`), and garbage bytes inside a value.
// Every label of the message must be listed (as a marker without `key` if its value is not
// wanted), otherwise the previous value runs over it.
// Values are trimmed by index on the line and sliced once; no regex, no intermediate strings.
// kmd's usual layouts are read by fast.ts first (same fields, checked by the differential
// test); this scanner is the definition they follow and the path for everything else.

export type FieldType =
  /** The value verbatim (trimmed). */
  | 'text'
  /** The first word: up to a comma, space, `]` or `;`, trailing `.`/`:` removed. */
  | 'token'
  | 'int'
  /** Hex SPI (`0x9cc87ce6`) → `0x` + 8 lowercase hex digits. */
  | 'spi'
  /** Decimal SPI (structured-data `index1`) → `0x` + 8 lowercase hex digits. */
  | 'spiDecimal'
  /** `ip/port` → { ip, port }. */
  | 'endpoint'
  /** QuickSec-style `ipv4(udp:500,[0..3]=10.0.0.1)` → { ip, port }. */
  | 'quicksecEndpoint'
  | 'lower'
  | 'ikeVersion'
  /** IKE identity: omitted when it holds garbage (replacement characters, control bytes). */
  | 'ikeId'
  | 'role'
  | 'direction';

export interface FieldSpec {
  /** Text that introduces the value, e.g. `Local gateway:`. */
  readonly label: string;
  /** Data field to fill; absent for a marker that only ends the previous value. */
  readonly key?: string;
  readonly as?: FieldType;
}

/** Values Junos prints when it has none: Not-Available, Not-Applicable, N/A, -. */
export function isPlaceholder(v: string): boolean {
  switch (v.length) {
    case 1:
      return v === '-';
    case 3:
      return v === 'N/A';
    case 13:
      return v === 'Not-Available';
    case 14:
      return v === 'Not-Applicable';
    default:
      return false;
  }
}

/**
 * `text.startsWith(word, at)`, cheaper on Node 20: startsWith is a slow builtin there, indexOf
 * returns at once when the word is where it is expected (otherwise it searches on: linear).
 */
export function startsAt(text: string, word: string, at: number): boolean {
  if (word.length === 0) return at <= text.length;
  return text.charCodeAt(at) === word.charCodeAt(0) && text.indexOf(word, at) === at;
}

export function isWordChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45
  );
}

/** Whitespace as String.prototype.trim sees it, for the characters lines contain. */
export function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0xfeff;
}

/**
 * The end of a free-text value between `s` and `e`, trimmed of whitespace and, unless it is the
 * `last` label's (which runs to the end of the text), of the separators before the next label:
 * `, ` `: ` `; ` and a sentence's `.`.
 */
export function textValueEnd(text: string, s: number, e: number, last: boolean): number {
  while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
  if (!last) {
    while (e > s) {
      const c = text.charCodeAt(e - 1);
      if (c === 44 || c === 58 || c === 59 || isSpace(c)) e--;
      else break;
    }
    if (e > s && text.charCodeAt(e - 1) === 46) e--;
    while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
  }
  return e;
}

/**
 * An IKE ID between `start` and `end`: printable ASCII (the normal case) trimmed of spaces and a
 * trailing comma, sliced once; anything else kept as rawIkeId gives it (garbage bytes happen).
 */
export function ikeIdBetween(text: string, start: number, end: number): FieldValue | undefined {
  let a = start;
  let b = end;
  while (a < b && text.charCodeAt(a) === 32) a++;
  while (b > a) {
    const c = text.charCodeAt(b - 1);
    if (c === 32 || c === 44) b--;
    else break;
  }
  for (let k = a; k < b; k++) {
    const c = text.charCodeAt(k);
    if (c < 33 || c > 126) return rawIkeId(text.slice(start, end));
  }
  if (b <= a) return undefined;
  const v = text.slice(a, b);
  return isPlaceholder(v) ? undefined : v;
}

/** Ends a token: `,` space `]` `;` tab. */
function endsToken(c: number): boolean {
  return c === 44 || c === 32 || c === 93 || c === 59 || c === 9;
}

function findLabel(
  text: string,
  label: string,
  from: number,
  before: boolean,
  after: boolean,
): number {
  let p = text.indexOf(label, from);
  while (p >= 0) {
    const okBefore = !before || p === 0 || !isWordChar(text.charCodeAt(p - 1));
    const okAfter = !after || !isWordChar(text.charCodeAt(p + label.length));
    if (okBefore && okAfter) return p;
    p = text.indexOf(label, p + 1);
  }
  return -1;
}

/** End of the token starting at `s` (before `e`), trailing `.`/`:` removed. */
function tokenEnd(text: string, s: number, e: number): number {
  let end = s;
  while (end < e && !endsToken(text.charCodeAt(end))) end++;
  while (end > s) {
    const c = text.charCodeAt(end - 1);
    if (c !== 46 && c !== 58) break;
    end--;
  }
  return end;
}

function token(value: string): string {
  const end = tokenEnd(value, 0, value.length);
  return end === value.length ? value : value.slice(0, end);
}

function isPrintableAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 32 || c > 126) return false;
  }
  return true;
}

function isGarbled(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 32 || c === 127 || (c >= 0x80 && c <= 0x9f) || c === 0xfffd) return true;
  }
  return false;
}

const utf8 = new TextEncoder();

/**
 * kmd prints an IPv4 IKE-ID on `KMD_VPN_UP_ALARM_USER` as its 4 raw bytes: `\rDʦ` is
 * 0D 44 CA A6 = 13.68.202.166, the ID the DOWN line of the same tunnel prints (fabferri
 * overlay article). A value of exactly 4 UTF-8 bytes that is not printable ASCII is decoded
 * back; other garbage (replacement characters: bytes lost; control bytes) is omitted.
 * `span` is the value before trimming, as whitespace bytes are part of the address.
 */
export function rawIkeId(span: string): FieldValue | undefined {
  let value = span.startsWith(' ') ? span.slice(1) : span;
  if (value.endsWith(', ')) value = value.slice(0, -2);
  else if (value.endsWith(',') || value.endsWith(' ')) value = value.slice(0, -1);
  if (isPrintableAscii(value)) return convert(value, 'ikeId');
  if (value.includes('\uFFFD')) return undefined;
  const bytes = utf8.encode(value);
  if (bytes.length === 4) return bytes.join('.');
  return isGarbled(value) ? undefined : convert(value, 'ikeId');
}

/** Digits only, at most `max` of them → the number; else -1. */
function digits(value: string, start: number, max: number): number {
  const n = value.length - start;
  if (n < 1 || n > max) return -1;
  let result = 0;
  for (let i = start; i < value.length; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    result = result * 10 + d;
  }
  return result;
}

function endpoint(value: string): FieldValue {
  const slash = value.lastIndexOf('/');
  if (slash > 0) {
    const port = digits(value, slash + 1, 5);
    if (port >= 0 && port <= 65535) return { ip: value.slice(0, slash), port };
  }
  return { ip: value };
}

function quicksecEndpoint(value: string): FieldValue | undefined {
  const eq = value.lastIndexOf('=');
  let ip = eq >= 0 ? value.slice(eq + 1) : value;
  const close = ip.indexOf(')');
  if (close >= 0) ip = ip.slice(0, close);
  ip = token(ip.trim());
  if (ip === '') return undefined;
  const proto = /\b(?:udp|tcp):(\d{1,5})\b/.exec(value);
  return proto?.[1] ? { ip, port: Number(proto[1]) } : { ip };
}

function isLowerHex(value: string, start: number): boolean {
  for (let i = start; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

export function spi(value: string): string | undefined {
  // Fast path: already `0x` + 8 lowercase hex digits, as kmd prints it.
  if (
    value.length === 10 &&
    value.charCodeAt(0) === 48 &&
    value.charCodeAt(1) === 120 &&
    isLowerHex(value, 2)
  ) {
    return value;
  }
  return normalizeSpi(value, 'hex');
}

function oneOf(value: string, a: string, b: string): string | undefined {
  if (value === a || value === b) return value;
  const lower = value.toLowerCase();
  return lower === a || lower === b ? lower : undefined;
}

/** Converts a token (already cut, non-empty); undefined when it is not of the type. */
function convertToken(t: string, type: FieldType): FieldValue | undefined {
  if (isPlaceholder(t)) return undefined;
  switch (type) {
    case 'token':
    case 'text':
    case 'ikeId':
      return t;
    case 'int': {
      const n = digits(t, 0, 15);
      return n >= 0 ? n : undefined;
    }
    case 'spi':
      return spi(t);
    case 'spiDecimal':
      return normalizeSpi(t, 'decimal');
    case 'endpoint':
      return endpoint(t);
    case 'quicksecEndpoint':
      return quicksecEndpoint(t);
    case 'lower':
      return t.toLowerCase();
    case 'ikeVersion':
      return t === '1' ? 1 : t === '2' ? 2 : undefined;
    case 'role': {
      const open = t.charCodeAt(0) === 40 ? 1 : 0;
      const close = t.charCodeAt(t.length - 1) === 41 ? 1 : 0;
      return oneOf(open || close ? t.slice(open, t.length - close) : t, 'initiator', 'responder');
    }
    case 'direction':
      return oneOf(t, 'inbound', 'outbound');
  }
}

/** Types whose value is the first token of the span. */
function isTokenType(type: FieldType): boolean {
  return type !== 'text' && type !== 'ikeId' && type !== 'quicksecEndpoint';
}

/** Converts a value (trimmed here); undefined when empty, a placeholder or not of the type. */
export function convert(value: string, type: FieldType = 'text'): FieldValue | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (type === 'ikeId' && isGarbled(trimmed)) return undefined;
  const t = isTokenType(type) ? token(trimmed) : trimmed;
  return t === '' ? undefined : convertToken(t, type);
}

export type FieldScanner = (text: string, out: ObservationFields) => void;

/**
 * Compiles label specs into a scanner that fills `out` (later non-empty values win).
 * One pass, labels in order; each label is searched from the end of the previous value.
 */
export function compileFieldScanner(specs: readonly FieldSpec[]): FieldScanner {
  const count = specs.length;
  const labels = specs.map((s) => s.label);
  const lengths = labels.map((l) => l.length);
  const keys = specs.map((s) => s.key);
  const types = specs.map((s) => s.as ?? 'text');
  const tokens = types.map(isTokenType);
  const before = labels.map((l) => isWordChar(l.charCodeAt(0)));
  const after = labels.map((l) => isWordChar(l.charCodeAt(l.length - 1)));

  const emit = (
    text: string,
    out: ObservationFields,
    i: number,
    start: number,
    end: number,
    tokenStart: number,
    tokenStop: number,
    last: boolean,
  ): void => {
    const key = keys[i];
    if (key === undefined) return;
    const type = types[i]!;
    let s = start;
    let e = end;
    if (tokens[i]) {
      s = tokenStart;
      e = tokenStop < end ? tokenStop : end;
      while (e > s) {
        const c = text.charCodeAt(e - 1);
        if (c !== 46 && c !== 58) break;
        e--;
      }
    } else if (type === 'ikeId') {
      const value = ikeIdBetween(text, s, e);
      if (value !== undefined) out[key] = value;
      return;
    } else {
      while (s < e && isSpace(text.charCodeAt(s))) s++;
      e = textValueEnd(text, s, e, last);
    }
    if (e <= s) return;
    const value = convertToken(text.slice(s, e), type);
    if (value !== undefined) out[key] = value;
  };

  return (text, out) => {
    const n = text.length;
    let cursor = 0;
    let open = -1; // field whose value runs until the next label found
    let openStart = 0;
    let tokenStart = 0;
    let tokenStop = 0;
    let guess = -1; // where the next label probably starts
    for (let i = 0; i < count; i++) {
      const label = labels[i]!;
      const length = lengths[i]!;
      // After a token the label is searched from just past its separator (`, ` `: ` ` `),
      // where it almost always is: indexOf then hits at once.
      let from = cursor;
      if (guess >= 0) {
        from = guess;
        const stop = guess + 3;
        while (from < stop) {
          const c = text.charCodeAt(from);
          if (c === 44 || c === 32 || c === 58 || c === 59) from++;
          else break;
        }
      }
      const p = findLabel(text, label, from, before[i]!, after[i]!);
      if (p < 0) continue;
      if (open >= 0) emit(text, out, open, openStart, p, tokenStart, tokenStop, false);
      open = i;
      openStart = p + length;
      cursor = openStart;
      guess = -1;
      if (tokens[i]) {
        let s = openStart;
        while (s < n && isSpace(text.charCodeAt(s))) s++;
        let e = s;
        while (e < n) {
          const c = text.charCodeAt(e);
          if (c === 44 || c === 32 || c === 93 || c === 59 || c === 9) break;
          e++;
        }
        tokenStart = s;
        tokenStop = e;
        guess = e;
      }
    }
    if (open >= 0) emit(text, out, open, openStart, n, tokenStart, tokenStop, true);
  };
}
