import type { SimTunnelEnd } from './end.js';

// One IKE and one IPsec proposal per tunnel end, named after the VPN; a lifetime left out of the
// text takes the Junos default (junos-ipsec.md: IKE 3600 s, IPsec 28800 s).

const pad = (n: number) => ' '.repeat(n);

export function ikeProposalText(e: SimTunnelEnd, indent: number): string {
  const i = pad(indent);
  const j = pad(indent + 4);
  return `${i}proposal ike-${e.vpn} {
${j}authentication-method ${e.authentication === 'certificate' ? 'rsa-signatures' : 'pre-shared-keys'};
${j}dh-group group14;
${j}authentication-algorithm sha-256;
${j}encryption-algorithm ${e.ikeEncryption};
${e.ikeLifetime === undefined ? '' : `${j}lifetime-seconds ${e.ikeLifetime};\n`}${i}}
`;
}

export function ipsecProposalText(e: SimTunnelEnd, indent: number): string {
  const i = pad(indent);
  const j = pad(indent + 4);
  return `${i}proposal esp-${e.vpn} {
${j}protocol esp;
${j}authentication-algorithm hmac-sha-256-128;
${j}encryption-algorithm ${e.ipsecEncryption};
${e.ipsecLifetime === undefined ? '' : `${j}lifetime-seconds ${e.ipsecLifetime};\n`}${i}}
`;
}
