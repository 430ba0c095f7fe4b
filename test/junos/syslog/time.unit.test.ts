import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSyslogParser } from '../../../src/junos/syslog/index.js';
import { daysInMonth, resolveZone, UTC, wallToUtc } from '../../../src/junos/syslog/timezone.js';
import { inferYear } from '../../../src/junos/syslog/year.js';

const line = (stamp: string) => `${stamp} srx1 kmd[1]: Config download time: 0 seconds`;
const at = (iso: string) => Date.parse(iso);

describe('year inference for year-less stamps', () => {
  const parse = createSyslogParser();

  it.each([
    ['same year', 'Nov 28 11:24:02', '2024-12-01T00:00:00Z', '2024-11-28T11:24:02.000Z'],
    [
      'Dec 31 read on Jan 1 is last year',
      'Dec 31 23:59:58',
      '2025-01-01T00:00:05Z',
      '2024-12-31T23:59:58.000Z',
    ],
    [
      'a file spanning the new year',
      'Feb  3 08:00:00',
      '2025-01-10T00:00:00Z',
      '2024-02-03T08:00:00.000Z',
    ],
    [
      'a clock slightly ahead at midnight',
      'Jan  1 00:00:03',
      '2024-12-31T23:59:59Z',
      '2025-01-01T00:00:03.000Z',
    ],
    [
      'Feb 29 takes the last leap year',
      'Feb 29 12:00:00',
      '2025-06-01T00:00:00Z',
      '2024-02-29T12:00:00.000Z',
    ],
  ])('%s', (_name, stamp, reference, expected) => {
    expect(parse(line(stamp), { referenceTime: at(reference) }).time).toBe(expected);
  });

  it('uses receivedAt when no reference time is given', () => {
    const observation = parse(line('Dec 31 23:59:58'), { receivedAt: '2025-01-01T00:00:01.000Z' });
    expect(observation.time).toBe('2024-12-31T23:59:58.000Z');
    expect(observation.receivedAt).toBe('2025-01-01T00:00:01.000Z');
  });

  it('prefers the year option over any reference', () => {
    const fixed = createSyslogParser({ year: 2019 });
    expect(fixed(line('Dec 31 23:59:58'), { referenceTime: at('2025-01-01T00:00:00Z') }).time).toBe(
      '2019-12-31T23:59:58.000Z',
    );
  });

  it('keeps a year written in the stamp (Junos time-format year)', () => {
    expect(
      parse(line('Aug 21 12:36:30.401 2006'), { referenceTime: at('2025-01-01T00:00:00Z') }).time,
    ).toBe('2006-08-21T12:36:30.401Z');
  });

  it('falls back to 1970 without year or reference', () => {
    expect(parse(line('Aug 21 12:36:30')).time).toBe('1970-08-21T12:36:30.000Z');
  });

  it('inferYear looks back to the previous leap year for Feb 29', () => {
    expect(inferYear(UTC, at('2027-03-01T00:00:00Z'), 1, 29, 0, 0, 0)).toBe(2024);
  });
});

