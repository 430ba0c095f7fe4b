import { describe, expect, it } from 'vitest';
import { lintJunosConfig } from '../../../src/junos/config/index.js';
import { fixture } from './support.js';

// Each rule: the clean base gives no finding; one change makes exactly that rule fire, on the
// line of the statement to change.

const SRX = `security {
    ike {
        proposal ike-p {
            authentication-method pre-shared-keys;
            dh-group group14;
            authentication-algorithm sha-256;
            encryption-algorithm aes-256-cbc;
            lifetime-seconds 28800;
        }
        policy ike-pol {
            mode main;
            proposals ike-p;
            pre-shared-key ascii-text "$9$x";
        }
        gateway gw {
            ike-policy ike-pol;
            address 192.0.2.2;
            local-address 192.0.2.1;
            version v1-only;
        }
    }
    ipsec {
        proposal esp-p {
            protocol esp;
            authentication-algorithm hmac-sha-256-128;
            encryption-algorithm aes-256-cbc;
            lifetime-seconds 3600;
        }
        policy esp-pol {
            perfect-forward-secrecy {
                keys group14;
            }
            proposals esp-p;
        }
        vpn v {
            bind-interface st0.1;
            ike {
                gateway gw;
                ipsec-policy esp-pol;
            }
        }
    }
}
`;

const MX = `services {
    ipsec-vpn {
        rule r {
            term t {
                then {
                    remote-gateway 192.0.2.2;
                    dynamic {
                        ike-policy ike-pol;
                        ipsec-policy esp-pol;
                    }
                }
            }
            match-direction input;
        }
        ike {
            proposal ike-p {
                authentication-method pre-shared-keys;
                dh-group group14;
                authentication-algorithm sha-256;
                encryption-algorithm aes-256-cbc;
                lifetime-seconds 28800;
            }
            policy ike-pol {
                version 2;
                proposals ike-p;
                pre-shared-key ascii-text "$9$x";
            }
        }
        ipsec {
            proposal esp-p {
                protocol esp;
                authentication-algorithm hmac-sha-256-128;
                encryption-algorithm aes-256-cbc;
                lifetime-seconds 3600;
            }
            policy esp-pol {
                perfect-forward-secrecy {
                    keys group14;
                }
                proposals esp-p;
            }
        }
    }
    service-set ss {
        ipsec-vpn-options {
            local-gateway 192.0.2.1;
        }
        ipsec-vpn-rules r;
    }
}
`;

function edit(text: string, from: string, to: string): string {
  expect(text).toContain(from);
  return text.replace(from, to);
}

function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  expect(at).toBeGreaterThanOrEqual(0);
  return text.slice(0, at).split('\n').length;
}

function findings(text: string): [number, string, string][] {
  return lintJunosConfig(text, { file: 't.conf' }).findings.map((f) => [
    f.line,
    f.severity,
    f.rule,
  ]);
}

function messages(text: string, rule: string): string[] {
  return lintJunosConfig(text)
    .findings.filter((f) => f.rule === rule)
    .map((f) => f.message);
}

describe('clean configurations', () => {
  it('the SRX and MX bases give no finding', () => {
    expect(findings(SRX)).toEqual([]);
    expect(findings(MX)).toEqual([]);
  });

  it.each(['srx-hub.conf', 'srx-hub.set', 'mx-pe.conf', 'mx-pe.set', 'pair/srx-branch7.conf'])(
    'the fixture %s gives no error or warning',
    (name) => {
      expect(lintJunosConfig(fixture(name)).findings.filter((f) => f.severity !== 'info')).toEqual(
        [],
      );
    },
  );
});

describe('lifetime-out-of-range', () => {
  it('fires below 180 and above 86400, as an error on the lifetime line', () => {
    const low = edit(SRX, 'lifetime-seconds 28800', 'lifetime-seconds 90');
    expect(findings(low)).toEqual([[8, 'error', 'lifetime-out-of-range']]);
    const high = edit(SRX, 'lifetime-seconds 3600', 'lifetime-seconds 100000');
    expect(findings(high)).toEqual([
      [lineOf(high, 'lifetime-seconds 100000'), 'error', 'lifetime-out-of-range'],
    ]);
    expect(messages(high, 'lifetime-out-of-range')[0]).toMatch(
      /esp-p: lifetime-seconds 100000 is outside 180–86400/,
    );
  });

  it('does not fire on the bounds', () => {
    const bounds = edit(
      edit(SRX, 'lifetime-seconds 28800', 'lifetime-seconds 86400'),
      'lifetime-seconds 3600',
      'lifetime-seconds 180',
    );
    expect(findings(bounds)).toEqual([]);
  });
});

