import { effectiveIkeProposal } from '../resolve.js';
import type { Problem } from '../problem.js';
import { families, ikeVersionOf, report, where, type LintContext } from './context.js';

// junos-ipsec.md, "IKE policy": `mode` is IKEv1 only. "IKE proposal": IKEv2 negotiates neither
// the authentication method nor the lifetime, so all proposals of an IKEv2 policy must share both.

export function ikeVersionRules(context: LintContext): Problem[] {
  const out: Problem[] = [];
  for (const family of families(context.defs)) {
    for (const policy of family.ikePolicies.values()) {
      if (ikeVersionOf(context, family.family, policy) !== 2) continue;
      const place = `${where(family.family, 'ike')} policy ${policy.name}`;
      if (policy.mode !== undefined) {
        out.push(
          report(
            policy.mode.line,
            'warning',
            'mode-with-ikev2',
            `${place} is used with IKEv2 but sets mode ${policy.mode.value}: main and aggressive mode exist only in IKEv1, so the statement has no effect and suggests the ends disagree on the version. Remove mode (or use IKEv1 on both ends).`,
          ),
        );
      }
      const proposals = policy.proposals.flatMap((ref) => {
        const def = family.ikeProposals.get(ref.value);
        return def === undefined ? [] : [effectiveIkeProposal(def)];
      });
      const first = proposals[0];
      if (first === undefined) continue;
      const methods = new Set(proposals.map((p) => p.authenticationMethod ?? '(not set)'));
      const lifetimes = new Set(proposals.map((p) => p.lifetimeSeconds.value));
      const line = policy.proposals[0]?.line ?? policy.line;
      if (methods.size > 1) {
        out.push(
          report(
            line,
            'error',
            'ikev2-proposals-differ',
            `${place} is used with IKEv2 but its proposals use different authentication methods (${[...methods].join(', ')}); IKEv2 does not negotiate the method, so every proposal of the policy must use the same one. Align authentication-method in ${proposals.map((p) => p.name).join(', ')}.`,
          ),
        );
      }
      if (lifetimes.size > 1) {
        out.push(
          report(
            line,
            'error',
            'ikev2-proposals-differ',
            `${place} is used with IKEv2 but its proposals have different lifetimes (${[...lifetimes].join(', ')} s); IKEv2 does not negotiate the lifetime, so every proposal of the policy must use the same one. Align lifetime-seconds in ${proposals.map((p) => p.name).join(', ')}.`,
          ),
        );
      }
    }
  }
  return out;
}
