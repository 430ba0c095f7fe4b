import { isCertificateMethod } from '../algorithms.js';
import type { Problem } from '../problem.js';
import { report, where, type LintContext } from './context.js';

// junos-ipsec.md, "Certificates and CRLs": CRL checking is on by default and a failed CRL
// download blocks the tunnel — unless `disable on-download-failure`, which fails open.

export function certificateRules(context: LintContext): Problem[] {
  const out: Problem[] = [];
  const { defs } = context;
  for (const profile of defs.caProfiles.values()) {
    if (profile.disableOnDownloadFailure !== undefined) {
      out.push(
        report(
          profile.disableOnDownloadFailure.line,
          'warning',
          'crl-fails-open',
          `security pki ca-profile ${profile.name}: revocation-check crl disable on-download-failure fails open: when the CRL cannot be downloaded, peers are accepted without a revocation check, so a revoked certificate can still build a tunnel. Remove it and make the CRL server reachable (samon reports CRL download failures).`,
        ),
      );
    }
    if (profile.revocationDisabled !== undefined) {
      out.push(
        report(
          profile.revocationDisabled.line,
          'warning',
          'crl-disabled',
          `security pki ca-profile ${profile.name}: revocation-check disable turns CRL checking off: a revoked peer certificate is still accepted. Remove it and configure revocation-check crl url.`,
        ),
      );
    }
  }
  const seen = new Set<string>();
  for (const t of context.tunnels) {
    const method = t.tunnel.authenticationMethod;
    const policy = t.ikePolicy;
    if (!isCertificateMethod(method) || policy === undefined) continue;
    const key = `${t.family}:${policy.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const place = `${where(t.family, 'ike')} policy ${policy.name}`;
    if (defs.caProfiles.size === 0) {
      out.push(
        report(
          policy.line,
          'error',
          'certificate-without-ca-profile',
          `${place} authenticates with ${method ?? 'certificates'} but no security pki ca-profile is configured: the peer's certificate cannot be verified and the tunnel (${t.tunnel.vpn}) will not come up. Configure security pki ca-profile with the CA that signs the peer certificate${t.family === 'mx' ? ' and reference it with ipsec-vpn-options trusted-ca' : ''}.`,
        ),
      );
    }
    if (policy.localCertificate === undefined) {
      out.push(
        report(
          policy.line,
          'warning',
          'certificate-without-local-certificate',
          `${place} authenticates with ${method ?? 'certificates'} but names no local-certificate: this end has no certificate to present. Set ${t.family === 'srx' ? 'certificate local-certificate' : 'local-certificate'} to the certificate id loaded on the router.`,
        ),
      );
    }
  }
  return out;
}
