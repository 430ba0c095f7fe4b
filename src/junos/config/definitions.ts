import type { Located } from './nav.js';

// What the extractor reads from the tree, with the line of every statement, for the model
// builder, the linter and the two-end check. SRX (`security ike|ipsec`) and MX
// (`services ipsec-vpn`) keep separate name spaces, as Junos does.

export type Family = 'srx' | 'mx';

export interface Named {
  readonly name: string;
  readonly line: number;
}

export interface IkeProposalDef extends Named {
  readonly family: Family;
  readonly authenticationMethod?: Located<string>;
  readonly authenticationAlgorithm?: Located<string>;
  readonly encryptionAlgorithm?: Located<string>;
  readonly dhGroup?: Located<string>;
  /** As written; lint checks the range and the model falls back to the default when invalid. */
  readonly lifetimeSeconds?: Located<string>;
  readonly description?: Located<string>;
}

export interface IpsecProposalDef extends Named {
  readonly family: Family;
  readonly protocol?: Located<string>;
  readonly authenticationAlgorithm?: Located<string>;
  readonly encryptionAlgorithm?: Located<string>;
  readonly lifetimeSeconds?: Located<string>;
  readonly description?: Located<string>;
}

export interface IkePolicyDef extends Named {
  readonly family: Family;
  readonly proposals: readonly Located<string>[];
  readonly proposalSet?: Located<string>;
  readonly mode?: Located<string>;
  /** MX `version 1|2` (SRX has it on the gateway). */
  readonly version?: Located<string>;
  /** A pre-shared key is configured (its value is never read). */
  readonly preSharedKey?: Located<true>;
  readonly localCertificate?: Located<string>;
  readonly localId?: Located<string>;
  readonly remoteId?: Located<string>;
  readonly anyRemoteId?: Located<true>;
  readonly respondBadSpi?: Located<true>;
  readonly description?: Located<string>;
  /** SRX `certificate trusted-ca ca-profile NAME`. */
  readonly trustedCa?: Located<string>;
}

export interface IpsecPolicyDef extends Named {
  readonly family: Family;
  readonly proposals: readonly Located<string>[];
  readonly proposalSet?: Located<string>;
  readonly pfsGroup?: Located<string>;
  readonly description?: Located<string>;
}

/** SRX `security ike gateway`. */
export interface GatewayDef extends Named {
  readonly ikePolicy?: Located<string>;
  readonly addresses: readonly Located<string>[];
  readonly dynamic?: Located<true>;
  readonly externalInterface?: Located<string>;
  readonly localAddress?: Located<string>;
  /** `v1-only` | `v2-only`. */
  readonly version?: Located<string>;
  readonly localId?: Located<string>;
  readonly remoteId?: Located<string>;
  readonly description?: Located<string>;
}

export interface TrafficSelectorDef extends Named {
  readonly localIp?: string;
  readonly remoteIp?: string;
}

/** SRX `security ipsec vpn`. */
export interface VpnDef extends Named {
  readonly bindInterface?: Located<string>;
  readonly gateway?: Located<string>;
  readonly ipsecPolicy?: Located<string>;
  readonly trafficSelectors: readonly TrafficSelectorDef[];
  readonly establishTunnels?: Located<string>;
  readonly respondBadSpi?: Located<true>;
  readonly description?: Located<string>;
  readonly manual?: Located<true>;
}

/** MX `services ipsec-vpn rule R term T`. */
export interface TermDef extends Named {
  readonly remoteGateway?: Located<string>;
  readonly dynamic?: Located<true>;
  readonly manual?: Located<true>;
  readonly ikePolicy?: Located<string>;
  readonly ipsecPolicy?: Located<string>;
  readonly sourceAddress?: string;
  readonly destinationAddress?: string;
}

export interface RuleDef extends Named {
  readonly terms: readonly TermDef[];
}

/** MX `services service-set S` with `ipsec-vpn-options` / `ipsec-vpn-rules`. */
export interface ServiceSetDef extends Named {
  readonly rules: readonly Located<string>[];
  readonly localGateway?: Located<string>;
  readonly ikeAccessProfile?: Located<string>;
  readonly trustedCa: readonly Located<string>[];
}

/** MX `access profile P client * ike` (dynamic endpoints). */
export interface AccessProfileDef extends Named {
  readonly ikePolicy?: Located<string>;
  readonly ipsecPolicy?: Located<string>;
}

export interface CaProfileDef extends Named {
  readonly revocationDisabled?: Located<true>;
  readonly crlUrl?: Located<string>;
  readonly disableOnDownloadFailure?: Located<true>;
  readonly refreshInterval?: Located<string>;
}

export interface FamilyDefs {
  readonly family: Family;
  /** The section exists (`security ike|ipsec` or `services ipsec-vpn`). */
  readonly present: boolean;
  readonly ikeProposals: ReadonlyMap<string, IkeProposalDef>;
  readonly ikePolicies: ReadonlyMap<string, IkePolicyDef>;
  readonly ipsecProposals: ReadonlyMap<string, IpsecProposalDef>;
  readonly ipsecPolicies: ReadonlyMap<string, IpsecPolicyDef>;
  /** `security ike respond-bad-spi` / `services ipsec-vpn ike respond-bad-spi` (global). */
  readonly respondBadSpi?: Located<true>;
}

export interface SrxDefs extends FamilyDefs {
  readonly family: 'srx';
  readonly gateways: ReadonlyMap<string, GatewayDef>;
  readonly vpns: ReadonlyMap<string, VpnDef>;
}

export interface MxDefs extends FamilyDefs {
  readonly family: 'mx';
  readonly rules: ReadonlyMap<string, RuleDef>;
  readonly serviceSets: ReadonlyMap<string, ServiceSetDef>;
  readonly accessProfiles: ReadonlyMap<string, AccessProfileDef>;
  readonly establishTunnels?: Located<string>;
}

export interface ConfigDefs {
  readonly hostName?: Located<string>;
  readonly srx: SrxDefs;
  readonly mx: MxDefs;
  readonly caProfiles: ReadonlyMap<string, CaProfileDef>;
  /** Interface unit → first inet address without prefix length (`ge-0/0/0.0` → `192.0.2.1`). */
  readonly interfaceAddresses: ReadonlyMap<string, string>;
  readonly applyGroups: readonly Located<string>[];
}
