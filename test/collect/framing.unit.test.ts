import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SyslogDeframer } from '../../src/collect/syslog/framing.js';
import { ReferenceDeframer } from './fixtures/referenceDeframer.js';

const lines = (frames: { line: Buffer }[]) => frames.map((f) => f.line.toString('utf8'));

function feed(
  deframer: SyslogDeframer,
  data: Buffer,
  cuts: number[],
): { line: Buffer; truncated: boolean }[] {
  const out = [];
  let last = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < data.length)].sort((a, b) => a - b)) {
    out.push(...deframer.push(data.subarray(last, cut)));
    last = cut;
  }
  out.push(...deframer.push(data.subarray(last)));
  out.push(...deframer.end());
  return out;
}

describe('SyslogDeframer (RFC 6587)', () => {
  it('splits LF-framed messages and drops CR before LF', () => {
    const d = new SyslogDeframer(1024);
    expect(lines(d.push(Buffer.from('<30>a\n<27>b\r\n<30>c')))).toEqual(['<30>a', '<27>b']);
    expect(lines(d.end())).toEqual(['<30>c']);
  });

  it('reads octet-counted frames, including ones that contain LF', () => {
    const msg1 = '<30>1 2026-11-27T09:00:00Z srx1 kmd 1 - - hello';
    const msg2 = 'line one\nline two';
    const d = new SyslogDeframer(1024);
    const data = Buffer.from(
      `${Buffer.byteLength(msg1)} ${msg1}${Buffer.byteLength(msg2)} ${msg2}`,
    );
    expect(lines(d.push(data))).toEqual([msg1, msg2]);
  });

  it('does not take a timestamp that starts with digits for a length', () => {
    const d = new SyslogDeframer(1024);
    expect(lines(d.push(Buffer.from('2026-11-27T09:00:00Z srx1 kmd[1]: x\n')))).toEqual([
      '2026-11-27T09:00:00Z srx1 kmd[1]: x',
    ]);
  });

  it('truncates an over-long LF message, flags it, and resynchronises on the next LF', () => {
    const d = new SyslogDeframer(8);
    const frames = d.push(Buffer.from('abcdefghijklmnop'));
    expect(frames).toHaveLength(1);
    expect(frames[0]?.truncated).toBe(true);
    expect(frames[0]?.line.toString()).toBe('abcdefgh');
    const next = d.push(Buffer.from('qrst\nok\n'));
    expect(lines(next)).toEqual(['ok']);
  });

  it('truncates an over-long octet-counted message and skips the rest of its octets', () => {
    const d = new SyslogDeframer(4);
    const frames = feed(d, Buffer.from('10 0123456789' + '2 ok'), [5, 9]);
    expect(frames.map((f) => [f.line.toString(), f.truncated])).toEqual([
      ['0123', true],
      ['ok', false],
    ]);
  });

  it('gives the same messages however the stream is cut (property)', () => {
    const message = fc
      .string({ minLength: 1, maxLength: 60 })
      .filter((s) => !/[\r\n]/.test(s) && !/^\d/.test(s));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(message, fc.boolean()), { minLength: 1, maxLength: 20 }),
        fc.array(fc.nat(2000), { maxLength: 10 }),
        (messages, cuts) => {
          const wire = Buffer.concat(
            messages.map(([m, counted]) =>
              counted ? Buffer.from(`${Buffer.byteLength(m)} ${m}`) : Buffer.from(`${m}\n`),
            ),
          );
          const got = feed(new SyslogDeframer(4096), wire, cuts);
          expect(lines(got)).toEqual(messages.map(([m]) => m));
        },
      ),
    );
  });

  it('never holds more than the maximum for a line without LF (bounded memory)', () => {
    const d = new SyslogDeframer(100);
    for (let i = 0; i < 50; i++) d.push(Buffer.alloc(1000, 0x61));
    const frames = d.push(Buffer.from('\nnext\n'));
    expect(lines(frames)).toEqual(['next']);
  });

  it('gives what the deframer of before gave, frame for frame, however the stream is cut', () => {
    // Bytes that steer the framing (digits, space, LF, CR), text, and a non-ASCII lead byte;
    // messages longer than a small maximum (truncation and skipping across reads), and
    // well-formed octet-counted messages among the noise.
    const noise = fc
      .uint8Array({ maxLength: 120 })
      .map((bytes) =>
        Buffer.from(
          bytes.map((b) => [0x31, 0x30, 0x39, 0x20, 0x0a, 0x0d, 0x61, 0x3c, 0xc3][b % 9]!),
        ),
      );
    const counted = fc
      .string({ maxLength: 90 })
      .map((m) => Buffer.from(`${Buffer.byteLength(m)} ${m}`));
    const lfLine = fc.string({ maxLength: 90 }).map((m) => Buffer.from(`${m}\n`));
    fc.assert(
      fc.property(
        fc.array(fc.oneof(noise, counted, lfLine), { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(1200), { maxLength: 12 }),
        fc.integer({ min: 1, max: 48 }),
        (parts, cuts, max) => {
          const wire = Buffer.concat(parts);
          const frames = (fs: { line: Buffer; truncated: boolean }[]) =>
            fs.map((f) => [f.line.toString('hex'), f.truncated]);
          const model = new ReferenceDeframer(max);
          const want: { line: Buffer; truncated: boolean }[] = [];
          let last = 0;
          const sorted = [...cuts.filter((c) => c > 0 && c < wire.length)].sort((a, b) => a - b);
          for (const cut of [...sorted, wire.length]) {
            want.push(...model.push(wire.subarray(last, cut)));
            last = cut;
          }
          want.push(...model.end());
          expect(frames(feed(new SyslogDeframer(max), wire, cuts))).toEqual(frames(want));
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
