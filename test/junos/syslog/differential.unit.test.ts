import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ASSUMED } from '../../../src/junos/catalog/assumed.js';
import { Catalog } from '../../../src/junos/catalog/catalog.js';
import { defineEntry } from '../../../src/junos/catalog/define.js';
import { KMD_TAGGED } from '../../../src/junos/catalog/kmd-tagged.js';
import { KMD_TEXT } from '../../../src/junos/catalog/kmd-text.js';
import {
  ikeByLabels,
  ikeByLayout,
  saByLabels,
  saByLayout,
  tunnelByLabels,
  tunnelByLayout,
} from '../../../src/junos/catalog/fast.js';
import type { MessageView, ObservationFields } from '../../../src/junos/catalog/types.js';
import { SdParams } from '../../../src/junos/syslog/structured-data.js';
import {
  createSyslogParser,
  type ParseContext,
  type SyslogParserOptions,
} from '../../../src/junos/syslog/index.js';
import { MESSAGES } from '../../fixtures/syslog/messages.js';
import { render } from '../../fixtures/syslog/render.js';

// The hand-written extractors (src/junos/catalog/fast.ts) must give exactly what the generic
// catalog entries give, on kmd's usual layout and on mutated lines alike. (When they were
// introduced, the whole parser was also compared with the implementation before them,
// commit f7528c4, on generated and invalid-UTF-8 lines: see commit a591f8e.)

const PROXY = 'ipv4_subnet(any:0,[0..7]=0.0.0.0/0)';

/** Message texts in kmd's usual layout, with variable values. */
const value = fc.constantFrom(
  '10.0.1.50',
  '13.68.203.192',
  PROXY,
  'vpn-branch-7',
  'gw-branch-7',
  '0',
  '5',
  '-',
  'N/A',
  'Not-Available',
  'Not-Applicable',
  '',
  ' ',
  'a, b',
  'x.',
  'y:',
  '\rDʦ',
  '\uFFFD\uFFFD',
  'CN=branch-7, O=Example',
  '10.0.0.1/500',
  '10.0.0.1/70000',
  'N/A/500',
  '(Initiator)',
  'Responder',
  'initiator',
  'Inbound',
  'outbound',
  '0x9cc87ce6',
  '0x9CC87CE6',
  '9cc87ce6',
  'Tunnel',
  'dynamic',
  'Static',
);

const saText = fc
  .tuple(fc.array(value, { minLength: 11, maxLength: 11 }), fc.boolean())
  .map(([v, canonical]) => {
    const pick = (i: number, usual: string): string => (canonical ? usual : v[i]!);
    return `Local gateway: ${pick(0, '10.0.1.50')}, Remote gateway: ${pick(1, '13.68.203.192')}, Local ID: ${pick(2, PROXY)}, Remote ID: ${pick(3, PROXY)}, Direction: ${pick(4, 'inbound')}, SPI: ${pick(5, '0x9cc87ce6')}, AUX-SPI: ${pick(6, '0')}, Mode: ${pick(7, 'Tunnel')}, Type: ${pick(8, 'dynamic')}, Traffic-selector: ${pick(9, '')} FC Name:${pick(10, '')}`;
  });

const ikeTail = fc
  .tuple(fc.array(value, { minLength: 9, maxLength: 9 }), fc.boolean(), fc.boolean())
  .map(([v, canonical, role]) => {
    const pick = (i: number, usual: string): string => (canonical ? usual : v[i]!);
    const tail = `IKE Version: ${pick(0, '2')}, VPN: ${pick(1, 'vpn-branch-7')} Gateway: ${pick(2, 'gw-branch-7')}, Local: ${pick(3, '10.0.1.50/500')}, Remote: ${pick(4, '13.68.203.192/4500')}, Local IKE-ID: ${pick(5, '10.0.1.50')}, Remote IKE-ID: ${pick(6, '13.68.203.192')}, VR-ID: ${pick(7, '0')}`;
    return role ? `${tail}${canonical ? ', ' : ': '}Role: ${pick(8, 'Initiator')}` : tail;
  });

