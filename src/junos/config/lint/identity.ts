import type { Problem } from '../problem.js';
import { report, where, type LintContext } from './context.js';

// junos-ipsec.md, "IKE policy": `any-remote-id` only with dynamic endpoints.

export function identityRules(context: LintContext): Problem[] {
  const out: Problem[] = [];
  const reported = new Set<string>();
  for (const t of context.tunnels) {
    const policy = t.ikePolicy;
    if (policy?.anyRemoteId === undefined || t.tunnel.remoteAddress === undefined) continue;
    const key = `${t.family}:${policy.name}`;
    if (reported.has(key)) continue;
    reported.add(key);
    out.push(
      report(
        policy.anyRemoteId.line,
        'warning',
        'any-remote-id-static-peer',
        `${where(t.family, 'ike')} policy ${policy.name} accepts any-remote-id but is used by ${t.tunnel.vpn}, whose peer ${t.tunnel.remoteAddress} is static: any peer identity is accepted, which is meant only for dynamic endpoints. Set remote-id to the peer's identity (e.g. ipv4_addr ${t.tunnel.remoteAddress}).`,
      ),
    );
  }
  return out;
}
