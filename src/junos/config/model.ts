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
}

export interface IpsecProposal {
  readonly name: string;
  readonly protocol?: string;
  readonly authenticationAlgorithm?: string;
  readonly encryptionAlgorithm?: string;
  readonly lifetimeSeconds: Effective<number>;
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
}