const ikeText = fc
  .tuple(
    fc.constantFrom(
      'IKE negotiation successfully completed. ',
      'IKE negotiation failed with error: Timed out. ',
      'IKE negotiation failed with error: No proposal chosen. ',
      'IPSec negotiation failed with error: Peer proposed traffic-selectors are not in configured range. ',
      'IKE negotiation failed with error: ',
    ),
    ikeTail,
  )
  .map(([head, tail]) => head + tail);

const tunnelText = fc
  .tuple(
    fc.array(value, { minLength: 17, maxLength: 17 }),
    fc.boolean(),
    fc.constantFrom('up', 'down'),
    fc.boolean(),
  )
  .map(([v, canonical, state, reason]) => {
    const pick = (i: number, usual: string): string => (canonical ? usual : v[i]!);
    const text = `VPN ${pick(0, 'vpn-branch-7')} from ${pick(1, '13.68.203.192')} is ${state}. Local-ip: ${pick(2, '10.0.1.50')}, gateway name: ${pick(3, 'gw-branch-7')}, vpn name: ${pick(4, 'vpn-branch-7')}, tunnel-id: ${pick(5, '131073')}, local tunnel-if: ${pick(6, 'st0.7')}, remote tunnel-ip: ${pick(7, 'Not-Available')}, Local IKE-ID: ${pick(8, '10.0.1.50')}, Remote IKE-ID: ${pick(9, '\rDʦ')}, AAA username: ${pick(10, 'Not-Applicable')}, VR id: ${pick(11, '0')}, Traffic-selector: ${pick(12, '')}, Traffic-selector local ID: ${pick(13, PROXY)}, Traffic-selector remote ID: ${pick(14, PROXY)}, SA Type: ${pick(15, 'Static')}`;
    return reason ? `${text}, Reason: ${pick(16, 'DPD detected peer is dead')}` : text;
  });

/** Small edits that push a text off the usual layout: the fast paths must then step aside. */
const EDITS = [
  '',
  ' ',
  '  ',
  ',',
  ', ',
  ',  ',
  ', : ',
  ';;;;',
  ':',
  ';',
  '.',
  ']',
  '\t',
  '\u00a0',
  'x',
  'Role:',
  'VR-ID:',
  'FC Name:',
  'Remote ID:',
  'Direction:',
  'IKE Version:',
  'SPI:',
  'Reason:',
  'from',
  'is up',
  'is down',
  'AAA username:',
  'Traffic-selector:',
  'Traffic-selector local ID:',
  'Local IKE-ID:',
  'Remote IKE-ID:',
  '/',
  '/70000',
  'N/A',
  '\uFFFD',
];

function mutated(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(
      text,
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.constantFrom(...EDITS)), {
        maxLength: 3,
      }),
    )
    .map(([t, edits]) => {
      let out = t;
      for (const [at, remove, insert] of edits) {
        const i = at % (out.length + 1);
        out = out.slice(0, i) + insert + out.slice(i + remove);
      }
      return out;
    });
}

const sdPart = fc.oneof(
  fc.constantFrom(
    '-',
    '[junos@2636.1.1.1.2.129 local-address="10.0.1.50" remote-address="13.68.203.192" local-initiator="ipv4_subnet(any:0,[0..7\\]=0.0.0.0/0)" remote-responder="ipv4_subnet(any:0,[0..7\\]=0.0.0.0/0)" argument1="inbound" index1="3700499780" index2="0" mode="Tunnel" type="dynamic" traffic-selector-name="" first-forwarding-class=""]',
    '[junos@2636.1.1.1.2.129 argument1="Outbound" index1="x" traffic-selector-name="ts-1"]',
    '[junos@2636.1.1.1.2.129 local-address="-"]',
  ),
  // index1: the SPI in decimal, converted by hand on the fast path.
  fc
    .oneof(
      fc.integer({ min: 0, max: 2 ** 32 + 5 }).map(String),
      fc.stringMatching(/^[0-9x -]{0,12}$/),
    )
    .map((index1) => `[junos@2636.1.1.1.2.129 argument1="inbound" index1="${index1}"]`),
);

