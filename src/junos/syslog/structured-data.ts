// RFC 5424 §6.3 STRUCTURED-DATA: `[SD-ID name="value" …][…]`. Inside a PARAM-VALUE, `"`, `\`
// and `]` are escaped with a backslash; any other backslash is kept as it is (§6.3.3).
// Junos writes one element whose SD-ID is `junos@2636.<jnxProductName OID suffix>`: the
// suffix differs per platform, so only a prefix is matched. The prefix is `junos@` rather
// than `junos@2636.` (2636 is Juniper's enterprise number) so that anonymised captures, such
// as elastic's `junos@1111.1.1.1.1.111` test data, parse as well.
// The envelope checks the syntax and, in the same pass, notes where each Junos parameter's
// name and value are; a catalog entry then reads the few parameters it maps by position (no
// map of every parameter per line, no search of the element per parameter).

import { own } from '../../domain/own.js';
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

/** Parameters of the Junos element that scanStructuredData indexes; more are searched for. */
const MAX_INDEXED = 32;

/**
 * The parameters of kmd's KMD_PM_SA_ESTABLISHED element, in the order kmd writes them, as
 * sdNeedle makes them (literals: the entries' needles are literals too, so comparing them is
 * comparing two pointers).
 */
const SA_NEEDLES = [
  ' local-address="',
  ' remote-address="',
  ' local-initiator="',
  ' remote-responder="',
  ' argument1="',
  ' index1="',
  ' index2="',
  ' mode="',
  ' type="',
  ' traffic-selector-name="',
  ' first-forwarding-class="',
];
// A value as valueEnd delimits it (a backslash takes the next character, whatever it is: the
// same parity rule), not ending with `=` (see SdParams.add). Written as the unrolled loop
// `plain* (escape plain*)*` rather than `(plain|escape)*`: the same language, with a loop
// irregexp runs per run of plain characters instead of an alternation per character
// (measured 20 % less time for the element).
const SD_VALUE = String.raw`([^"\\]*(?:\\[^][^"\\]*)*)(?<!=)"`;
/**
 * That element alone (no element follows it), checked and read by one regex: what the scan
 * below accepts, with each value at its position. Every quantified part ends at a quote that
 * it cannot contain: linear time.
 */
const SA_ELEMENT = new RegExp(
  String.raw`\[junos@[^ \]="]* ` +
    SA_NEEDLES.map((needle) => `${needle.slice(1)}${SD_VALUE}`).join(' ') +
    String.raw`\](?!\[)`,
  'y',
);

/** The Junos parameters of one line; reused from line to line. */
export class SdParams implements StructuredParams {
  private text = '';
  private start = 0;
  private end = 0;

  /**
   * Parameters as scanStructuredData found them, 3 numbers each: where the name starts, where
   * the value starts, its closing quote. -1: not indexed (reset, too many parameters, or a
   * value ending with `=`, where ` name="` could be found inside a value by a search).
   */
  private count = -1;
  private readonly spans = new Int32Array(3 * MAX_INDEXED);
  /**
   * The last escaped value of each slot, raw and unescaped (Junos proxy IDs always hold
   * `\]`, and repeat): copies, not slices, so that no line is kept alive by them.
   */
  private readonly lastRaw: string[] = new Array<string>(MAX_INDEXED).fill('');
  private readonly lastValue: string[] = new Array<string>(MAX_INDEXED).fill('');
  /** SA_ELEMENT's match when the element is kmd's SA element: its values by position. */
  private layout: RegExpExecArray | null = null;

  /**
   * A backslash at or after `backslashFrom` with none between them (-1: none at all after it;
   * -2: not looked for yet). Entries read parameters in line order, so one search serves
   * several values instead of one search to the end of the line per value.
   */
  private backslash = -2;
  private backslashFrom = 0;

  /** The parameters from `start` (the space after the SD-ID) to `end` (its `]`), not indexed. */
  reset(text: string, start: number, end: number): this {
    this.text = text;
    this.start = start;
    this.end = end;
    this.backslash = -2;
    this.count = -1;
    this.layout = null;
    return this;
  }

  /** The element is kmd's SA element, whose values are `match`'s groups in SA_NAMES order. */
  setLayout(text: string, start: number, end: number, match: RegExpExecArray): void {
    this.reset(text, start, end);
    this.layout = match;
  }

  /** Starts indexing the element of `text` whose parameters start at `start` (scanStructuredData). */
  begin(text: string, start: number): void {
    this.reset(text, start, start);
    this.count = 0;
  }

