import { describe, expect, it } from 'vitest';
import { REASONS, type Reason } from '../../../src/domain/reason.js';
import {
  at,
  certFailed,
  config,
  configModel,
  dpdDead,
  ikeFailed,
  ikeUp,
  ipsecFailed,
  phaseFailure,
  saPair,
  tsMismatch,
} from '../support/observations.js';
import { fold, given, types } from '../support/spec.js';

// Failures: NegotiationFailed on the right tunnel, CertificateCheckFailed with `enforced`
// from the configuration (junos-ipsec.md, "Certificates and CRLs").

const REASON_TEXT: Partial<Record<Reason, string>> = {
  'timed-out': 'Timed out',
  'authentication-failed': 'Authentication failed',
  'traffic-selector-mismatch': 'Peer proposed traffic-selectors are not in configured range',
};

describe('NegotiationFailed', () => {
  const failureReasons = REASONS.filter((r) => r !== 'lifetime-expired');

  it.each(failureReasons)(
    'an IKE failure for reason %s is attached to the VPN it names',
    (reason) => {
      const reasonText = REASON_TEXT[reason] ?? `text for ${reason}`;
      const line = ikeFailed({ t: 10, reason, reasonText, version: 1, role: 'responder' });
      given([ikeUp({ t: 0 })])
        .when(line)
        .then([
          {
            type: 'NegotiationFailed',
            at: at(10),
            tunnel: 'srx1/vpn-a',
            inferred: false,
            evidence: [line.raw],
            data: { phase: 'ike', reason, reasonText, ikeVersion: 1, role: 'responder' },
          },
          { type: 'TunnelDown', inferred: true, data: { reason, reasonText } },
        ]);
    },
  );

  it('an IPsec failure takes the role of the tunnel’s latest IKE negotiation', () => {
    given([ikeUp({ t: 0, role: 'initiator' })])
      .when(
        ipsecFailed({
          t: 1,
          reason: 'traffic-selector-mismatch',
          reasonText: REASON_TEXT['traffic-selector-mismatch']!,
        }),
      )
      .then([
        {
          type: 'NegotiationFailed',
          data: {
            phase: 'ipsec',
            reason: 'traffic-selector-mismatch',
            role: 'initiator',
            ikeVersion: 2,
          },
        },
        { type: 'TunnelDown', data: { reason: 'traffic-selector-mismatch' } },
      ]);
  });

  it('a failure while SAs are live (a failed rekey) does not bring the tunnel down', () => {
    // (a router heard from an hour later without clock ticks in between: silent, then resumed)
    given([ikeUp({ t: 0 }), ...saPair({ t: 0, in: '0x11111111', out: '0x22222222' })], {
      settings: { silenceGapSeconds: 86_400 },
    })
      .when(ikeFailed({ t: 3500, reason: 'timed-out', reasonText: 'Timed out' }))
      .then([{ type: 'NegotiationFailed' }])
      .thenRow('srx1/vpn-a', { status: 'up' });
  });

  it('a failure for a VPN never seen before discovers it, and it is down', () => {
    given([])
      .when(
        ikeFailed({
          t: 0,
          vpn: 'vpn-new',
          reason: 'no-proposal-chosen',
          reasonText: 'No proposal chosen',
        }),
      )
      .then([
        { type: 'TunnelDiscovered', tunnel: 'srx1/vpn-new' },
        {
          type: 'NegotiationFailed',
          tunnel: 'srx1/vpn-new',
          data: { reason: 'no-proposal-chosen' },
        },
        { type: 'TunnelDown', tunnel: 'srx1/vpn-new' },
      ])
      .thenRow('srx1/vpn-new', { status: 'down', downReason: 'no-proposal-chosen' });
  });

  it('a failure of a configured tunnel that never came up turns expected-but-absent into down', () => {
    given([config({ t: 0, model: configModel([{ vpn: 'vpn-a' }]) })])
      .when(
        ikeFailed({ t: 5, reason: 'authentication-failed', reasonText: 'Authentication failed' }),
      )
      .thenRow('srx1/vpn-a', { status: 'down' });
  });

  it('legacy KMD_VPN_PV_PHASE1/2 lines are attached by their gateway addresses, either way round', () => {
    const history = [ikeUp({ t: 0 }), ikeUp({ t: 0, vpn: 'vpn-b', remote: '198.51.100.7' })];
    given(history)
      .when(
        phaseFailure(1, {
          t: 5,
          reason: 'authentication-failed',
          reasonText: 'Authentication failed',
          src: '198.51.100.7',
          dst: '10.0.0.1',
        }),
        phaseFailure(2, {
          t: 6,
          reason: 'no-proposal-chosen',
          reasonText: 'No proposal chosen',
          src: '10.0.0.1',
          dst: '203.0.113.5',
        }),
      )
      .then([
        {
          type: 'NegotiationFailed',
          tunnel: 'srx1/vpn-b',
          data: { phase: 'ike', reason: 'authentication-failed' },
        },
        { type: 'TunnelDown', tunnel: 'srx1/vpn-b' },
        {
          type: 'NegotiationFailed',
          tunnel: 'srx1/vpn-a',
          data: { phase: 'ipsec', reason: 'no-proposal-chosen' },
        },
        { type: 'TunnelDown', tunnel: 'srx1/vpn-a' },
      ]);
  });

  it('a legacy failure no known tunnel matches is a router-level event', () => {
    const { events } = fold([
      phaseFailure(1, {
        t: 0,
        reason: 'timed-out',
        reasonText: 'x',
        src: '1.1.1.1',
        dst: '2.2.2.2',
      }),
    ]);
    expect(events).toHaveLength(1);
    expect(events[0]).not.toHaveProperty('tunnel');
  });

  it('KMD_VPN_TS_MISMATCH is a phase-2 failure for the traffic-selector reason', () => {
    given([ikeUp({ t: 0 })])
      .when(tsMismatch({ t: 5, vpn: 'vpn-a', peer: '203.0.113.5' }))
      .then([
        {
          type: 'NegotiationFailed',
          tunnel: 'srx1/vpn-a',
          data: { phase: 'ipsec', reason: 'traffic-selector-mismatch' },
        },
        { type: 'TunnelDown' },
      ]);
  });

  it('DPD declaring the peer dead takes down every tunnel towards it and deletes their SAs', () => {
    const history = [
      ikeUp({ t: 0 }),
      ...saPair({ t: 0, in: '0x11111111', out: '0x22222222' }),
      ikeUp({ t: 0, vpn: 'vpn-b', local: '10.0.0.2' }),
    ];
    given(history)
      .when(dpdDead({ t: 50, peer: '203.0.113.5' }))
      .then([
        {
          type: 'TunnelDown',
          tunnel: 'srx1/vpn-a',
          inferred: true,
          data: { reason: 'dpd-peer-dead' },
        },
        { type: 'TunnelDown', tunnel: 'srx1/vpn-b', data: { reason: 'dpd-peer-dead' } },
      ])
      .thenRow('srx1/vpn-a', { ipsec: { inbound: null, outbound: null } });
  });
});

