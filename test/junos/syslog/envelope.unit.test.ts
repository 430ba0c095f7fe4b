import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { envelopeOptions, newEnvelope, scanEnvelope } from '../../../src/junos/syslog/envelope.js';
import {
  scanStructuredData,
  SdParams,
  sdNeedle,
  type StructuredData,
} from '../../../src/junos/syslog/structured-data.js';
import { createSyslogParser } from '../../../src/junos/syslog/index.js';

function envelope(line: string) {
  const env = newEnvelope();
  const ok = scanEnvelope(line, env);
  return { ok, ...env, sd: env.sd?.toObject() };
}

describe('envelope forms', () => {
  it.each([
    [
      'BSD with PRI',
      '<30>May 4 05:16:01 router rmopd[10286]: PING_TEST_COMPLETED: owner: x',
      'router',
      'rmopd',
      'PING_TEST_COMPLETED',
      'owner: x',
    ],
    [
      'BSD without PRI',
      'Nov 28 11:24:02 srx kmd[13696]: KMD_X_Y: a b',
      'srx',
      'kmd',
      'KMD_X_Y',
      'a b',
    ],
    [
      'show log file form',
      'Aug  3 10:18:44  srx1 kmd[14162]: Config download time: 0 seconds',
      'srx1',
      'kmd',
      '',
      'Config download time: 0 seconds',
    ],
    [
      'program without pid',
      'Aug  3 10:18:44 srx1 kmd: KMD_X_Y: text',
      'srx1',
      'kmd',
      'KMD_X_Y',
      'text',
    ],
    ['no hostname', 'Aug  3 10:18:44 kmd[1]: KMD_X_Y: text', '', 'kmd', 'KMD_X_Y', 'text'],
    [
      'SPU prefix after the host',
      'Aug  3 10:18:44 srx5k (FPC Slot 3, PIC Slot 1) SPC3_PIC1 kmd[2222]: KMD_X_Y: text',
      'srx5k',
      'kmd',
      'KMD_X_Y',
      'text',
    ],
    [
      'SPU prefix without SPC name',
      'Aug  3 10:18:44 srx5k (FPC Slot 3, PIC Slot 1) kmd[2222]: KMD_X_Y: text',
      'srx5k',
      'kmd',
      'KMD_X_Y',
      'text',
    ],
    [
      'SPU prefix without host',
      'Aug  3 10:18:44 (FPC Slot 3, PIC Slot 1) SPC3_PIC1 kmd[2222]: KMD_X_Y: text',
      '',
      'kmd',
      'KMD_X_Y',
      'text',
    ],
    [
      'explicit-priority',
      'Aug  3 10:18:44 srx1 kmd[1]: %DAEMON-6-KMD_PM_SA_ESTABLISHED: Local gateway: x',
      'srx1',
      'kmd',
      'KMD_PM_SA_ESTABLISHED',
      'Local gateway: x',
    ],
    [
      'explicit-priority without tag',
      'Aug  3 10:18:44 srx1 kmd[1]: %DAEMON-3: IKE negotiation failed',
      'srx1',
      'kmd',
      '',
      'IKE negotiation failed',
    ],
    [
      'relay BSD with an RFC 3339 stamp',
      '<30>2026-11-27T09:18:51.123+01:00 srx1 kmd[1]: KMD_X_Y: text',
      'srx1',
      'kmd',
      'KMD_X_Y',
      'text',
    ],
    [
      'RFC 5424 with tag and SD',
      '<30>1 2023-05-04T15:27:30.846+10:00 h kmd 8961 KMD_X_Y [junos@2636.1.1.1.2.26 a="1"] text',
      'h',
      'kmd',
      'KMD_X_Y',
      'text',
    ],
    [
      'RFC 5424 without SD',
      '<27>1 2023-05-04T15:19:33.984+10:00 h kmd 9159 - - IKE negotiation failed',
      'h',
      'kmd',
      '',
      'IKE negotiation failed',
    ],
    [
      'RFC 5424 brief (no text)',
      '<30>1 2023-05-04T15:27:30.846+10:00 h kmd 8961 KMD_X_Y [junos@2636.1 a="1"]',
      'h',
      'kmd',
      'KMD_X_Y',
      '',
    ],
    [
      'RFC 5424 with BOM before MSG',
      '<30>1 2023-05-04T15:27:30.846Z h kmd 1 - - \uFEFFIKE x',
      'h',
      'kmd',
      '',
      'IKE x',
    ],
    ['RFC 5424 nil fields', '<30>1 - - - - - -', '', '', '', ''],
    [
      'RFC 5424 without version',
      '<166> 2023-05-08T10:54:24.756+10:00 h - - - - text',
      'h',
      '',
      '',
      'text',
    ],
    [
      'BOM at the start of the line',
      '\uFEFF<30>Aug  3 10:18:44 srx1 kmd[1]: KMD_X_Y: t',
      'srx1',
      'kmd',
      'KMD_X_Y',
      't',
    ],
  ])('%s', (_name, line, host, program, tag, text) => {
    const env = envelope(line);
    expect(env.ok).toBe(true);
    expect(env.host).toBe(host);
    expect(env.program).toBe(program);
    expect(env.tag).toBe(tag);
    expect(env.text).toBe(text);
  });

  it('does not take capitalised prose for a tag', () => {
    for (const text of [
      'IKE negotiation successfully completed. IKE Version: 2',
      'DPD: peer dead',
      'KMDX: a',
    ]) {
      const env = envelope(`Aug  3 10:18:44 srx1 kmd[1]: ${text}`);
      expect(env.tag).toBe('');
      expect(env.text).toBe(text);
    }
  });

  it('keeps the MSGID as tag when the text starts with another tag-like word', () => {
    const env = envelope(
      '<30>1 2026-05-07T12:35:17.448+02:00 h rpd 20893 RPD_IFD_NOTIFICATION [junos@2636.1 state="UpDown"] IF_TRACE: EVENT',
    );
    expect(env.tag).toBe('RPD_IFD_NOTIFICATION');
    expect(env.text).toBe('IF_TRACE: EVENT');
  });

  it('drops the tag repeated at the start of an RFC 5424 message', () => {
    const env = envelope('<30>1 2026-05-07T12:35:17.448Z h kmd 1 KMD_X_Y - KMD_X_Y: text');
    expect(env.tag).toBe('KMD_X_Y');
    expect(env.text).toBe('text');
  });

  it.each([
    ['', 'empty'],
    ['garbage', 'no stamp'],
    ['<30', 'unterminated PRI'],
    ['<1234>Aug  3 10:18:44 h kmd[1]: x', 'PRI too long'],
    ['Aug 33x10:18:44 h kmd[1]: x', 'bad day'],
    ['Foo  3 10:18:44 h kmd[1]: x', 'bad month'],
    ['<30>1 2026-13 h kmd 1 - - x', 'bad RFC 5424 stamp'],
  ])('refuses %j (%s)', (line) => {
    expect(envelope(line).ok).toBe(false);
  });

  it('reads a BSD line whose source names no program as program ""', () => {
    const env = envelope('Aug  3 10:18:44 srx1 last message repeated 3 times');
    expect(env.ok).toBe(true);
    expect(env.program).toBe('');
    expect(env.host).toBe('srx1');
    expect(env.text).toBe('last message repeated 3 times');
  });
});

