import { describe, expect, it } from 'vitest';
import { at, clock, config, configModel, ikeUp, saPair, saUp } from '../support/observations.js';
import { fold, given, types } from '../support/spec.js';

// IPsec SAs per direction: establishment with soft and hard deadlines, rekeys on time and late,
// overdue, expiry and the tunnel going down (contracts.md; junos-ipsec.md "IPsec SA lifetimes").

const HARD = 28_800; // Junos default IPsec lifetime, seconds
/** Long silence gap: these specs advance time with clock ticks and are not about silence. */
const quiet = { settings: { silenceGapSeconds: 10 * 86_400 } };
const established = [
  ikeUp({ t: 0, role: 'initiator' }),
  ...saPair({ t: 0, in: '0x11111111', out: '0x22222222' }),
];

describe('IpsecSaEstablished', () => {
  it('gives lifetime, role and both deadlines; initiator soft deadline = hard − 135 s', () => {
    given([ikeUp({ t: 0, role: 'initiator' })])
      .when(saUp({ t: 1, dir: 'inbound', spi: '0x11111111' }))
      .then([
        {
          type: 'IpsecSaEstablished',
          at: at(1),
          tunnel: 'srx1/vpn-a',
          inferred: false,
          data: {
            direction: 'inbound',
            spi: '0x11111111',
            role: 'initiator',
            lifetimeSeconds: HARD,
            hardDeadline: at(1 + HARD),
            softDeadline: at(1 + HARD - 135),
            lifetimeAssumed: true,
          },
        },
      ]);
  });

  it('responder soft deadline = hard − 90 s', () => {
    given([ikeUp({ t: 0, role: 'responder' })])
      .when(saUp({ t: 0, dir: 'outbound', spi: '0x22222222' }))
      .then([
        { type: 'IpsecSaEstablished', data: { role: 'responder', softDeadline: at(HARD - 90) } },
      ]);
  });

  it('takes the role from the tunnel’s latest IKE negotiation', () => {
    given([ikeUp({ t: 0, role: 'initiator' }), ikeUp({ t: 1800, role: 'responder' })])
      .when(saUp({ t: 1800, dir: 'inbound', spi: '0x33333333' }))
      .then([
        {
          type: 'IpsecSaEstablished',
          data: { role: 'responder', softDeadline: at(1800 + HARD - 90) },
        },
      ]);
  });

  it('without any IKE negotiation seen, the role is unknown and the later (responder) soft deadline applies', () => {
    const { events } = fold(saPair({ t: 0, in: '0x11111111', out: '0x22222222' }));
    const sa = events.find((e) => e.type === 'IpsecSaEstablished');
    expect(sa?.data.role).toBeUndefined();
    expect(JSON.stringify(sa)).not.toContain('"role"');
    expect(sa?.data).toMatchObject({ softDeadline: at(HARD - 90) });
  });

  it('the evidence is the raw KMD_PM_SA_ESTABLISHED line', () => {
    const line = saUp({ t: 0, dir: 'inbound', spi: '0x11111111' });
    const { events } = given([ikeUp({ t: 0 })]).when(line);
    expect(events[0]?.evidence).toEqual([line.raw]);
  });

  it('the same SA logged again changes nothing', () => {
    given(established, quiet)
      .when(saUp({ t: 5, dir: 'inbound', spi: '0x11111111' }))
      .thenNothing();
  });

  it('a line older than the live SA of its direction is not a rekey', () => {
    given([...established, ...saPair({ t: 100, in: '0x33333333', out: '0x44444444' })])
      .when(saUp({ t: 50, dir: 'inbound', spi: '0x55555555' }))
      .thenNothing();
  });
});

