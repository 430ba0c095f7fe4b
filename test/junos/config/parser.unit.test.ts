import { describe, expect, it } from 'vitest';
import { parseJunosConfig, REDACTED, type ConfigNode } from '../../../src/junos/config/index.js';
import { paths, shape } from './support.js';

function find(root: ConfigNode, ...path: string[]): ConfigNode | undefined {
  let node: ConfigNode | undefined = root;
  for (const name of path) node = node?.children.find((c) => c.name === name);
  return node;
}

describe('curly form', () => {
  it('builds one node per word, with the line of the statement', () => {
    const { tree, problems } = parseJunosConfig(
      [
        'security {',
        '    ike {',
        '        proposal p1 {',
        '            dh-group group14;',
        '        }',
        '    }',
        '}',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(tree.form).toBe('curly');
    expect(paths(tree.root)).toEqual(['security ike proposal p1 dh-group group14']);
    expect(find(tree.root, 'security', 'ike', 'proposal', 'p1', 'dh-group')?.line).toBe(4);
    expect(find(tree.root, 'security', 'ike', 'proposal', 'p1')?.line).toBe(3);
  });

  it('reads [ ] lists as ordered children', () => {
    const { tree } = parseJunosConfig('a { proposals [ z y x ]; }');
    expect(find(tree.root, 'a', 'proposals')?.children.map((c) => c.name)).toEqual(['z', 'y', 'x']);
  });

  it('reads quoted strings with escapes as one word', () => {
    const { tree, problems } = parseJunosConfig(
      'system { description "say \\"hi\\" { ; } # not a comment"; }',
    );
    expect(problems).toEqual([]);
    expect(find(tree.root, 'system', 'description')?.children[0]?.name).toBe(
      'say "hi" { ; } # not a comment',
    );
  });

  it('drops # and ## comments and keeps /* */ annotations on the next statement', () => {
    const { tree } = parseJunosConfig(
      [
        '## Last changed: now',
        'system { # trailing',
        '    /* the router name */',
        '    host-name r1; ## note',
        '}',
      ].join('\n'),
    );
    expect(paths(tree.root)).toEqual(['system host-name r1']);
    expect(find(tree.root, 'system', 'host-name')?.annotation).toBe('the router name');
  });

  it('marks inactive: blocks by their path and inactive: leaves by their keyword', () => {
    const { tree } = parseJunosConfig(
      [
        'inactive: vpn v1 {',
        '    bind-interface st0.1;',
        '}',
        'p {',
        '    inactive: lifetime-seconds 600;',
        '}',
      ].join('\n'),
    );
    expect(find(tree.root, 'vpn', 'v1')?.inactive).toBe(true);
    expect(find(tree.root, 'vpn')?.inactive).toBeUndefined();
    expect(find(tree.root, 'p', 'lifetime-seconds')?.inactive).toBe(true);
    expect(find(tree.root, 'p', 'lifetime-seconds', '600')?.inactive).toBeUndefined();
  });

  it('records protect: and ignores replace:', () => {
    const { tree, problems } = parseJunosConfig(
      'protect: security { replace: ike { respond-bad-spi 5; } }',
    );
    expect(problems).toEqual([]);
    expect(find(tree.root, 'security')?.protect).toBe(true);
    expect(paths(tree.root)).toEqual(['security ike respond-bad-spi 5']);
  });

  it('reports apply-groups without expanding them', () => {
    const { tree, model, problems } = parseJunosConfig(
      'apply-groups [ g1 g2 ];\ngroups { g1 { system { host-name from-group; } } }\nsecurity { apply-groups g3; }',
    );
    expect(model.applyGroups).toEqual(['g1', 'g2', 'g3']);
    expect(problems.map((p) => [p.line, p.rule])).toEqual([
      [1, 'apply-groups-unexpanded'],
      [1, 'apply-groups-unexpanded'],
      [3, 'apply-groups-unexpanded'],
    ]);
    // The group's content stays where it is: it is not merged into system.
    expect(find(tree.root, 'system')).toBeUndefined();
  });

  it('takes the host-name of an applied group when system has none (clusters: node0, re0)', () => {
    const { model } = parseJunosConfig(
      'groups { re0 { system { host-name mx1-re0; } } }\napply-groups re0;',
    );
    expect(model.hostName).toBe('mx1-re0');
  });
});

describe('curly form: malformed input', () => {
  it('reports a missing ; at the end of a line and keeps going', () => {
    const { tree, problems } = parseJunosConfig(
      'system {\n    host-name r1\n    time-zone UTC;\n}',
    );
    expect(problems).toEqual([
      expect.objectContaining({ line: 2, severity: 'error', rule: 'parse-missing-semicolon' }),
    ]);
    expect(paths(tree.root)).toEqual(['system host-name r1', 'system time-zone UTC']);
  });

  it('reports an extra } and a missing } with their lines', () => {
    const extra = parseJunosConfig('a { b; }\n}\nc;');
    expect(extra.problems.map((p) => [p.line, p.rule])).toEqual([[2, 'parse-unexpected-brace']]);
    expect(paths(extra.tree.root)).toEqual(['a b', 'c']);
    const missing = parseJunosConfig('a {\n  b {\n    c;\n');
    expect(missing.problems.map((p) => [p.line, p.rule])).toEqual([
      [2, 'parse-missing-brace'],
      [1, 'parse-missing-brace'],
    ]);
  });

  it('reports an unterminated string and an unterminated comment', () => {
    const s = parseJunosConfig('a "open;\nb;');
    expect(s.problems.map((p) => [p.line, p.rule])).toContainEqual([
      1,
      'parse-unterminated-string',
    ]);
    expect(paths(s.tree.root)).toContain('b');
    const c = parseJunosConfig('a;\n/* never closed\nb;');
    expect(c.problems.map((p) => [p.line, p.rule])).toEqual([[2, 'parse-unterminated-comment']]);
  });

  it('reports an unclosed list', () => {
    const { problems } = parseJunosConfig('p { proposals [ a b; }');
    expect(problems.map((p) => p.rule)).toContain('parse-unclosed-list');
  });
});

describe('display set form', () => {
  it('is detected from the first command and gives the same tree as the curly form', () => {
    const curly = parseJunosConfig(
      [
        '## comment',
        'security {',
        '    ike {',
        '        policy p {',
        '            proposals [ a b ];',
        '            inactive: mode aggressive;',
        '        }',
        '    }',
        '    inactive: ipsec {',
        '        vpn v;',
        '    }',
        '}',
      ].join('\n'),
    );
    const set = parseJunosConfig(
      [
        '## comment',
        'set security ike policy p proposals [ a b ]',
        'set security ike policy p mode aggressive',
        'set security ipsec vpn v',
        'deactivate security ike policy p mode',
        'deactivate security ipsec',
      ].join('\n'),
    );
    expect(set.tree.form).toBe('set');
    expect(set.problems).toEqual([]);
    expect(shape(set.tree.root)).toEqual(shape(curly.tree.root));
  });

  it('applies activate, delete, protect, annotate, edit and top', () => {
    const { tree, problems } = parseJunosConfig(
      [
        'set a b c',
        'set a d e',
        'deactivate a b',
        'activate a b',
        'delete a d',
        'protect a',
        'annotate a b "why b"',
        'edit x y',
        'set z 1',
        'top',
        'set w',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(paths(tree.root)).toEqual(['a b c', 'x y z 1', 'w']);
    expect(find(tree.root, 'a', 'b')?.inactive).toBeUndefined();
    expect(find(tree.root, 'a')?.protect).toBe(true);
    expect(find(tree.root, 'a', 'b')?.annotation).toBe('why b');
  });

  it('reports unknown commands, stray punctuation and statements that are not set', () => {
    const { problems } = parseJunosConfig('set a b\nfrobnicate a\nset c d;\ndeactivate q r');
    expect(problems.map((p) => [p.line, p.rule])).toEqual([
      [2, 'parse-unknown-command'],
      [3, 'parse-unexpected-punctuation'],
      [4, 'parse-unknown-statement'],
    ]);
  });
});

describe('secrets in the tree', () => {
  it('keeps the keyword and the format, replaces the value', () => {
    const { tree } = parseJunosConfig(
      'p { pre-shared-key ascii-text "$9$abc"; } q { secret "s3"; }',
    );
    expect(paths(tree.root)).toEqual([
      `p pre-shared-key ascii-text ${REDACTED}`,
      `q secret ${REDACTED}`,
    ]);
  });

  it('drops a block opened by a secret statement (SNMP community) the same way in both forms', () => {
    const curly = parseJunosConfig('snmp { community s3cret { authorization read-only; } }');
    const set = parseJunosConfig('set snmp community s3cret authorization read-only');
    expect(paths(curly.tree.root)).toEqual([`snmp community ${REDACTED}`]);
    expect(shape(set.tree.root)).toEqual(shape(curly.tree.root));
  });
});
