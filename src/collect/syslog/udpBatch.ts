// Datagrams as the UDP receive thread hands them to the collector: per datagram, f64 receive
// time (epoch ms), u16 sender index, u8 truncated, u32 length, the bytes.

export interface ReceiverData {
  readonly host: string;
  readonly port: number;
  readonly maxMessageBytes: number;
  readonly recvBufferSize: number;
  /** Datagrams handed over and not taken yet, at most; more are dropped and counted. */
  readonly maxOutstanding: number;
}

export type ReceiverMessage =
  | {
      readonly batch: ArrayBuffer;
      readonly bytes: number;
      readonly count: number;
      readonly senders: string[];
      /** Datagrams received and dropped since the last batch (the collector was behind). */
      readonly dropped: number;
    }
  | { readonly listening: { readonly address: string; readonly port: number } }
  | { readonly bindError: string }
  | { readonly socketError: string };

export const DATAGRAM_OVERHEAD = 15;

/** How much of a datagram is the message: cut at `maxBytes`, trailing LF, CR and NUL trimmed. */
export function messageLength(message: Uint8Array, maxBytes: number): number {
  let end = Math.min(message.length, maxBytes);
  while (
    end > 0 &&
    (message[end - 1] === 0x0a || message[end - 1] === 0x0d || message[end - 1] === 0)
  )
    end--;
  return end;
}

export function encodeDatagram(
  buf: Buffer,
  at: number,
  line: Uint8Array,
  sender: number,
  truncated: boolean,
  receivedAtMs: number,
): number {
  buf.writeDoubleLE(receivedAtMs, at);
  buf.writeUInt16LE(sender, at + 8);
  buf[at + 10] = truncated ? 1 : 0;
  buf.writeUInt32LE(line.length, at + 11);
  buf.set(line, at + DATAGRAM_OVERHEAD);
  return at + DATAGRAM_OVERHEAD + line.length;
}

/** Calls `each` for every datagram of a batch, in the order received. */
export function forEachDatagram(
  batch: ArrayBuffer,
  bytes: number,
  senders: readonly string[],
  each: (line: Buffer, sender: string, truncated: boolean, receivedAtMs: number) => void,
): void {
  const buf = Buffer.from(batch, 0, bytes);
  let at = 0;
  while (at < bytes) {
    const receivedAtMs = buf.readDoubleLE(at);
    const sender = senders[buf.readUInt16LE(at + 8)] ?? 'unknown';
    const truncated = buf[at + 10] === 1;
    const length = buf.readUInt32LE(at + 11);
    const start = at + DATAGRAM_OVERHEAD;
    each(buf.subarray(start, start + length), sender, truncated, receivedAtMs);
    at = start + length;
  }
}
