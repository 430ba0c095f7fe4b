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

/** Values Junos prints when it has none. */
const PLACEHOLDERS = new Set(['Not-Available', 'Not-Applicable', '-', 'N/A']);

function isWordChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45
  );
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

function token(value: string): string {
  let end = value.length;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 44 || c === 32 || c === 93 || c === 59 || c === 9) {
      end = i;
      break;
    }
  }
  while (end > 0) {
    const c = value.charCodeAt(end - 1);
    if (c !== 46 && c !== 58) break;
    end--;
  }
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
 * back; other garbage (replacement characters: bytes lost; control bytes) is omitted. `span` is the value before trimming, as
 * whitespace bytes are part of the address.
 */
export function rawIkeId(span: string): FieldValue | undefined {
  let value = span.startsWith(' ') ? span.slice(1) : span;
  if (value.endsWith(', ')) value = value.slice(0, -2);
  else if (value.endsWith(',') || value.endsWith(' ')) value = value.slice(0, -1);
  if (value.includes('\uFFFD')) return undefined;
  if (!isPrintableAscii(value)) {
    const bytes = utf8.encode(value);
    if (bytes.length === 4) return bytes.join('.');
    if (isGarbled(value)) return undefined;
  }
  return convert(value.trim(), 'ikeId');
}

function endpoint(value: string): FieldValue | undefined {
  const slash = value.lastIndexOf('/');
  if (slash > 0) {
    const port = value.slice(slash + 1);
    if (/^\d{1,5}$/.test(port) && Number(port) <= 65535) {
      return { ip: value.slice(0, slash), port: Number(port) };
    }
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

/** Converts a trimmed value; undefined when it is empty, a placeholder or not of the type. */
export function convert(value: string, type: FieldType = 'text'): FieldValue | undefined {
  if (value === '' || PLACEHOLDERS.has(value)) return undefined;
  if (type === 'text') return value;
  if (type === 'ikeId') return isGarbled(value) ? undefined : value;
  if (type === 'quicksecEndpoint') return quicksecEndpoint(value);
  const t = token(value);
  if (t === '' || PLACEHOLDERS.has(t)) return undefined;
  switch (type) {
    case 'token':
      return t;
    case 'int':
      return /^\d{1,15}$/.test(t) ? Number(t) : undefined;
    case 'spi':
      return normalizeSpi(t, 'hex');
    case 'spiDecimal':
      return normalizeSpi(t, 'decimal');
    case 'endpoint':
      return endpoint(t);
    case 'lower':
      return t.toLowerCase();
    case 'ikeVersion': {
      return t === '1' || t === '2' ? Number(t) : undefined;
    }
    case 'role': {
      const role = t.replace(/^\(|\)$/g, '').toLowerCase();
      return role === 'initiator' || role === 'responder' ? role : undefined;
    }
    case 'direction': {
      const direction = t.toLowerCase();
      return direction === 'inbound' || direction === 'outbound' ? direction : undefined;
    }
  }
}

/** Trailing separators between a value and the next label: `, ` `: ` `; ` and a sentence's `.`. */
function trimSeparators(value: string): string {
  let end = value.length;
  for (;;) {
    const c = value.charCodeAt(end - 1);
    if (c === 32 || c === 44 || c === 58 || c === 59 || c === 9) end--;
    else break;
  }
  if (value.charCodeAt(end - 1) === 46) end--;
  return value.slice(0, end).trim();
}

export type FieldScanner = (text: string, out: ObservationFields) => void;

/** Compiles label specs into a scanner that fills `out` (later non-empty values win). */
export function compileFieldScanner(specs: readonly FieldSpec[]): FieldScanner {
  const count = specs.length;
  const labels = specs.map((s) => s.label);
  const keys = specs.map((s) => s.key);
  const types = specs.map((s) => s.as ?? 'text');
  const before = labels.map((l) => isWordChar(l.charCodeAt(0)));
  const after = labels.map((l) => isWordChar(l.charCodeAt(l.length - 1)));
  const starts = new Int32Array(count);
  return (text, out) => {
    let cursor = 0;
    for (let i = 0; i < count; i++) {
      const p = findLabel(text, labels[i]!, cursor, before[i]!, after[i]!);
      starts[i] = p;
      if (p >= 0) cursor = p + labels[i]!.length;
    }
    for (let i = 0; i < count; i++) {
      const key = keys[i];
      const p = starts[i]!;
      if (key === undefined || p < 0) continue;
      let end = text.length;
      let last = true;
      for (let j = i + 1; j < count; j++) {
        if (starts[j]! >= 0) {
          end = starts[j]!;
          last = false;
          break;
        }
      }
      const span = text.slice(p + labels[i]!.length, end);
      const type = types[i];
      const value =
        type === 'ikeId'
          ? rawIkeId(span)
          : convert(last ? span.trim() : trimSeparators(span), type);
      if (value !== undefined) out[key] = value;
    }
  };
}
