import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../../src/serve/metrics/byteWriter.js';
import {
  escapeHelp,
  escapeLabelValue,
  familyHeader,
  formatValue,
} from '../../../src/serve/metrics/exposition.js';

const written = (write: (w: ByteWriter) => void): string => {
  const w = new ByteWriter(8);
  write(w);
  return w.view().toString('utf8');
};

describe('ByteWriter', () => {
  it('writes integers digit by digit, and other numbers as Prometheus spells them', () => {
    const values = [0, 7, 10, 99, 100, 101, 3600, 28_800, 1_795_831_200, 2 ** 52 - 1];
    for (const v of values) expect(written((w) => w.value(v))).toBe(`${v}\n`);
    expect(written((w) => w.value(2 ** 53))).toBe(`${2 ** 53}\n`);
    expect(written((w) => w.value(-2.5))).toBe('-2.5\n');
    expect(written((w) => w.value(800.25))).toBe('800.25\n');
    expect(written((w) => w.value(Number.NaN))).toBe('NaN\n');
    expect(written((w) => w.value(Number.POSITIVE_INFINITY))).toBe('+Inf\n');
    expect(written((w) => w.value(Number.NEGATIVE_INFINITY))).toBe('-Inf\n');
  });

  it('writes milliseconds as seconds, keeping every millisecond and no trailing zero', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [5, '0.005'],
      [50, '0.05'],
      [500, '0.5'],
      [1000, '1'],
      [1_795_831_200_000, '1795831200'],
      [1_795_831_200_123, '1795831200.123'],
      [1_795_831_200_120, '1795831200.12'],
      [1_795_831_200_007, '1795831200.007'],
      [1_795_831_200_100, '1795831200.1'],
    ];
    for (const [ms, text] of cases) {
      expect(written((w) => w.millisAsSeconds(ms))).toBe(`${text}\n`);
      expect(Number(text)).toBe(ms / 1000);
    }
    expect(written((w) => w.millisAsSeconds(-1500))).toBe('-1.5\n');
    expect(written((w) => w.millisAsSeconds(0.5))).toBe('0.0005\n');
  });

  it('grows past its first memory and keeps what it wrote', () => {
    const w = new ByteWriter(Buffer.alloc(4));
    const first = w.memory;
    w.text('samon_x{a="1"} ');
    w.reserve(2); // values are written unchecked after a reserve
    w.flag(true);
    expect(w.memory).not.toBe(first);
    expect(w.view().toString()).toBe('samon_x{a="1"} 1\n');
  });

  it('repeats a piece it already wrote', () => {
    expect(
      written((w) => {
        w.text('m{x="1"');
        w.text(',s="a"} ');
        w.flag(false);
        w.reserve(64);
        w.repeat(0, 7);
        w.text(',s="b"} ');
        w.flag(true);
      }),
    ).toBe('m{x="1",s="a"} 0\nm{x="1",s="b"} 1\n');
  });
});

describe('exposition escaping', () => {
  it('escapes backslash, double quote and line feed in label values, and nothing else', () => {
    expect(escapeLabelValue('plain vpn-1/ts.a é')).toBe('plain vpn-1/ts.a é');
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });

  it('escapes backslash and line feed in HELP text, but not quotes', () => {
    expect(escapeHelp('say "hi"\\now\n')).toBe('say "hi"\\\\now\\n');
    expect(familyHeader('samon_x', 'A\nB', 'gauge')).toBe(
      '# HELP samon_x A\\nB\n# TYPE samon_x gauge\n',
    );
    expect(formatValue(1.5)).toBe('1.5');
  });
});
