// The metric tables of docs/metrics.md: every row of a table whose header starts
// `| name | type |` names one metric family.

export interface MetricsDocRow {
  readonly name: string;
  /** The type cell as written, e.g. `counter`, `histogram`, `gauge (StateSet)`. */
  readonly type: string;
}

export function metricsDocRows(markdown: string): MetricsDocRow[] {
  const rows: MetricsDocRow[] = [];
  let header: string[] | undefined;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      header = undefined;
      continue;
    }
    // | `name` | type | … |  →  ['', '`name`', 'type', …, '']
    const cells = line.split('|').map((cell) => cell.trim());
    if (header === undefined) {
      header = cells;
      continue;
    }
    if (header[1] !== 'name' || header[2] !== 'type') continue;
    const name = /^`([a-z_:][a-z0-9_:]*)`$/.exec(cells[1] ?? '')?.[1];
    if (name !== undefined) rows.push({ name, type: cells[2] ?? '' });
  }
  return rows;
}
