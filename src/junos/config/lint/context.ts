import type { ConfigDefs, FamilyDefs } from '../definitions.js';
import type { Severity } from '../finding.js';
import type { Problem } from '../problem.js';
import type { ResolvedTunnel } from '../resolve.js';

// What every lint rule receives, and how it reports. Rules are pure functions of the
// configuration; each file holds one family of rules (docs/junos-config.md lists them).

export interface LintContext {
  readonly defs: ConfigDefs;
  readonly tunnels: readonly ResolvedTunnel[];
  /** `family:policy` → the IKE versions of the tunnels that use that IKE policy. */
  readonly policyVersions: ReadonlyMap<string, ReadonlySet<1 | 2>>;
}

export function lintContext(defs: ConfigDefs, tunnels: readonly ResolvedTunnel[]): LintContext {
  return { defs, tunnels, policyVersions: policyVersions(tunnels) };
}

export type LintRule = (context: LintContext) => Problem[];

export function report(line: number, severity: Severity, rule: string, message: string): Problem {
  return { line, severity, rule, message };
}

/** Both name spaces, SRX `security ike|ipsec` and MX `services ipsec-vpn`. */
export function families(defs: ConfigDefs): FamilyDefs[] {
  return [defs.srx, defs.mx];
}

/** How the hierarchy names a section in messages. */
export function where(family: FamilyDefs['family'], phase: 'ike' | 'ipsec'): string {
  return family === 'srx' ? `security ${phase}` : `services ipsec-vpn ${phase}`;
}

/** The IKE version each IKE policy is used with, from the tunnels that use it. */
function policyVersions(tunnels: readonly ResolvedTunnel[]): Map<string, Set<1 | 2>> {
  const versions = new Map<string, Set<1 | 2>>();
  for (const t of tunnels) {
    if (t.ikePolicy === undefined) continue;
    const key = `${t.family}:${t.ikePolicy.name}`;
    const set = versions.get(key) ?? new Set<1 | 2>();
    set.add(t.tunnel.ikeVersion.value);
    versions.set(key, set);
  }
  return versions;
}

/** IKE version of a policy: MX `version`, else what its tunnels use (SRX gateway `version`). */
export function ikeVersionOf(
  context: LintContext,
  family: FamilyDefs['family'],
  policy: { name: string; version?: { value: string } },
): 1 | 2 | undefined {
  if (policy.version?.value === '2') return 2;
  if (policy.version?.value === '1') return 1;
  const used = context.policyVersions.get(`${family}:${policy.name}`);
  if (used === undefined || used.size !== 1) return undefined;
  return [...used][0];
}