  /** The next parameter of the element begin started (scanStructuredData). */
  add(nameStart: number, valueStart: number, quote: number): void {
    const k = this.count;
    if (k < 0) return;
    if (k === MAX_INDEXED || (quote > valueStart && this.text.charCodeAt(quote - 1) === 61)) {
      this.count = -1;
      return;
    }
    const spans = this.spans;
    spans[3 * k] = nameStart;
    spans[3 * k + 1] = valueStart;
    spans[3 * k + 2] = quote;
    this.count = k + 1;
  }

  /** Ends the element begin started at `end` (its `]`). */
  close(end: number): void {
    this.end = end;
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
    const layout = this.layout;
    if (layout !== null) {
      // Its names are distinct and no value ends with `=`: the search below would find
      // each one where the regex did.
      for (let k = 0; k < SA_NEEDLES.length; k++) {
        if (needle === SA_NEEDLES[k]) return this.layoutValue(k, layout[k + 1]!);
      }
      return this.search(needle);
    }
    const count = this.count;
    if (count > 0) {
      // The first parameter of that name: what the search below finds, as no value ends
      // with `=` (see add). A name not there is searched for as well (same answer, cheaper
      // to prove).
      const text = this.text;
      const spans = this.spans;
      const length = needle.length - 3;
      for (let k = 0; k < count; k++) {
        const s = spans[3 * k]!;
        const v = spans[3 * k + 1]!;
        // A space is before every name; indexOf where the needle is expected is cheaper
        // than a character loop (and searches on only past a name of the same length).
        if (v - 2 - s !== length || text.indexOf(needle, s - 1) !== s - 1) continue;
        const q = spans[3 * k + 2]!;
        const backslash = this.backslashAfter(v);
        return backslash < 0 || backslash > q ? text.slice(v, q) : this.unescapedSlot(k, v, q);
      }
    }
    return this.search(needle);
  }

  private layoutValue(k: number, raw: string): string {
    if (raw.indexOf('\\') < 0) return raw;
    if (raw === this.lastRaw[k]) return this.lastValue[k]!;
    return this.remember(k, raw);
  }

  private unescapedSlot(k: number, v: number, q: number): string {
    const text = this.text;
    const raw = this.lastRaw[k]!;
    if (raw.length === q - v && raw.length > 0 && text.indexOf(raw, v) === v) {
      return this.lastValue[k]!;
    }
    return this.remember(k, text.slice(v, q));
  }

  /** Slot k's raw value and its unescaped form, remembered as copies (no line kept alive). */
  private remember(k: number, raw: string): string {
    this.lastRaw[k] = own(raw);
    const value = own(unescape(raw, 0, raw.length));
    this.lastValue[k] = value;
    return value;
  }

  private search(needle: string): string | undefined {
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

/**
 * Checks SD elements from `i` (which holds `[`), and indexes the parameters of the Junos
 * element into `params` when given (one pass: the values are found once). Linear in the
 * text length.
 */
export function scanStructuredData(
  text: string,
  i: number,
  out: StructuredData,
  params?: SdParams,
): void {
  if (params !== undefined) {
    SA_ELEMENT.lastIndex = i;
    const match = SA_ELEMENT.exec(text);
    if (match !== null) {
      out.end = SA_ELEMENT.lastIndex;
      out.paramsStart = text.indexOf(' ', i);
      out.paramsEnd = out.end - 1;
      params.setLayout(text, out.paramsStart, out.paramsEnd, match);
      return;
    }
  }
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
    const indexed = junos && params !== undefined;
    if (indexed) params.begin(text, paramsStart);
    // SD-PARAMs: ` name="value"`…, then `]`.
    for (;;) {
      const c = text.charCodeAt(j);
      if (c === 93 /* ] */) break;
      if (c !== 32) return;
      while (text.charCodeAt(j) === 32) j++;
      if (text.charCodeAt(j) === 93) break;
      // Two searches cost less than a character loop over the name (measured).
      const eq = text.indexOf('=', j);
      if (eq <= j || text.charCodeAt(eq + 1) !== 34) return;
      const gap = text.indexOf(' ', j);
      if (gap >= 0 && gap < eq) return; // a PARAM-NAME has no space
      const v = eq + 2;
      const q = valueEnd(text, v, n);
      if (q < 0) return;
      if (indexed) params.add(j, v, q);
      j = q + 1;
    }
    if (junos) {
      out.paramsStart = paramsStart;
      out.paramsEnd = j;
      if (params !== undefined) params.close(j);
    }
    j++;
  }
  out.end = j;
}
