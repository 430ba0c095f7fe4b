import type {
  AccessProfileDef,
  CaProfileDef,
  ConfigDefs,
  GatewayDef,
  IkePolicyDef,
  IkeProposalDef,
  IpsecPolicyDef,
  IpsecProposalDef,
  MxDefs,
  RuleDef,
  ServiceSetDef,
  SrxDefs,
  TermDef,
  TrafficSelectorDef,
  VpnDef,
  Family,
} from './definitions.js';
import {
  activeChildren,
  at,
  child,
  entries,
  flag,
  leaf,
  list,
  phrase,
  type Located,
} from './nav.js';
import type { ConfigNode } from './tree.js';

// Reads what samon needs from the statement tree (junos-ipsec.md; Junos hierarchy levels
// `[edit security ike|ipsec|pki]`, `[edit services ipsec-vpn]`, `[edit services service-set]`).

function byName<T extends { name: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((item) => [item.name, item]));
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function ikeProposal(node: ConfigNode, family: Family): IkeProposalDef {
  return {
    name: node.name,
    line: node.line,
    family,
    ...optional('authenticationMethod', leaf(node, 'authentication-method')),
    ...optional('authenticationAlgorithm', leaf(node, 'authentication-algorithm')),
    ...optional('encryptionAlgorithm', leaf(node, 'encryption-algorithm')),
    ...optional('dhGroup', leaf(node, 'dh-group')),
    ...optional('lifetimeSeconds', leaf(node, 'lifetime-seconds')),
    ...optional('description', leaf(node, 'description')),
  };
}

function ipsecProposal(node: ConfigNode, family: Family): IpsecProposalDef {
  return {
    name: node.name,
    line: node.line,
    family,
    ...optional('protocol', leaf(node, 'protocol')),
    ...optional('authenticationAlgorithm', leaf(node, 'authentication-algorithm')),
    ...optional('encryptionAlgorithm', leaf(node, 'encryption-algorithm')),
    ...optional('lifetimeSeconds', leaf(node, 'lifetime-seconds')),
    ...optional('description', leaf(node, 'description')),
  };
}

/** `remote-id ipv4_addr X` or `remote-id { ipv4_addr X; any-remote-id; }` (MX). */
function identity(node: ConfigNode | undefined, key: string): Located<string> | undefined {
  const keyNode = child(node, key);
  if (keyNode === undefined) return undefined;
  const first = activeChildren(keyNode).find((c) => c.name !== 'any-remote-id');
  if (first === undefined) return undefined;
  const words = [first.name];
  let current = activeChildren(first)[0];
  while (current !== undefined && words.length < 8) {
    words.push(current.name);
    current = activeChildren(current)[0];
  }
  return { value: words.join(' '), line: keyNode.line };
}

function ikePolicy(node: ConfigNode, family: Family): IkePolicyDef {
  const certificate = child(node, 'certificate');
  const remoteId = child(node, 'remote-id');
  return {
    name: node.name,
    line: node.line,
    family,
    proposals: list(node, 'proposals'),
    ...optional('proposalSet', leaf(node, 'proposal-set')),
    ...optional('mode', leaf(node, 'mode')),
    ...optional('version', leaf(node, 'version')),
    ...optional('preSharedKey', flag(node, 'pre-shared-key')),
    ...optional(
      'localCertificate',
      leaf(node, 'local-certificate') ?? leaf(certificate, 'local-certificate'),
    ),
    ...optional('localId', identity(node, 'local-id')),
    ...optional('remoteId', identity(node, 'remote-id')),
    ...optional('anyRemoteId', flag(remoteId, 'any-remote-id') ?? flag(node, 'any-remote-id')),
    ...optional('respondBadSpi', flag(node, 'respond-bad-spi')),
    ...optional('description', leaf(node, 'description')),
    ...optional(
      'trustedCa',
      leaf(child(certificate, 'trusted-ca'), 'ca-profile') ??
        leaf(child(node, 'trusted-ca'), 'ca-profile'),
    ),
  };
}

