// RFC 5424 §6.3 STRUCTURED-DATA: `[SD-ID name="value" …][…]`. Inside a PARAM-VALUE, `"`, `\`
// and `]` are escaped with a backslash; any other backslash is kept as it is (§6.3.3).
// Junos writes one element whose SD-ID is `junos@2636.<jnxProductName OID suffix>`: the
// suffix differs per platform, so only a prefix is matched. The prefix is `junos@` rather
// than `junos@2636.` (2636 is Juniper's enterprise number) so that anonymised captures, such
// as elastic's `junos@1111.1.1.1.1.111` test data, parse as well.
// The envelope only checks the syntax and remembers where the Junos parameters are; a
// catalog entry then reads the few parameters it maps (no map of every parameter per line).

import type { StructuredParams } from '../catalog/types.js';

export const JUNOS_SD_PREFIX = 'junos@';

export interface StructuredData {
  /** Index just past the last element; -1 when the text is not well-formed SD. */
  end: number;
  /** Parameters of the Junos element: from the space after its SD-ID to its `]`; -1 without one. */
  paramsStart: number;
  paramsEnd: number;
}

/** The needle SdParams.value looks for: ` name="`. */
export function sdNeedle(name: string): string {
  return ` ${name}="`;
}

function unescape(text: string, start: number, end: number): string {
  let out = '';
  let chunk = start;
  let j = text.indexOf('\\', start);
  while (j >= 0 && j < end) {
    const e = text.charCodeAt(j + 1);
    if (e === 34 || e === 92 || e === 93) {
      out += text.slice(chunk, j);
      chunk = j + 1;
      j = text.indexOf('\\', j + 2);
    } else {
      j = text.indexOf('\\', j + 1);
    }
  }
  return out + text.slice(chunk, end);
}

/**
 * End of the PARAM-VALUE starting at `j`: the index of its closing quote, the first quote
 * not escaped (preceded by an even run of backslashes), or -1. indexOf does the scanning:
 * a character loop over every byte of a line costs more than the rest of the parse.
 */
function valueEnd(text: string, j: number, limit: number): number {
  let k = j;
  for (;;) {
    const quote = text.indexOf('"', k);
    if (quote < 0 || quote >= limit) return -1;
    let b = quote - 1;
    while (b >= k && text.charCodeAt(b) === 92) b--;
    if ((quote - 1 - b) % 2 === 0) return quote;
    k = quote + 1;
  }
}

/** The Junos parameters of one line; reused from line to line. */
export class SdParams implements StructuredParams {
  private text = '';
  private start = 0;
  private end = 0;

  /**
   * A backslash at or after `backslashFrom` with none between them (-1: none at all after it;
   * -2: not looked for yet). Entries read parameters in line order, so one search serves
   * several values instead of one search to the end of the line per value.
   */
  private backslash = -2;
  private backslashFrom = 0;

  reset(text: string, start: number, end: number): this {
    this.text = text;
    this.start = start;
    this.end = end;
    this.backslash = -2;
    return this;
  }

  /** `text.indexOf('\\', v)`. */
  private backslashAfter(v: number): number {
    if (this.backslash !== -2 && v >= this.backslashFrom) {
      if (this.backslash === -1 || this.backslash >= v) return this.backslash;
    }
    this.backslashFrom = v;
    this.backslash = this.text.indexOf('\\', v);
    return this.backslash;
  }

  /** Unescaped value of the parameter `needle` (= sdNeedle(name)) names; undefined if absent. */
  value(needle: string): string | undefined {
    const text = this.text;
    const p = text.indexOf(needle, this.start);
    if (p < 0 || p >= this.end) return undefined;
    const v = p + needle.length;
    const q = valueEnd(text, v, this.end);
    if (q < 0) return undefined;
    const backslash = this.backslashAfter(v);
    return backslash < 0 || backslash > q ? text.slice(v, q) : unescape(text, v, q);
  }

  /** Every parameter, for tests and diagnostics. */
  toObject(): Record<string, string> {
    const out: Record<string, string> = {};
    const text = this.text;
    let j = this.start;
    while (j < this.end) {
      while (text.charCodeAt(j) === 32) j++;
      const eq = text.indexOf('="', j);
      if (eq < 0 || eq >= this.end) break;
      const q = valueEnd(text, eq + 2, this.end);
      if (q < 0) break;
      out[text.slice(j, eq)] = unescape(text, eq + 2, q);
      j = q + 1;
    }
    return out;
  }
}

/** Checks SD elements from `i` (which holds `[`). Linear in the text length. */
export function scanStructuredData(text: string, i: number, out: StructuredData): void {
  out.end = -1;
  out.paramsStart = -1;
  out.paramsEnd = -1;
  const n = text.length;
  let j = i;
  while (j < n && text.charCodeAt(j) === 91 /* [ */) {
    // SD-ID: short, so a character loop (indexOf for ' ' could run to the end of the line
    // for every element of `[a][a][a]…`).
    const idStart = ++j;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 32 || c === 93 || c === 61 || c === 34) break;
      j++;
    }
    if (j === idStart || j >= n) return;
    const junos = out.paramsStart < 0 && text.startsWith(JUNOS_SD_PREFIX, idStart);
    const paramsStart = j;
    // SD-PARAMs: ` name="value"`…, then `]`.
    for (;;) {
      const c = text.charCodeAt(j);
      if (c === 93 /* ] */) break;
      if (c !== 32) return;
      while (text.charCodeAt(j) === 32) j++;
      if (text.charCodeAt(j) === 93) break;
      const eq = text.indexOf('=', j);
      if (eq <= j || text.charCodeAt(eq + 1) !== 34) return;
      const gap = text.indexOf(' ', j);
      if (gap >= 0 && gap < eq) return; // a PARAM-NAME has no space
      const q = valueEnd(text, eq + 2, n);
      if (q < 0) return;
      j = q + 1;
    }
    if (junos) {
      out.paramsStart = paramsStart;
      out.paramsEnd = j;
    }
    j++;
  }
  out.end = j;
}
