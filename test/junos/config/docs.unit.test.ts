import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lintJunosConfig, parseJunosConfig } from '../../../src/junos/config/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Rule ids as the code writes them: `rule: 'id'` or `report(line, 'severity', 'id', …)`. */
function ruleIds(): Set<string> {
  const ids = new Set<string>();
  const files = [
    ...sources(join(ROOT, 'src/junos/config')),
    join(ROOT, 'src/collect/junosConfigImporter.ts'),
  ];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/rule: '([a-z0-9-]+)'/g)) ids.add(m[1] ?? '');
    for (const m of text.matchAll(/'(?:error|warning|info)',\s*'([a-z0-9-]+)'/g))
      ids.add(m[1] ?? '');
    for (const m of text.matchAll(/problem\(\s*[\w.]+,\s*'([a-z0-9-]+)'/g)) ids.add(m[1] ?? '');
    for (const m of text.matchAll(/finding\(\w+, '(?:error|warning|info)', '([a-z0-9-]+)'/g))
      ids.add(m[1] ?? '');
  }
  ids.delete('');
  return ids;
}

describe('docs/junos-config.md', () => {
  it('documents every rule id the code can report', () => {
    const docs = readFileSync(join(ROOT, 'docs/junos-config.md'), 'utf8');
    const ids = ruleIds();
    expect(ids.size).toBeGreaterThan(50);
    for (const id of ids) expect(docs, id).toContain(`\`${id}\``);
  });
});

describe('parse findings not covered elsewhere', () => {
  const rules = (text: string) => parseJunosConfig(text).problems.map((p) => [p.line, p.rule]);

  it('curly: block or list without a statement, stray ], words after a list', () => {
    expect(rules('{ a; }')).toEqual([[1, 'parse-block-without-statement']]);
    expect(rules('a {\n [ x ];\n}')).toEqual([[2, 'parse-list-without-statement']]);
    expect(rules('a ];')).toEqual([[1, 'parse-unexpected-bracket']]);
    expect(rules('a [ x ] y;')).toEqual([[1, 'parse-words-after-list']]);
  });

  it('set: empty set, insert, words after a list', () => {
    expect(rules('set a\nset\ninsert a b before c\nset p [ x ] y')).toEqual([
      [2, 'parse-empty-set'],
      [3, 'parse-unsupported-command'],
      [4, 'parse-words-after-list'],
    ]);
  });

  it('lint output is sorted by line, then severity', () => {
    const lines = lintJunosConfig('a ];\nb [ x ] y;\n{ c; }').findings.map((f) => f.line);
    expect(lines).toEqual([...lines].sort((x, y) => x - y));
  });
});