function ipsecPolicy(node: ConfigNode, family: Family): IpsecPolicyDef {
  return {
    name: node.name,
    line: node.line,
    family,
    proposals: list(node, 'proposals'),
    ...optional('proposalSet', leaf(node, 'proposal-set')),
    ...optional('pfsGroup', leaf(child(node, 'perfect-forward-secrecy'), 'keys')),
    ...optional('description', leaf(node, 'description')),
  };
}

function familyDefs<F extends Family>(
  family: F,
  ike: ConfigNode | undefined,
  ipsec: ConfigNode | undefined,
  present: boolean,
) {
  return {
    family,
    present,
    ikeProposals: byName(entries(ike, 'proposal').map((n) => ikeProposal(n, family))),
    ikePolicies: byName(entries(ike, 'policy').map((n) => ikePolicy(n, family))),
    ipsecProposals: byName(entries(ipsec, 'proposal').map((n) => ipsecProposal(n, family))),
    ipsecPolicies: byName(entries(ipsec, 'policy').map((n) => ipsecPolicy(n, family))),
    ...optional('respondBadSpi', flag(ike, 'respond-bad-spi')),
  };
}

function gateway(node: ConfigNode): GatewayDef {
  return {
    name: node.name,
    line: node.line,
    addresses: list(node, 'address'),
    ...optional('ikePolicy', leaf(node, 'ike-policy')),
    ...optional('dynamic', flag(node, 'dynamic')),
    ...optional('externalInterface', leaf(node, 'external-interface')),
    ...optional('localAddress', leaf(node, 'local-address')),
    ...optional('version', leaf(node, 'version')),
    ...optional('localId', phrase(node, 'local-identity')),
    ...optional('remoteId', phrase(node, 'remote-identity')),
    ...optional('description', leaf(node, 'description')),
  };
}

function trafficSelector(node: ConfigNode): TrafficSelectorDef {
  return {
    name: node.name,
    line: node.line,
    ...optional('localIp', leaf(node, 'local-ip')?.value),
    ...optional('remoteIp', leaf(node, 'remote-ip')?.value),
  };
}

function vpn(node: ConfigNode): VpnDef {
  const ike = child(node, 'ike');
  return {
    name: node.name,
    line: node.line,
    trafficSelectors: entries(node, 'traffic-selector').map(trafficSelector),
    ...optional('bindInterface', leaf(node, 'bind-interface')),
    ...optional('gateway', leaf(ike, 'gateway')),
    ...optional('ipsecPolicy', leaf(ike, 'ipsec-policy')),
    ...optional('establishTunnels', leaf(node, 'establish-tunnels')),
    ...optional('respondBadSpi', flag(node, 'respond-bad-spi')),
    ...optional('description', leaf(node, 'description')),
    ...optional('manual', flag(node, 'manual')),
  };
}

function srxDefs(root: ConfigNode): SrxDefs {
  const security = child(root, 'security');
  const ike = child(security, 'ike');
  const ipsec = child(security, 'ipsec');
  return {
    ...familyDefs('srx', ike, ipsec, ike !== undefined || ipsec !== undefined),
    gateways: byName(entries(ike, 'gateway').map(gateway)),
    vpns: byName(entries(ipsec, 'vpn').map(vpn)),
  };
}

function term(node: ConfigNode): TermDef {
  const from = child(node, 'from');
  const then = child(node, 'then');
  const dynamic = child(then, 'dynamic');
  return {
    name: node.name,
    line: node.line,
    ...optional('remoteGateway', leaf(then, 'remote-gateway')),
    ...optional('dynamic', flag(then, 'dynamic')),
    ...optional('manual', flag(then, 'manual')),
    ...optional('ikePolicy', leaf(dynamic, 'ike-policy') ?? leaf(then, 'ike-policy')),
    ...optional('ipsecPolicy', leaf(dynamic, 'ipsec-policy') ?? leaf(then, 'ipsec-policy')),
    ...optional('sourceAddress', activeChildren(child(from, 'source-address'))[0]?.name),
    ...optional('destinationAddress', activeChildren(child(from, 'destination-address'))[0]?.name),
  };
}

function rule(node: ConfigNode): RuleDef {
  return { name: node.name, line: node.line, terms: entries(node, 'term').map(term) };
}

