import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DATAGRAM_OVERHEAD,
  encodeDatagram,
  forEachDatagram,
} from '../../src/collect/syslog/udpBatch.js';

// A batch from the UDP receive thread reads back as the datagrams it received, in order.

const datagram = fc.record({
  line: fc.uint8Array({ maxLength: 600 }),
  sender: fc.nat({ max: 3 }),
  truncated: fc.boolean(),
  receivedAtMs: fc.integer({ min: 0, max: 2 ** 45 }),
});

describe('UDP receive batches', () => {
  it('read back as written', () => {
    fc.assert(
      fc.property(fc.array(datagram, { maxLength: 40 }), (datagrams) => {
        const senders = ['10.0.0.1', '10.0.0.2', '::1', '192.0.2.7'];
        const size = datagrams.reduce((n, d) => n + DATAGRAM_OVERHEAD + d.line.length, 0);
        const buf = Buffer.alloc(size + 64);
        let at = 0;
        for (const d of datagrams)
          at = encodeDatagram(buf, at, d.line, d.sender, d.truncated, d.receivedAtMs);
        expect(at).toBe(size);
        const got: unknown[] = [];
        forEachDatagram(
          buf.buffer.slice(buf.byteOffset),
          at,
          senders,
          (line, sender, truncated, ms) => got.push({ line: [...line], sender, truncated, ms }),
        );
        expect(got).toEqual(
          datagrams.map((d) => ({
            line: [...d.line],
            sender: senders[d.sender],
            truncated: d.truncated,
            ms: d.receivedAtMs,
          })),
        );
      }),
    );
  });
});