describe('lifetimes', () => {
  it('come from the imported configuration (not assumed)', () => {
    given([
      config({
        t: 0,
        model: configModel([{ vpn: 'vpn-a', ipsecLifetime: 3600, ikeLifetime: 86400 }]),
      }),
      ikeUp({ t: 0 }),
    ])
      .when(saUp({ t: 10, dir: 'inbound', spi: '0x11111111' }))
      .then([
        {
          type: 'IpsecSaEstablished',
          data: {
            lifetimeSeconds: 3600,
            hardDeadline: at(3610),
            lifetimeAssumed: false,
            lifetimeSource: 'config',
          },
        },
      ]);
  });

  it('a configured tunnel without lifetime-seconds gets the Junos default, known rather than assumed', () => {
    given([config({ t: 0, model: configModel([{ vpn: 'vpn-a' }]) }), ikeUp({ t: 0 })])
      .when(saUp({ t: 0, dir: 'inbound', spi: '0x11111111' }))
      .then([
        {
          type: 'IpsecSaEstablished',
          data: { lifetimeSeconds: HARD, lifetimeAssumed: false, lifetimeSource: 'config-default' },
        },
      ]);
  });

  it('IKEv1 with both ends configured: the shorter lifetime wins', () => {
    const peers = {
      '10.0.0.1|203.0.113.5': { ikeLifetimeSeconds: 1800, ipsecLifetimeSeconds: 3600 },
    };
    given(
      [
        config({
          t: 0,
          model: configModel([
            { vpn: 'vpn-a', ikeVersion: 1, ipsecLifetime: 7200, ikeLifetime: 3600 },
          ]),
        }),
      ],
      { peers },
    )
      .when(ikeUp({ t: 0, version: 1 }), saUp({ t: 1, dir: 'inbound', spi: '0x11111111' }))
      .then([
        {
          type: 'IkeSaEstablished',
          data: { ikeVersion: 1, lifetimeSeconds: 1800, lifetimeSource: 'negotiated' },
        },
        {
          type: 'IpsecSaEstablished',
          data: { lifetimeSeconds: 3600, lifetimeSource: 'negotiated', hardDeadline: at(3601) },
        },
      ]);
  });

  it('IKEv1: our own lifetime when it is the shorter one', () => {
    const peers = { '10.0.0.1|203.0.113.5': { ipsecLifetimeSeconds: 7200 } };
    given(
      [
        config({
          t: 0,
          model: configModel([{ vpn: 'vpn-a', ikeVersion: 1, ipsecLifetime: 3600 }]),
        }),
      ],
      { peers },
    )
      .when(ikeUp({ t: 0, version: 1 }), saUp({ t: 0, dir: 'inbound', spi: '0x11111111' }))
      .then([
        { type: 'IkeSaEstablished' },
        { type: 'IpsecSaEstablished', data: { lifetimeSeconds: 3600, lifetimeSource: 'config' } },
      ]);
  });

  it('IKEv2: each end keeps its own lifetime', () => {
    const peers = { '10.0.0.1|203.0.113.5': { ipsecLifetimeSeconds: 1200 } };
    given(
      [
        config({
          t: 0,
          model: configModel([{ vpn: 'vpn-a', ikeVersion: 2, ipsecLifetime: 3600 }]),
        }),
      ],
      { peers },
    )
      .when(ikeUp({ t: 0, version: 2 }), saUp({ t: 0, dir: 'inbound', spi: '0x11111111' }))
      .then([
        { type: 'IkeSaEstablished' },
        { type: 'IpsecSaEstablished', data: { lifetimeSeconds: 3600, lifetimeSource: 'config' } },
      ]);
  });

  it('a configuration change mid-life applies to new SAs only', () => {
    const before = configModel([{ vpn: 'vpn-a', ipsecLifetime: 3600 }]);
    const after = configModel([{ vpn: 'vpn-a', ipsecLifetime: 1800 }]);
    const outcome = given([
      config({ t: 0, model: before }),
      ikeUp({ t: 0 }),
      ...saPair({ t: 0, in: '0x11111111', out: '0x22222222' }),
    ]).when(config({ t: 600, model: after }));
    outcome.then([{ type: 'ConfigChanged', data: { ipsecProposals: { changed: ['ipsec-p1'] } } }]);
    outcome.thenRow('srx1/vpn-a', {
      ipsec: { inbound: { hardDeadline: at(3600) }, outbound: { hardDeadline: at(3600) } },
    });
    const next = fold([saUp({ t: 3300, dir: 'inbound', spi: '0x33333333' })], {
      state: outcome.state,
    });
    // (after the RouterSilent and RouterResumed that an hour without a line implies)
    expect(next.events.find((e) => e.type === 'IpsecSaEstablished')).toMatchObject({
      type: 'IpsecSaEstablished',
      data: { lifetimeSeconds: 1800, hardDeadline: at(5100) },
    });
  });
});

