import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The metric tables of docs/metrics.md: every row of a table whose header starts
// `| name | type |` names one metric family.

export interface DocumentedMetric {
  readonly name: string;
  /** `gauge`, `counter`, `histogram` (a StateSet is a gauge). */
  readonly type: string;
}

export const METRICS_DOC = fileURLToPath(new URL('../../docs/metrics.md', import.meta.url));

export function documentedMetrics(
  markdown = readFileSync(METRICS_DOC, 'utf8'),
): DocumentedMetric[] {
  const rows: DocumentedMetric[] = [];
  let header: string[] | undefined;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      header = undefined;
      continue;
    }
    const cells = line.split('|').map((cell) => cell.trim());
    if (header === undefined) {
      header = cells;
      continue;
    }
    if (header[1] !== 'name' || header[2] !== 'type') continue;
    const name = /^`([a-z_:][a-z0-9_:]*)`$/.exec(cells[1] ?? '')?.[1];
    if (name !== undefined) rows.push({ name, type: (cells[2] ?? '').split(' ')[0] ?? '' });
  }
  return rows;
}
