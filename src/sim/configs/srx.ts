import type { SimTunnelEnd } from './end.js';
import { ikeProposalText, ipsecProposalText } from './proposals.js';

// SRX flavour: `security ike` / `security ipsec`, one gateway, policies and `vpn` per tunnel,
// bound to st0 units. The initiator end has `establish-tunnels immediately`. A gateway on another
// of the interface's addresses than its first names it as `local-address`.

export function srxConfig(
  hostName: string,
  addresses: readonly string[],
  ends: readonly SimTunnelEnd[],
): string {
  const ike = ends.map((e) => ikeProposalText(e, 8)).join('');
  const ipsec = ends.map((e) => ipsecProposalText(e, 8)).join('');
  const policies = ends
    .map(
      (e) => `        policy ike-pol-${e.vpn} {
${e.ikeVersion === 1 ? '            mode main;\n' : ''}            proposals ike-${e.vpn};
${
  e.authentication === 'certificate'
    ? `            certificate {
                local-certificate ${hostName}-cert;
                trusted-ca ca-profile ${e.caProfile};
            }
`
    : `            pre-shared-key ascii-text "$9$SIMULATED"; ## SECRET-DATA
`
}${e.respondBadSpi ? '            respond-bad-spi;\n' : ''}        }
`,
    )
    .join('');
  const gateways = ends
    .map(
      (e) => `        gateway ${e.gateway} {
            ike-policy ike-pol-${e.vpn};
            address ${e.remoteAddress};
            local-identity inet ${e.localAddress};
            remote-identity inet ${e.remoteAddress};
            external-interface ge-0/0/0.0;
${e.localAddress === addresses[0] ? '' : `            local-address ${e.localAddress};\n`}            version ${e.ikeVersion === 1 ? 'v1-only' : 'v2-only'};
${
  e.deadPeerDetection
    ? `            dead-peer-detection {
                interval 10;
                threshold 5;
            }
`
    : ''
}        }
`,
    )
    .join('');
  const ipsecPolicies = ends
    .map(
      (e) => `        policy ipsec-pol-${e.vpn} {
            perfect-forward-secrecy {
                keys group14;
            }
            proposals esp-${e.vpn};
        }
`,
    )
    .join('');
  const vpns = ends
    .map(
      (e) => `        vpn ${e.vpn} {
            bind-interface st0.${e.unit};
            ike {
                gateway ${e.gateway};
                ipsec-policy ipsec-pol-${e.vpn};
${
  e.proxyIdentity
    ? `                proxy-identity {
                    local ${e.localSubnet};
                    remote ${e.remoteSubnet};
                }
`
    : ''
}            }
${e.role === 'initiator' ? '            establish-tunnels immediately;\n' : ''}        }
`,
    )
    .join('');
  const units = ends
    .map((e) => `        unit ${e.unit} {\n            family inet;\n        }\n`)
    .join('');
  return `system {
    host-name ${hostName};
}
interfaces {
    ge-0/0/0 {
        unit 0 {
            family inet {
${addresses.map((a) => `                address ${a}/24;\n`).join('')}            }
        }
    }
    st0 {
${units}    }
}
security {
    ike {
${ike}${policies}${gateways}    }
    ipsec {
${ipsec}${ipsecPolicies}${vpns}    }
${pkiText(ends)}}
`;
}

export function pkiText(ends: readonly SimTunnelEnd[]): string {
  const profiles = new Map<string, SimTunnelEnd>();
  for (const e of ends) if (e.caProfile) profiles.set(e.caProfile, e);
  if (profiles.size === 0) return '';
  const body = [...profiles.values()]
    .map(
      (e) => `        ca-profile ${e.caProfile} {
            ca-identity ${e.caProfile};
            revocation-check {
                crl {
${e.crlFailOpen ? '                    disable on-download-failure;\n' : ''}                    url ${e.crlUrl};
                }
            }
        }
`,
    )
    .join('');
  return `    pki {\n${body}    }\n`;
}
