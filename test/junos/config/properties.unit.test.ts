import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  analyzeJunosConfig,
  lintJunosConfig,
  pairJunosConfigs,
  parseJunosConfig,
} from '../../../src/junos/config/index.js';
import { config, printCurly, printSet } from './grammar.js';
import { shape } from './support.js';

const junosish = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      '{',
      '}',
      ';',
      '[',
      ']',
      '"',
      '\\',
      '#',
      '/*',
      '*/',
      '\n',
      ' ',
      'inactive:',
      'set ',
      'deactivate ',
      'pre-shared-key ',
      'proposal ',
      'security ',
      'ike ',
      'ipsec ',
      'vpn ',
      '$9$',
    ),
    fc.string({ maxLength: 3 }),
  ),
  maxLength: 300,
});

describe('the parser on any input', () => {
  it('never throws, and every finding has a line within the text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), junosish), (text) => {
        const lines = text.split('\n').length;
        const parsed = parseJunosConfig(text);
        const linted = lintJunosConfig(text);
        const analyzed = analyzeJunosConfig(text);
        pairJunosConfigs(analyzed, analyzed);
        for (const f of [...parsed.problems, ...linted.findings]) {
          expect(f.line).toBeGreaterThanOrEqual(0);
          expect(f.line).toBeLessThanOrEqual(lines);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('stays linear on adversarial input: deep nesting, long lines, unclosed quotes and comments', () => {
    const n = 100_000;
    const inputs = [
      '{'.repeat(n),
      'a {'.repeat(n / 4) + '}'.repeat(n / 4),
      '"'.repeat(n),
      '/*'.repeat(n / 2),
      'a '.repeat(n),
      `p [ ${'x '.repeat(n / 2)}`,
      `set ${'a '.repeat(n / 2)}\n`.repeat(2),
      'pre-shared-key '.repeat(n / 10),
      '$9$'.repeat(n / 3),
      'x;\n'.repeat(n / 3),
    ];
    // No wall-clock assertion (the machine may be loaded): a super-linear parser on 100 k
    // characters would run for minutes and hit the test timeout; a linear one takes well under it.
    for (const text of inputs) {
      const result = lintJunosConfig(text);
      expect(result.config.model.tunnels.length).toBeLessThanOrEqual(1);
      expect(result.findings.length).toBeLessThanOrEqual(2 * text.length + 10);
    }
  }, 60_000);
});

describe('curly and display set forms', () => {
  it('of the same configuration give the same tree and the same model', () => {
    fc.assert(
      fc.property(config, (statements) => {
        const curlyText = printCurly(statements);
        const setText = printSet(statements);
        const curly = parseJunosConfig(curlyText);
        const set = parseJunosConfig(setText);
        expect(curly.problems.filter((p) => p.severity === 'error')).toEqual([]);
        expect(set.problems.filter((p) => p.severity === 'error')).toEqual([]);
        expect(shape(set.tree.root)).toEqual(shape(curly.tree.root));
        expect(set.model).toEqual(curly.model);
        expect(JSON.stringify([curly, set])).not.toContain('CANARY');
      }),
      { numRuns: 300 },
    );
  });

  it('the generator produces tunnels, so the comparison is not vacuous', () => {
    const withTunnels = fc
      .sample(config, { numRuns: 200, seed: 42 })
      .filter((s) => parseJunosConfig(printCurly(s)).model.tunnels.length > 0);
    expect(withTunnels.length).toBeGreaterThan(20);
  });
});
