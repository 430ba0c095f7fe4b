// One end of a simulated tunnel: what its router's configuration says about it.

export type SimPlatform = 'srx' | 'mx';
export type SimRole = 'initiator' | 'responder';

export interface SimTunnelEnd {
  readonly router: string;
  readonly platform: SimPlatform;
  /** SRX `security ipsec vpn` name; MX service-set name (one rule, one term). */
  readonly vpn: string;
  /** SRX `security ike gateway` name; MX rule name. */
  readonly gateway: string;
  /** st0 unit (SRX) and the tunnel-id kmd prints. */
  readonly unit: number;
  readonly role: SimRole;
  readonly localAddress: string;
  readonly remoteAddress: string;
  readonly localSubnet: string;
  readonly remoteSubnet: string;
  readonly ikeVersion: 1 | 2;
  /** Configured lifetimes; undefined = not configured (the Junos default applies). */
  readonly ikeLifetime: number | undefined;
  readonly ipsecLifetime: number | undefined;
  readonly ikeEncryption: string;
  readonly ipsecEncryption: string;
  readonly authentication: 'psk' | 'certificate';
  readonly caProfile?: string;
  readonly crlUrl?: string;
  /** `revocation-check crl disable on-download-failure`. */
  readonly crlFailOpen: boolean;
  /** `respond-bad-spi` in the end's IKE policy. */
  readonly respondBadSpi?: boolean;
  /** SRX gateway `dead-peer-detection` (the end that detects a dead peer). */
  readonly deadPeerDetection?: boolean;
  /** SRX `vpn … ike proxy-identity` with the end's own subnets (route-based VPNs default to any). */
  readonly proxyIdentity?: boolean;
}
