import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';

function file(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'samon-config-')), 'samon.yaml');
  writeFileSync(path, content);
  return path;
}

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the embedded defaults when nothing is configured', () => {
    const { config, sources } = loadConfig({ env: {} });
    expect(config.log.kind).toBe('sqlite');
    expect(config.log.sqlite.path).toBe('./data/samon.db');
    expect(config.http).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(sources).toEqual(['defaults']);
  });

  it('reads a YAML file and lets SAMON_* variables override it, keeping types', () => {
    const path = file(
      'http:\n  port: 9000\nlog:\n  kind: kafka\n  kafka:\n    brokers: [a:9092]\n',
    );
    const { config, sources } = loadConfig({
      file: path,
      env: {
        SAMON_HTTP__PORT: '9100',
        SAMON_LOG__KAFKA__BROKERS: 'b:9092, c:9093',
        SAMON_CONFIG: path,
      },
    });
    expect(config.http.port).toBe(9100);
    expect(config.log.kind).toBe('kafka');
    expect(config.log.kafka?.brokers).toEqual(['b:9092', 'c:9093']);
    expect(sources[0]).toBe(path);
    expect(sources[1]).toContain('SAMON_HTTP__PORT');
  });

  it('maps UPPER_SNAKE variable parts to camelCase keys', () => {
    const { config } = loadConfig({ env: { SAMON_PROJECTION__REKEY_GRACE_SECONDS: '30' } });
    expect(config.projection.rekeyGraceSeconds).toBe(30);
  });

  it('cites observations by id unless projection.evidence is line', () => {
    expect(loadConfig({ env: {} }).config.projection.evidence).toBe('id');
    const lines = loadConfig({ env: { SAMON_PROJECTION__EVIDENCE: 'line' } });
    expect(lines.config.projection.evidence).toBe('line');
    const problems = problemsOf(() => loadConfig({ env: { SAMON_PROJECTION__EVIDENCE: 'raw' } }));
    expect(problems.join('\n')).toContain('projection.evidence');
  });

  it('reports every problem with its path, not just the first', () => {
    const path = file(
      'http:\n  port: 70000\n  hots: x\nlog:\n  kind: kafka\nprojection:\n  rekeyGraceSeconds: -1\n',
    );
    const problems = problemsOf(() => loadConfig({ file: path, env: {} }));
    expect(problems.some((p) => p.startsWith('http.port:'))).toBe(true);
    expect(problems.some((p) => p.includes('hots'))).toBe(true);
    expect(problems.some((p) => p.startsWith('log.kafka:') && p.includes('brokers'))).toBe(true);
    expect(problems.some((p) => p.startsWith('projection.rekeyGraceSeconds:'))).toBe(true);
    expect(problems.every((p) => p.includes(path))).toBe(true);
  });

  it('rejects a misspelt environment variable instead of ignoring it', () => {
    const problems = problemsOf(() => loadConfig({ env: { SAMON_HTTP__PROT: '1' } }));
    expect(problems.join('\n')).toContain('prot');
  });

  it('says which file cannot be read or parsed', () => {
    expect(problemsOf(() => loadConfig({ file: '/nonexistent/samon.yaml', env: {} }))[0]).toContain(
      'cannot read config file /nonexistent/samon.yaml: ENOENT',
    );
    const bad = file('http:\n  port: [1,\n');
    expect(problemsOf(() => loadConfig({ file: bad, env: {} }))[0]).toContain('not valid YAML');
    const scalar = file('just a string\n');
    expect(problemsOf(() => loadConfig({ file: scalar, env: {} }))[0]).toContain(
      'must be a mapping',
    );
  });

  it('validates broker addresses', () => {
    const problems = problemsOf(() =>
      loadConfig({ env: { SAMON_LOG__KIND: 'kafka', SAMON_LOG__KAFKA__BROKERS: 'no-port' } }),
    );
    expect(problems.join('\n')).toContain('expected host:port');
  });
});
