import {
  IKE_LIFETIME_DEFAULT_SECONDS,
  IPSEC_LIFETIME_DEFAULT_SECONDS,
  parseSeconds,
} from './defaults.js';
import type { ConfigDefs, FamilyDefs, IkePolicyDef, IpsecPolicyDef } from './definitions.js';
import type {
  CaProfile,
  Effective,
  IkePolicy,
  IkeProposal,
  IpsecPolicy,
  IpsecProposal,
  JunosConfigModel,
  Platform,
} from './model.js';
import type { Located } from './nav.js';
import type { ResolvedTunnel } from './resolve.js';

// The model carried by a `junos-config` observation: values, no line numbers, no secrets.

function lifetime(text: Located<string> | undefined, fallback: number): Effective<number> {
  const seconds = parseSeconds(text?.value);
  return seconds === undefined
    ? { value: fallback, assumed: true }
    : { value: seconds, assumed: false };
}

function values<T extends Record<string, Located<unknown> | undefined>>(
  fields: T,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, located] of Object.entries(fields))
    if (located !== undefined) out[key] = located.value;
  return out;
}

function ikeProposals(family: FamilyDefs): IkeProposal[] {
  return [...family.ikeProposals.values()].map((p) => ({
    name: p.name,
    ...values({
      authenticationMethod: p.authenticationMethod,
      authenticationAlgorithm: p.authenticationAlgorithm,
      encryptionAlgorithm: p.encryptionAlgorithm,
      dhGroup: p.dhGroup,
    }),
    lifetimeSeconds: lifetime(p.lifetimeSeconds, IKE_LIFETIME_DEFAULT_SECONDS),
    ...values({ description: p.description }),
  }));
}

function ipsecProposals(family: FamilyDefs): IpsecProposal[] {
  return [...family.ipsecProposals.values()].map((p) => ({
    name: p.name,
    ...values({
      protocol: p.protocol,
      authenticationAlgorithm: p.authenticationAlgorithm,
      encryptionAlgorithm: p.encryptionAlgorithm,
    }),
    lifetimeSeconds: lifetime(p.lifetimeSeconds, IPSEC_LIFETIME_DEFAULT_SECONDS),
    ...values({ description: p.description }),
  }));
}

function ikePolicy(p: IkePolicyDef): IkePolicy {
  const version = p.version?.value === '1' ? 1 : p.version?.value === '2' ? 2 : undefined;
  return {
    name: p.name,
    ...(version === undefined ? {} : { version }),
    ...values({ mode: p.mode }),
    proposals: p.proposals.map((r) => r.value),
    ...values({ proposalSet: p.proposalSet }),
    preSharedKey: p.preSharedKey !== undefined,
    ...values({ localCertificate: p.localCertificate, localId: p.localId, remoteId: p.remoteId }),
    ...(p.anyRemoteId === undefined ? {} : { anyRemoteId: true }),
    respondBadSpi: p.respondBadSpi !== undefined,
    ...values({ description: p.description }),
  };
}

function ipsecPolicy(p: IpsecPolicyDef): IpsecPolicy {
  return {
    name: p.name,
    proposals: p.proposals.map((r) => r.value),
    ...values({ proposalSet: p.proposalSet, pfsGroup: p.pfsGroup, description: p.description }),
  };
}

function caProfiles(defs: ConfigDefs): CaProfile[] {
  return [...defs.caProfiles.values()].map((c) => {
    const hours = parseSeconds(c.refreshInterval?.value);
    return {
      name: c.name,
      revocationCheck: c.revocationDisabled === undefined ? 'crl' : 'disabled',
      ...values({ crlUrl: c.crlUrl }),
      disableOnDownloadFailure: c.disableOnDownloadFailure !== undefined,
      ...(hours === undefined ? {} : { refreshIntervalHours: hours }),
    };
  });
}

function platform(defs: ConfigDefs, tunnels: readonly ResolvedTunnel[]): Platform {
  if (defs.mx.present && !defs.srx.present) return 'mx';
  if (defs.srx.present && !defs.mx.present) return 'srx';
  const mx = tunnels.filter((t) => t.family === 'mx').length;
  const srx = tunnels.length - mx;
  return mx > srx ? 'mx' : 'srx';
}

export function buildModel(defs: ConfigDefs, tunnels: readonly ResolvedTunnel[]): JunosConfigModel {
  const families: FamilyDefs[] = [defs.srx, defs.mx];
  return {
    ...(defs.hostName === undefined ? {} : { hostName: defs.hostName.value }),
    platform: platform(defs, tunnels),
    tunnels: tunnels.map((t) => t.tunnel),
    ikeProposals: families.flatMap(ikeProposals),
    ipsecProposals: families.flatMap(ipsecProposals),
    caProfiles: caProfiles(defs),
    applyGroups: defs.applyGroups.map((g) => g.value),
    ikePolicies: families.flatMap((f) => [...f.ikePolicies.values()].map(ikePolicy)),
    ipsecPolicies: families.flatMap((f) => [...f.ipsecPolicies.values()].map(ipsecPolicy)),
  };
}
