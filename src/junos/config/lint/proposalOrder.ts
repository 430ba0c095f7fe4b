import {
  dhGroupStrength,
  encryptionStrength,
  ikeAuthenticationStrength,
  ipsecAuthenticationStrength,
  isGcm,
} from '../algorithms.js';
import type { Located } from '../nav.js';
import type { Problem } from '../problem.js';
import {
  effectiveIkeProposal,
  effectiveIpsecProposal,
  type EffectiveIkeProposal,
  type EffectiveIpsecProposal,
} from '../resolve.js';
import { families, report, where, type LintContext } from './context.js';

// junos-ipsec.md, "IPsec proposal": the first matching proposal wins, so proposal order decides
// the algorithm even when a stronger common one exists. Flag a proposal listed before one that is
// at least as strong in every component and stronger in one.

type Strength = readonly (number | undefined)[] | undefined;

function ikeStrength(p: EffectiveIkeProposal): Strength {
  const parts = [
    encryptionStrength(p.encryptionAlgorithm.value),
    ikeAuthenticationStrength(p.authenticationAlgorithm.value),
  ];
  if (parts.some((s) => s === undefined)) return undefined;
  return [
    ...parts,
    p.dhGroup === undefined ? undefined : (dhGroupStrength(p.dhGroup) ?? Number.NaN),
  ];
}

function ipsecStrength(p: EffectiveIpsecProposal, ignoreAuthentication: boolean): Strength {
  const encryption = encryptionStrength(p.encryptionAlgorithm.value);
  const authentication = ignoreAuthentication
    ? undefined
    : ipsecAuthenticationStrength(p.authenticationAlgorithm.value);
  if (encryption === undefined || (!ignoreAuthentication && authentication === undefined))
    return undefined;
  return [encryption, authentication];
}

/** True when `a` is weaker than `b`: no component stronger, at least one weaker. */
function dominated(a: Strength, b: Strength): boolean {
  if (a === undefined || b === undefined) return false;
  let weaker = false;
  for (let k = 0; k < a.length; k++) {
    const x = a[k];
    const y = b[k];
    if (x === undefined && y === undefined) continue;
    if (x === undefined || y === undefined || Number.isNaN(x) || Number.isNaN(y)) return false;
    if (x > y) return false;
    if (x < y) weaker = true;
  }
  return weaker;
}

function describeIke(p: EffectiveIkeProposal): string {
  return [p.encryptionAlgorithm.value, p.authenticationAlgorithm.value, p.dhGroup]
    .filter((s) => s !== undefined)
    .join(', ');
}

function describeIpsec(p: EffectiveIpsecProposal): string {
  return `${p.encryptionAlgorithm.value}, ${p.authenticationAlgorithm.value}`;
}

// Junos policies hold a handful of proposals; the cap keeps malformed input from costing n².
const MAX_COMPARED = 16;

function firstDominating<P>(
  items: readonly P[],
  strength: (a: P, b: P) => [Strength, Strength],
): [number, number] | undefined {
  const n = Math.min(items.length, MAX_COMPARED);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = items[i];
      const b = items[j];
      if (a === undefined || b === undefined) continue;
      const [sa, sb] = strength(a, b);
      if (dominated(sa, sb)) return [i, j];
    }
  }
  return undefined;
}

function message(
  place: string,
  weak: string,
  weakText: string,
  strong: string,
  strongText: string,
): string {
  return `${place} lists proposal ${weak} (${weakText}) before ${strong} (${strongText}), which is stronger: the first proposal both ends accept wins, so a peer that supports both negotiates the weaker ${weak}. Move ${strong} before ${weak}.`;
}

function resolved<D, E>(
  refs: readonly Located<string>[],
  defs: ReadonlyMap<string, D>,
  effective: (d: D) => E,
): E[] {
  return refs.flatMap((r) => {
    const def = defs.get(r.value);
    return def === undefined ? [] : [effective(def)];
  });
}

export function proposalOrderRules(context: LintContext): Problem[] {
  const out: Problem[] = [];
  for (const family of families(context.defs)) {
    for (const policy of family.ikePolicies.values()) {
      const items = resolved(policy.proposals, family.ikeProposals, effectiveIkeProposal);
      const hit = firstDominating(items, (a, b) =>
        a.authenticationMethod !== b.authenticationMethod
          ? [undefined, undefined]
          : [ikeStrength(a), ikeStrength(b)],
      );
      if (hit === undefined) continue;
      const [weak, strong] = [items[hit[0]], items[hit[1]]];
      if (weak === undefined || strong === undefined) continue;
      out.push(
        report(
          policy.proposals[0]?.line ?? policy.line,
          'warning',
          'weaker-proposal-first',
          message(
            `${where(family.family, 'ike')} policy ${policy.name}`,
            weak.name,
            describeIke(weak),
            strong.name,
            describeIke(strong),
          ),
        ),
      );
    }
    for (const policy of family.ipsecPolicies.values()) {
      const items = resolved(policy.proposals, family.ipsecProposals, effectiveIpsecProposal);
      const hit = firstDominating(items, (a, b) => {
        const gcm = isGcm(a.encryptionAlgorithm.value) || isGcm(b.encryptionAlgorithm.value);
        return [ipsecStrength(a, gcm), ipsecStrength(b, gcm)];
      });
      if (hit === undefined) continue;
      const [weak, strong] = [items[hit[0]], items[hit[1]]];
      if (weak === undefined || strong === undefined) continue;
      out.push(
        report(
          policy.proposals[0]?.line ?? policy.line,
          'warning',
          'weaker-proposal-first',
          message(
            `${where(family.family, 'ipsec')} policy ${policy.name}`,
            weak.name,
            describeIpsec(weak),
            strong.name,
            describeIpsec(strong),
          ),
        ),
      );
    }
  }
  return out;
}
