import { WEAK_AUTHENTICATION, WEAK_DH_GROUPS, WEAK_ENCRYPTION } from '../algorithms.js';
import { effectiveIkeProposal, effectiveIpsecProposal } from '../resolve.js';
import type { Problem } from '../problem.js';
import { families, ikeVersionOf, report, where, type LintContext } from './context.js';

// junos-ipsec.md, "Weak choices worth flagging": des-cbc, 3des-cbc, md5, hmac-md5-96,
// group1/2/5, aggressive mode.

const STRONGER = {
  encryption: 'aes-256-cbc or aes-256-gcm',
  ikeAuthentication: 'sha-256 or stronger',
  ipsecAuthentication: 'hmac-sha-256-128',
  dh: 'group14, group19 or group20',
};

export function weakAlgorithmRules(context: LintContext): Problem[] {
  const out: Problem[] = [];
  for (const family of families(context.defs)) {
    for (const def of family.ikeProposals.values()) {
      const p = effectiveIkeProposal(def);
      const place = `${where(family.family, 'ike')} proposal ${p.name}`;
      const encryption = p.encryptionAlgorithm.value;
      if (WEAK_ENCRYPTION.has(encryption)) {
        out.push(
          report(
            def.encryptionAlgorithm?.line ?? def.line,
            'warning',
            'weak-encryption',
            p.encryptionAlgorithm.assumed
              ? `${place} sets no encryption-algorithm, so Junos uses its default ${encryption}, which is weak (64-bit block cipher). Set encryption-algorithm ${STRONGER.encryption}.`
              : `${place} uses encryption-algorithm ${encryption}, which is weak (64-bit block cipher, deprecated). Use ${STRONGER.encryption} on both ends.`,
          ),
        );
      }
      if (
        WEAK_AUTHENTICATION.has(p.authenticationAlgorithm.value) &&
        def.authenticationAlgorithm !== undefined
      ) {
        out.push(
          report(
            def.authenticationAlgorithm.line,
            'warning',
            'weak-authentication',
            `${place} uses authentication-algorithm ${p.authenticationAlgorithm.value}, which is broken (collisions). Use ${STRONGER.ikeAuthentication} on both ends.`,
          ),
        );
      }
      if (def.dhGroup !== undefined && WEAK_DH_GROUPS.has(def.dhGroup.value)) {
        out.push(
          report(
            def.dhGroup.line,
            'warning',
            'weak-dh-group',
            `${place} uses dh-group ${def.dhGroup.value} (MODP of 1536 bits or less), too small to protect the key exchange today. Use ${STRONGER.dh} on both ends.`,
          ),
        );
      }
    }
    for (const def of family.ipsecProposals.values()) {
      const p = effectiveIpsecProposal(def);
      const place = `${where(family.family, 'ipsec')} proposal ${p.name}`;
      const encryption = p.encryptionAlgorithm.value;
      if (WEAK_ENCRYPTION.has(encryption) && def.protocol?.value !== 'ah') {
        out.push(
          report(
            def.encryptionAlgorithm?.line ?? def.line,
            'warning',
            'weak-encryption',
            p.encryptionAlgorithm.assumed
              ? `${place} sets no encryption-algorithm, so Junos uses its default ${encryption}, which is weak. Set encryption-algorithm ${STRONGER.encryption}.`
              : `${place} encrypts traffic with ${encryption}, which is weak (64-bit block cipher, deprecated). Use ${STRONGER.encryption} on both ends.`,
          ),
        );
      }
      if (
        WEAK_AUTHENTICATION.has(p.authenticationAlgorithm.value) &&
        def.authenticationAlgorithm !== undefined
      ) {
        out.push(
          report(
            def.authenticationAlgorithm.line,
            'warning',
            'weak-authentication',
            `${place} uses authentication-algorithm ${p.authenticationAlgorithm.value}, which is weak. Use ${STRONGER.ipsecAuthentication} on both ends.`,
          ),
        );
      }
    }
    for (const policy of family.ipsecPolicies.values()) {
      const group = policy.pfsGroup;
      if (group !== undefined && WEAK_DH_GROUPS.has(group.value)) {
        out.push(
          report(
            group.line,
            'warning',
            'weak-dh-group',
            `${where(family.family, 'ipsec')} policy ${policy.name}: perfect-forward-secrecy keys ${group.value} is too small to protect the IPsec keys. Use keys ${STRONGER.dh} on both ends.`,
          ),
        );
      }
    }
    for (const policy of family.ikePolicies.values()) {
      if (policy.mode?.value !== 'aggressive' || ikeVersionOf(context, family.family, policy) === 2)
        continue;
      out.push(
        report(
          policy.mode.line,
          'warning',
          'aggressive-mode',
          `${where(family.family, 'ike')} policy ${policy.name} uses mode aggressive: identities are sent unprotected and a pre-shared key can be attacked offline from a captured exchange. Use mode main (both ends), or IKEv2.`,
        ),
      );
    }
  }
  return out;
}