/** The envelope of `line` read with the header regex or by the character loop alone. */
function envelopeBy(line: string, regex: boolean) {
  envelopeOptions.headerRegex = regex;
  try {
    const env = newEnvelope();
    const ok = scanEnvelope(line, env, false);
    const byRegex = env.textStart >= 0;
    scanEnvelope(line, env);
    return { byRegex, env: { ok, ...env, sd: env.sd?.toObject() } };
  } finally {
    envelopeOptions.headerRegex = true;
  }
}

/** Small edits around the header's delimiters. */
const HEADER_EDITS = ['', ' ', '  ', ':', '[', ']', '(', '%', '\uFEFF', '_', 'A', '1', '\t', '-'];

const headerLine = fc
  .tuple(
    fc.constantFrom('', '<30>', '<189>'),
    fc.constantFrom('Aug  3 10:18:44', 'Nov 27 08:00:01', 'Aug 21 12:36:30.401 2006'),
    fc.constantFrom(' ', '  ', '   '),
    fc.constantFrom('srx1', 'srx-01', 'a', 'h:', 'a:b', 'h[1]', '(FPC', '(x', 'x(', '-', ']'),
    fc.constantFrom(' ', '  '),
    fc.constantFrom('kmd', '/usr/sbin/kmd', 'k', '(kmd', 'k]d', 'KMD'),
    fc.constantFrom('[14162]', '', '[]', '[1 2]', '[1', '[1]]', '[a[b]'),
    fc.constantFrom(':', ': ', ':  ', ' :', ''),
    fc.constantFrom(
      'KMD_PM_SA_ESTABLISHED: Local gateway: x',
      'KMD_X_Y:',
      'KMD_X_Y:  two spaces',
      'KMD_X_Y:x',
      'KMDX: no underscore',
      'A_: a',
      '_A: a',
      'K1_2: a',
      'K_a: lowercase',
      '%DAEMON-6-KMD_X_Y: t',
      '\uFEFFKMD_X_Y: t',
      'IKE negotiation successfully completed. IKE Version: 2',
      '',
      ' ',
    ),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 2 }), fc.constantFrom(...HEADER_EDITS)), {
      maxLength: 2,
    }),
  )
  .map(([pri, stamp, gap, host, gap2, program, pid, colon, message, edits]) => {
    let out = `${pri}${stamp}${gap}${host}${gap2}${program}${pid}${colon}${message}`;
    for (const [at, remove, insert] of edits) {
      const i = at % (out.length + 1);
      out = out.slice(0, i) + insert + out.slice(i + remove);
    }
    return out;
  });

