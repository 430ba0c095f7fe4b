// The alert rules' conventions (style-and-ecosystem.md B.2), their runbook sections, and the
// promtool tests' coverage: every alert is tested firing and quiet, every recording rule
// evaluated. (Whether the tests pass is promtool.int.test.ts.)
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  PROMETHEUS_DIR,
  ROOT,
  RULES_DIR,
  alertRules,
  filesIn,
  readYaml,
  recordingRules,
  ruleTestFiles,
} from './deployFiles.js';

const alerts = alertRules();
const alertNames = [...new Set(alerts.map((rule) => rule.alert))];
const tests = ruleTestFiles();
const runbooks = readFileSync(join(ROOT, 'docs', 'runbooks.md'), 'utf8');

/** GitHub's anchor of a Markdown heading. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}
const runbookAnchors = new Set(
  [...runbooks.matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchor(match[1] ?? '')),
);

describe('alert rules', () => {
  it('exist: the issue list is covered', () => {
    expect(alertNames).toEqual(
      expect.arrayContaining([
        'IpsecSaRekeyOverdue',
        'IpsecSaHardDeadlineImminent',
        'IpsecTunnelDown',
        'IpsecTunnelExpectedButAbsent',
        'IpsecNegotiationFailing',
        'IpsecCertificateCheckFailed',
        'IpsecCrlCheckFailOpen',
        'IpsecInvalidSpiNotRecovered',
        'IpsecRouterSilent',
        'SamonDown',
        'SamonProjectorLagging',
        'SamonSnapshotStale',
        'SamonUnrecognizedLinesRising',
        'SamonSnmpPollsFailing',
        'SamonSyslogUdpDropping',
      ]),
    );
  });

  it.each(alerts.map((rule) => [`${rule.alert} (${rule.labels?.severity})`, rule] as const))(
    '%s follows the conventions',
    (_, rule) => {
      expect(rule.alert).toMatch(/^(Ipsec|Ike|Samon)([A-Z][a-z]+)+$/);
      expect(['critical', 'warning', 'info']).toContain(rule.labels?.severity);
      expect(rule.for, 'every alert states its `for`').toMatch(/^\d+[smh]$/);
      expect(rule.annotations?.summary?.trim()).toBeTruthy();
      expect(rule.annotations?.description?.trim()).toBeTruthy();
      expect(rule.annotations?.runbook_url).toBe(`docs/runbooks.md#${rule.alert.toLowerCase()}`);
      expect(runbookAnchors, `docs/runbooks.md has no section "## ${rule.alert}"`).toContain(
        rule.alert.toLowerCase(),
      );
    },
  );

  it('alerts sharing a name differ only by severity, and share summary and runbook', () => {
    for (const name of alertNames) {
      const same = alerts.filter((rule) => rule.alert === name);
      const severities = same.map((rule) => rule.labels?.severity);
      expect(new Set(severities).size, name).toBe(same.length);
      expect(new Set(same.map((rule) => rule.annotations?.summary)).size, name).toBe(1);
    }
  });

  it('every in-page link of docs/runbooks.md resolves to a heading', () => {
    const links = [...runbooks.matchAll(/\]\(#([^)]+)\)/g)].map((match) => match[1]);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(runbookAnchors, `#${link}`).toContain(link);
  });

  it('no runbook section for an alert that does not exist', () => {
    const sections = [...runbooks.matchAll(/^## ((?:Ipsec|Ike|Samon)[A-Za-z]+)$/gm)].map(
      (match) => match[1],
    );
    expect(sections.length).toBeGreaterThan(0);
    for (const section of sections) expect(alertNames).toContain(section);
  });
});

describe('promtool tests', () => {
  const ruleTests = tests.flatMap((file) =>
    file.tests.flatMap((test) => test.alert_rule_test ?? []),
  );

  it('every test file loads the rule files from rules/', () => {
    const all = filesIn(RULES_DIR, '.yml');
    for (const file of tests) {
      expect(file.rule_files.length, file.path).toBeGreaterThan(0);
      for (const ruleFile of file.rule_files) {
        expect(all, `${basename(file.path)}: ${ruleFile}`).toContain(
          resolve(PROMETHEUS_DIR, 'tests', ruleFile),
        );
      }
    }
  });

  it.each(alerts.map((rule) => [`${rule.alert} (${rule.labels?.severity})`, rule] as const))(
    '%s is tested firing and quiet',
    (_, rule) => {
      const own = ruleTests.filter((test) => test.alertname === rule.alert);
      const quiet = own.filter((test) => (test.exp_alerts ?? []).length === 0);
      const firing = own.filter((test) =>
        (test.exp_alerts ?? []).some(
          (alert) => alert.exp_labels?.severity === rule.labels?.severity,
        ),
      );
      expect(
        firing.length,
        `no test expects ${rule.alert} firing as ${rule.labels?.severity}`,
      ).toBeGreaterThan(0);
      expect(quiet.length, `no test expects ${rule.alert} quiet`).toBeGreaterThan(0);
    },
  );

  it('tests name only alerts that exist', () => {
    for (const test of ruleTests) expect(alertNames).toContain(test.alertname);
  });

  it.each(recordingRules().map((rule) => [rule.record] as const))(
    'recording rule %s is evaluated by a test',
    (record) => {
      const evaluated = tests.some((file) =>
        file.tests.some((test) =>
          (test.promql_expr_test ?? []).some((expr) => expr.expr.includes(record)),
        ),
      );
      expect(evaluated).toBe(true);
    },
  );
});

describe('prometheus.yml', () => {
  it('loads every rule file and scrapes samon as job "samon"', () => {
    const config = readYaml<{
      rule_files: string[];
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    }>(join(PROMETHEUS_DIR, 'prometheus.yml'));
    expect(config.rule_files.map((file) => resolve(PROMETHEUS_DIR, file)).sort()).toEqual(
      filesIn(RULES_DIR, '.yml'),
    );
    const samon = config.scrape_configs.find((job) => job.job_name === 'samon');
    expect(samon?.static_configs.flatMap((c) => c.targets)).toEqual(['samon:9464']);
  });
});
