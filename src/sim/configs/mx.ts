import type { SimTunnelEnd } from './end.js';
import { ikeProposalText, ipsecProposalText } from './proposals.js';
import { pkiText } from './srx.js';

// MX flavour: `services ipsec-vpn` on an MS-MPC, one service set per tunnel with one rule and
// one term, so the VPN name samon derives is the service set's; each service set names its own
// local-gateway (one of the interface's addresses). `establish-tunnels` is global
// under `services ipsec-vpn`: the simulator only lets MX ends respond.

export function mxConfig(
  hostName: string,
  addresses: readonly string[],
  ends: readonly SimTunnelEnd[],
): string {
  const rules = ends
    .map(
      (e) => `        rule ${e.gateway} {
            term t1 {
                from {
                    source-address {
                        ${e.localSubnet};
                    }
                    destination-address {
                        ${e.remoteSubnet};
                    }
                }
                then {
                    remote-gateway ${e.remoteAddress};
                    dynamic {
                        ike-policy ike-pol-${e.vpn};
                        ipsec-policy ipsec-pol-${e.vpn};
                    }
                }
            }
            match-direction input;
        }
`,
    )
    .join('');
  const ikePolicies = ends
    .map(
      (e) => `            policy ike-pol-${e.vpn} {
                version ${e.ikeVersion};
                proposals ike-${e.vpn};
                local-id ipv4_addr ${e.localAddress};
${
  e.authentication === 'certificate'
    ? `                local-certificate ${hostName}-cert;\n`
    : `                pre-shared-key ascii-text "$9$SIMULATED"; ## SECRET-DATA\n`
}${e.respondBadSpi ? '                respond-bad-spi;\n' : ''}            }
`,
    )
    .join('');
  const ipsecPolicies = ends
    .map(
      (e) => `            policy ipsec-pol-${e.vpn} {
                perfect-forward-secrecy {
                    keys group14;
                }
                proposals esp-${e.vpn};
            }
`,
    )
    .join('');
  const sets = ends
    .map(
      (e) => `    service-set ${e.vpn} {
        next-hop-service {
            inside-service-interface ms-1/0/0.1;
            outside-service-interface ms-1/0/0.2;
        }
        ipsec-vpn-options {
            local-gateway ${e.localAddress};
${e.caProfile ? `            trusted-ca ${e.caProfile};\n` : ''}        }
        ipsec-vpn-rules ${e.gateway};
    }
`,
    )
    .join('');
  const pki = pkiText(ends);
  return `system {
    host-name ${hostName};
}
interfaces {
    ms-1/0/0 {
        unit 0 {
            family inet;
        }
        unit 1 {
            family inet;
            service-domain inside;
        }
        unit 2 {
            family inet;
            service-domain outside;
        }
    }
    xe-0/0/0 {
        unit 0 {
            family inet {
${addresses.map((a) => `                address ${a}/24;\n`).join('')}            }
        }
    }
}
services {
    ipsec-vpn {
${rules}        ike {
${ends.map((e) => ikeProposalText(e, 12)).join('')}${ikePolicies}        }
        ipsec {
${ends.map((e) => ipsecProposalText(e, 12)).join('')}${ipsecPolicies}        }
    }
${sets}}
${pki ? `security {\n${pki}}\n` : ''}`;
}
