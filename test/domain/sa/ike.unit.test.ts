import { describe, expect, it } from 'vitest';
import { at, clock, config, configModel, ikeUp } from '../support/observations.js';
import { given } from '../support/spec.js';

// IKE (phase-1) SAs: establishment, rekey, expiry (contracts.md; junos-ipsec.md).

const quiet = { settings: { silenceGapSeconds: 10 * 86_400 } };

describe('IkeSaEstablished', () => {
  it('IKEv2 initiator: version, role, endpoints, default lifetime (assumed), hard deadline', () => {
    const line = ikeUp({ t: 0, version: 2, role: 'initiator', port: 4500 });
    given([])
      .when(line)
      .then([
        {
          type: 'TunnelDiscovered',
          tunnel: 'srx1/vpn-a',
          data: {
            vpn: 'vpn-a',
            gateway: 'gw-vpn-a',
            localGateway: '10.0.0.1',
            remoteGateway: '203.0.113.5',
          },
        },
        {
          type: 'IkeSaEstablished',
          at: at(0),
          tunnel: 'srx1/vpn-a',
          inferred: false,
          evidence: [line.raw],
          data: {
            ikeVersion: 2,
            role: 'initiator',
            local: { ip: '10.0.0.1', port: 4500 },
            remote: { ip: '203.0.113.5', port: 4500 },
            lifetimeSeconds: 3600,
            hardDeadline: at(3600),
            lifetimeAssumed: true,
          },
        },
      ]);
  });

  it('IKEv1 responder with a configured lifetime', () => {
    given([
      config({ t: 0, model: configModel([{ vpn: 'vpn-a', ikeVersion: 1, ikeLifetime: 28800 }]) }),
    ])
      .when(ikeUp({ t: 5, version: 1, role: 'responder' }))
      .then([
        {
          type: 'IkeSaEstablished',
          data: {
            ikeVersion: 1,
            role: 'responder',
            lifetimeSeconds: 28800,
            hardDeadline: at(28805),
            lifetimeAssumed: false,
          },
        },
      ]);
  });
});

describe('IkeSaRekeyed', () => {
  it('a new IKE SA while one is live: established, then rekeyed with the lead to the old deadline', () => {
    given([ikeUp({ t: 0 })], quiet)
      .when(ikeUp({ t: 3000, role: 'responder' }))
      .then([
        { type: 'IkeSaEstablished', data: { role: 'responder', hardDeadline: at(6600) } },
        {
          type: 'IkeSaRekeyed',
          at: at(3000),
          data: { previousEstablishedAt: at(0), leadSeconds: 600 },
        },
      ])
      .thenRow('srx1/vpn-a', { ike: { role: 'responder', establishedAt: at(3000) } });
  });

  it('after the old one expired, a new IKE SA is not a rekey', () => {
    given([ikeUp({ t: 0 })], quiet)
      .when(ikeUp({ t: 3700 }))
      .then([
        { type: 'IkeSaExpired', at: at(3600) },
        { type: 'IkeSaEstablished', at: at(3700) },
      ]);
  });

  it('the replaced IKE SA never expires', () => {
    const outcome = given([ikeUp({ t: 0 }), ikeUp({ t: 3000 })], quiet).when(clock({ t: 3650 }));
    outcome.thenNothing();
  });
});

describe('IkeSaExpired', () => {
  it('is inferred at the hard deadline itself, with the establishing line as evidence', () => {
    const line = ikeUp({ t: 0 });
    given([line], quiet)
      .when(clock({ t: 5000 }))
      .then([
        {
          type: 'IkeSaExpired',
          at: at(3600),
          inferred: true,
          evidence: [line.raw],
          data: { hardDeadline: at(3600) },
        },
      ])
      .thenRow('srx1/vpn-a', { ike: null });
  });

  it('alone does not bring the tunnel down (IPsec SAs carry the traffic)', () => {
    const { events } = given([ikeUp({ t: 0 })], quiet).when(clock({ t: 5000 }));
    expect(events.map((e) => e.type)).toEqual(['IkeSaExpired']);
  });
});
