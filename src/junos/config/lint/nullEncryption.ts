import type { Problem } from '../problem.js';
import { families, report, where, type LintContext } from './context.js';

// junos-ipsec.md: "An authentication algorithm configured without an encryption statement means
// NULL encryption" and "NULL encryption needs protocol esp".

export function nullEncryptionRules(context: LintContext): Problem[] {
  const out: Problem[] = [];
  for (const family of families(context.defs)) {
    for (const p of family.ikeProposals.values()) {
      if (p.authenticationAlgorithm === undefined || p.encryptionAlgorithm !== undefined) continue;
      out.push(
        report(
          p.authenticationAlgorithm.line,
          'warning',
          'null-encryption',
          `${where(family.family, 'ike')} proposal ${p.name} sets authentication-algorithm but no encryption-algorithm, which means NULL encryption: the key exchange is not encrypted. Add encryption-algorithm aes-256-cbc (on both ends).`,
        ),
      );
    }
    for (const p of family.ipsecProposals.values()) {
      if (p.authenticationAlgorithm === undefined || p.encryptionAlgorithm !== undefined) continue;
      const protocol = p.protocol?.value;
      if (protocol === 'ah') continue;
      const place = `${where(family.family, 'ipsec')} proposal ${p.name}`;
      if (protocol === 'esp') {
        out.push(
          report(
            p.authenticationAlgorithm.line,
            'warning',
            'null-encryption',
            `${place} sets authentication-algorithm but no encryption-algorithm, which means NULL encryption: traffic is authenticated but sent in clear text. Add encryption-algorithm aes-256-cbc (or aes-256-gcm) on both ends if the traffic must be confidential.`,
          ),
        );
      } else {
        out.push(
          report(
            p.protocol?.line ?? p.authenticationAlgorithm.line,
            'error',
            'null-encryption-without-esp',
            `${place} has NULL encryption (authentication-algorithm without encryption-algorithm) but ${protocol === undefined ? 'no protocol' : `protocol ${protocol}`}: NULL encryption needs protocol esp, so this proposal cannot be negotiated. Set protocol esp, or add an encryption-algorithm.`,
          ),
        );
      }
    }
  }
  return out;
}
