// TCP syslog framing (RFC 6587): octet counting (`LEN SP MSG`, RFC 5425 for TLS) or a
// trailer (LF; relays such as rsyslog default to it). The method is detected per frame: a
// frame that starts with a digit followed by digits and a space is octet-counted.

export interface Frame {
  /**
   * The message bytes: a view into the chunk given to `push` (no copy), so parse it before the
   * chunk could be reused (socket chunks never are) and do not keep it longer than needed.
   */
  readonly line: Buffer;
  /** True when the message was longer than the maximum and was cut. */
  readonly truncated: boolean;
}

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const isDigit = (b: number | undefined) => b !== undefined && b >= 0x30 && b <= 0x39;

const EMPTY = Buffer.alloc(0);

/**
 * Splits a byte stream into syslog messages. Memory is bounded by `maxMessageBytes`: a longer
 * message is truncated (and flagged) rather than buffered without limit.
 */
export class SyslogDeframer {
  private pending: Buffer = EMPTY;
  /** Bytes of an over-long message still to skip. */
  private skipOctets = 0;
  private skipToLf = false;

  constructor(private readonly maxMessageBytes: number) {}

  push(chunk: Buffer): Frame[] {
    const frames: Frame[] = [];
    const pending = this.pending;
    this.pending = EMPTY;
    let data = chunk;
    let pos = 0;
    if (pending.length > 0) {
      // The message the last read cut: finish it on the pending bytes and the head of this
      // chunk (a message is at most maxMessageBytes and its length prefix), then go on in the
      // chunk itself, instead of copying the whole chunk (64 KiB a read) behind the pending bytes.
      const head = this.maxMessageBytes + 16;
      let joined = true;
      if (chunk.length > head) {
        const skipOctets = this.skipOctets;
        const skipToLf = this.skipToLf;
        const small = Buffer.concat([pending, chunk.subarray(0, head)]);
        const headFrames: Frame[] = [];
        const end = this.scan(small, 0, headFrames, pending.length);
        if (end >= pending.length) {
          for (const frame of headFrames) frames.push(frame);
          pos = end - pending.length;
          joined = false;
        } else {
          // Not finished within the head (cannot happen for a message within the maximum):
          // as before, on the whole chunk.
          this.skipOctets = skipOctets;
          this.skipToLf = skipToLf;
        }
      }
      if (joined) data = Buffer.concat([pending, chunk]);
    }
    pos = this.scan(data, pos, frames, data.length);
    if (pos < data.length) this.pending = Buffer.from(data.subarray(pos));
    return frames;
  }

  /**
   * Frames from `pos` until a frame ends at or past `stopAt` (or the data ends, or a frame is
   * incomplete); returns where it stopped.
   */
  private scan(data: Buffer, pos: number, frames: Frame[], stopAt: number): number {
    while (pos < data.length && pos < stopAt) {
      if (this.skipOctets > 0) {
        const n = Math.min(this.skipOctets, data.length - pos);
        this.skipOctets -= n;
        pos += n;
        continue;
      }
      if (this.skipToLf) {
        const lf = data.indexOf(LF, pos);
        if (lf < 0) {
          pos = data.length;
          break;
        }
        this.skipToLf = false;
        pos = lf + 1;
        continue;
      }
      const first = data[pos];
      if (first === LF || first === CR) {
        pos++;
        continue;
      }
      if (isDigit(first)) {
        const counted = this.octetCounted(data, pos, frames);
        if (counted === 'incomplete') break;
        if (counted !== 'not-counted') {
          pos = counted;
          continue;
        }
      }
      const lf = data.indexOf(LF, pos);
      if (lf < 0) {
        if (data.length - pos > this.maxMessageBytes) {
          frames.push({
            line: data.subarray(pos, pos + this.maxMessageBytes),
            truncated: true,
          });
          this.skipToLf = true;
          pos = data.length;
        }
        break;
      }
      let end = lf;
      if (end > pos && data[end - 1] === CR) end--;
      const length = end - pos;
      frames.push({
        line: data.subarray(pos, pos + Math.min(length, this.maxMessageBytes)),
        truncated: length > this.maxMessageBytes,
      });
      pos = lf + 1;
    }
    return pos;
  }

  /** A partial message left when the connection closed (a sender that ends without LF). */
  end(): Frame[] {
    if (this.skipOctets > 0 || this.skipToLf || this.pending.length === 0) return [];
    const rest = this.pending;
    this.pending = EMPTY;
    let end = rest.length;
    while (end > 0 && (rest[end - 1] === CR || rest[end - 1] === LF)) end--;
    if (end === 0) return [];
    return [
      {
        line: rest.subarray(0, Math.min(end, this.maxMessageBytes)),
        truncated: end > this.maxMessageBytes,
      },
    ];
  }

  /** Returns the position after the frame, 'incomplete' to wait for more bytes, or 'not-counted'. */
  private octetCounted(
    data: Buffer,
    pos: number,
    frames: Frame[],
  ): number | 'incomplete' | 'not-counted' {
    let i = pos;
    // A length has at most 10 digits (RFC 6587 MSG-LEN is NONZERO-DIGIT *DIGIT; we bound it).
    while (i < data.length && i - pos < 10 && isDigit(data[i])) i++;
    if (i === data.length) return i - pos < 10 ? 'incomplete' : 'not-counted';
    if (data[i] !== SPACE || data[pos] === 0x30) return 'not-counted';
    let length = 0;
    for (let d = pos; d < i; d++) length = length * 10 + data[d]! - 0x30;
    const start = i + 1;
    const available = data.length - start;
    if (length > this.maxMessageBytes) {
      if (available < this.maxMessageBytes) return 'incomplete';
      frames.push({
        line: data.subarray(start, start + this.maxMessageBytes),
        truncated: true,
      });
      const consumed = Math.min(length, available);
      this.skipOctets = length - consumed;
      return start + consumed;
    }
    if (available < length) return 'incomplete';
    let end = start + length;
    const next = end;
    while (end > start && (data[end - 1] === LF || data[end - 1] === CR)) end--;
    frames.push({ line: data.subarray(start, end), truncated: false });
    return next;
  }
}