describe('weak algorithms', () => {
  it('weak-encryption: 3des-cbc in IKE, des-cbc in IPsec', () => {
    const text = edit(
      edit(
        SRX,
        'encryption-algorithm aes-256-cbc;\n            lifetime-seconds 28800',
        'encryption-algorithm 3des-cbc;\n            lifetime-seconds 28800',
      ),
      'encryption-algorithm aes-256-cbc;\n            lifetime-seconds 3600',
      'encryption-algorithm des-cbc;\n            lifetime-seconds 3600',
    );
    expect(findings(text)).toEqual([
      [7, 'warning', 'weak-encryption'],
      [lineOf(text, 'des-cbc;\n            lifetime-seconds 3600'), 'warning', 'weak-encryption'],
    ]);
  });

  it('weak-encryption: the default 3des-cbc when nothing is set', () => {
    const text = edit(
      SRX,
      '            authentication-algorithm sha-256;\n            encryption-algorithm aes-256-cbc;\n',
      '',
    );
    expect(findings(text)).toEqual([[3, 'warning', 'weak-encryption']]);
    expect(messages(text, 'weak-encryption')[0]).toMatch(/default 3des-cbc/);
  });

  it('weak-authentication: md5 and hmac-md5-96', () => {
    const text = edit(edit(SRX, 'sha-256;', 'md5;'), 'hmac-sha-256-128', 'hmac-md5-96');
    expect(findings(text)).toEqual([
      [6, 'warning', 'weak-authentication'],
      [lineOf(text, 'hmac-md5-96'), 'warning', 'weak-authentication'],
    ]);
  });

  it('weak-dh-group: group2 in the proposal and group5 for PFS', () => {
    const text = edit(
      edit(SRX, 'dh-group group14', 'dh-group group2'),
      'keys group14',
      'keys group5',
    );
    expect(findings(text)).toEqual([
      [5, 'warning', 'weak-dh-group'],
      [lineOf(text, 'keys group5'), 'warning', 'weak-dh-group'],
    ]);
  });

  it('aggressive-mode with IKEv1 only', () => {
    const text = edit(SRX, 'mode main', 'mode aggressive');
    expect(findings(text)).toEqual([[11, 'warning', 'aggressive-mode']]);
    expect(findings(edit(text, 'version v1-only', 'version v2-only')).map((f) => f[2])).toEqual([
      'mode-with-ikev2',
    ]);
  });
});

describe('IKEv2 rules', () => {
  const v2 = edit(SRX, 'version v1-only', 'version v2-only');

  it('mode-with-ikev2 fires on an SRX policy used by a v2-only gateway and on an MX version 2 policy', () => {
    expect(findings(v2)).toEqual([[11, 'warning', 'mode-with-ikev2']]);
    const mx = edit(MX, 'version 2;', 'version 2;\n                mode main;');
    expect(findings(mx)).toEqual([[lineOf(mx, 'mode main'), 'warning', 'mode-with-ikev2']]);
  });

  it('does not fire without mode, or with IKEv1', () => {
    expect(findings(edit(v2, '            mode main;\n', ''))).toEqual([]);
    expect(findings(SRX)).toEqual([]);
  });

  const second = (body: string) =>
    `        proposal ike-p2 {\n${body}        }\n        policy ike-pol {`;
  const same =
    '            authentication-method pre-shared-keys;\n            dh-group group14;\n            authentication-algorithm sha-256;\n            encryption-algorithm aes-256-cbc;\n            lifetime-seconds 28800;\n';

  it('ikev2-proposals-differ: authentication method or lifetime', () => {
    const method = edit(
      edit(
        edit(v2, '            mode main;\n', ''),
        '        policy ike-pol {',
        second(same.replace('pre-shared-keys', 'rsa-signatures')),
      ),
      'proposals ike-p;',
      'proposals [ ike-p ike-p2 ];',
    );
    expect(findings(method).map((f) => f[2])).toContain('ikev2-proposals-differ');
    expect(messages(method, 'ikev2-proposals-differ')[0]).toMatch(
      /authentication methods \(pre-shared-keys, rsa-signatures\)/,
    );
    const lifetime = edit(
      edit(
        edit(v2, '            mode main;\n', ''),
        '        policy ike-pol {',
        second(same.replace('28800', '3600')),
      ),
      'proposals ike-p;',
      'proposals [ ike-p ike-p2 ];',
    );
    expect(findings(lifetime)).toEqual([
      [lineOf(lifetime, 'proposals [ ike-p ike-p2 ]'), 'error', 'ikev2-proposals-differ'],
    ]);
  });

  it('ikev2-proposals-differ does not fire when they agree, nor with IKEv1 (which negotiates both)', () => {
    const agree = edit(
      edit(edit(v2, '            mode main;\n', ''), '        policy ike-pol {', second(same)),
      'proposals ike-p;',
      'proposals [ ike-p ike-p2 ];',
    );
    expect(findings(agree)).toEqual([]);
    const v1 = edit(
      edit(SRX, '        policy ike-pol {', second(same.replace('28800', '3600'))),
      'proposals ike-p;',
      'proposals [ ike-p ike-p2 ];',
    );
    expect(findings(v1)).toEqual([]);
  });
});

