import type { FamilyDefs } from '../definitions.js';
import type { Located } from '../nav.js';
import type { Problem } from '../problem.js';
import { families, report, where, type LintContext } from './context.js';

// A reference to something not defined (or deactivated) makes the referring statement useless:
// Junos rejects the commit, or the tunnel never comes up.

function missing(
  out: Problem[],
  ref: Located<string> | undefined,
  known: ReadonlyMap<string, unknown>,
  rule: string,
  what: string,
  from: string,
  fix: string,
): void {
  if (ref === undefined || known.has(ref.value)) return;
  out.push(
    report(
      ref.line,
      'error',
      rule,
      `${from} refers to ${what} ${ref.value}, which is not defined (or is deactivated): ${fix}`,
    ),
  );
}

function proposalReferences(out: Problem[], family: FamilyDefs): void {
  for (const policy of family.ikePolicies.values()) {
    for (const ref of policy.proposals) {
      missing(
        out,
        ref,
        family.ikeProposals,
        'undefined-proposal',
        `IKE proposal`,
        `${where(family.family, 'ike')} policy ${policy.name}`,
        `define ${where(family.family, 'ike')} proposal ${ref.value} or fix the name in proposals.`,
      );
    }
  }
  for (const policy of family.ipsecPolicies.values()) {
    for (const ref of policy.proposals) {
      missing(
        out,
        ref,
        family.ipsecProposals,
        'undefined-proposal',
        `IPsec proposal`,
        `${where(family.family, 'ipsec')} policy ${policy.name}`,
        `define ${where(family.family, 'ipsec')} proposal ${ref.value} or fix the name in proposals.`,
      );
    }
  }
}

export function referenceRules(context: LintContext): Problem[] {
  const out: Problem[] = [];
  const { defs } = context;
  for (const family of families(defs)) proposalReferences(out, family);
  const { srx, mx } = defs;
  const noTunnel = 'the tunnel cannot be negotiated until the name is fixed.';
  for (const policy of srx.ikePolicies.values()) {
    missing(
      out,
      policy.trustedCa,
      defs.caProfiles,
      'undefined-ca-profile',
      'CA profile',
      `security ike policy ${policy.name}`,
      `define security pki ca-profile ${policy.trustedCa?.value ?? ''}; peer certificates cannot be verified without it.`,
    );
  }
  for (const gateway of srx.gateways.values()) {
    missing(
      out,
      gateway.ikePolicy,
      srx.ikePolicies,
      'undefined-policy',
      'IKE policy',
      `security ike gateway ${gateway.name}`,
      noTunnel,
    );
  }
  for (const vpn of srx.vpns.values()) {
    missing(
      out,
      vpn.gateway,
      srx.gateways,
      'undefined-gateway',
      'IKE gateway',
      `security ipsec vpn ${vpn.name}`,
      noTunnel,
    );
    missing(
      out,
      vpn.ipsecPolicy,
      srx.ipsecPolicies,
      'undefined-policy',
      'IPsec policy',
      `security ipsec vpn ${vpn.name}`,
      noTunnel,
    );
  }
  for (const rule of mx.rules.values()) {
    for (const term of rule.terms) {
      const from = `services ipsec-vpn rule ${rule.name} term ${term.name}`;
      missing(
        out,
        term.ikePolicy,
        mx.ikePolicies,
        'undefined-policy',
        'IKE policy',
        from,
        noTunnel,
      );
      missing(
        out,
        term.ipsecPolicy,
        mx.ipsecPolicies,
        'undefined-policy',
        'IPsec policy',
        from,
        noTunnel,
      );
    }
  }
  for (const profile of mx.accessProfiles.values()) {
    const from = `access profile ${profile.name}`;
    missing(
      out,
      profile.ikePolicy,
      mx.ikePolicies,
      'undefined-policy',
      'IKE policy',
      from,
      'dynamic peers using this profile cannot connect.',
    );
    missing(
      out,
      profile.ipsecPolicy,
      mx.ipsecPolicies,
      'undefined-policy',
      'IPsec policy',
      from,
      'dynamic peers using this profile cannot connect.',
    );
  }
  for (const set of mx.serviceSets.values()) {
    const from = `services service-set ${set.name}`;
    for (const ref of set.rules) {
      missing(
        out,
        ref,
        mx.rules,
        'undefined-rule',
        'ipsec-vpn rule',
        from,
        `define services ipsec-vpn rule ${ref.value}; no tunnel of this service set is set up without it.`,
      );
    }
    for (const ref of set.trustedCa) {
      missing(
        out,
        ref,
        defs.caProfiles,
        'undefined-ca-profile',
        'CA profile',
        from,
        `define security pki ca-profile ${ref.value}; peer certificates cannot be verified without it.`,
      );
    }
    missing(
      out,
      set.ikeAccessProfile,
      mx.accessProfiles,
      'undefined-access-profile',
      'access profile',
      from,
      `define access profile ${set.ikeAccessProfile?.value ?? ''} with a client * ike block; dynamic peers cannot connect without it.`,
    );
  }
  return out;
}
