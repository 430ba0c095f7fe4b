import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Observation } from '../../../src/domain/observation.js';
import { createSyslogParser } from '../../../src/junos/syslog/index.js';
import { MESSAGES } from '../../fixtures/syslog/messages.js';
import { render } from '../../fixtures/syslog/render.js';

const parse = createSyslogParser();
const context = { referenceTime: Date.UTC(2026, 7, 3), receivedAt: '2026-08-03T10:18:45.000Z' };
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

// Fragments of real lines: random concatenations reach deep into the scanners.
const FRAGMENTS = [
  '<30>',
  '<27>1 ',
  '<166> ',
  '1 ',
  '-',
  ' ',
  '  ',
  'Aug  3 10:18:44 ',
  'Nov 28 11:24:02.123 2006 ',
  '2026-08-03T12:18:44.123+02:00 ',
  'srx1 ',
  'kmd[14162]: ',
  'pkid: ',
  '(FPC Slot 1, PIC Slot 0) SPC1_PIC0 ',
  '%DAEMON-6-',
  'KMD_PM_SA_ESTABLISHED: ',
  'KMD_VPN_DOWN_ALARM_USER ',
  '[junos@2636.1.1.1.2.129 ',
  'index1="3700499780" ',
  'a="x\\]y\\"z" ',
  ']',
  '"',
  '\\',
  '=',
  '\uFEFF',
  '\uFFFD',
  '\r',
  'IKE negotiation failed with error: ',
  'VR-ID: 5: ',
  'Role: Initiator',
  'Local: 10.0.0.1/500, ',
  'SPI: 0x9cc87ce6, ',
  'Direction: inbound, ',
  'Reason: ',
  'from ',
  'is up. ',
  '[spi=',
  'local=ipv4(udp:500,[0..3]=',
];
const syslogish = fc
  .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: 'binary', maxLength: 12 })), {
    maxLength: 30,
  })
  .map((parts) => parts.join(''));

const oneLine = (s: string) => s.replace(/\n/g, ' ');

function check(line: string): void {
  const o = parse(line, context);
  expect(o.raw).toBe(line);
  const valid = Observation.safeParse(o);
  expect(valid.success, JSON.stringify(valid.error?.issues)).toBe(true);
}