describe('any-remote-id-static-peer', () => {
  const anyId = edit(
    MX,
    'proposals ike-p;\n',
    'proposals ike-p;\n                remote-id {\n                    any-remote-id;\n                }\n',
  );

  it('fires when a policy accepting any remote id serves a static peer', () => {
    expect(findings(anyId)).toEqual([
      [lineOf(anyId, 'any-remote-id'), 'warning', 'any-remote-id-static-peer'],
    ]);
  });

  it('does not fire for a dynamic peer (no remote-gateway)', () => {
    expect(findings(edit(anyId, '                    remote-gateway 192.0.2.2;\n', ''))).toEqual(
      [],
    );
  });
});

describe('NULL encryption', () => {
  it('null-encryption: authentication without encryption, protocol esp (IPsec) and in IKE', () => {
    const ipsec = edit(
      SRX,
      '            encryption-algorithm aes-256-cbc;\n            lifetime-seconds 3600;',
      '            lifetime-seconds 3600;',
    );
    expect(findings(ipsec)).toEqual([
      [lineOf(ipsec, 'hmac-sha-256-128'), 'warning', 'null-encryption'],
    ]);
    const ike = edit(
      SRX,
      '            encryption-algorithm aes-256-cbc;\n            lifetime-seconds 28800;',
      '            lifetime-seconds 28800;',
    );
    expect(findings(ike)).toEqual([[6, 'warning', 'null-encryption']]);
  });

  it('null-encryption-without-esp: no protocol, or bundle', () => {
    const none = edit(
      SRX,
      '            protocol esp;\n            authentication-algorithm hmac-sha-256-128;\n            encryption-algorithm aes-256-cbc;\n',
      '            authentication-algorithm hmac-sha-256-128;\n',
    );
    expect(findings(none)).toEqual([
      [lineOf(none, 'hmac-sha-256-128'), 'error', 'null-encryption-without-esp'],
    ]);
    const bundle = edit(
      none,
      '            authentication-algorithm hmac-sha-256-128;\n',
      '            protocol bundle;\n            authentication-algorithm hmac-sha-256-128;\n',
    );
    expect(findings(bundle)).toEqual([
      [lineOf(bundle, 'protocol bundle'), 'error', 'null-encryption-without-esp'],
    ]);
  });

  it('does not fire for AH (which never encrypts) or when encryption is set', () => {
    const ah = edit(
      SRX,
      '            protocol esp;\n            authentication-algorithm hmac-sha-256-128;\n            encryption-algorithm aes-256-cbc;\n',
      '            protocol ah;\n            authentication-algorithm hmac-sha-256-128;\n',
    );
    expect(findings(ah)).toEqual([]);
  });
});