describe('IpsecSaRekeyed', () => {
  it('a new SPI before soft deadline + grace is an on-time rekey; lead = old hard deadline − now', () => {
    const t = HARD - 135 + 10; // 10 s after the initiator's soft deadline
    given(established, quiet)
      .when(...saPair({ t, in: '0x33333333', out: '0x44444444' }))
      .then([
        { type: 'IkeSaExpired', at: at(3600) },
        {
          type: 'IpsecSaEstablished',
          data: { direction: 'inbound', spi: '0x33333333', hardDeadline: at(t + HARD) },
        },
        {
          type: 'IpsecSaRekeyed',
          at: at(t),
          inferred: false,
          data: {
            direction: 'inbound',
            oldSpi: '0x11111111',
            newSpi: '0x33333333',
            leadSeconds: 125,
            outcome: 'on-time',
          },
        },
        { type: 'IpsecSaEstablished', data: { direction: 'outbound', spi: '0x44444444' } },
        {
          type: 'IpsecSaRekeyed',
          data: {
            direction: 'outbound',
            oldSpi: '0x22222222',
            newSpi: '0x44444444',
            outcome: 'on-time',
          },
        },
      ]);
  });

  it('a peer-initiated rekey well before our soft deadline is on time', () => {
    given(established, quiet)
      .when(saUp({ t: 3000, dir: 'inbound', spi: '0x33333333' }))
      .then([
        { type: 'IpsecSaEstablished' },
        { type: 'IpsecSaRekeyed', data: { outcome: 'on-time', leadSeconds: HARD - 3000 } },
      ]);
  });

  it('after soft deadline + grace, the overdue fires first (at its own time) and the rekey is late', () => {
    const overdue = HARD - 135 + 60;
    given(established, quiet)
      .when(saUp({ t: HARD - 30, dir: 'inbound', spi: '0x33333333' }))
      .then([
        { type: 'IkeSaExpired', at: at(3600) },
        {
          type: 'IpsecSaRekeyOverdue',
          at: at(overdue),
          inferred: true,
          data: { direction: 'inbound', spi: '0x11111111' },
        },
        {
          type: 'IpsecSaRekeyOverdue',
          at: at(overdue),
          inferred: true,
          data: { direction: 'outbound', spi: '0x22222222' },
        },
        { type: 'IpsecSaEstablished', at: at(HARD - 30) },
        { type: 'IpsecSaRekeyed', data: { outcome: 'late', leadSeconds: 30 } },
      ]);
  });

  it('a rekey exactly at soft deadline + grace is late (the deadline fires before the observation)', () => {
    const overdue = HARD - 135 + 60;
    const { events } = given(established, quiet).when(
      clock({ t: 3700 }),
      saUp({ t: overdue, dir: 'inbound', spi: '0x33333333' }),
    );
    expect(types(events)).toEqual([
      'IkeSaExpired',
      'IpsecSaRekeyOverdue',
      'IpsecSaRekeyOverdue',
      'IpsecSaEstablished',
      'IpsecSaRekeyed',
    ]);
    expect(events.at(-1)?.data).toMatchObject({ outcome: 'late' });
  });

  it('while one direction runs on the new generation and the other not yet, the tunnel is rekeying, not down', () => {
    const t = HARD - 120;
    given(established, quiet)
      .when(saUp({ t, dir: 'inbound', spi: '0x33333333' }))
      .thenRow('srx1/vpn-a', {
        status: 'rekeying',
        ipsec: { inbound: { spi: '0x33333333' }, outbound: { spi: '0x22222222' } },
      });
    given(established, quiet)
      .when(...saPair({ t, in: '0x33333333', out: '0x44444444' }))
      .thenRow('srx1/vpn-a', { status: 'up' });
  });
});

