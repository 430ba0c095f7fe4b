import type { Severity } from './finding.js';

/** A finding before it knows its file (the parser's stages do not). */
export interface Problem {
  readonly line: number;
  readonly severity: Severity;
  readonly rule: string;
  readonly message: string;
}
