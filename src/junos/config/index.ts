import type { Finding } from './finding.js';
import type { JunosConfigModel } from './model.js';
import type { ConfigTree } from './tree.js';

export type { Finding, Severity } from './finding.js';
export type { ConfigForm, ConfigNode, ConfigTree } from './tree.js';
export type * from './model.js';

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
 */
export function parseJunosConfig(text: string, options: ParseOptions = {}): ParsedJunosConfig {
  void text;
  void options;
  return {
    model: { platform: 'srx', tunnels: [], ikeProposals: [], ipsecProposals: [], caProfiles: [], applyGroups: [] },
    tree: { form: 'curly', root: { name: '', line: 0, children: [] } },
    problems: [],
  };
}
