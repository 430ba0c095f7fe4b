import { describe, expect, it } from 'vitest';
import {
  analyzeJunosConfig,
  pairJunosConfigs,
  type Finding,
  type TunnelSelection,
} from '../../../src/junos/config/index.js';
import { fixture } from './support.js';

const HUB = fixture('srx-hub.conf');
const BRANCH = fixture('pair/srx-branch7.conf');

function pair(a: string, b: string, selections: TunnelSelection[] = []): Finding[] {
  return pairJunosConfigs(
    analyzeJunosConfig(a, { file: 'a.conf' }),
    analyzeJunosConfig(b, { file: 'b.conf' }),
    selections,
  );
}

function rules(findings: Finding[]): string[] {
  return findings
    .filter((f) => f.severity !== 'info')
    .map((f) => `${f.file} ${f.severity} ${f.rule}`);
}

function outcomes(findings: Finding[]): string[] {
  return findings.filter((f) => f.rule === 'pair-outcome').map((f) => f.message);
}

function edit(text: string, from: string, to: string): string {
  expect(text).toContain(from);
  return text.split(from).join(to);
}

describe('matching ends', () => {
  it('pairs vpn-branch7 with the branch by their addresses and predicts the IKEv1 outcome both ways', () => {
    const findings = pair(HUB, BRANCH);
    expect(rules(findings)).toEqual([]);
    const [fromHub, fromBranch] = [
      outcomes(findings).find((m) => m.startsWith('when srx-hub1')),
      outcomes(findings).find((m) => m.startsWith('when srx-branch7')),
    ];
    expect(fromHub).toContain('when srx-hub1 vpn-branch7 initiates to srx-branch7 vpn-hub');
    expect(fromHub).toContain('IKEv1 main mode, IKE proposal ike-psk-aes256-sha256-g14');
    // IKEv1: the shorter lifetime wins (28800 vs 86400 for IKE, 3600 vs 1800 for IPsec).
    expect(fromHub).toContain('IKE SA lifetime 28800 s (IKEv1: the shorter of the two)');
    expect(fromHub).toContain(
      'IPsec SA hard lifetime 1800 s (soft: 1665 s on the initiator, 1710 s on the responder)',
    );
    expect(fromHub).toMatch(/the tunnel comes up\.$/);
    expect(fromBranch).toContain('IPsec SA hard lifetime 1800 s');
    expect(findings.find((f) => f.message === fromHub)).toMatchObject({
      file: 'a.conf',
      line: 166,
      severity: 'info',
    });
  });

  it('IKEv2: each end keeps its own lifetime; two tunnels to one peer and traffic selectors pair up', () => {
    const findings = pairJunosConfigs(
      analyzeJunosConfig(fixture('srx-hub.set'), { file: 'hub.set' }),
      analyzeJunosConfig(fixture('pair/srx-dc.set'), { file: 'dc.set' }),
    );
    expect(rules(findings)).toEqual([]);
    const hub = outcomes(findings).filter((m) => m.startsWith('when srx-hub1'));
    expect(hub.map((m) => m.split(':')[0])).toEqual([
      'when srx-hub1 vpn-dc-a/ts-apps initiates to srx-dc1 vpn-hub-a/ts-apps',
      'when srx-hub1 vpn-dc-a/ts-db initiates to srx-dc1 vpn-hub-a/ts-db',
      'when srx-hub1 vpn-dc-b initiates to srx-dc1 vpn-hub-b',
    ]);
    expect(hub[0]).toContain(
      'IKE SA lifetime 28800 s on srx-hub1 vpn-dc-a/ts-apps, 14400 s on srx-dc1 vpn-hub-a/ts-apps (IKEv2: each its own)',
    );
    expect(hub[0]).toContain('IPsec proposal esp-aes256-gcm (esp, aes-256-gcm)');
  });

  it('the chosen proposal is the first of the initiator that the responder has', () => {
    const two = (order: string) =>
      edit(
        edit(
          BRANCH,
          '        policy ike-pol-hub {',
          '        proposal ike-second {\n            authentication-method pre-shared-keys;\n            dh-group group19;\n            authentication-algorithm sha-256;\n            encryption-algorithm aes-256-cbc;\n        }\n        policy ike-pol-hub {',
        ),
        'proposals ike-psk-aes256-sha256-g14;\n            pre-shared-key ascii-text "$9$CANARYbranch7"',
        `proposals ${order};\n            pre-shared-key ascii-text "$9$CANARYbranch7"`,
      );
    const a = two('[ ike-second ike-psk-aes256-sha256-g14 ]');
    const b = two('[ ike-psk-aes256-sha256-g14 ike-second ]');
    const findings = pair(a, b, [{ a: 'vpn-hub', b: 'vpn-hub' }]);
    const [fromA, fromB] = outcomes(findings);
    expect(fromA).toContain('IKE proposal ike-second (');
    expect(fromB).toContain('IKE proposal ike-psk-aes256-sha256-g14 (');
  });
});

