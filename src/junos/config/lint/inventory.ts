import type { Problem } from '../problem.js';
import { families, report, where, type LintContext } from './context.js';

// What the linter cannot check, said out loud rather than passed over in silence.

export function inventoryRules(context: LintContext): Problem[] {
  const out: Problem[] = [];
  const { defs } = context;
  if (!defs.srx.present && !defs.mx.present) {
    out.push(
      report(
        0,
        'info',
        'no-ipsec-configuration',
        'no security ike/ipsec (SRX) or services ipsec-vpn (MX) section found: nothing to check. Is this the right file?',
      ),
    );
  }
  for (const family of families(defs)) {
    for (const [phase, policies] of [
      ['ike', family.ikePolicies],
      ['ipsec', family.ipsecPolicies],
    ] as const) {
      for (const policy of policies.values()) {
        if (policy.proposalSet === undefined) continue;
        out.push(
          report(
            policy.proposalSet.line,
            'info',
            'proposal-set-not-checked',
            `${where(family.family, phase)} policy ${policy.name} uses the predefined proposal-set ${policy.proposalSet.value}; samon does not expand predefined sets, so its algorithms and lifetimes are not checked or predicted. Name explicit proposals to have them checked.`,
          ),
        );
      }
    }
  }
  return out;
}
