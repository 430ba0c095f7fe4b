import { describe, expect, it } from 'vitest';
import { Config } from '../../../src/config/schema.js';
import {
  CatalogEntryConfig,
  compileCatalogEntries,
  OPERATOR_TEXT_LIMIT,
  unsafePatternReason,
} from '../../../src/junos/catalog/index.js';
import { createSyslogParser } from '../../../src/junos/syslog/index.js';

const crl = {
  id: 'crl-refresh-failed',
  programs: ['pkid'],
  pattern: String.raw`^CRL refresh for (?<caProfile>\S+) failed: (?<reasonText>.+)$`,
  kind: 'certificate-check-failed',
  set: { check: 'crl-download' },
};

describe('operator catalog entries', () => {
  it('compile and map a line to the configured kind and fields', () => {
    const { entries, problems } = compileCatalogEntries([crl]);
    expect(problems).toEqual([]);
    const parse = createSyslogParser({ year: 2026, extraEntries: entries });
    const o = parse(
      'Jul  1 10:00:00 r1 pkid[5]: CRL refresh for Root-CA failed: connection refused',
    );
    expect(o.kind).toBe('certificate-check-failed');
    expect(o.data).toEqual({
      check: 'crl-download',
      caProfile: 'Root-CA',
      reasonText: 'connection refused',
    });
  });

  it('convert named groups and classify the reason of failure kinds', () => {
    const { entries, problems } = compileCatalogEntries([
      {
        id: 'sa-up-v2',
        tag: 'KMD_SA_UP_V2',
        pattern: String.raw`dir=(?<direction>\w+) spi=(?<spi>\S+) peer=(?<remoteGateway>\S+)`,
        kind: 'ipsec-sa-established',
        convert: { spi: 'spi', direction: 'direction' },
      },
      {
        id: 'p1-fail',
        pattern: String.raw`^P1 failed \((?<reasonText>[^)]*)\) with (?<remote>\S+)`,
        kind: 'ike-negotiation-failed',
        convert: { remote: 'endpoint' },
      },
    ]);
    expect(problems).toEqual([]);
    const parse = createSyslogParser({ year: 2026, extraEntries: entries });
    const sa = parse(
      'Jul  1 10:00:00 r1 kmd[5]: KMD_SA_UP_V2: dir=Inbound spi=0xABCDEF01 peer=192.0.2.9',
    );
    expect(sa.kind).toBe('ipsec-sa-established');
    expect(sa.data).toEqual({
      direction: 'inbound',
      spi: '0xabcdef01',
      remoteGateway: '192.0.2.9',
    });
    const fail = parse(
      'Jul  1 10:00:00 r1 kmd[5]: P1 failed (No proposal chosen) with 192.0.2.9/500',
    );
    expect(fail.kind).toBe('ike-negotiation-failed');
    expect(fail.data).toEqual({
      reasonText: 'No proposal chosen',
      remote: { ip: '192.0.2.9', port: 500 },
      reason: 'no-proposal-chosen',
    });
  });

  it('win over the built-in entries', () => {
    const { entries } = compileCatalogEntries([
      {
        id: 'dpd-override',
        tag: 'KMD_DPD_PEER_DOWN',
        pattern: String.raw`peer (?<peer>\S+)`,
        kind: 'dpd-peer-dead',
        set: { note: 'operator' },
      },
    ]);
    const parse = createSyslogParser({ year: 2026, extraEntries: entries });
    const o = parse(
      'Jul  1 10:00:00 r1 kmd[5]: KMD_DPD_PEER_DOWN: DPD detected peer 192.0.2.9 is dead',
    );
    expect(o.data).toEqual({ peer: '192.0.2.9', note: 'operator' });
  });

  it('make lines of their programs recognisable (not ignored)', () => {
    const { entries } = compileCatalogEntries([
      {
        id: 'ipsec-watch',
        programs: ['ipsecd'],
        pattern: String.raw`^peer (?<peer>\S+) dead`,
        kind: 'dpd-peer-dead',
      },
    ]);
    const parse = createSyslogParser({ year: 2026, extraEntries: entries });
    expect(parse('Jul  1 10:00:00 r1 ipsecd[5]: peer 192.0.2.9 dead').kind).toBe('dpd-peer-dead');
    expect(parse('Jul  1 10:00:00 r1 ipsecd[5]: other').kind).toBe('unrecognized');
  });

  it('fall through when the result does not fit the kind', () => {
    const { entries } = compileCatalogEntries([
      {
        id: 'bad-spi',
        pattern: String.raw`^SA (?<direction>\S+) (?<spi>\S+)`,
        kind: 'ipsec-sa-established',
        convert: { spi: 'spi', direction: 'direction' },
      },
    ]);
    const parse = createSyslogParser({ year: 2026, extraEntries: entries });
    expect(parse('Jul  1 10:00:00 r1 kmd[5]: SA inbound nothex').kind).toBe('unrecognized');
  });

  it(`only see the first ${OPERATOR_TEXT_LIMIT} characters of the message`, () => {
    const { entries } = compileCatalogEntries([
      { id: 'tail', pattern: String.raw`END (?<peer>\S+)$`, kind: 'dpd-peer-dead' },
    ]);
    const parse = createSyslogParser({ year: 2026, extraEntries: entries });
    const short = `Jul  1 10:00:00 r1 kmd[5]: ${'x'.repeat(100)} END 192.0.2.9`;
    const long = `Jul  1 10:00:00 r1 kmd[5]: ${'x'.repeat(OPERATOR_TEXT_LIMIT)} END 192.0.2.9`;
    expect(parse(short).kind).toBe('dpd-peer-dead');
    expect(parse(long).kind).toBe('unrecognized');
  });
});

