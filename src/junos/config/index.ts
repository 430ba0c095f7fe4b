import { analyzeJunosConfig } from './analyze.js';
import type { Finding } from './finding.js';
import type { JunosConfigModel } from './model.js';
import type { ConfigTree } from './tree.js';

export type { Finding, Severity } from './finding.js';
export { compareFindings, DEFAULT_FILE } from './finding.js';
export type { ConfigForm, ConfigNode, ConfigTree } from './tree.js';
export type * from './model.js';
export { analyzeJunosConfig, type AnalyzedConfig } from './analyze.js';
export { REDACTED } from './secrets.js';

export interface ParseOptions {
  /** File name the findings carry (default `<input>`). */
  readonly file?: string;
}

export interface ParsedJunosConfig {
  readonly model: JunosConfigModel;
  readonly tree: ConfigTree;
  /** Parse problems (malformed text, unexpanded groups), with line numbers. */
  readonly problems: readonly Finding[];
}

/**
 * Parses Junos configuration text (curly `show configuration` or `display set` form) into the
 * model samon needs. Never throws: malformed text gives findings and a best-effort model.
 * Secrets (pre-shared keys, `$9$` strings, passwords, …) are dropped while tokenizing.
 */
export function parseJunosConfig(text: string, options: ParseOptions = {}): ParsedJunosConfig {
  const { model, tree, problems } = analyzeJunosConfig(text, options);
  return { model, tree, problems };
}

export { lintJunosConfig, lintAnalyzed, type LintResult } from './lint/index.js';
export { pairJunosConfigs, type TunnelSelection } from './pair/index.js';
