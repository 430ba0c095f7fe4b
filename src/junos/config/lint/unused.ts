import type { Problem } from '../problem.js';
import { families, report, where, type LintContext } from './context.js';

// Defined but never referenced: harmless to Junos, but usually a sign that a reference has a
// typo or that an old proposal was left behind when the policy changed.

export function unusedRules(context: LintContext): Problem[] {
  const out: Problem[] = [];
  const { defs } = context;
  const usedIkePolicies = { srx: new Set<string>(), mx: new Set<string>() };
  const usedIpsecPolicies = { srx: new Set<string>(), mx: new Set<string>() };
  const usedGateways = new Set<string>();
  for (const g of defs.srx.gateways.values())
    if (g.ikePolicy !== undefined) usedIkePolicies.srx.add(g.ikePolicy.value);
  for (const v of defs.srx.vpns.values()) {
    if (v.ipsecPolicy !== undefined) usedIpsecPolicies.srx.add(v.ipsecPolicy.value);
    if (v.gateway !== undefined) usedGateways.add(v.gateway.value);
  }
  for (const rule of defs.mx.rules.values()) {
    for (const term of rule.terms) {
      if (term.ikePolicy !== undefined) usedIkePolicies.mx.add(term.ikePolicy.value);
      if (term.ipsecPolicy !== undefined) usedIpsecPolicies.mx.add(term.ipsecPolicy.value);
    }
  }
  for (const profile of defs.mx.accessProfiles.values()) {
    if (profile.ikePolicy !== undefined) usedIkePolicies.mx.add(profile.ikePolicy.value);
    if (profile.ipsecPolicy !== undefined) usedIpsecPolicies.mx.add(profile.ipsecPolicy.value);
  }
  for (const family of families(defs)) {
    const usedIke = new Set(
      [...family.ikePolicies.values()].flatMap((p) => p.proposals.map((r) => r.value)),
    );
    const usedIpsec = new Set(
      [...family.ipsecPolicies.values()].flatMap((p) => p.proposals.map((r) => r.value)),
    );
    for (const [phase, proposals, used] of [
      ['ike', family.ikeProposals, usedIke],
      ['ipsec', family.ipsecProposals, usedIpsec],
    ] as const) {
      for (const p of proposals.values()) {
        if (used.has(p.name)) continue;
        out.push(
          report(
            p.line,
            'warning',
            'unused-proposal',
            `${where(family.family, phase)} proposal ${p.name} is not used by any policy: changing it has no effect. Add it to a policy's proposals, or delete it.`,
          ),
        );
      }
    }
    for (const [phase, policies, used] of [
      ['ike', family.ikePolicies, usedIkePolicies[family.family]],
      ['ipsec', family.ipsecPolicies, usedIpsecPolicies[family.family]],
    ] as const) {
      for (const p of policies.values()) {
        if (used.has(p.name)) continue;
        const users =
          family.family === 'srx'
            ? phase === 'ike'
              ? 'IKE gateway'
              : 'IPsec VPN'
            : 'rule term or access profile';
        out.push(
          report(
            p.line,
            'warning',
            'unused-policy',
            `${where(family.family, phase)} policy ${p.name} is not used by any ${users}: its settings apply to no tunnel. Reference it, or delete it.`,
          ),
        );
      }
    }
  }
  for (const g of defs.srx.gateways.values()) {
    if (usedGateways.has(g.name)) continue;
    out.push(
      report(
        g.line,
        'warning',
        'unused-gateway',
        `security ike gateway ${g.name} is not used by any security ipsec vpn: no tunnel is built to it. Reference it from a vpn (ike gateway ${g.name}), or delete it.`,
      ),
    );
  }
  return out;
}
