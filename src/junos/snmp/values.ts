import { INET_IPV4, INET_IPV6 } from './oids.js';

// Value codecs for SNMP varbinds as npm net-snmp hands them over: OCTET STRINGs and Counter64s
// arrive as Buffers (Counter64 big-endian, variable length: net-snmp issue #44), integers as
// numbers. Every decoder returns undefined for a value it cannot read; none throws.

export type Bytes = Uint8Array;

/** Shared: decoding without `stream` keeps no state between calls. */
export const UTF8 = new TextDecoder('utf-8');
export const UTF8_ENCODER = new TextEncoder();

export function isBytes(value: unknown): value is Bytes {
  return value instanceof Uint8Array;
}

/** IPv4 dotted quad from 4 octets. */
export function formatIpv4(b: Bytes, at = 0): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

/** IPv6 text in RFC 5952 form (lowercase, longest run of ≥2 zero groups compressed). */
export function formatIpv6(b: Bytes, at = 0): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(((b[at + 2 * i] ?? 0) << 8) | (b[at + 2 * i + 1] ?? 0));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: number): string => g.toString(16);
  if (bestLen < 2) return groups.map(hex).join(':');
  const head = groups.slice(0, bestStart).map(hex).join(':');
  const tail = groups
    .slice(bestStart + bestLen)
    .map(hex)
    .join(':');
  return `${head}::${tail}`;
}

/** Octets of an IPv4 or IPv6 address written as text; undefined when it is not one. */
export function parseIpText(text: string): Bytes | undefined {
  if (text.includes(':')) return parseIpv6Text(text);
  return parseIpv4Text(text);
}

function parseIpv4Text(text: string): Bytes | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i] ?? '';
    if (!/^[0-9]{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

function parseIpv6Text(text: string): Bytes | undefined {
  if (text.length > 45) return undefined;
  let body = text;
  const tailBytes: number[] = [];
  const lastColon = body.lastIndexOf(':');
  if (body.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4Text(body.slice(lastColon + 1));
    if (!v4) return undefined;
    tailBytes.push(...v4);
    body = body.slice(0, lastColon + 1) + '0:0';
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const gs = s.split(':');
    const out: number[] = [];
    for (const g of gs) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(Number.parseInt(g, 16));
    }
    return out;
  };
  const head = parseGroups(halves[0] ?? '');
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  if (tailBytes.length === 4) out.set(tailBytes, 12);
  return out;
}

const PRINTABLE = /^[\x20-\x7e]*$/;

/** Text of a DisplayString value (Buffer or string); undefined for anything else. */
export function decodeText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!isBytes(value)) return undefined;
  return UTF8.decode(value);
}

/**
 * An InetAddress value as text. Agents give 4 or 16 raw octets, but a real SRX 23.4 walk gives
 * the ASCII text of the address (snmp-model.md §5), so printable text that parses as an address
 * wins over the raw reading, and the address type (when the row has one) settles 4 octets.
 */
export function decodeInetAddress(value: unknown, addrType?: number): string | undefined {
  if (typeof value === 'string') return normalizeIpText(value);
  if (!isBytes(value)) return undefined;
  const n = value.length;
  if (n === 0) return '';
  if (n === 4 && addrType !== INET_IPV6) return formatIpv4(value);
  if (n === 16 && addrType !== INET_IPV4) {
    const asText = asciiAddress(value);
    return asText ?? formatIpv6(value);
  }
  return asciiAddress(value);
}

function asciiAddress(b: Bytes): string | undefined {
  let s = '';
  for (const byte of b) s += String.fromCharCode(byte);
  if (!PRINTABLE.test(s)) return undefined;
  return normalizeIpText(s.trim());
}

function normalizeIpText(text: string): string | undefined {
  const bytes = parseIpText(text);
  if (!bytes) return undefined;
  return bytes.length === 4 ? formatIpv4(bytes) : formatIpv6(bytes);
}

/** Octets of an address text for an InetAddress value or index (4 for IPv4, 16 for IPv6). */
export function encodeInetAddress(text: string): Bytes {
  const bytes = parseIpText(text);
  if (!bytes) throw new Error(`not an IP address: ${JSON.stringify(text)}`);
  return bytes;
}

/** InetAddressType of an address text: ipv4(1) or ipv6(2). */
export function inetAddressTypeOf(text: string): number {
  return text.includes(':') ? INET_IPV6 : INET_IPV4;
}

/** A Counter64 as a decimal string: a big-endian Buffer of any length, a bigint or a number. */
export function decodeCounter64(value: unknown): string | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined;
  }
  if (typeof value === 'bigint') return value >= 0n ? value.toString() : undefined;
  if (!isBytes(value) || value.length > 9) return undefined;
  if (value.length === 9 && value[0] !== 0) return undefined;
  if (value.length <= 6) {
    // Below 2^48: exact in a double, and much cheaper than BigInt.
    let small = 0;
    for (const byte of value) small = small * 256 + byte;
    return String(small);
  }
  let n = 0n;
  for (const byte of value) n = (n << 8n) | BigInt(byte);
  return n.toString();
}

/** Minimal big-endian octets of a Counter64 (at least one octet), as net-snmp sends them. */
export function encodeCounter64(value: bigint | number | string): Bytes {
  let n = BigInt(value);
  if (n < 0n || n >= 1n << 64n) throw new Error(`Counter64 out of range: ${String(value)}`);
  const out: number[] = [];
  do {
    out.unshift(Number(n & 0xffn));
    n >>= 8n;
  } while (n > 0n);
  return Uint8Array.from(out);
}

/** An SNMP integer value: a safe integer number. */
export function decodeInteger(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'bigint' && value >= BigInt(Number.MIN_SAFE_INTEGER)) {
    if (value <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(value);
  }
  return undefined;
}

/** An SPI (Unsigned32) as `0x` and 8 lowercase hex digits. */
export function formatSpi(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
}

/** Octets as lowercase hex, e.g. for a binary OCTET STRING in a trap. */
export function hex(b: Bytes): string {
  let s = '';
  for (const byte of b) s += byte.toString(16).padStart(2, '0');
  return s;
}