const stamp = fc.constantFrom(
  'Aug  3 10:18:44',
  'Aug 3 10:18:44',
  'Dec 31 23:59:59',
  'Jan  1 00:00:00',
  'Feb 29 12:00:00',
  'Mar 29 02:30:00',
  'Oct 25 02:30:00',
  'Aug 21 12:36:30.401 2006',
  'Nov 28 11:24:02 2026',
  'Xyz  3 10:18:44',
  'Aug 32 10:18:44',
  'Aug  3 24:00:00',
  'Aug  3 10:60:00',
  'Aug  3 10:18:60',
);

const isoStamp = fc.constantFrom(
  '2026-08-03T12:18:44.123+02:00',
  '2026-08-03T10:18:44Z',
  '2026-08-03T10:18:44.5Z',
  '2026-08-03T10:18:44.123456-05:30',
  '2026-02-29T10:18:44Z',
  '0099-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '2026-08-03T10:18:60Z',
  '2026-08-03T10:18:44',
  '-',
);

const program = fc.constantFrom('kmd', 'iked', 'pkid', '/usr/sbin/kmd', 'KMD', 'sshd', 'mgd', '');
const host = fc.constantFrom('srx1', 'srx-01', 'srx-02', 'fw.example.net', '-');
const tag = fc.constantFrom(
  'KMD_PM_SA_ESTABLISHED: ',
  'KMD_VPN_UP_ALARM_USER: ',
  '',
  '%DAEMON-6-KMD_PM_SA_ESTABLISHED: ',
  'SSHD_LOGIN_FAILED: ',
);

const message = fc.oneof(
  fc.tuple(tag, fc.oneof(saText, mutated(saText))).map(([t, m]) => t + m),
  fc
    .tuple(
      fc.constantFrom('KMD_VPN_UP_ALARM_USER: ', 'KMD_VPN_DOWN_ALARM_USER: '),
      fc.oneof(tunnelText, mutated(tunnelText)),
    )
    .map(([t, m]) => t + m),
  fc.oneof(ikeText, mutated(ikeText)),
  fc.constantFrom(...MESSAGES.map((m) => (m.tag ? `${m.tag}: ${m.text}` : m.text))),
);

const line = fc.oneof(
  fc
    .tuple(stamp, fc.constantFrom(' ', '  '), host, program, message)
    .map(([s, gap, h, p, m]) => `${s}${gap}${h} ${p}[14162]: ${m}`),
  fc
    .tuple(fc.constantFrom('<30>', '<27>', '<189>'), stamp, host, program, message)
    .map(([pri, s, h, p, m]) => `${pri}${s} ${h} ${p}[1]: ${m}`),
  fc
    .tuple(isoStamp, host, program, fc.constantFrom('KMD_PM_SA_ESTABLISHED', '-'), sdPart, message)
    .map(
      ([s, h, p, msgid, sd, m]) =>
        `<30>1 ${s} ${h} ${p || '-'} 1555 ${msgid} ${sd} ${m.replace(/^KMD_PM_SA_ESTABLISHED: /, '')}`,
    ),
  fc.constantFrom(
    ...MESSAGES.flatMap((m) => render(m).map((r) => r.line)),
    '',
    '<30>',
    'garbage',
    '<30>1 - - - - - -',
  ),
);

const OPTIONS: SyslogParserOptions[] = [
  { year: 2026 },
  {},
  { timezone: 'Europe/Paris' },
  { timezone: '+05:30', year: 2024 },
];
const CONTEXTS: ParseContext[] = [
  { referenceTime: Date.UTC(2026, 7, 3) },
  {},
  { receivedAt: '2026-08-03T10:18:45.000Z', sender: '192.0.2.1' },
  { referenceTime: Date.UTC(2027, 0, 1, 0, 30) },
];

