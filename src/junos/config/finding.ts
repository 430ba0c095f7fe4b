// One finding of the parser, the linter or the two-end check: printed by `samon lint` as
// `file:line: severity: rule: message` (contracts.md, "Command line").

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  readonly file: string;
  /** 1-based line in `file`; 0 when the finding concerns the file as a whole. */
  readonly line: number;
  readonly severity: Severity;
  /** Stable kebab-case id (docs/junos-config.md lists every one). */
  readonly rule: string;
  readonly message: string;
}

/** The file name findings carry when the caller gave none. */
export const DEFAULT_FILE = '<input>';

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Orders findings by file, line, then severity and rule, so output is deterministic. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  const bySeverity = SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
  if (bySeverity !== 0) return bySeverity;
  if (a.rule !== b.rule) return a.rule < b.rule ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}