describe('mismatching ends', () => {
  it('no common IKE proposal → pair-no-proposal-chosen, whichever end initiates', () => {
    const findings = pair(HUB, edit(BRANCH, 'dh-group group14', 'dh-group group19'));
    expect(rules(findings)).toEqual([
      'a.conf error pair-no-proposal-chosen',
      'b.conf error pair-no-proposal-chosen',
    ]);
    expect(findings.find((f) => f.rule === 'pair-no-proposal-chosen')?.message).toMatch(
      /no-proposal-chosen/,
    );
    expect(outcomes(findings)[0]).toMatch(/the tunnel is not established\.$/);
  });

  it('same IKE, different IPsec proposals → pair-ipsec-proposal-mismatch', () => {
    const findings = pair(
      HUB,
      edit(
        BRANCH,
        'encryption-algorithm aes-256-cbc;\n            lifetime-seconds 1800',
        'encryption-algorithm aes-128-cbc;\n            lifetime-seconds 1800',
      ),
    );
    expect(rules(findings)).toEqual([
      'a.conf error pair-ipsec-proposal-mismatch',
      'b.conf error pair-ipsec-proposal-mismatch',
    ]);
    expect(findings[0]?.message ?? '').toMatch(
      /the IKE proposals match but the IPsec proposals differ/,
    );
  });

  it('a different number of IPsec proposals → pair-ipsec-proposal-mismatch, even with one in common', () => {
    const more = edit(
      edit(
        BRANCH,
        '        policy ipsec-pol-hub {',
        '        proposal esp-extra {\n            protocol esp;\n            authentication-algorithm hmac-sha-256-128;\n            encryption-algorithm aes-128-cbc;\n        }\n        policy ipsec-pol-hub {',
      ),
      'proposals esp-aes256-sha256;',
      'proposals [ esp-aes256-sha256 esp-extra ];',
    );
    const findings = pair(HUB, more);
    expect(rules(findings)).toContain('a.conf error pair-ipsec-proposal-mismatch');
    expect(findings.find((f) => f.rule === 'pair-ipsec-proposal-mismatch')?.message).toMatch(
      /has 1 IPsec proposal\(s\).*has 2/,
    );
  });

  it('PFS group mismatch (and PFS on one end only)', () => {
    expect(rules(pair(HUB, edit(BRANCH, 'keys group14', 'keys group19')))).toEqual([
      'a.conf error pair-pfs-mismatch',
      'b.conf error pair-pfs-mismatch',
    ]);
    const none = pair(
      HUB,
      edit(
        BRANCH,
        '            perfect-forward-secrecy {\n                keys group14;\n            }\n',
        '',
      ),
    );
    expect(none.find((f) => f.rule === 'pair-pfs-mismatch')?.message).toMatch(
      /uses perfect-forward-secrecy group14 but srx-branch7 vpn-hub none/,
    );
  });

  it('IKE version mismatch', () => {
    const findings = pair(HUB, edit(BRANCH, 'version v1-only', 'version v2-only'));
    expect(rules(findings)).toEqual([
      'a.conf error pair-ike-version-mismatch',
      'b.conf error pair-ike-version-mismatch',
    ]);
  });

  it('an MX end without a version accepts both, so only its own (IKEv1) initiation fails', () => {
    const mx = `services {\n ipsec-vpn {\n  rule r { term t { then { remote-gateway 203.0.113.7; dynamic { ike-policy ip; ipsec-policy sp; } } } match-direction input; }\n  ike { proposal ike-psk-aes256-sha256-g14 { authentication-method pre-shared-keys; dh-group group14; authentication-algorithm sha-256; encryption-algorithm aes-256-cbc; lifetime-seconds 28800; }\n        policy ip { proposals ike-psk-aes256-sha256-g14; pre-shared-key ascii-text "$9$x"; } }\n  ipsec { proposal esp-aes256-sha256 { protocol esp; authentication-algorithm hmac-sha-256-128; encryption-algorithm aes-256-cbc; lifetime-seconds 3600; }\n          policy sp { perfect-forward-secrecy { keys group14; } proposals esp-aes256-sha256; } }\n }\n service-set ss { ipsec-vpn-options { local-gateway 198.51.100.1; } ipsec-vpn-rules r; }\n}\nsystem { host-name mx1; }\n`;
    const findings = pair(
      mx,
      edit(edit(BRANCH, 'version v1-only', 'version v2-only'), '            mode main;\n', ''),
    );
    expect(rules(findings)).toEqual(['a.conf error pair-ike-version-mismatch']);
    expect(findings.find((f) => f.rule === 'pair-ike-version-mismatch')?.message).toMatch(
      /when mx1 ss initiates: mx1 ss starts IKEv1 \(no version configured/,
    );
    expect(outcomes(findings).find((m) => m.startsWith('when srx-branch7'))).toMatch(
      /IKEv2, .*each its own.*the tunnel comes up/,
    );
  });

  it('IKEv1 authentication method mismatch', () => {
    const findings = pair(
      HUB,
      edit(BRANCH, 'authentication-method pre-shared-keys', 'authentication-method rsa-signatures'),
    );
    expect(rules(findings)).toEqual([
      'a.conf error pair-authentication-method-mismatch',
      'b.conf error pair-authentication-method-mismatch',
    ]);
  });

  it('IKEv2 authentication method mismatch (IKEv2 does not negotiate it)', () => {
    const dc = edit(
      fixture('pair/srx-dc.set'),
      'authentication-method rsa-signatures',
      'authentication-method pre-shared-keys',
    );
    const findings = pairJunosConfigs(
      analyzeJunosConfig(fixture('srx-hub.conf'), { file: 'hub' }),
      analyzeJunosConfig(dc, { file: 'dc' }),
    );
    expect(new Set(rules(findings))).toEqual(
      new Set([
        'hub error pair-authentication-method-mismatch',
        'dc error pair-authentication-method-mismatch',
      ]),
    );
  });

  it('IKEv1 mode mismatch', () => {
    expect(rules(pair(HUB, edit(BRANCH, 'mode main', 'mode aggressive')))).toEqual([
      'a.conf error pair-ike-mode-mismatch',
      'b.conf error pair-ike-mode-mismatch',
    ]);
  });

  it('identities and traffic selectors that do not mirror each other are warnings', () => {
    expect(
      rules(
        pair(
          HUB,
          edit(BRANCH, 'remote-identity inet 198.51.100.1', 'remote-identity inet 198.51.100.99'),
        ),
      ),
    ).toEqual(['b.conf warning pair-identity-mismatch']);
    const dc = edit(
      fixture('pair/srx-dc.set'),
      'ts-mgmt local-ip 10.202.0.0/24',
      'ts-mgmt local-ip 10.203.0.0/24',
    );
    const findings = pairJunosConfigs(
      analyzeJunosConfig(fixture('srx-hub.conf'), { file: 'hub' }),
      analyzeJunosConfig(dc, { file: 'dc' }),
    );
    expect(rules(findings)).toEqual([
      'dc warning pair-traffic-selector-mismatch',
      'hub warning pair-traffic-selector-mismatch',
    ]);
  });

  it('neither end can initiate', () => {
    const responderOnly = edit(
      BRANCH,
      'establish-tunnels immediately',
      'establish-tunnels responder-only',
    );
    const hub = edit(
      HUB,
      '            establish-tunnels immediately;\n        }\n        vpn vpn-branch9',
      '            establish-tunnels responder-only;\n        }\n        vpn vpn-branch9',
    );
    expect(rules(pair(hub, responderOnly))).toEqual(['a.conf error pair-no-initiator']);
  });
});

describe('choosing the tunnels', () => {
  it('reports when no tunnels point at each other', () => {
    const findings = pair(HUB, fixture('mx-pe.conf'));
    expect(findings).toEqual([
      expect.objectContaining({
        file: 'a.conf',
        line: 0,
        severity: 'error',
        rule: 'pair-no-matching-tunnels',
      }),
    ]);
  });

  it('--tunnel pairs named tunnels, and reports names that do not exist', () => {
    const named = pair(HUB, BRANCH, [{ a: 'vpn-branch9', b: 'vpn-hub' }]);
    expect(outcomes(named)).toEqual([
      expect.stringMatching(/^when srx-hub1 vpn-branch9 initiates to srx-branch7 vpn-hub/),
      expect.stringMatching(/^when srx-branch7 vpn-hub initiates to srx-hub1 vpn-branch9/),
    ]);
    const unknown = pair(HUB, BRANCH, [{ a: 'vpn-nope', b: 'vpn-hub' }]);
    expect(unknown).toEqual([
      expect.objectContaining({ rule: 'pair-unknown-tunnel', file: 'a.conf', severity: 'error' }),
    ]);
    expect(unknown[0]?.message).toContain('known: vpn-branch7, vpn-branch9, vpn-dc-a/ts-apps');
  });

  it('proposal sets are not predicted', () => {
    const findings = pair(
      HUB,
      edit(BRANCH, 'proposals ike-psk-aes256-sha256-g14;', 'proposal-set standard;'),
    );
    expect(rules(findings)).toEqual([]);
    expect(outcomes(findings)[0]).toMatch(
      /not predicted further: the IKE proposals are not all named/,
    );
  });
});
