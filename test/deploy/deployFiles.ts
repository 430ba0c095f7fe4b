// Shared helpers of the test/deploy tests: where the deployment files are, and their parsed YAML.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { parse } from 'yaml';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PROMETHEUS_DIR = join(ROOT, 'deploy', 'prometheus');
export const RULES_DIR = join(PROMETHEUS_DIR, 'rules');
export const RULE_TESTS_DIR = join(PROMETHEUS_DIR, 'tests');
export const DASHBOARDS_DIR = join(ROOT, 'dashboards');

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
export interface RecordingRule {
  record: string;
  expr: string;
}
export type Rule = AlertRule | RecordingRule;
export interface RuleFile {
  path: string;
  groups: { name: string; rules: Rule[] }[];
}

export interface RuleTestFile {
  path: string;
  rule_files: string[];
  tests: {
    name?: string;
    alert_rule_test?: {
      eval_time: string;
      alertname: string;
      exp_alerts?: { exp_labels?: Record<string, string> }[];
    }[];
    promql_expr_test?: { expr: string; eval_time: string }[];
  }[];
}

export function readYaml<T>(path: string): T {
  return parse(readFileSync(path, 'utf8')) as T;
}

export function filesIn(dir: string, suffix: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(suffix))
    .sort()
    .map((name) => join(dir, name));
}

export function ruleFiles(): RuleFile[] {
  return filesIn(RULES_DIR, '.yml').map((path) => ({
    path,
    ...readYaml<Omit<RuleFile, 'path'>>(path),
  }));
}

export function allRules(): Rule[] {
  return ruleFiles().flatMap((file) => file.groups.flatMap((group) => group.rules));
}

export function alertRules(): AlertRule[] {
  return allRules().filter((rule): rule is AlertRule => 'alert' in rule);
}

export function recordingRules(): RecordingRule[] {
  return allRules().filter((rule): rule is RecordingRule => 'record' in rule);
}

export function ruleTestFiles(): RuleTestFile[] {
  return filesIn(RULE_TESTS_DIR, '.test.yml').map((path) => ({
    path,
    ...readYaml<Omit<RuleTestFile, 'path'>>(path),
  }));
}
