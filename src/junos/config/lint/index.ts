import { analyzeJunosConfig, toFinding, type AnalyzedConfig } from '../analyze.js';
import { compareFindings, type Finding } from '../finding.js';
import { certificateRules } from './certificates.js';
import { lintContext, type LintRule } from './context.js';
import { identityRules } from './identity.js';
import { ikeVersionRules } from './ikeVersion.js';
import { inventoryRules } from './inventory.js';
import { lifetimeRules } from './lifetime.js';
import { nullEncryptionRules } from './nullEncryption.js';
import { proposalOrderRules } from './proposalOrder.js';
import { referenceRules } from './references.js';
import { unusedRules } from './unused.js';
import { weakAlgorithmRules } from './weakAlgorithms.js';

const RULES: readonly LintRule[] = [
  lifetimeRules,
  weakAlgorithmRules,
  ikeVersionRules,
  identityRules,
  nullEncryptionRules,
  proposalOrderRules,
  referenceRules,
  unusedRules,
  certificateRules,
  inventoryRules,
];

/** Lint findings of an analyzed configuration (without its parse problems). */
export function lintAnalyzed(config: AnalyzedConfig): Finding[] {
  const context = lintContext(config.defs, config.tunnels);
  return RULES.flatMap((rule) => {
    try {
      return rule(context);
    } catch (_error) {
      // A rule bug must not hide the other rules' findings.
      return [
        {
          line: 0,
          severity: 'error' as const,
          rule: 'lint-internal-error',
          message: `the check ${rule.name} failed (internal error); please report it with a redacted copy`,
        },
      ];
    }
  }).map((p) => toFinding(config.file, p));
}

export interface LintResult {
  readonly config: AnalyzedConfig;
  /** Parse problems and lint findings, ordered by line. */
  readonly findings: readonly Finding[];
}

/** Parses and lints one configuration; never throws. */
export function lintJunosConfig(text: string, options: { file?: string } = {}): LintResult {
  const config = analyzeJunosConfig(text, options);
  const findings = [...config.problems, ...lintAnalyzed(config)].sort(compareFindings);
  return { config, findings };
}