describe('missed rekey → overdue → expired → down', () => {
  it('infers each step at the time of its deadline, with the establishing line as evidence', () => {
    const [ike, inbound, outbound] = established;
    const overdue = HARD - 135 + 60;
    given(established, quiet)
      .when(clock({ t: HARD + 300 }))
      .then([
        {
          type: 'IkeSaExpired',
          at: at(3600),
          inferred: true,
          evidence: [ike!.raw],
          data: { hardDeadline: at(3600) },
        },
        {
          type: 'IpsecSaRekeyOverdue',
          at: at(overdue),
          inferred: true,
          evidence: [inbound!.raw],
          data: {
            direction: 'inbound',
            spi: '0x11111111',
            softDeadline: at(HARD - 135),
            hardDeadline: at(HARD),
          },
        },
        {
          type: 'IpsecSaRekeyOverdue',
          at: at(overdue),
          evidence: [outbound!.raw],
          data: { direction: 'outbound' },
        },
        {
          type: 'IpsecSaExpired',
          at: at(HARD),
          inferred: true,
          evidence: [inbound!.raw],
          data: { direction: 'inbound', spi: '0x11111111' },
        },
        {
          type: 'IpsecSaExpired',
          at: at(HARD),
          data: { direction: 'outbound', spi: '0x22222222' },
        },
        {
          type: 'TunnelDown',
          at: at(HARD),
          inferred: true,
          tunnel: 'srx1/vpn-a',
          data: { reason: 'lifetime-expired' },
        },
      ])
      .thenRow('srx1/vpn-a', {
        status: 'down',
        ipsec: { inbound: null, outbound: null },
        ike: null,
        lastEventAt: at(HARD),
      });
  });

  it('deadlines only fire when an observation of the router reaches them', () => {
    given(established, quiet)
      .when(clock({ t: HARD - 136 }))
      .then([{ type: 'IkeSaExpired' }]);
  });

  it('fires deadlines of several tunnels in deadline order', () => {
    const b = { vpn: 'vpn-b', remote: '198.51.100.7', local: '10.0.0.1' };
    const history = [
      ikeUp({ t: 0 }),
      ...saPair({ t: 0, in: '0x11111111', out: '0x22222222' }),
      ikeUp({ t: -600, ...b }),
      ...saPair({ t: -600, remote: b.remote, in: '0x33333333', out: '0x44444444' }),
    ];
    const { events } = given(history).when(clock({ t: HARD + 10 }));
    const expiries = events.filter((e) => e.type === 'IpsecSaExpired').map((e) => [e.tunnel, e.at]);
    expect(expiries).toEqual([
      ['srx1/vpn-b', at(HARD - 600)],
      ['srx1/vpn-b', at(HARD - 600)],
      ['srx1/vpn-a', at(HARD)],
      ['srx1/vpn-a', at(HARD)],
    ]);
    const ats = events.map((e) => Date.parse(e.at));
    expect(ats).toEqual([...ats].sort((x, y) => x - y));
  });

  it('a new SA after the hard deadline is a fresh establishment, not a rekey', () => {
    const { events } = given(established, quiet).when(
      ...saPair({ t: HARD + 60, in: '0x33333333', out: '0x44444444' }),
    );
    expect(types(events)).not.toContain('IpsecSaRekeyed');
    expect(types(events).slice(-3)).toEqual([
      'IpsecSaEstablished',
      'IpsecSaEstablished',
      'TunnelUp',
    ]);
  });

  it('an SA left in one direction keeps the tunnel from going down', () => {
    const { events } = given(established, quiet).when(
      saUp({ t: HARD - 100, dir: 'inbound', spi: '0x33333333' }),
      clock({ t: HARD + 1 }),
    );
    expect(types(events)).toContain('IpsecSaExpired');
    expect(types(events)).not.toContain('TunnelDown');
  });
});
