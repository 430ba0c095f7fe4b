import { describe, expect, it } from 'vitest';
import { parseJunosConfig, type ExpectedTunnel } from '../../../src/junos/config/index.js';
import { fixture, shape } from './support.js';

function tunnel(
  tunnels: readonly ExpectedTunnel[],
  vpn: string,
  selector?: string,
): ExpectedTunnel {
  const found = tunnels.find((t) => t.vpn === vpn && t.trafficSelector === selector);
  if (found === undefined) throw new Error(`no tunnel ${vpn} ${selector ?? ''}`);
  return found;
}

describe.each([
  ['SRX', 'srx-hub'],
  ['MX', 'mx-pe'],
])('%s fixture', (_platform, name) => {
  const curly = parseJunosConfig(fixture(`${name}.conf`), { file: `${name}.conf` });
  const set = parseJunosConfig(fixture(`${name}.set`), { file: `${name}.set` });

  it('parses both forms without errors', () => {
    expect(curly.tree.form).toBe('curly');
    expect(set.tree.form).toBe('set');
    expect(curly.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(set.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('gives the same tree and the same model in both forms', () => {
    expect(shape(set.tree.root)).toEqual(shape(curly.tree.root));
    expect(set.model).toEqual(curly.model);
  });
});

describe('SRX model', () => {
  const { model } = parseJunosConfig(fixture('srx-hub.conf'));

  it('reads the host name and the platform', () => {
    expect(model.hostName).toBe('srx-hub1');
    expect(model.platform).toBe('srx');
    expect(model.applyGroups).toEqual(['common']);
  });

  it('has one tunnel per VPN, one per traffic selector when there are several, none for an inactive VPN', () => {
    expect(model.tunnels.map((t) => [t.vpn, t.trafficSelector])).toEqual([
      ['vpn-branch7', undefined],
      ['vpn-branch9', undefined],
      ['vpn-dc-a', 'ts-apps'],
      ['vpn-dc-a', 'ts-db'],
      ['vpn-dc-b', undefined],
    ]);
  });

  it('resolves gateway, addresses (from the external interface), policies, proposals and lifetimes', () => {
    expect(tunnel(model.tunnels, 'vpn-branch7')).toEqual({
      vpn: 'vpn-branch7',
      gateway: 'gw-branch7',
      remoteAddress: '203.0.113.7',
      localAddress: '198.51.100.1',
      bindInterface: 'st0.7',
      ikePolicy: 'ike-pol-branch7',
      ipsecPolicy: 'ipsec-pol-branch',
      ikeVersion: { value: 1, assumed: false },
      ikeProposals: ['ike-psk-aes256-sha256-g14'],
      ipsecProposals: ['esp-aes256-sha256'],
      ikeLifetimeSeconds: { value: 28800, assumed: false },
      ipsecLifetimeSeconds: { value: 3600, assumed: false },
      pfsGroup: 'group14',
      establishTunnels: 'immediately',
      respondBadSpi: true,
      crlEnforced: true,
      description: 'Branch 7, Lyon (PSK)',
      ikeMode: { value: 'main', assumed: false },
      authenticationMethod: 'pre-shared-keys',
      localId: 'inet 198.51.100.1',
      remoteId: 'inet 203.0.113.7',
      roleHint: 'initiator',
    });
  });

  it('keeps two tunnels to one peer apart by their local address', () => {
    const a = tunnel(model.tunnels, 'vpn-dc-a', 'ts-db');
    const b = tunnel(model.tunnels, 'vpn-dc-b');
    expect([a.remoteAddress, a.localAddress]).toEqual(['192.0.2.10', '198.51.100.1']);
    expect([b.remoteAddress, b.localAddress]).toEqual(['192.0.2.10', '198.51.100.129']);
    expect(a.selector).toEqual({ localIp: '10.11.0.0/16', remoteIp: '10.201.0.0/16' });
    expect(b.selector).toEqual({ localIp: '10.12.0.0/24', remoteIp: '10.202.0.0/24' });
    expect(b.trafficSelector).toBeUndefined();
  });

  it('reads certificates: CA profile, CRL enforcement, IKEv2 without a mode', () => {
    const t = tunnel(model.tunnels, 'vpn-dc-b');
    expect(t).toMatchObject({
      ikeVersion: { value: 2, assumed: false },
      authenticationMethod: 'rsa-signatures',
      localCertificate: 'srx-hub1-cert',
      caProfile: 'corp-ca',
      crlEnforced: true,
    });
    expect(t.ikeMode).toBeUndefined();
    expect(model.caProfiles).toEqual([
      {
        name: 'corp-ca',
        revocationCheck: 'crl',
        crlUrl: 'http://crl.corp.example/corp.crl',
        disableOnDownloadFailure: false,
        refreshIntervalHours: 24,
      },
    ]);
  });

  it('marks the role: vpn-branch9 waits for traffic (either end may start)', () => {
    expect(tunnel(model.tunnels, 'vpn-branch9').roleHint).toBe('either');
    expect(tunnel(model.tunnels, 'vpn-branch9').establishTunnels).toBeUndefined();
  });
});

describe('MX model', () => {
  const { model } = parseJunosConfig(fixture('mx-pe.conf'));

  it('has one tunnel per service set and rule term, named after the set (and rule/term when several)', () => {
    expect(model.platform).toBe('mx');
    expect(model.hostName).toBe('mx-pe1');
    expect(model.tunnels.map((t) => [t.vpn, t.gateway, t.remoteAddress])).toEqual([
      ['ss-branches/rule-branches/t-branch7', 'rule-branches/t-branch7', '203.0.113.7'],
      ['ss-branches/rule-branches/t-branch8', 'rule-branches/t-branch8', '203.0.113.8'],
      ['ss-dc', 'rule-dc/t-dc', '198.51.100.20'],
      ['ss-remote', 'rule-remote/t-any', undefined],
    ]);
  });

  it('applies defaults and marks them assumed', () => {
    const t = tunnel(model.tunnels, 'ss-branches/rule-branches/t-branch7');
    expect(t).toMatchObject({
      serviceSet: 'ss-branches',
      rule: 'rule-branches',
      term: 't-branch7',
      localAddress: '192.0.2.1',
      ikeVersion: { value: 1, assumed: false },
      ikeMode: { value: 'main', assumed: false },
      ikeLifetimeSeconds: { value: 28800, assumed: false },
      ipsecProposals: ['esp-aes256-sha256', 'esp-aes128-sha1'],
      ipsecLifetimeSeconds: { value: 3600, assumed: false },
      respondBadSpi: true,
      establishTunnels: 'immediately',
      localId: 'ipv4_addr 192.0.2.1',
      selector: { localIp: '10.50.0.0/16', remoteIp: '10.7.0.0/16' },
    });
    expect(model.ipsecProposals.find((p) => p.name === 'esp-aes128-sha1')?.lifetimeSeconds).toEqual(
      { value: 28800, assumed: true },
    );
  });

  it('reads trusted-ca and the dynamic peer behind an IKE access profile', () => {
    expect(tunnel(model.tunnels, 'ss-dc')).toMatchObject({
      caProfile: 'corp-ca',
      crlEnforced: true,
      ikeVersion: { value: 2, assumed: false },
      remoteId: 'ipv4_addr 198.51.100.20',
    });
    expect(tunnel(model.tunnels, 'ss-remote')).toMatchObject({
      roleHint: 'responder',
      ikePolicy: 'ike-pol-dyn',
      ipsecPolicy: 'ipsec-pol-branch',
    });
    expect(model.ikePolicies?.find((p) => p.name === 'ike-pol-dyn')).toMatchObject({
      anyRemoteId: true,
      preSharedKey: true,
      version: 2,
    });
  });
});

describe('defaults', () => {
  it('IKE 3600 s, IPsec 28800 s, IKEv1 main mode, all marked assumed', () => {
    const { model } = parseJunosConfig(
      [
        'security {',
        '  ike { proposal p { authentication-method pre-shared-keys; dh-group group14; encryption-algorithm aes-128-cbc; authentication-algorithm sha-256; }',
        '        policy pol { proposals p; pre-shared-key ascii-text "$9$x"; }',
        '        gateway g { ike-policy pol; address 192.0.2.2; local-address 192.0.2.1; } }',
        '  ipsec { proposal q { protocol esp; encryption-algorithm aes-128-cbc; authentication-algorithm hmac-sha1-96; }',
        '          policy ip { proposals q; }',
        '          vpn v { ike { gateway g; ipsec-policy ip; } } }',
        '}',
      ].join('\n'),
    );
    expect(model.tunnels[0]).toMatchObject({
      ikeVersion: { value: 1, assumed: true },
      ikeMode: { value: 'main', assumed: true },
      ikeLifetimeSeconds: { value: 3600, assumed: true },
      ipsecLifetimeSeconds: { value: 28800, assumed: true },
      localAddress: '192.0.2.1',
      respondBadSpi: false,
    });
  });

  it('a configuration without IPsec gives an empty but valid model', () => {
    const { model, problems } = parseJunosConfig('system { host-name r1; }');
    expect(problems).toEqual([]);
    expect(model).toEqual({
      hostName: 'r1',
      platform: 'srx',
      tunnels: [],
      ikeProposals: [],
      ipsecProposals: [],
      caProfiles: [],
      applyGroups: [],
      ikePolicies: [],
      ipsecPolicies: [],
    });
  });

  it('CRL: disable on-download-failure and revocation-check disable make the tunnel not enforce CRLs', () => {
    const base = (check: string) =>
      `security { pki { ca-profile ca { ${check} } } ike { proposal p { authentication-method rsa-signatures; } policy pol { proposals p; certificate { local-certificate c; } } gateway g { ike-policy pol; address 192.0.2.2; } } ipsec { vpn v { ike { gateway g; } } } }`;
    const open = parseJunosConfig(
      base('revocation-check { crl { disable on-download-failure; } }'),
    ).model;
    expect(open.tunnels[0]?.crlEnforced).toBe(false);
    expect(open.tunnels[0]?.caProfile).toBe('ca');
    expect(open.caProfiles[0]?.disableOnDownloadFailure).toBe(true);
    const off = parseJunosConfig(base('revocation-check { disable; }')).model;
    expect(off.caProfiles[0]?.revocationCheck).toBe('disabled');
    expect(off.tunnels[0]?.crlEnforced).toBe(false);
    const on = parseJunosConfig(base('ca-identity ca;')).model;
    expect(on.tunnels[0]?.crlEnforced).toBe(true);
  });
});
