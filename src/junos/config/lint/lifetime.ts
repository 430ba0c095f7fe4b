import { LIFETIME_MAX_SECONDS, LIFETIME_MIN_SECONDS, parseSeconds } from '../defaults.js';
import type { Problem } from '../problem.js';
import { families, report, where, type LintContext } from './context.js';

// junos-ipsec.md: lifetime-seconds 180 … 86400 for IKE and IPsec proposals.

export function lifetimeRules(context: LintContext): Problem[] {
  const out: Problem[] = [];
  for (const family of families(context.defs)) {
    const proposals = [
      ...[...family.ikeProposals.values()].map((p) => ({ p, phase: 'ike' as const })),
      ...[...family.ipsecProposals.values()].map((p) => ({ p, phase: 'ipsec' as const })),
    ];
    for (const { p, phase } of proposals) {
      const text = p.lifetimeSeconds;
      if (text === undefined) continue;
      const seconds = parseSeconds(text.value);
      if (
        seconds !== undefined &&
        seconds >= LIFETIME_MIN_SECONDS &&
        seconds <= LIFETIME_MAX_SECONDS
      )
        continue;
      out.push(
        report(
          text.line,
          'error',
          'lifetime-out-of-range',
          `${where(family.family, phase)} proposal ${p.name}: lifetime-seconds ${text.value} is outside ${LIFETIME_MIN_SECONDS}–${LIFETIME_MAX_SECONDS}; Junos rejects it, so this proposal cannot be committed as written. Set a value in range (typically 28800 for IKE, 3600 for IPsec).`,
        ),
      );
    }
  }
  return out;
}
