import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  analyzeJunosConfig,
  lintJunosConfig,
  pairJunosConfigs,
  parseJunosConfig,
  REDACTED,
} from '../../../src/junos/config/index.js';
import { CANARIES, fixture } from './support.js';

/** Everything the parser, the linter and the pair check hand out, as one text. */
function everything(text: string): string {
  const parsed = parseJunosConfig(text, { file: 'x.conf' });
  const linted = lintJunosConfig(text, { file: 'x.conf' });
  const config = analyzeJunosConfig(text, { file: 'x.conf' });
  const pair = pairJunosConfigs(config, config);
  return JSON.stringify([parsed, linted.findings, config.model, config.problems, pair]);
}

function expectNoCanary(output: string): void {
  for (const canary of CANARIES) expect(output).not.toContain(canary);
}

const FIXTURES = [
  'srx-hub.conf',
  'srx-hub.set',
  'mx-pe.conf',
  'mx-pe.set',
  'pair/srx-branch7.conf',
];

describe('secrets never leave the parser', () => {
  it.each(FIXTURES)(
    '%s: no canary in the model, the tree, the findings or the pair output',
    (name) => {
      const text = fixture(name);
      expect(text).toContain('CANARY');
      expectNoCanary(everything(text));
    },
  );

  it('keeps the fact that a pre-shared key is configured', () => {
    const { model } = parseJunosConfig(fixture('srx-hub.conf'));
    expect(model.ikePolicies?.find((p) => p.name === 'ike-pol-branch9')?.preSharedKey).toBe(true);
  });

  const malformed: [string, string][] = [
    ['unterminated quote', 'p {\n pre-shared-key ascii-text "CANARY-PSK-7f3a\n}'],
    ['unquoted, no semicolon', 'p {\n pre-shared-key ascii-text CANARY-PSK-7f3a\n}'],
    ['value on the next line', 'p {\n pre-shared-key ascii-text\n   "CANARY-PSK-7f3a";\n}'],
    ['value split by semicolons', 'p {\n pre-shared-key ascii-text CANARY-A;CANARY-B;\n}'],
    ['extra words before }', 'p { pre-shared-key ascii-text "CANARY-A" CANARY-B }'],
    ['secret opening a block', 'p {\n pre-shared-key {\n ascii-text "CANARY-A";\n }\n}'],
    ['escaped quote in the value', 'p { pre-shared-key ascii-text "CANARY\\"x"; }'],
    ['$9$ in a description', 'p { description "$9$CANARYxyz"; }'],
    ['secret words in a description', 'p { description "old pre-shared-key CANARY-A"; }'],
    ['inactive secret', 'p { inactive: pre-shared-key ascii-text "CANARY-A"; }'],
    ['annotation', '/* psk was pre-shared-key CANARY-A */\np { q; }'],
    [
      'unclosed list before a secret',
      'p {\n proposals [ a b\n pre-shared-key ascii-text "CANARY-A";\n}',
    ],
    ['secret after a list', 'p { proposals [ a ] pre-shared-key CANARY-A; }'],
    [
      'many keywords',
      'a { authentication-key CANARY-1; password CANARY-2; encrypted-password "CANARY-3"; key CANARY-4; secret CANARY-5; community CANARY-6; }',
    ],
    [
      'set form',
      'set p pre-shared-key ascii-text "CANARY-A"\nset q secret CANARY-B extra; {\ndeactivate p pre-shared-key',
    ],
    [
      'set form: unknown command',
      'set a b\npre-shared-key CANARY-A\nfrobnicate pre-shared-key CANARY-B',
    ],
    ['set form: annotate', 'set a b\nannotate a "pre-shared-key CANARY-A"'],
    ['hexadecimal', 'p { pre-shared-key hexadecimal CANARY0123; }'],
  ];

  it.each(malformed)(
    '%s: no canary, and findings quote <redacted> when they quote the statement',
    (_name, text) => {
      const output = everything(text);
      expectNoCanary(output);
    },
  );

  it('quotes a broken secret statement with the value replaced', () => {
    const { problems } = parseJunosConfig('p {\n pre-shared-key ascii-text CANARY-PSK-7f3a\n}');
    const message = problems.find((p) => p.rule === 'parse-missing-semicolon')?.message ?? '';
    expect(message).toContain(`pre-shared-key ascii-text ${REDACTED}`);
    expect(message).not.toContain('CANARY');
  });

  it('never leaks a canary value written after a secret keyword, whatever surrounds it', () => {
    const junk = fc.string({
      unit: fc.constantFrom(
        'a',
        ' ',
        '\n',
        '{',
        '}',
        ';',
        '[',
        ']',
        '"',
        '#',
        '/',
        '*',
        '\\',
        'set ',
        'inactive: ',
        '$9$',
      ),
    });
    const keyword = fc.constantFrom(
      'pre-shared-key ascii-text',
      'pre-shared-key hexadecimal',
      'secret',
      'authentication-key',
      'password',
      'community',
      'key',
    );
    const value = fc.stringMatching(/^[A-Za-z0-9]{0,8}$/).map((s) => `CANARY${s}`);
    const style = fc.constantFrom(
      (v: string) => `"${v}"`,
      (v: string) => v,
      (v: string) => `"${v}`,
    );
    fc.assert(
      fc.property(junk, keyword, value, style, junk, (before, key, secret, quote, after) => {
        const text = `${before}\n${key} ${quote(secret)}${after}`;
        expect(everything(text)).not.toContain('CANARY');
      }),
      { numRuns: 400 },
    );
  });
});
