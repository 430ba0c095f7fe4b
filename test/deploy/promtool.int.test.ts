// The deployment files checked by the real tools: `promtool check rules`, `promtool test rules`,
// `promtool check config`, and (when installed) `amtool check-config` plus routing checks.
// promtool is required in CI (.ci/run installs Debian's `prometheus`); elsewhere a missing tool
// skips its tests with a message saying so.
import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';

import { describe, expect, it } from 'vitest';

import { PROMETHEUS_DIR, ROOT, filesIn, RULES_DIR, RULE_TESTS_DIR } from './deployFiles.js';

interface Run {
  status: number | null;
  stdout: string;
  /** The command line, stdout and stderr: the assertion message on failure. */
  output: string;
  missing: boolean;
}

function run(command: string, args: string[], cwd = ROOT): Run {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  const missing = result.error !== undefined && Reflect.get(result.error, 'code') === 'ENOENT';
  return {
    status: result.status,
    stdout: result.stdout ?? '',
    output: `$ ${command} ${args.join(' ')}\n${result.stdout ?? ''}${result.stderr ?? ''}`,
    missing,
  };
}

/** Whether a tool runs; when it does not, CI fails and a developer machine skips, visibly. */
function toolPresent(tool: string, required: boolean): boolean {
  if (!run(tool, ['--version']).missing) return true;
  const message = `${tool} is not installed: ${required ? 'it is required in CI' : 'skipping its checks'} (Debian: apt-get install ${tool === 'promtool' ? 'prometheus' : 'prometheus-alertmanager'})`;
  if (!required) console.warn(`test/deploy: ${message}`);
  return false;
}

const inCi = process.env.CI === 'true';
const rel = (path: string): string => relative(PROMETHEUS_DIR, path);
const ruleFiles = filesIn(RULES_DIR, '.yml');
const ruleTests = filesIn(RULE_TESTS_DIR, '.test.yml');

describe('promtool', () => {
  const present = toolPresent('promtool', inCi);
  if (!present && inCi) {
    it('is installed (CI=true)', () => {
      expect.fail(
        'promtool not found on PATH: .ci/run installs it with the Debian package prometheus',
      );
    });
    return;
  }

  it.skipIf(!present)('check rules: every rule file is valid', () => {
    expect(ruleFiles.length).toBeGreaterThanOrEqual(2);
    const result = run('promtool', ['check', 'rules', ...ruleFiles.map(rel)], PROMETHEUS_DIR);
    expect(result.status, result.output).toBe(0);
    expect(result.output.match(/SUCCESS/g)?.length, result.output).toBe(ruleFiles.length);
  });

  it.skipIf(!present)('test rules: every alert and recording rule behaves as its tests say', () => {
    expect(ruleTests.length).toBeGreaterThanOrEqual(1);
    const result = run('promtool', ['test', 'rules', ...ruleTests.map(rel)], PROMETHEUS_DIR);
    expect(result.status, result.output).toBe(0);
    expect(result.output.match(/SUCCESS/g)?.length, result.output).toBe(ruleTests.length);
  });

  it.skipIf(!present)('check config: prometheus.yml with its rule files', () => {
    const result = run('promtool', ['check', 'config', 'prometheus.yml'], PROMETHEUS_DIR);
    expect(result.status, result.output).toBe(0);
    // the config loads every rule file of rules/
    for (const file of ruleFiles) expect(result.output).toContain(`Checking ${rel(file)}`);
  });
});

describe('amtool', () => {
  const present = toolPresent('amtool', false);
  const config = join(ROOT, 'deploy', 'alertmanager', 'alertmanager.yml');

  it.skipIf(!present)('check-config: alertmanager.yml is valid', () => {
    const result = run('amtool', ['check-config', config]);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
  });

  it.skipIf(!present)('routes: critical pages, warning goes to chat, info nowhere', () => {
    const receiver = (...labels: string[]): string => {
      const result = run('amtool', [
        'config',
        'routes',
        'test',
        `--config.file=${config}`,
        ...labels,
      ]);
      expect(result.status, result.output).toBe(0);
      return result.stdout.trim();
    };
    expect(receiver('severity=critical', 'alertname=IpsecTunnelDown', 'router=srx1')).toBe('pager');
    expect(receiver('severity=warning', 'alertname=IpsecSaRekeyOverdue')).toBe('noc-chat');
    expect(receiver('severity=info', 'alertname=Anything')).toBe('blackhole');
  });
});