describe('CertificateCheckFailed', () => {
  const ca = (disableOnDownloadFailure: boolean) =>
    configModel([{ vpn: 'vpn-a', caProfile: 'ca-corp', crlEnforced: !disableOnDownloadFailure }], {
      caProfiles: [{ name: 'ca-corp', revocationCheck: 'crl', disableOnDownloadFailure }],
    });

  it('CRL download failure with CRL checking enforced (the Junos default): the tunnel is down', () => {
    given([config({ t: 0, model: ca(false) })])
      .when(
        certFailed({
          t: 5,
          caProfile: 'ca-corp',
          check: 'crl-download',
          reasonText: 'LDAP server unreachable',
        }),
      )
      .then([
        {
          type: 'CertificateCheckFailed',
          tunnel: 'srx1/vpn-a',
          data: { check: 'crl-download', enforced: true, caProfile: 'ca-corp' },
        },
        { type: 'TunnelDown', data: { reason: 'crl-unavailable' } },
      ]);
  });

  it('fail-open (`revocation-check crl disable on-download-failure`): not enforced, the tunnel stays', () => {
    given([config({ t: 0, model: ca(true) })])
      .when(certFailed({ t: 5, caProfile: 'ca-corp', check: 'crl-download' }))
      .then([{ type: 'CertificateCheckFailed', data: { check: 'crl-download', enforced: false } }])
      .thenRow('srx1/vpn-a', { status: 'expected-but-absent' });
  });

  it('with no configuration imported: enforced (the Junos default), router-level', () => {
    const { events } = fold([certFailed({ t: 5, caProfile: 'ca-x', check: 'crl-download' })]);
    expect(events).toMatchObject([{ type: 'CertificateCheckFailed', data: { enforced: true } }]);
    expect(events[0]).not.toHaveProperty('tunnel');
  });

  it('a revoked certificate fails even where CRL download failures fail open', () => {
    given([config({ t: 0, model: ca(true) })])
      .when(certFailed({ t: 5, caProfile: 'ca-corp', check: 'revoked' }))
      .then([
        { type: 'CertificateCheckFailed', data: { check: 'revoked', enforced: true } },
        { type: 'TunnelDown', data: { reason: 'certificate-invalid' } },
      ]);
  });

  it('does not take down a tunnel whose SAs are live', () => {
    const { events } = given([
      config({ t: 0, model: ca(false) }),
      ikeUp({ t: 0 }),
      ...saPair({ t: 0, in: '0x11111111', out: '0x22222222' }),
    ]).when(certFailed({ t: 5, caProfile: 'ca-corp', check: 'crl-download' }));
    expect(types(events)).toEqual(['CertificateCheckFailed']);
  });
});
