// Every samon_* metric the alert rules, the recording rules and the dashboards use is documented
// in docs/metrics.md (the contract) or produced by one of our recording rules. The exporter side
// ("every exported metric is documented") belongs with the exporter's tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { buildDashboards } from '../../dashboards/src/index.js';
import { metricsDocRows } from '../support/metricsDoc.js';
import { DASHBOARDS_DIR, ROOT, allRules, filesIn, recordingRules } from './deployFiles.js';

/** Every token that looks like a samon metric name (recording rule names contain colons). */
export function samonNamesIn(promql: string): string[] {
  // drop string literals first: label values are not metric names
  const code = promql.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  return [...code.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)]
    .map((match) => match[0])
    .filter((token) => /(^|:)samon_/.test(token));
}

/** PromQL inside an annotation template: the argument strings of `printf "…" | query`. */
function templateQueries(text: string): string[] {
  return [...text.matchAll(/printf\s+"((?:[^"\\]|\\.)*)"/g)].map((match) =>
    (match[1] ?? '').replace(/\\"/g, '"'),
  );
}

/** Every PromQL expression of a dashboard: panel targets (also inside rows) and variables. */
function dashboardExprs(dashboard: unknown): string[] {
  const out: string[] = [];
  const visit = (node: unknown, key?: string): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
    } else if (node !== null && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) visit(v, k);
    } else if (
      typeof node === 'string' &&
      (key === 'expr' || key === 'query' || key === 'definition')
    ) {
      out.push(node);
    }
  };
  visit(dashboard);
  return out;
}

const documented = metricsDocRows(readFileSync(join(ROOT, 'docs', 'metrics.md'), 'utf8'));
const recorded = new Set(recordingRules().map((rule) => rule.record));

/** Documented names, with the _bucket/_sum/_count series of documented histograms. */
const allowed = new Set<string>([
  ...documented.map((metric) => metric.name),
  ...documented
    .filter((metric) => metric.type.startsWith('histogram'))
    .flatMap((metric) => ['_bucket', '_sum', '_count'].map((suffix) => metric.name + suffix)),
  ...recorded,
]);

function undocumented(names: Iterable<string>): string[] {
  return [...new Set(names)].filter((name) => !allowed.has(name)).sort();
}

describe('docs/metrics.md parsing', () => {
  it('finds the documented metrics, with their types', () => {
    expect(documented.length).toBeGreaterThan(40);
    expect(documented).toContainEqual({ name: 'samon_tunnel_state', type: 'gauge (StateSet)' });
    expect(documented).toContainEqual({
      name: 'samon_log_append_duration_seconds',
      type: 'histogram',
    });
    // label names are in a table too, but not as metrics
    expect(documented.map((metric) => metric.name)).not.toContain('router');
  });

  it('extraction sees through strings and finds recording-rule names', () => {
    expect(
      samonNamesIn(
        'sum by (x) (rate(samon_a_total{job="samon_not_a_metric"}[5m])) / tunnel:samon_b:code',
      ),
    ).toEqual(['samon_a_total', 'tunnel:samon_b:code']);
    expect(undocumented(['samon_no_such_metric', 'samon_tunnel_up'])).toEqual([
      'samon_no_such_metric',
    ]);
  });
});

describe('metric names used by the rules', () => {
  const names = allRules().flatMap((rule) => [
    ...samonNamesIn(rule.expr),
    ...('annotations' in rule
      ? Object.values(rule.annotations ?? {}).flatMap((text) =>
          templateQueries(text).flatMap(samonNamesIn),
        )
      : []),
  ]);

  it('are found', () => {
    expect(names).toContain('samon_ipsec_sa_rekey_overdue');
    // from an annotation template's query
    expect(names).toContain('samon_router_last_seen_timestamp_seconds');
  });

  it('are documented in docs/metrics.md or recorded by a rule', () => {
    expect(undocumented(names)).toEqual([]);
  });

  it('recording rules read only documented metrics, not each other', () => {
    for (const rule of recordingRules()) {
      for (const name of samonNamesIn(rule.expr)) {
        expect(
          documented.map((metric) => metric.name),
          rule.record,
        ).toContain(name);
      }
    }
  });
});

describe('metric names used by the dashboards', () => {
  const committed = filesIn(DASHBOARDS_DIR, '.json').filter(
    (path) => !path.endsWith('tsconfig.json'),
  );
  const dashboards = [
    ...committed.map((path) => [path, JSON.parse(readFileSync(path, 'utf8')) as unknown] as const),
    ...Object.entries(buildDashboards()),
  ];

  it.each(dashboards.map(([name, json]) => [name.replace(ROOT, ''), json] as const))(
    '%s uses only documented or recorded metrics',
    (_, json) => {
      const names = dashboardExprs(json).flatMap(samonNamesIn);
      expect(names.length).toBeGreaterThan(5);
      expect(undocumented(names)).toEqual([]);
    },
  );
});