describe('operator entry validation', () => {
  it('reports every problem with its index and path', () => {
    const { entries, problems } = compileCatalogEntries([
      crl,
      { ...crl, id: 'x', kind: 'no-such-kind' },
      { ...crl, id: 'y', pattern: '(a+)+$' },
      {
        ...crl,
        id: 'z',
        pattern: String.raw`^(?<peer>\S+)`,
        kind: 'ipsec-sa-established',
        set: {},
      },
      { ...crl, id: 'w', set: { check: 'maybe' } },
      { ...crl, id: 'v', convert: { nothere: 'int' } },
      { ...crl, id: 'u', pattern: '([' },
      { ...crl, id: 't', extra: 1 },
    ]);
    expect(entries).toEqual([]);
    const where = problems.map((p) => p.path.join('.'));
    expect(where).toEqual(
      expect.arrayContaining([
        '1.kind',
        '2.pattern',
        '3.pattern',
        '4.set.check',
        '5.convert.nothere',
        '6.pattern',
        '7',
      ]),
    );
    const missing = problems.filter((p) => p.path.join('.') === '3.pattern').map((p) => p.message);
    expect(missing.join('\n')).toMatch(/direction/);
    expect(missing.join('\n')).toMatch(/spi/);
  });

  it('reports duplicate ids', () => {
    const { problems } = compileCatalogEntries([crl, crl]);
    expect(problems).toEqual([{ path: [1, 'id'], message: 'duplicate id crl-refresh-failed' }]);
  });

  it('is the schema of syslog.catalog in the configuration', () => {
    expect(Config.safeParse({ syslog: { catalog: [crl] } }).success).toBe(true);
    const bad = Config.safeParse({ syslog: { catalog: [{ ...crl, pattern: '(x*)*' }] } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['syslog', 'catalog', 0, 'pattern']);
    expect(CatalogEntryConfig.parse(crl).programs).toEqual(['pkid']);
    expect(CatalogEntryConfig.parse({ ...crl, programs: undefined }).programs).toEqual([
      'kmd',
      'iked',
      'pkid',
    ]);
  });
});

describe('ReDoS guard for operator patterns', () => {
  it.each([
    ['(a+)+$', /nested/],
    ['(a*)*b', /nested/],
    ['(?:a|ab)*c', /nested/],
    [String.raw`(\s*x)+`, /nested/],
    ['(a+){20}', /nested/],
    [String.raw`(\w+)\1`, /backreference/],
    [String.raw`(?<n>\w+)\k<n>`, /backreference/],
    ['a(?=b)', /lookahead/],
    ['(?<!a)b', /lookbehind/],
    ['.*a.*b.*c', /more than two/],
    ['(a', /unbalanced/],
    ['a)', /unbalanced/],
    ['*a', /nothing to repeat/],
    ['x'.repeat(1001), /longer/],
  ])('refuses %s', (pattern, why) => {
    expect(unsafePatternReason(pattern)).toMatch(why);
  });

  it.each([
    String.raw`^CRL refresh for (?<caProfile>\S+) failed: (?<reasonText>.+)$`,
    String.raw`(\d{1,3}\.){3}\d{1,3}`,
    String.raw`^(?:peer|gateway) (?<peer>[^,\s]+), (?<vpn>[\w-]+)?`,
    String.raw`[(*+?]+ literal specials in a class`,
    String.raw`\(FPC Slot \d+\) .* then .+`,
  ])('accepts %s', (pattern) => {
    expect(unsafePatternReason(pattern)).toBeUndefined();
  });
});
