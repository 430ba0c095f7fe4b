// The model samon keeps of one router's Junos configuration (the `data` of a `junos-config`
// observation). Secrets never enter it: pre-shared keys, $9$ strings, passwords are dropped
// by the parser before the model is built.

export type Platform = 'srx' | 'mx';

/** A value and whether it was configured or is the Junos default (junos-ipsec.md). */
export interface Effective<T> {
  readonly value: T;
  readonly assumed: boolean;
}

export interface IkeProposal {
  readonly name: string;
  readonly authenticationMethod?: string;
  readonly authenticationAlgorithm?: string;
  readonly encryptionAlgorithm?: string;
  readonly dhGroup?: string;
  readonly lifetimeSeconds: Effective<number>;
  readonly description?: string;
}

export interface IpsecProposal {
  readonly name: string;
  readonly protocol?: string;
  readonly authenticationAlgorithm?: string;
  readonly encryptionAlgorithm?: string;
  readonly lifetimeSeconds: Effective<number>;
  readonly description?: string;
}

/** One tunnel the configuration says should exist. */
export interface ExpectedTunnel {
  /** The tunnel's VPN name: SRX `security ipsec vpn NAME`; MX `service-set NAME` (rule/term appended when several). */
  readonly vpn: string;
  /** SRX `security ike gateway NAME`; MX rule/term name. */
  readonly gateway?: string;
  /** Remote gateway address (static) or undefined for dynamic endpoints. */
  readonly remoteAddress?: string;
  readonly localAddress?: string;
  /** Traffic-selector name when a selector splits the VPN into several tunnels. */
  readonly trafficSelector?: string;
  readonly bindInterface?: string;
  readonly ikeVersion: Effective<1 | 2>;
  readonly ikePolicy?: string;
  readonly ipsecPolicy?: string;
  /** IKE proposals in preference order, resolved. */
  readonly ikeProposals: readonly string[];
  readonly ipsecProposals: readonly string[];
  /** Effective lifetimes of this tunnel's first proposals (defaults applied and marked). */
  readonly ikeLifetimeSeconds: Effective<number>;
  readonly ipsecLifetimeSeconds: Effective<number>;
  readonly pfsGroup?: string;
  /** `establish-tunnels immediately` (this end initiates) or on-traffic; undefined if unknown. */
  readonly establishTunnels?: 'immediately' | 'on-traffic' | 'responder-only';
  readonly respondBadSpi: boolean;
  /** The CA profile whose CRL is checked, when certificates authenticate this tunnel. */
  readonly caProfile?: string;
  /** False when `revocation-check crl disable on-download-failure` (fails open) or checking is off. */
  readonly crlEnforced: boolean;
  readonly description?: string;
  // Added by the parser (optional, so models built elsewhere stay valid):
  /** MX service set of this tunnel, and its rule and term. */
  readonly serviceSet?: string;
  readonly rule?: string;
  readonly term?: string;
  /** IKEv1 exchange mode (`main` unless configured); undefined for IKEv2. */
  readonly ikeMode?: Effective<'main' | 'aggressive'>;
  /** IKE authentication method of the first proposal (or inferred from the policy). */
  readonly authenticationMethod?: string;
  readonly localId?: string;
  readonly remoteId?: string;
  readonly localCertificate?: string;
  /** Who is expected to start negotiations: dynamic peers and responder-only ends only respond. */
  readonly roleHint?: 'initiator' | 'responder' | 'either';
  /** Addresses of the traffic selector (SRX) or the rule term's `from` (MX). */
  readonly selector?: { readonly localIp?: string; readonly remoteIp?: string };
  /** SRX predefined `proposal-set` used instead of named proposals (not expanded). */
  readonly ikeProposalSet?: string;
  readonly ipsecProposalSet?: string;
}

export interface CaProfile {
  readonly name: string;
  readonly revocationCheck: 'crl' | 'disabled';
  readonly crlUrl?: string;
  readonly disableOnDownloadFailure: boolean;
  readonly refreshIntervalHours?: number;
}

export interface JunosConfigModel {
  /** `system host-name`, when present. */
  readonly hostName?: string;
  readonly platform: Platform;
  readonly tunnels: readonly ExpectedTunnel[];
  readonly ikeProposals: readonly IkeProposal[];
  readonly ipsecProposals: readonly IpsecProposal[];
  readonly caProfiles: readonly CaProfile[];
  /** `apply-groups` found (left unexpanded: samon does not expand groups). */
  readonly applyGroups: readonly string[];
  // Added by the parser (optional, so models built elsewhere stay valid):
  readonly ikePolicies?: readonly IkePolicy[];
  readonly ipsecPolicies?: readonly IpsecPolicy[];
}

export interface IkePolicy {
  readonly name: string;
  readonly version?: 1 | 2;
  readonly mode?: string;
  readonly proposals: readonly string[];
  readonly proposalSet?: string;
  /** A pre-shared key is configured; its value is never read. */
  readonly preSharedKey: boolean;
  readonly localCertificate?: string;
  readonly localId?: string;
  readonly remoteId?: string;
  readonly anyRemoteId?: boolean;
  readonly respondBadSpi: boolean;
  readonly description?: string;
}

export interface IpsecPolicy {
  readonly name: string;
  readonly proposals: readonly string[];
  readonly proposalSet?: string;
  readonly pfsGroup?: string;
  readonly description?: string;
}