describe('RFC 3164 header: regex = character loop', () => {
  it('reads the usual header by its regex', () => {
    const line = 'Nov 27 08:00:01  srx-01 kmd[14162]: KMD_PM_SA_ESTABLISHED: Local gateway: x';
    const { byRegex, env } = envelopeBy(line, true);
    expect(byRegex).toBe(true);
    expect(env).toEqual(envelopeBy(line, false).env);
    expect([env.host, env.program, env.tag, env.text]).toEqual([
      'srx-01',
      'kmd',
      'KMD_PM_SA_ESTABLISHED',
      'Local gateway: x',
    ]);
  });

  it('gives what the loop gives wherever the regex accepts a line', () => {
    let byRegex = 0;
    fc.assert(
      fc.property(headerLine, (line) => {
        const fast = envelopeBy(line, true);
        if (fast.byRegex) byRegex++;
        expect(fast.env).toEqual(envelopeBy(line, false).env);
      }),
      { numRuns: 5000 },
    );
    // Otherwise this would compare the loop with itself.
    expect(byRegex).toBeGreaterThan(500);
  });
});

/**
 * Scans the SD at `at` with `indexed` and without: the same element bounds either way. Returns
 * params read by search over it (to compare `indexed` with), or undefined when there are none.
 */
function scannedBothWays(text: string, at: number, indexed: SdParams): SdParams | undefined {
  const out: StructuredData = { end: -1, paramsStart: -1, paramsEnd: -1 };
  scanStructuredData(text, at, out, indexed);
  const plain: StructuredData = { end: -1, paramsStart: -1, paramsEnd: -1 };
  scanStructuredData(text, at, plain);
  expect(out).toEqual(plain);
  if (out.end < 0 || out.paramsStart < 0) return undefined;
  return new SdParams().reset(text, out.paramsStart, out.paramsEnd);
}