describe('properties of the parser', () => {
  it('never throws and keeps the line as raw, for arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }).map(oneLine), check), {
      numRuns: 2000,
    });
  });

  it('never throws and keeps the line as raw, for syslog-like strings', () => {
    fc.assert(fc.property(syslogish.map(oneLine), check), { numRuns: 3000 });
  });

  it('decodes arbitrary bytes and keeps the decoded line as raw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const clean = bytes.map((b) => (b === 10 ? 32 : b));
        const o = parse(clean, context);
        expect(o.raw).toBe(decoder.decode(clean));
        expect(Observation.safeParse(o).success).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same observation whatever came before (caches are transparent)', () => {
    const lines = MESSAGES.flatMap((m) => render(m).map((r) => r.line));
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...lines), syslogish.map(oneLine)), { maxLength: 20 }),
        (batch) => {
          const shared = createSyslogParser({ timezone: 'Europe/Paris' });
          for (const line of batch) {
            expect(shared(line, context)).toEqual(
              createSyslogParser({ timezone: 'Europe/Paris' })(line, context),
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

// ReDoS guard. No timing assertion: a super-linear path would not finish a 1 MiB line within
// the test timeout (1 MiB² = 10¹² steps), linear ones take milliseconds.
const KiB = 1024;
const repeatTo = (unit: string, size: number) =>
  unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
const ADVERSARIAL: [string, (size: number) => string][] = [
  [
    'many SD elements without spaces',
    (n) => `<30>1 2026-08-03T10:00:00Z h kmd 1 KMD_X_Y ${repeatTo('[a]', n)}`,
  ],
  [
    'escaped quotes',
    (n) => `<30>1 2026-08-03T10:00:00Z h kmd 1 KMD_X_Y [junos@2636.1 a="${repeatTo('\\"', n)}`,
  ],
  [
    'backslash runs',
    (n) => `<30>1 2026-08-03T10:00:00Z h kmd 1 KMD_X_Y [junos@2636.1 a="${repeatTo('\\\\\\"x', n)}`,
  ],
  ['[ [ [', (n) => `<30>1 2026-08-03T10:00:00Z h kmd 1 KMD_X_Y ${repeatTo('[', n)}`],
  [
    'SD with escapes',
    (n) =>
      `<30>1 2026-08-03T10:00:00Z h kmd 1 KMD_X_Y [junos@2636.1 a="${repeatTo('\\]\\"\\\\', n)}"]`,
  ],
  [
    'unterminated SD value',
    (n) => `<30>1 2026-08-03T10:00:00Z h kmd 1 KMD_X_Y [junos@2636.1 a="${repeatTo('\\', n)}`,
  ],
  [
    'many SD params',
    (n) =>
      `<30>1 2026-08-03T10:00:00Z h kmd 1 KMD_PM_SA_ESTABLISHED [junos@2636.1 ${repeatTo('index1="1" ', n)}]`,
  ],
  [
    '= and " soup',
    (n) => `<30>1 2026-08-03T10:00:00Z h kmd 1 - [junos@2636.1 ${repeatTo('="= "', n)}`,
  ],
  [
    'SA element, escapes and values ending with =',
    (n) =>
      `<30>1 2026-08-03T10:00:00Z h kmd 1 KMD_PM_SA_ESTABLISHED [junos@2636.1 local-address="${repeatTo('\\"=\\', n)}=" remote-address="${repeatTo('"=', n)}"]`,
  ],
  [
    'SA element cut short',
    (n) =>
      `<30>1 2026-08-03T10:00:00Z h kmd 1 KMD_PM_SA_ESTABLISHED [junos@2636.1 local-address="a" remote-address="b" local-initiator="${repeatTo('\\\\]', n)}`,
  ],
  ['spaces', (n) => `Aug  3 10:18:44${' '.repeat(n)}srx1 kmd[1]: x`],
  [
    'SA layout with one long value',
    (n) =>
      `Aug  3 10:18:44 srx1 kmd[1]: KMD_PM_SA_ESTABLISHED: Local gateway: a, Remote gateway: b, Local ID: ${repeatTo('x,/:.', n)}, Remote ID: y, Direction: inbound, SPI: 0x9cc87ce6, AUX-SPI: 0, Mode: Tunnel, Type: dynamic, Traffic-selector:  FC Name:`,
  ],
  [
    'SA layout labels repeated',
    (n) =>
      `Aug  3 10:18:44 srx1 kmd[1]: KMD_PM_SA_ESTABLISHED: Local gateway: a, Remote gateway: b, Local ID: ${repeatTo('x, Remote ID: y, Direction: inbound, ', n)}`,
  ],
  [
    'IKE layout slashes and IDs',
    (n) =>
      `Aug  3 10:18:44 srx1 kmd[1]: IKE negotiation successfully completed. IKE Version: 2, VPN: v Gateway: g, Local: ${repeatTo('1/2', n)}/500, Remote: 2/500, Local IKE-ID: ${repeatTo('a,', n)}, Remote IKE-ID: ${repeatTo('b, Remote IKE-ID: ', n)}`,
  ],
  [
    'tunnel layout with a long reason',
    (n) =>
      `Aug  3 10:18:44 srx1 kmd[1]: KMD_VPN_DOWN_ALARM_USER: VPN v from p is down. Local-ip: a, gateway name: g, vpn name: v, tunnel-id: 1, local tunnel-if: st0.1, remote tunnel-ip: -, Local IKE-ID: a, Remote IKE-ID: b, AAA username: ${repeatTo('u,', n)}, VR id: 0, Traffic-selector: , Traffic-selector local ID: x, Traffic-selector remote ID: y, SA Type: Static, Reason: ${repeatTo(' , Reason: ', n)}\u00a0`,
  ],
  [
    'VR-ID repeats',
    (n) =>
      `Aug  3 10:18:44 srx1 kmd[1]: IKE negotiation failed with error: ${repeatTo('VR-ID: ', n)}`,
  ],
  [
    'labels out of order',
    (n) =>
      `Aug  3 10:18:44 srx1 kmd[1]: IKE negotiation successfully completed. ${repeatTo('Role: x, VR-ID: 5, Remote IKE-ID: , Local IKE-ID: , Remote: , Local: , Gateway: VPN: IKE Version: ', n)}`,
  ],
  [
    'word boundaries that never hold',
    (n) => `Aug  3 10:18:44 srx1 kmd[1]: KMD_VPN_UP_ALARM_USER: VPN ${repeatTo('xfromxVPNx', n)}`,
  ],
  [
    'separators before a label',
    (n) =>
      `Aug  3 10:18:44 srx1 kmd[1]: KMD_PM_SA_ESTABLISHED: Local gateway: ${repeatTo(', :;', n)} Direction: inbound, SPI: 0x12345678`,
  ],
  ['tag-like prefix', (n) => `Aug  3 10:18:44 srx1 kmd[1]: ${repeatTo('A_', n)}`],
  ['tag without its colon', (n) => `Aug  3 10:18:44 srx1 kmd[1]: ${repeatTo('A_0', n)}:x`],
  ['host of colons', (n) => `Aug  3 10:18:44 ${repeatTo('a:', n)} kmd[1]: x`],
  ['host of brackets', (n) => `Aug  3 10:18:44 ${repeatTo('a]', n)}[ kmd[1]: x`],
  [
    'long program and pid',
    (n) => `Aug  3 10:18:44 srx1 ${repeatTo('k(', n)}[${repeatTo('1]', n)}: x`,
  ],
  ['spaces after the program', (n) => `Aug  3 10:18:44 srx1 kmd[1]:${' '.repeat(n)}x`],
  ['explicit priority', (n) => `Aug  3 10:18:44 srx1 kmd[1]: %${repeatTo('DAEMON', n)}`],
  ['SPU prefix', (n) => `Aug  3 10:18:44 srx1 (FPC Slot ${repeatTo('1, ', n)}`],
  ['program brackets', (n) => `Aug  3 10:18:44 srx1 kmd${repeatTo('[', n)}: x`],
  [
    'assumed fallback',
    (n) => `Aug  3 10:18:44 srx1 pkid[1]: ${repeatTo('CA profile has been revoke ', n)}`,
  ],
  [
    'garbage IKE-ID',
    (n) =>
      `Aug  3 10:18:44 srx1 kmd[1]: KMD_VPN_UP_ALARM_USER: VPN v from p is up. Local IKE-ID: ${repeatTo('\uFFFD\r', n)}, SA Type: Static`,
  ],
];

describe('adversarial lines (ReDoS guard)', () => {
  it.each(ADVERSARIAL)('%s: 64 KiB and 1 MiB lines parse', (_name, make) => {
    for (const size of [64 * KiB, 1024 * KiB]) {
      const line = make(size);
      const o = parse(line, context);
      expect(o.raw).toBe(line);
      expect(Observation.safeParse(o).success).toBe(true);
    }
  });
});