describe('weaker-proposal-first', () => {
  const weak =
    '        proposal esp-weak {\n            protocol esp;\n            authentication-algorithm hmac-sha1-96;\n            encryption-algorithm aes-128-cbc;\n        }\n        policy esp-pol {';
  const withWeak = edit(SRX, '        policy esp-pol {', weak);

  it('fires when a weaker proposal comes before a stronger one', () => {
    const text = edit(withWeak, 'proposals esp-p;', 'proposals [ esp-weak esp-p ];');
    expect(findings(text)).toEqual([
      [lineOf(text, 'proposals [ esp-weak esp-p ]'), 'warning', 'weaker-proposal-first'],
    ]);
    expect(messages(text, 'weaker-proposal-first')[0]).toMatch(
      /lists proposal esp-weak \(aes-128-cbc, hmac-sha1-96\) before esp-p/,
    );
  });

  it('does not fire in the strong-first order, nor when neither is stronger in every respect', () => {
    expect(findings(edit(withWeak, 'proposals esp-p;', 'proposals [ esp-p esp-weak ];'))).toEqual(
      [],
    );
    const mixed = edit(
      edit(withWeak, 'hmac-sha1-96', 'hmac-sha-512-256'),
      'proposals esp-p;',
      'proposals [ esp-weak esp-p ];',
    );
    expect(findings(mixed)).toEqual([]);
  });

  it('fires for IKE proposals too', () => {
    const ikeWeak =
      '        proposal ike-weak {\n            authentication-method pre-shared-keys;\n            dh-group group14;\n            authentication-algorithm sha1;\n            encryption-algorithm aes-128-cbc;\n        }\n        policy ike-pol {';
    const text = edit(
      edit(SRX, '        policy ike-pol {', ikeWeak),
      'proposals ike-p;',
      'proposals [ ike-weak ike-p ];',
    );
    expect(findings(text)).toEqual([
      [lineOf(text, 'proposals [ ike-weak ike-p ]'), 'warning', 'weaker-proposal-first'],
    ]);
  });
});

describe('references', () => {
  it('undefined-proposal (and the orphan becomes unused-proposal)', () => {
    const text = edit(SRX, 'proposals esp-p;', 'proposals esp-typo;');
    expect(findings(text)).toEqual([
      [lineOf(text, 'proposal esp-p {'), 'warning', 'unused-proposal'],
      [lineOf(text, 'esp-typo'), 'error', 'undefined-proposal'],
    ]);
  });

  it('a deactivated proposal is undefined for Junos, hence for samon', () => {
    const text = edit(SRX, '        proposal esp-p {', '        inactive: proposal esp-p {');
    expect(findings(text)).toEqual([
      [lineOf(text, 'proposals esp-p'), 'error', 'undefined-proposal'],
    ]);
  });

  it('undefined-policy and undefined-gateway (SRX)', () => {
    expect(findings(edit(SRX, 'ike-policy ike-pol;', 'ike-policy nope;'))).toEqual([
      [10, 'warning', 'unused-policy'],
      [16, 'error', 'undefined-policy'],
    ]);
    expect(findings(edit(SRX, 'gateway gw;', 'gateway nope;'))).toEqual([
      [15, 'warning', 'unused-gateway'],
      [lineOf(SRX, 'gateway gw;'), 'error', 'undefined-gateway'],
    ]);
  });

  it('undefined-rule, undefined-ca-profile, undefined-access-profile and undefined-policy (MX)', () => {
    const text = edit(
      edit(MX, 'ipsec-vpn-rules r;', 'ipsec-vpn-rules [ r r2 ];'),
      'local-gateway 192.0.2.1;',
      'local-gateway 192.0.2.1;\n            trusted-ca ca-x;\n            ike-access-profile ap;',
    );
    expect(findings(text).map((f) => f.slice(1))).toEqual([
      ['error', 'undefined-ca-profile'],
      ['error', 'undefined-access-profile'],
      ['error', 'undefined-rule'],
    ]);
    expect(findings(edit(MX, 'ipsec-policy esp-pol;', 'ipsec-policy x;')).map((f) => f[2])).toEqual(
      ['undefined-policy', 'unused-policy'],
    );
  });

  it('undefined-ca-profile (SRX trusted-ca)', () => {
    const text = edit(
      SRX,
      'pre-shared-key ascii-text "$9$x";',
      'pre-shared-key ascii-text "$9$x";\n            certificate {\n                trusted-ca ca-profile nope;\n            }',
    );
    expect(findings(text)).toEqual([
      [lineOf(text, 'ca-profile nope'), 'error', 'undefined-ca-profile'],
    ]);
  });
});

