import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { metricsDocRows } from '../support/metricsDoc.js';

export interface DocumentedMetric {
  readonly name: string;
  /** `gauge`, `counter`, `histogram` (a StateSet is a gauge). */
  readonly type: string;
}

export const METRICS_DOC = fileURLToPath(new URL('../../docs/metrics.md', import.meta.url));

export function documentedMetrics(
  markdown = readFileSync(METRICS_DOC, 'utf8'),
): DocumentedMetric[] {
  return metricsDocRows(markdown).map(({ name, type }) => ({
    name,
    type: type.split(' ')[0] ?? '',
  }));
}
