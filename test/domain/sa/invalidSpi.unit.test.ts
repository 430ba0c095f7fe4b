import { describe, it } from 'vitest';
import {
  at,
  badSpi,
  clock,
  config,
  configModel,
  ikeUp,
  saPair,
  saUp,
} from '../support/observations.js';
import { given } from '../support/spec.js';

// Invalid SPI episodes (junos-ipsec.md, "Invalid SPI").

const quiet = { settings: { silenceGapSeconds: 10 * 86_400 } };
const up = (respondBadSpi?: boolean) => [
  ...(respondBadSpi === undefined
    ? []
    : [
        config({
          t: 0,
          model: configModel([{ vpn: 'vpn-a', ipsecLifetime: 3600, respondBadSpi }]),
        }),
      ]),
  ikeUp({ t: 0 }),
  ...saPair({ t: 0, in: '0x11111111', out: '0x22222222' }),
];

describe('InvalidSpiDetected', () => {
  it('starts an episode, saying whether respond-bad-spi is configured', () => {
    const line = badSpi({ t: 600, spi: '0xdeadbeef', peer: '203.0.113.5', count: 12 });
    given(up(true), quiet)
      .when(line, badSpi({ t: 610, spi: '0xdeadbeef', peer: '203.0.113.5', count: 30 }))
      .then([
        {
          type: 'InvalidSpiDetected',
          at: at(600),
          tunnel: 'srx1/vpn-a',
          inferred: false,
          evidence: [line.raw],
          data: { spi: '0xdeadbeef', count: 12, respondBadSpi: true },
        },
      ]);
  });

  it('without configuration, respondBadSpi is unknown (absent)', () => {
    given(up(), quiet)
      .when(badSpi({ t: 600, peer: '203.0.113.5' }))
      .then([{ type: 'InvalidSpiDetected', data: {} }]);
  });
});

describe('an invalid SPI that is our own live inbound SPI (the router lost its SAs: reboot)', () => {
  it('drops the SAs and marks the tunnel down; the next pair is new SAs, not a rekey', () => {
    const line = badSpi({ t: 600, spi: '0x11111111', peer: '203.0.113.5' });
    const outcome = given(up(false), quiet).when(line);
    outcome
      .then([
        { type: 'InvalidSpiDetected', data: { spi: '0x11111111', respondBadSpi: false } },
        {
          type: 'TunnelDown',
          at: at(600),
          inferred: true,
          evidence: [line.raw],
          data: { reason: 'invalid-spi' },
        },
      ])
      .thenRow('srx1/vpn-a', { status: 'down', ipsec: { inbound: null, outbound: null } });
    given([...up(false), line], quiet)
      .when(ikeUp({ t: 700 }), ...saPair({ t: 701, in: '0x33333333', out: '0x44444444' }))
      .then([
        { type: 'IkeSaEstablished' },
        { type: 'IpsecSaEstablished' },
        { type: 'IpsecSaEstablished' },
        { type: 'TunnelUp', at: at(701) },
        { type: 'InvalidSpiRecovered', data: { durationSeconds: 101, via: 'rekey' } },
      ]);
  });

  it('no deadline of the lost SAs fires afterwards', () => {
    given([...up(true), badSpi({ t: 600, spi: '0x11111111', peer: '203.0.113.5' })], quiet)
      .when(clock({ t: 40_000 }))
      .thenNothing();
  });
});

describe('InvalidSpiRecovered', () => {
  it('with respond-bad-spi: a new pair before the old hard deadline recovers via respond-bad-spi', () => {
    const detected = badSpi({ t: 600, peer: '203.0.113.5' });
    const [inbound, outbound] = saPair({ t: 645, in: '0x33333333', out: '0x44444444' });
    given([...up(true), detected], quiet)
      .when(inbound!, outbound!)
      .then([
        { type: 'IpsecSaEstablished' },
        { type: 'IpsecSaRekeyed' },
        { type: 'IpsecSaEstablished' },
        { type: 'IpsecSaRekeyed' },
        {
          type: 'InvalidSpiRecovered',
          at: at(645),
          inferred: true,
          evidence: [detected.raw, inbound!.raw, outbound!.raw],
          data: { durationSeconds: 45, via: 'respond-bad-spi' },
        },
      ]);
  });

  it('without respond-bad-spi: traffic stays black-holed until the SAs are renegotiated (via rekey)', () => {
    given([...up(false), badSpi({ t: 600, peer: '203.0.113.5' })], quiet)
      .when(...saPair({ t: 3500, in: '0x33333333', out: '0x44444444' }))
      .then([
        { type: 'IpsecSaEstablished' },
        { type: 'IpsecSaRekeyed' },
        { type: 'IpsecSaEstablished' },
        { type: 'IpsecSaRekeyed' },
        { type: 'InvalidSpiRecovered', data: { durationSeconds: 2900, via: 'rekey' } },
      ]);
  });

  it('with respond-bad-spi but recovered only after the old SA’s hard deadline: via rekey', () => {
    given([...up(true), badSpi({ t: 600, peer: '203.0.113.5' })], quiet)
      .when(...saPair({ t: 3700, in: '0x33333333', out: '0x44444444' }))
      .thenRow('srx1/vpn-a', { status: 'up' })
      .then([
        { type: 'IpsecSaRekeyOverdue', at: at(3525) },
        { type: 'IpsecSaRekeyOverdue', at: at(3525) },
        { type: 'IkeSaExpired', at: at(3600) },
        { type: 'IpsecSaExpired' },
        { type: 'IpsecSaExpired' },
        { type: 'TunnelDown', data: { reason: 'lifetime-expired' } },
        { type: 'IpsecSaEstablished' },
        { type: 'IpsecSaEstablished' },
        { type: 'TunnelUp' },
        { type: 'InvalidSpiRecovered', data: { via: 'rekey' } },
      ]);
  });

  it('without configuration: via unknown', () => {
    given([...up(), badSpi({ t: 600, peer: '203.0.113.5' })], quiet)
      .when(...saPair({ t: 700, in: '0x33333333', out: '0x44444444' }))
      .then([
        { type: 'IpsecSaEstablished' },
        { type: 'IpsecSaRekeyed' },
        { type: 'IpsecSaEstablished' },
        { type: 'IpsecSaRekeyed' },
        { type: 'InvalidSpiRecovered', data: { via: 'unknown', durationSeconds: 100 } },
      ]);
  });

  it('one direction alone does not end the episode', () => {
    given([...up(true), badSpi({ t: 600, peer: '203.0.113.5' })], quiet)
      .when(saUp({ t: 700, dir: 'inbound', spi: '0x33333333' }))
      .then([{ type: 'IpsecSaEstablished' }, { type: 'IpsecSaRekeyed' }]);
  });

  it('an invalid SPI matching one of two tunnels to a peer goes to that tunnel', () => {
    given(
      [
        ...up(),
        ikeUp({ t: 0, vpn: 'vpn-b', local: '10.0.0.2' }),
        ...saPair({ t: 0, local: '10.0.0.2', in: '0x55555555', out: '0x66666666' }),
      ],
      quiet,
    )
      .when(badSpi({ t: 600, peer: '203.0.113.5', spi: '0x66666666' }))
      .then([{ type: 'InvalidSpiDetected', tunnel: 'srx1/vpn-b' }]);
  });
});
