import { TreeBuilder } from './builder.js';
import { parseCurly } from './curly.js';
import type { ConfigDefs } from './definitions.js';
import { extractDefinitions } from './extract.js';
import { DEFAULT_FILE, type Finding } from './finding.js';
import type { JunosConfigModel } from './model.js';
import type { Problem } from './problem.js';
import { buildModel } from './buildModel.js';
import { resolveTunnels, type ResolvedTunnel } from './resolve.js';
import { parseSetForm } from './setForm.js';
import { detectForm, tokenize } from './tokens.js';
import type { ConfigForm, ConfigTree } from './tree.js';

// The whole pipeline: text → tokens (secrets dropped) → tree → definitions → tunnels → model.

export interface AnalyzedConfig {
  readonly file: string;
  readonly form: ConfigForm;
  readonly tree: ConfigTree;
  readonly defs: ConfigDefs;
  readonly tunnels: readonly ResolvedTunnel[];
  readonly model: JunosConfigModel;
  readonly problems: readonly Finding[];
}

export function toFinding(file: string, p: Problem): Finding {
  return { file, line: p.line, severity: p.severity, rule: p.rule, message: p.message };
}

function groupProblems(defs: ConfigDefs): Problem[] {
  return defs.applyGroups.map((g) => ({
    line: g.line,
    severity: 'info' as const,
    rule: 'apply-groups-unexpanded',
    message: `apply-groups ${g.value} is not expanded: statements inherited from group ${g.value} are not checked or monitored; check with \`show configuration | display inheritance\` and lint that output`,
  }));
}

/** Parses and analyzes configuration text. Never throws: see `internalError`. */
export function analyzeJunosConfig(text: string, options: { file?: string } = {}): AnalyzedConfig {
  const file = options.file ?? DEFAULT_FILE;
  try {
    return analyze(text, file);
  } catch (_error) {
    return internalError(file);
  }
}

/** A parser bug must not take the caller down; the message stays generic so no text leaks. */
function internalError(file: string): AnalyzedConfig {
  const defs = extractDefinitions({ name: '', line: 0, children: [] });
  return {
    file,
    form: 'curly',
    tree: { form: 'curly', root: { name: '', line: 0, children: [] } },
    defs,
    tunnels: [],
    model: buildModel(defs, []),
    problems: [
      {
        file,
        line: 0,
        severity: 'error',
        rule: 'parse-internal-error',
        message:
          'samon could not read this configuration (internal error); please report it with a redacted copy',
      },
    ],
  };
}

function analyze(text: string, file: string): AnalyzedConfig {
  const form = detectForm(text);
  const { tokens, problems: tokenProblems } = tokenize(text, form);
  const problems: Problem[] = [...tokenProblems];
  const builder = new TreeBuilder();
  if (form === 'set') parseSetForm(tokens, builder, problems);
  else parseCurly(tokens, builder, problems);
  const tree: ConfigTree = { form, root: builder.root };
  const defs = extractDefinitions(tree.root);
  const tunnels = resolveTunnels(defs);
  const model = buildModel(defs, tunnels);
  problems.push(...groupProblems(defs));
  return {
    file,
    form,
    tree,
    defs,
    tunnels,
    model,
    problems: problems.map((p) => toFinding(file, p)),
  };
}