describe('zones', () => {
  it.each([
    ['UTC', '2026-07-01T10:00:00.000Z'],
    ['+02:00', '2026-07-01T08:00:00.000Z'],
    ['-0530', '2026-07-01T15:30:00.000Z'],
    ['Europe/Paris', '2026-07-01T08:00:00.000Z'],
    ['America/New_York', '2026-07-01T14:00:00.000Z'],
    ['Asia/Kolkata', '2026-07-01T04:30:00.000Z'],
  ])('reads zone-less stamps in %s', (timezone, expected) => {
    const parse = createSyslogParser({ timezone, year: 2026 });
    expect(parse(line('Jul  1 10:00:00')).time).toBe(expected);
  });

  it('follows daylight saving time in an IANA zone', () => {
    const parse = createSyslogParser({ timezone: 'Europe/Paris', year: 2026 });
    expect(parse(line('Jan 15 10:00:00')).time).toBe('2026-01-15T09:00:00.000Z');
    expect(parse(line('Mar 29 01:30:00')).time).toBe('2026-03-29T00:30:00.000Z');
    expect(parse(line('Mar 29 03:30:00')).time).toBe('2026-03-29T01:30:00.000Z');
    expect(parse(line('Oct 25 03:30:00')).time).toBe('2026-10-25T02:30:00.000Z');
  });

  it('keeps the offset an RFC 3339 stamp carries, whatever the zone option', () => {
    const parse = createSyslogParser({ timezone: 'Asia/Tokyo' });
    const observation = parse(
      '<30>1 2023-05-04T15:27:30.846123+10:00 h kmd 1 - - Config download time: 0 seconds',
    );
    expect(observation.time).toBe('2023-05-04T05:27:30.846Z');
  });

  it('reads an RFC 3339 stamp without offset in the zone option', () => {
    const parse = createSyslogParser({ timezone: '+01:00' });
    expect(parse('<30>1 2023-05-04T15:27:30 h kmd 1 - - x').time).toBe('2023-05-04T14:27:30.000Z');
  });

  it.each(['Mars/Olympus', '+25:00', '', 'not a zone'])('rejects %j', (timezone) => {
    expect(resolveZone(timezone)).toBeUndefined();
    expect(() => createSyslogParser({ timezone })).toThrow(RangeError);
  });

  it('rejects an impossible year option', () => {
    expect(() => createSyslogParser({ year: 20_000 })).toThrow(RangeError);
    expect(() => createSyslogParser({ year: 1.5 })).toThrow(RangeError);
  });
});

describe('lines without a usable stamp', () => {
  const parse = createSyslogParser();

  it('take receivedAt, else the reference time', () => {
    const nil = '<30>1 - h kmd 1 - - Config download time: 0 seconds';
    expect(parse(nil, { receivedAt: '2026-01-02T03:04:05.678Z' }).time).toBe(
      '2026-01-02T03:04:05.678Z',
    );
    expect(parse(nil, { referenceTime: at('2026-01-02T03:04:05.678Z') }).time).toBe(
      '2026-01-02T03:04:05.678Z',
    );
    expect(parse(nil).time).toBe('1970-01-01T00:00:00.000Z');
  });

  it('take the fallback time for an impossible date', () => {
    expect(parse(line('Feb 30 10:00:00'), { receivedAt: '2026-01-02T03:04:05.678Z' }).time).toBe(
      '2026-01-02T03:04:05.678Z',
    );
  });
});

describe('wallToUtc', () => {
  /** What it computed before it cached the day: Date.UTC on every field. */
  function reference(
    y: number,
    mo: number,
    d: number,
    h: number,
    m: number,
    s: number,
    ms: number,
  ) {
    const t = Date.UTC(y, mo, d, h, m, s === 60 ? 59 : s, ms);
    return y < 100 ? new Date(t).setUTCFullYear(y) : t;
  }

  it('gives Date.UTC’s instant whatever day it was asked before', () => {
    const field = (max: number) => fc.integer({ min: 0, max });
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.oneof(fc.constantFrom(0, 4, 99, 100, 1970, 2026, 9999), field(9999)),
            field(11),
            fc.integer({ min: 1, max: 31 }),
            field(23),
            field(59),
            field(60),
            fc.oneof(field(999), fc.constantFrom(0.5, 999.9)),
          ),
          { minLength: 1, maxLength: 6 },
        ),
        (stamps) => {
          for (const [y, mo, d, h, m, s, ms] of stamps) {
            if (d > daysInMonth(y, mo)) {
              expect(wallToUtc(y, mo, d, h, m, s, ms)).toBeNaN();
              continue;
            }
            expect(wallToUtc(y, mo, d, h, m, s, ms)).toBe(reference(y, mo, d, h, m, s, ms));
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
