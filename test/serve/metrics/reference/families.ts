import type { ByteWriter } from './byteWriter.js';
import type { Capture } from './capture.js';
import { familyHeader, type MetricType } from './exposition.js';
import type { Survey } from './survey.js';

// A metric family the exporter renders itself: its HELP/TYPE lines, then its series, written
// for a range of the exported tunnels at a time (the render pauses between ranges) and, for a
// few families, for the routers.

export interface Scrape {
  readonly survey: Survey;
  readonly capture: Capture;
}

export interface Family {
  readonly name: string;
  readonly type: MetricType;
  readonly header: string;
  /** Writes the series of exported tunnels [from, to); returns how many. */
  tunnels?(scrape: Scrape, w: ByteWriter, from: number, to: number): number;
  /** Writes the series that belong to routers, not tunnels; returns how many. */
  routers?(survey: Survey, w: ByteWriter): number;
}

export function family(
  name: string,
  type: MetricType,
  help: string,
  writers: Pick<Family, 'tunnels' | 'routers'>,
): Family {
  return { name, type, header: familyHeader(name, help, type), ...writers };
}

const encode = (text: string): Buffer => Buffer.from(text, 'utf8');

/** `name{`, the start of every series of a family. */
export const head = (name: string): Buffer => encode(`${name}{`);

/** The end of a series' labels when it has no label of its own. */
export const CLOSE = encode('} ');

/** `,name="value"} ` for each value: the end of a series' labels. */
export const tails = (name: string, values: readonly string[]): Buffer[] =>
  values.map((value) => encode(`,${name}="${value}"} `));

const tailCache = new Map<string, Buffer>();

/** A label tail known as text (e.g. `,phase="ike",reason="timed-out"`), encoded once. */
export function tailOf(text: string): Buffer {
  let tail = tailCache.get(text);
  if (tail === undefined) {
    tail = encode(`${text}} `);
    tailCache.set(text, tail);
  }
  return tail;
}

/** Room for a value and its line end: the longest a number is written (`-1.2345678901234567e+21`). */
export const VALUE_BYTES = 26;

/** Starts a series: `name{` + labels + tail; the caller writes the value. */
export function open(w: ByteWriter, name: Buffer, labels: Buffer, tail: Buffer): void {
  w.reserve(name.length + labels.length + tail.length + VALUE_BYTES);
  w.bytes(name);
  w.bytes(labels);
  w.bytes(tail);
}