describe('differential: fast paths = the generic catalog', () => {
  it('parses generated and mutated lines totally and deterministically, raw kept', () => {
    const parsers = OPTIONS.map((o) => createSyslogParser(o));
    fc.assert(
      fc.property(line, fc.nat(), fc.nat(), (text, o, c) => {
        const context = CONTEXTS[c % CONTEXTS.length] ?? {};
        const first = parsers[o % parsers.length]!(text, context);
        expect(first.raw).toBe(text);
        expect(first.v).toBe(1);
        expect(first.router.length).toBeGreaterThan(0);
        // A fresh parser (empty caches) gives the same observation, key order included.
        const fresh = createSyslogParser(OPTIONS[o % OPTIONS.length]);
        expect(JSON.stringify(fresh(text, context))).toBe(JSON.stringify(first));
      }),
      { numRuns: 2000 },
    );
  }, 120_000);

  it('layout regexes = label-by-label scans wherever a regex accepts the text', () => {
    // Canonical texts take the regexes (otherwise this test would compare nothing).
    const canonicalSa = `Local gateway: 10.0.1.50, Remote gateway: 13.68.203.192, Local ID: ${PROXY}, Remote ID: ${PROXY}, Direction: inbound, SPI: 0x9cc87ce6, AUX-SPI: 0, Mode: Tunnel, Type: dynamic, Traffic-selector:  FC Name:`;
    expect(saByLayout(canonicalSa)).toEqual(saByLabels(canonicalSa));
    const canonicalIke =
      'IKE Version: 2, VPN: vpn-branch-7 Gateway: gw-branch-7, Local: 10.0.1.50/500, Remote: 13.68.203.192/4500, Local IKE-ID: 10.0.1.50, Remote IKE-ID: 13.68.203.192, VR-ID: 0, Role: Initiator';
    const byLayout: ObservationFields = {};
    expect(ikeByLayout(canonicalIke, 0, byLayout)).toBe(true);
    const byLabels: ObservationFields = {};
    expect(ikeByLabels(canonicalIke, 0, byLabels)).toBe(true);
    expect(byLayout).toEqual(byLabels);
    // Canonical texts with one value replaced: what a regex must reject or read as the scan does.
    const odd = fc.oneof(
      value,
      fc.constantFrom(
        'aVR-ID:0',
        'bDirection:x',
        'cRemote ID:x',
        'dRemote IKE-ID:x',
        'eFC Name:',
        'Role:',
        '1/70000',
        '1.2.3.4/',
        'a/1/2',
        '/500',
        'x]',
        'a;b',
        '\u00a0a',
        'a\tb',
        'ab,',
        'ab.',
        'ab:',
        '3',
        '2.',
        'up',
        'down',
        ', Reason: -',
        ', Reason:  x ',
        ', Reason: a\u00a0b',
        ', x',
      ),
    );
    const oneOff = (canonical: string[], make: (v: string[]) => string) =>
      fc
        .tuple(fc.nat(canonical.length - 1), odd)
        .map(([i, v]) => make(canonical.map((c, k) => (k === i ? v : c))));
    const sa = (v: string[]) =>
      `Local gateway: ${v[0]}, Remote gateway: ${v[1]}, Local ID: ${v[2]}, Remote ID: ${v[3]}, Direction: ${v[4]}, SPI: ${v[5]}, AUX-SPI: ${v[6]}, Mode: ${v[7]}, Type: ${v[8]}, Traffic-selector: ${v[9]} FC Name:${v[10]}`;
    const saOneOff = oneOff(
      ['10.0.1.50', '13.68.203.192', PROXY, PROXY, 'inbound', '0x9cc87ce6'].concat([
        '0',
        'Tunnel',
        'dynamic',
        '',
        '',
      ]),
      sa,
    );
    const ike = (v: string[]) =>
      `IKE Version: ${v[0]}, VPN: ${v[1]} Gateway: ${v[2]}, Local: ${v[3]}, Remote: ${v[4]}, Local IKE-ID: ${v[5]}, Remote IKE-ID: ${v[6]}, VR-ID: ${v[7]}, Role: ${v[8]}`;
    const ikeOneOff = oneOff(
      ['2', 'vpn-branch-7', 'gw-branch-7', '10.0.1.50/500', '13.68.203.192/4500'].concat([
        '10.0.1.50',
        '13.68.203.192',
        '0',
        'Initiator',
      ]),
      ike,
    );
    let regexTaken = 0;
    fc.assert(
      fc.property(fc.oneof(saText, mutated(saText), saOneOff), (text) => {
        const fields = saByLayout(text);
        if (fields === undefined) return;
        regexTaken++;
        expect(JSON.stringify(fields)).toBe(JSON.stringify(saByLabels(text)));
      }),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.oneof(ikeText, mutated(ikeText), ikeOneOff), (text) => {
        const at = text.indexOf('IKE Version:');
        if (at < 0) return;
        const a: ObservationFields = {};
        if (!ikeByLayout(text, at, a)) return;
        regexTaken++;
        const b: ObservationFields = {};
        expect(ikeByLabels(text, at, b)).toBe(true);
        expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      }),
      { numRuns: 5000 },
    );
    const tunnel = (v: string[]) =>
      `VPN ${v[0]} from ${v[1]} is ${v[2]}. Local-ip: ${v[3]}, gateway name: ${v[4]}, vpn name: ${v[5]}, tunnel-id: ${v[6]}, local tunnel-if: ${v[7]}, remote tunnel-ip: ${v[8]}, Local IKE-ID: ${v[9]}, Remote IKE-ID: ${v[10]}, AAA username: ${v[11]}, VR id: ${v[12]}, Traffic-selector: ${v[13]}, Traffic-selector local ID: ${v[14]}, Traffic-selector remote ID: ${v[15]}, SA Type: ${v[16]}${v[17]}`;
    const tunnelValues = (state: string, reason: string) =>
      ['vpn-branch-7', '13.68.203.192', state, '10.0.1.50', 'gw-branch-7', 'vpn-branch-7'].concat(
        ['131073', 'st0.7', 'Not-Available', '10.0.1.50', '13.68.203.192', 'Not-Applicable'],
        ['0', '', PROXY, PROXY, 'Static', reason],
      );
    const canonicalDown = tunnel(tunnelValues('down', ', Reason: DPD detected peer is dead'));
    expect(tunnelByLayout(canonicalDown, 'down')).toEqual(tunnelByLabels('down')(canonicalDown));
    const tunnelOneOff = fc.oneof(
      oneOff(tunnelValues('up', ''), tunnel),
      oneOff(tunnelValues('down', ', Reason: Peer is dead'), tunnel),
      odd.map((reason) => tunnel(tunnelValues('down', `, Reason: ${reason}`))),
    );
    fc.assert(
      fc.property(fc.oneof(tunnelText, mutated(tunnelText), tunnelOneOff), (text) => {
        for (const state of ['up', 'down'] as const) {
          const fields = tunnelByLayout(text, state);
          if (fields === undefined) continue;
          regexTaken++;
          expect(JSON.stringify(fields)).toBe(JSON.stringify(tunnelByLabels(state)(text)));
        }
      }),
      { numRuns: 5000 },
    );
    expect(regexTaken).toBeGreaterThan(1500);
  }, 120_000);

  it('hand-written extractors = generic extractors on message texts', () => {
    const specs = [...KMD_TAGGED, ...KMD_TEXT, ...ASSUMED];
    const fast = new Catalog(
      [],
      specs.map((s) => defineEntry(s)),
    );
    const generic = new Catalog(
      [],
      specs.map((s) => defineEntry(s, false)),
    );
    const sdText = (sd: string): SdParams | undefined => {
      if (sd === '-') return undefined;
      const start = sd.indexOf(' ');
      return new SdParams().reset(sd, start, sd.length - 1);
    };
    fc.assert(
      fc.property(
        fc.oneof(
          fc.tuple(fc.oneof(saText, mutated(saText)), fc.constant('KMD_PM_SA_ESTABLISHED')),
          fc.tuple(fc.oneof(ikeText, mutated(ikeText)), fc.constant('')),
          fc.tuple(
            fc.oneof(tunnelText, mutated(tunnelText)),
            fc.constantFrom('KMD_VPN_UP_ALARM_USER', 'KMD_VPN_DOWN_ALARM_USER'),
          ),
        ),
        sdPart,
        ([text, tag], sd) => {
          const view: MessageView = { program: 'kmd', tag, text, sd: sdText(sd) };
          const a = fast.match(view);
          const b = generic.match(view);
          expect(a?.entry.id).toBe(b?.entry.id);
          expect(JSON.stringify(a?.fields)).toBe(JSON.stringify(b?.fields));
        },
      ),
      { numRuns: 5000 },
    );
  }, 120_000);
});
