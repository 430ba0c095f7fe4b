import { formatValue } from './exposition.js';

const DIGIT_0 = 48;
const DOT = 46;
const NEWLINE = 10;
/** Integers below this are written digit by digit; larger ones (and fractions) via String(). */
const EXACT_LIMIT = 2 ** 52;
const POWERS = Array.from({ length: 16 }, (_, i) => 10 ** i);
/** `00` … `99`: two digits per division. */
const PAIRS = Buffer.from(
  Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).join(''),
);

/**
 * Writes exposition text straight into one Buffer: cached, pre-encoded pieces (metric name,
 * a tunnel's label prefix) are copied, numbers are written digit by digit. About 0.1 µs per
 * series where prom-client's string building costs ~5 µs (performance-anchors.md §5).
 */
export class ByteWriter {
  private buffer: Buffer;
  private pos = 0;

  /** Writes into `memory` (grown into new memory when it is too small), or into new memory. */
  constructor(memory: number | Buffer) {
    this.buffer = typeof memory === 'number' ? Buffer.allocUnsafe(Math.max(4096, memory)) : memory;
  }

  /** The memory written to: the one given unless it had to grow. */
  get memory(): Buffer {
    return this.buffer;
  }

  get length(): number {
    return this.pos;
  }

  /** Starts over, keeping the memory (a scratch writer reused by every scrape). */
  reset(): void {
    this.pos = 0;
  }

  /** The bytes written so far (a view, not a copy). */
  view(): Buffer {
    return this.buffer.subarray(0, this.pos);
  }

  /** Makes room for `bytes` more; callers reserve once per series, then write unchecked. */
  reserve(bytes: number): void {
    if (this.pos + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.pos + bytes));
    this.buffer.copy(grown, 0, 0, this.pos);
    this.buffer = grown;
  }

  bytes(piece: Uint8Array): void {
    this.buffer.set(piece, this.pos);
    this.pos += piece.length;
  }

  /** Repeats bytes already written at [start, end), e.g. a series head for the next series. */
  repeat(start: number, end: number): void {
    this.buffer.copyWithin(this.pos, start, end);
    this.pos += end - start;
  }

  /** Text of unknown length (headers, rare values): reserves for it. */
  text(value: string): void {
    this.reserve(Buffer.byteLength(value));
    this.pos += this.buffer.write(value, this.pos, 'utf8');
  }

  newline(): void {
    this.buffer[this.pos++] = NEWLINE;
  }

  /** `0` or `1` and the line's end. */
  flag(on: boolean): void {
    this.buffer[this.pos++] = on ? DIGIT_0 + 1 : DIGIT_0;
    this.buffer[this.pos++] = NEWLINE;
  }

  /** A sample value and the line's end. */
  value(value: number): void {
    if (Number.isInteger(value) && value >= 0 && value < EXACT_LIMIT) this.digits(value);
    else this.text(formatValue(value));
    this.buffer[this.pos++] = NEWLINE;
  }

  /** Epoch (or duration) milliseconds as seconds with at most three decimals, and the line's end. */
  millisAsSeconds(ms: number): void {
    if (!(Number.isInteger(ms) && ms >= 0 && ms < EXACT_LIMIT)) {
      this.text(formatValue(ms / 1000));
      this.buffer[this.pos++] = NEWLINE;
      return;
    }
    const seconds = Math.floor(ms / 1000);
    let fraction = ms - seconds * 1000;
    this.digits(seconds);
    if (fraction !== 0) {
      const b = this.buffer;
      b[this.pos++] = DOT;
      let divisor = 100;
      while (fraction !== 0) {
        const digit = Math.floor(fraction / divisor);
        b[this.pos++] = DIGIT_0 + digit;
        fraction -= digit * divisor;
        divisor /= 10;
      }
    }
    this.buffer[this.pos++] = NEWLINE;
  }

  private digits(n: number): void {
    const b = this.buffer;
    let width = 1;
    while (width < POWERS.length && n >= POWERS[width]!) width++;
    let at = this.pos + width - 1;
    let rest = n;
    while (rest >= 100) {
      const next = Math.floor(rest / 100);
      const pair = (rest - next * 100) * 2;
      b[at--] = PAIRS[pair + 1]!;
      b[at--] = PAIRS[pair]!;
      rest = next;
    }
    if (rest >= 10) {
      b[at--] = PAIRS[rest * 2 + 1]!;
      b[at] = PAIRS[rest * 2]!;
    } else {
      b[at] = DIGIT_0 + rest;
    }
    this.pos += width;
  }
}