function serviceSet(node: ConfigNode): ServiceSetDef {
  const options = child(node, 'ipsec-vpn-options');
  return {
    name: node.name,
    line: node.line,
    rules: list(node, 'ipsec-vpn-rules'),
    trustedCa: list(options, 'trusted-ca'),
    ...optional('localGateway', leaf(options, 'local-gateway')),
    ...optional('ikeAccessProfile', leaf(options, 'ike-access-profile')),
  };
}

function accessProfile(node: ConfigNode): AccessProfileDef {
  const ike = activeChildren(child(node, 'client'))
    .map((client) => child(client, 'ike'))
    .find((n) => n !== undefined);
  return {
    name: node.name,
    line: node.line,
    ...optional('ikePolicy', leaf(ike, 'ike-policy')),
    ...optional('ipsecPolicy', leaf(ike, 'ipsec-policy')),
  };
}

function mxDefs(root: ConfigNode): MxDefs {
  const services = child(root, 'services');
  const vpn = child(services, 'ipsec-vpn');
  const ike = child(vpn, 'ike');
  const ipsec = child(vpn, 'ipsec');
  return {
    ...familyDefs('mx', ike, ipsec, vpn !== undefined),
    rules: byName(entries(vpn, 'rule').map(rule)),
    serviceSets: byName(
      entries(services, 'service-set')
        .filter(
          (n) =>
            child(n, 'ipsec-vpn-rules') !== undefined ||
            child(n, 'ipsec-vpn-options') !== undefined,
        )
        .map(serviceSet),
    ),
    accessProfiles: byName(entries(child(root, 'access'), 'profile').map(accessProfile)),
    ...optional('establishTunnels', leaf(vpn, 'establish-tunnels')),
  };
}

function caProfile(node: ConfigNode): CaProfileDef {
  const check = child(node, 'revocation-check');
  const crl = child(check, 'crl');
  const disable = child(crl, 'disable');
  return {
    name: node.name,
    line: node.line,
    ...optional('revocationDisabled', flag(check, 'disable')),
    ...optional('crlUrl', leaf(crl, 'url')),
    ...optional('disableOnDownloadFailure', flag(disable, 'on-download-failure')),
    ...optional('refreshInterval', leaf(crl, 'refresh-interval')),
  };
}

function interfaceAddresses(root: ConfigNode): Map<string, string> {
  const addresses = new Map<string, string>();
  for (const ifd of activeChildren(child(root, 'interfaces'))) {
    for (const unit of entries(ifd, 'unit')) {
      const address = activeChildren(at(unit, 'family', 'inet', 'address'))[0]?.name;
      if (address !== undefined)
        addresses.set(`${ifd.name}.${unit.name}`, address.split('/')[0] ?? address);
    }
  }
  return addresses;
}

/** Every `apply-groups` in the tree (samon does not expand groups), iteratively: the tree may be deep. */
function applyGroups(root: ConfigNode): Located<string>[] {
  const found = new Map<string, Located<string>>();
  const stack: ConfigNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === undefined || node.inactive === true) continue;
    if (node.name === 'apply-groups' && node !== root) {
      for (const group of activeChildren(node)) {
        if (!found.has(group.name)) found.set(group.name, { value: group.name, line: group.line });
      }
      continue;
    }
    for (let k = node.children.length - 1; k >= 0; k--) {
      const c = node.children[k];
      if (c !== undefined) stack.push(c);
    }
  }
  return [...found.values()];
}

/** `system host-name`, else the host-name of an applied group (`re0`, `node0` on clusters). */
function hostName(
  root: ConfigNode,
  groups: readonly Located<string>[],
): Located<string> | undefined {
  const direct = leaf(child(root, 'system'), 'host-name');
  if (direct !== undefined) return direct;
  for (const group of groups) {
    const name = leaf(at(root, 'groups', group.value, 'system'), 'host-name');
    if (name !== undefined) return name;
  }
  return undefined;
}

export function extractDefinitions(root: ConfigNode): ConfigDefs {
  const groups = applyGroups(root);
  return {
    srx: srxDefs(root),
    mx: mxDefs(root),
    caProfiles: byName(entries(at(root, 'security', 'pki'), 'ca-profile').map(caProfile)),
    interfaceAddresses: interfaceAddresses(root),
    applyGroups: groups,
    ...optional('hostName', hostName(root, groups)),
  };
}