describe('unused definitions', () => {
  it('unused-proposal, unused-policy, unused-gateway', () => {
    const text = SRX.replace(
      '    ipsec {',
      '    ipsec {\n        proposal spare { protocol esp; encryption-algorithm aes-256-gcm; }\n        policy spare-pol { proposals esp-p; }',
    ).replace(
      '        gateway gw {',
      '        gateway gw-spare {\n            ike-policy ike-pol;\n            address 192.0.2.9;\n        }\n        gateway gw {',
    );
    expect(findings(text)).toEqual([
      [lineOf(text, 'gateway gw-spare'), 'warning', 'unused-gateway'],
      [lineOf(text, 'proposal spare'), 'warning', 'unused-proposal'],
      [lineOf(text, 'policy spare-pol'), 'warning', 'unused-policy'],
    ]);
  });

  it('an MX policy used only by an access profile is used', () => {
    const text = `${edit(MX, '            policy esp-pol {', '            policy esp-dyn {\n                proposals esp-p;\n            }\n            policy esp-pol {')}access {\n    profile ap {\n        client * {\n            ike {\n                ipsec-policy esp-dyn;\n            }\n        }\n    }\n}\n`;
    expect(findings(text)).toEqual([]);
  });
});

describe('certificates and CRLs', () => {
  const pki = (check: string) =>
    `security {\n    pki {\n        ca-profile ca {\n            ca-identity ca;\n${check}        }\n    }\n}\n`;
  const rsa = edit(
    edit(SRX, 'authentication-method pre-shared-keys', 'authentication-method rsa-signatures'),
    'pre-shared-key ascii-text "$9$x";',
    'certificate {\n                local-certificate c1;\n            }',
  );

  it('crl-fails-open on disable on-download-failure', () => {
    const text = pki(
      '            revocation-check {\n                crl {\n                    disable on-download-failure;\n                }\n            }\n',
    );
    expect(findings(text)).toEqual([
      [0, 'info', 'no-ipsec-configuration'],
      [lineOf(text, 'on-download-failure'), 'warning', 'crl-fails-open'],
    ]);
  });

  it('crl-disabled on revocation-check disable, nothing for a plain CRL url', () => {
    const text = pki('            revocation-check {\n                disable;\n            }\n');
    expect(findings(text)).toContainEqual([lineOf(text, 'disable;'), 'warning', 'crl-disabled']);
    const ok = pki(
      '            revocation-check {\n                crl {\n                    url http://crl.example/ca.crl;\n                }\n            }\n',
    );
    expect(findings(ok)).toEqual([[0, 'info', 'no-ipsec-configuration']]);
  });

  it('certificate-without-ca-profile when no CA profile exists', () => {
    expect(findings(rsa)).toEqual([[10, 'error', 'certificate-without-ca-profile']]);
    expect(findings(rsa + pki(''))).toEqual([]);
  });

  it('certificate-without-local-certificate', () => {
    const text =
      edit(rsa, 'certificate {\n                local-certificate c1;\n            }', '') +
      pki('');
    expect(findings(text)).toEqual([[10, 'warning', 'certificate-without-local-certificate']]);
  });
});

describe('what cannot be checked', () => {
  it('no-ipsec-configuration', () => {
    expect(findings('system {\n    host-name r1;\n}\n')).toEqual([
      [0, 'info', 'no-ipsec-configuration'],
    ]);
  });

  it('proposal-set-not-checked', () => {
    const text = edit(SRX, 'proposals ike-p;', 'proposal-set standard;');
    expect(findings(text)).toEqual([
      [3, 'warning', 'unused-proposal'],
      [lineOf(text, 'proposal-set standard'), 'info', 'proposal-set-not-checked'],
    ]);
  });

  it('apply-groups-unexpanded', () => {
    expect(findings(`apply-groups [ g ];\n${SRX}`)).toEqual([
      [1, 'info', 'apply-groups-unexpanded'],
    ]);
  });
});

describe('messages', () => {
  it('say what is wrong, why it matters and what to change', () => {
    const [message] = messages(edit(SRX, 'dh-group group14', 'dh-group group1'), 'weak-dh-group');
    expect(message).toMatch(/security ike proposal ike-p uses dh-group group1/);
    expect(message).toMatch(/too small/);
    expect(message).toMatch(/Use group14, group19 or group20/);
  });
});