describe('structured data (RFC 5424 §6.3)', () => {
  const scan = (text: string) => {
    const out: StructuredData = { end: -1, paramsStart: -1, paramsEnd: -1 };
    scanStructuredData(text, 0, out);
    return {
      end: out.end,
      params:
        out.paramsStart >= 0
          ? new SdParams().reset(text, out.paramsStart, out.paramsEnd).toObject()
          : undefined,
    };
  };

  it('unescapes \\" \\\\ \\] and keeps other backslashes', () => {
    const text = String.raw`[junos@2636.1.1.1.2.129 a="x\]y" b="q\"r" c="s\\t" d="u\nv" e=""]`;
    expect(scan(text)).toEqual({
      end: text.length,
      params: { a: 'x]y', b: 'q"r', c: 's\\t', d: 'u\\nv', e: '' },
    });
  });

  it('reads the Junos element whatever its platform suffix, and skips other elements', () => {
    const text = '[origin ip="1.2.3.4"][junos@2636.1.1.1.2.164 x="1"][meta sequenceId="5"]';
    expect(scan(text)).toEqual({ end: text.length, params: { x: '1' } });
    expect(scan('[origin ip="1"]').params).toBeUndefined();
  });

  it.each(['[junos@2636.1 a="1"', '[junos@2636.1 a=1]', '[junos@2636.1 a="1]', '[ a="1"]', '['])(
    'reports %j as malformed',
    (text) => {
      expect(scan(text).end).toBe(-1);
    },
  );

  it('reads one parameter on demand, unescaped, and not from inside another value', () => {
    const text = String.raw`[junos@2636.1 a="x index1=\"9\" y" index1="36090046" b="p\]q"]`;
    const out: StructuredData = { end: -1, paramsStart: -1, paramsEnd: -1 };
    scanStructuredData(text, 0, out);
    const params = new SdParams().reset(text, out.paramsStart, out.paramsEnd);
    expect(params.value(sdNeedle('index1'))).toBe('36090046');
    expect(params.value(sdNeedle('b'))).toBe('p]q');
    expect(params.value(sdNeedle('a'))).toBe('x index1="9" y');
    expect(params.value(sdNeedle('missing'))).toBeUndefined();
  });

  it('reads the same value whatever was read before, and from a reused instance', () => {
    // SdParams remembers where the next backslash is between reads: the order of reads and
    // the previous line must not change any value.
    const value = fc.stringMatching(/^(?:[a-z "=\]\\]|\\[\\"\]])*$/);
    const names = ['a', 'b', 'c', 'missing'];
    const reused = new SdParams();
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 3, maxLength: 3 }),
        fc.array(fc.constantFrom(...names), { maxLength: 8 }),
        (values, reads) => {
          const escaped = values.map((v) => v.replace(/(?<!\\)(["\]])/g, '\\$1'));
          const text = `[junos@2636.1 a="${escaped[0]}" b="${escaped[1]}" c="${escaped[2]}"]`;
          const out: StructuredData = { end: -1, paramsStart: -1, paramsEnd: -1 };
          scanStructuredData(text, 0, out);
          if (out.paramsStart < 0) return;
          reused.reset(text, out.paramsStart, out.paramsEnd);
          for (const name of reads) {
            const fresh = new SdParams().reset(text, out.paramsStart, out.paramsEnd);
            expect(reused.value(sdNeedle(name))).toBe(fresh.value(sdNeedle(name)));
          }
        },
      ),
    );
  });

  it('reads the same values indexed by the scan as by searching the element', () => {
    // scanStructuredData indexes the Junos parameters as it checks them; value() then reads
    // by position. Searching ` name="` from the start of the element is the definition:
    // duplicate names, values ending with `=` (a search can find ` name="` there), escaped
    // values (cached per position from line to line) and names nobody asked for included.
    const name = fc.constantFrom('a', 'b', 'ab', 'index1', 'index2', 'x=', 'a"');
    const value = fc.stringMatching(/^(?:[a-z =\]\\"]|\\[\\"\]]| a=| b="?)*$/);
    const param = fc.tuple(name, value, fc.constantFrom(' ', '  '));
    const element = (params: (readonly [string, string, string])[]) =>
      `[junos@2636.1${params.map(([n, v, gap]) => `${gap}${n}="${v.replace(/(?<!\\)(["\]])/g, '\\$1')}"`).join('')}]`;
    const indexed = new SdParams();
    const check = (text: string, at: number) => {
      const searched = scannedBothWays(text, at, indexed);
      if (!searched) return;
      for (const n of ['a', 'b', 'ab', 'index1', 'index2', 'x=', 'a"', 'missing']) {
        expect(indexed.value(sdNeedle(n))).toBe(searched.value(sdNeedle(n)));
      }
    };
    fc.assert(
      fc.property(
        fc.array(param, { maxLength: 40 }),
        fc.constantFrom('x ', '[o a="1"]'),
        (params, before) => {
          const at = before === 'x ' ? 2 : 0;
          // The same values at other positions on the next line: a cached value must be
          // the one of its own position.
          check(`${before}${element(params)} msg`, at);
          check(`${before}${element([...params].reverse())} msg`, at);
          check(
            `${before}${element(params.map(([n, , g], i) => [n, params[(i + 1) % params.length]![1], g] as const))}`,
            at,
          );
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("reads kmd's SA element by its regex as the scan and a search read it", () => {
    const names = [
      'local-address',
      'remote-address',
      'local-initiator',
      'remote-responder',
      'argument1',
      'index1',
      'index2',
      'mode',
      'type',
      'traffic-selector-name',
      'first-forwarding-class',
    ];
    // Values as kmd writes them, escaped random texts (with `=` at the end, other names
    // inside), and now and then one as is (an unescaped quote, a trailing backslash).
    const text = fc.stringMatching(/^(?:[a-z =\]["\\]| mode=| type="?)*$/);
    const value = fc.oneof(
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          '10.0.1.50',
          'ipv4_subnet(any:0,[0..7\\]=0.0.0.0/0)',
          '',
          '3700499780',
        ),
      },
      { weight: 3, arbitrary: text.map((v) => v.replace(/(["\\\]])/g, '\\$1')) },
      { weight: 1, arbitrary: text },
    );
    const indexed = new SdParams();
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 11, maxLength: 11 }),
        fc.constantFrom('', ' msg', '[x a="1"] msg', ']', ' '),
        fc.constantFrom(' ', '  '),
        fc.nat(11),
        (values, after, gap, odd) => {
          const params = names.map((n, k) => `${k === odd ? gap : ' '}${n}="${values[k]!}"`);
          const text = `<30>1 - h kmd 1 - [junos@2636.1.1.1.2.129${params.join('')}]${after}`;
          const at = text.indexOf('[');
          const searched = scannedBothWays(text, at, indexed);
          if (!searched) return;
          for (const n of [...names, 'a', 'missing']) {
            expect(indexed.value(sdNeedle(n))).toBe(searched.value(sdNeedle(n)));
            expect(indexed.value(` ${n}="`)).toBe(searched.value(sdNeedle(n)));
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('keeps malformed SD as message text', () => {
    const parse = createSyslogParser();
    const observation = parse('<30>1 2026-01-01T00:00:00Z h kmd 1 KMD_X_Y [junos@2636.1 a="1');
    expect(observation.kind).toBe('unrecognized');
    expect(observation.data).toEqual({ program: 'kmd', tag: 'KMD_X_Y' });
  });
});

describe('relayed lines', () => {
  it('parses rsyslog RFC 5424 forwards of BSD lines, whose MSG keeps a leading space', () => {
    const relayed =
      '<30>1 2026-11-27T10:00:00+00:00 srx1 kmd 123 - -  KMD_PM_SA_ESTABLISHED: Local gateway: 192.0.2.1, Remote gateway: 198.51.100.1, Local ID: ipv4_subnet(any:0,[0..7]=10.0.0.0/24), Remote ID: ipv4_subnet(any:0,[0..7]=10.1.0.0/24), Direction: inbound, SPI: 0x10000001, AUX-SPI: 0, Mode: Tunnel, Type: dynamic, Traffic-selector:  FC Name: ';
    const env = envelope(relayed);
    expect(env.tag).toBe('KMD_PM_SA_ESTABLISHED');
    const observation = createSyslogParser()(relayed);
    expect(observation.kind).toBe('ipsec-sa-established');
    expect(observation.kind === 'ipsec-sa-established' && observation.data.spi).toBe('0x10000001');
    expect(observation.raw).toBe(relayed);
  });
});
