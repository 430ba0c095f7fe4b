import { describe, expect, it } from 'vitest';
import { fromSnapshot, toSnapshot } from '../../../src/domain/sa/index.js';
import { at, ikeFailed, ikeUp, saPair } from '../support/observations.js';
import { poll, trap } from '../support/snmpPolls.js';
import { fold, given, types } from '../support/spec.js';

// SNMP fused into the lifecycle (issue 8, snmp-model.md §8): rows first seen are SAs
// established at poll time − ActiveTime, new SPI pairs are rekeys, rows gone are SAs gone,
// counters that grew are failures, a sysUpTime that went back is a reboot; and syslog and SNMP
// evidence of one transition gives one event.

const quiet = { settings: { silenceGapSeconds: 10 * 86_400 } };
const sa1 = { index: 1, in: '0x11111111', out: '0x22222222' };
const sa2 = { index: 2, in: '0x33333333', out: '0x44444444' };

describe('SNMP alone', () => {
  it('a first poll shows the tunnel, its IKE SA and its SA pair, established when ActiveTime says', () => {
    const { events } = fold(
      poll({
        t: 100,
        uptime: 86_400,
        tunnels: [{ vpn: 'vpn-a', sas: [{ ...sa1, activeSeconds: 40, lifetime: 3600 }] }],
        ike: [{ activeSeconds: 45, lifetime: 28_800, role: 'initiator' }],
      }),
      quiet,
    );
    expect(types(events)).toEqual([
      'TunnelDiscovered',
      'IkeSaEstablished',
      'IpsecSaEstablished',
      'IpsecSaEstablished',
      'TunnelUp',
    ]);
    expect(events[1]).toMatchObject({
      at: at(55),
      tunnel: 'srx1/vpn-a',
      inferred: true,
      data: { role: 'initiator', lifetimeSeconds: 28_800, lifetimeSource: 'snmp' },
    });
    expect(events[2]).toMatchObject({
      at: at(60),
      inferred: true,
      data: {
        direction: 'inbound',
        spi: '0x11111111',
        lifetimeSeconds: 3600,
        lifetimeAssumed: false,
        lifetimeSource: 'snmp',
        hardDeadline: at(3660),
        softDeadline: at(3660 - 135),
      },
    });
    expect(events[3]).toMatchObject({ data: { direction: 'outbound', spi: '0x22222222' } });
    expect(events[4]).toMatchObject({ type: 'TunnelUp', at: at(60), inferred: true });
  });

  it('the same rows in the next poll add nothing', () => {
    const first = poll({
      t: 100,
      tunnels: [{ vpn: 'vpn-a', sas: [{ ...sa1, activeSeconds: 40 }] }],
    });
    given(first, quiet)
      .when(...poll({ t: 160, tunnels: [{ vpn: 'vpn-a', sas: [{ ...sa1, activeSeconds: 100 }] }] }))
      .thenNothing();
  });

  it('a new SPI pair under the tunnel is a rekey, the old row expiring beside it', () => {
    const first = poll({
      t: 100,
      tunnels: [{ vpn: 'vpn-a', sas: [{ ...sa1, activeSeconds: 40 }] }],
    });
    given(first, quiet)
      .when(
        ...poll({
          t: 3500,
          tunnels: [
            {
              vpn: 'vpn-a',
              sas: [
                { ...sa1, activeSeconds: 3440, state: 'expiring' },
                { ...sa2, activeSeconds: 20 },
              ],
            },
          ],
        }),
      )
      .then([
        { type: 'IpsecSaEstablished', at: at(3480), inferred: true, data: { spi: '0x33333333' } },
        {
          type: 'IpsecSaRekeyed',
          at: at(3480),
          inferred: true,
          data: { direction: 'inbound', oldSpi: '0x11111111', newSpi: '0x33333333' },
        },
        { type: 'IpsecSaEstablished', data: { spi: '0x44444444' } },
        { type: 'IpsecSaRekeyed', data: { direction: 'outbound', oldSpi: '0x22222222' } },
      ]);
  });

  it('rows gone from a complete poll before their hard deadline: the SAs are gone, the tunnel down', () => {
    const first = poll({
      t: 100,
      tunnels: [{ vpn: 'vpn-a', sas: [{ ...sa1, activeSeconds: 40 }] }],
    });
    given(first, quiet)
      .when(...poll({ t: 700, tunnels: [] }))
      .then([
        { type: 'IpsecSaExpired', at: at(700), inferred: true, data: { spi: '0x11111111' } },
        { type: 'IpsecSaExpired', data: { spi: '0x22222222' } },
        { type: 'TunnelDown', at: at(700), data: { reason: 'unknown' } },
      ]);
  });

  it('a failed poll (or one that did not walk the SA table) says nothing about vanished rows', () => {
    const first = poll({
      t: 100,
      tunnels: [{ vpn: 'vpn-a', sas: [{ ...sa1, activeSeconds: 40 }] }],
    });
    given(first, quiet)
      .when(
        ...poll({ t: 160, ok: false }),
        ...poll({ t: 220, tunnels: [{ vpn: 'vpn-a' }], tables: ['jnxIpSecTunnelMonTable'] }),
      )
      .thenNothing();
  });

  it('at poll granularity, SNMP alone reconstructs generations and the expiry', () => {
    const rekeyed = { vpn: 'vpn-a', sas: [{ ...sa2, activeSeconds: 10, lifetime: 600 }] };
    const { events } = fold(
      [
        ...poll({
          t: 0,
          tunnels: [{ vpn: 'vpn-a', sas: [{ ...sa1, activeSeconds: 0, lifetime: 600 }] }],
        }),
        ...poll({ t: 480, tunnels: [rekeyed] }),
        ...poll({ t: 1200, tunnels: [{ vpn: 'vpn-a' }] }),
      ],
      quiet,
    );
    const lifecycle = events.filter(
      (e) => e.type.startsWith('Ipsec') || e.type.startsWith('Tunnel'),
    );
    expect(lifecycle.map((e) => [e.type, e.at])).toEqual([
      ['TunnelDiscovered', at(0)],
      ['IpsecSaEstablished', at(0)],
      ['IpsecSaEstablished', at(0)],
      ['TunnelUp', at(0)],
      ['IpsecSaEstablished', at(470)],
      ['IpsecSaRekeyed', at(470)],
      ['IpsecSaEstablished', at(470)],
      ['IpsecSaRekeyed', at(470)],
      // no IKE row, role unknown: the responder's soft deadline (hard − 90 s) + 60 s grace;
      // the hard deadline (470 + 600) passes before the poll at 1200 shows no row
      ['IpsecSaRekeyOverdue', at(470 + 600 - 90 + 60)],
      ['IpsecSaRekeyOverdue', at(470 + 600 - 90 + 60)],
      ['IpsecSaExpired', at(1070)],
      ['IpsecSaExpired', at(1070)],
      ['TunnelDown', at(1070)],
    ]);
  });
});

describe('SNMP and syslog together', () => {
  const syslog = [ikeUp({ t: 0 }), ...saPair({ t: 0, in: '0x11111111', out: '0x22222222' })];

  it('rows of SAs syslog already reported add no event, and correct an assumed lifetime', () => {
    given(syslog, quiet)
      .when(
        ...poll({
          t: 60,
          tunnels: [{ vpn: 'vpn-a', sas: [{ ...sa1, activeSeconds: 58, lifetime: 3600 }] }],
          ike: [{ activeSeconds: 61, lifetime: 28_800 }],
        }),
      )
      .thenNothing()
      .thenRow('srx1/vpn-a', {
        status: 'up',
        ipsec: { inbound: { spi: '0x11111111', hardDeadline: at(3600) } },
      });
  });

  it('a syslog line after SNMP showed the same SA adds nothing', () => {
    const snmp = poll({ t: 60, tunnels: [{ vpn: 'vpn-a', sas: [{ ...sa1, activeSeconds: 55 }] }] });
    given([ikeUp({ t: 0 }), ...snmp], quiet)
      .when(...saPair({ t: 5, in: '0x11111111', out: '0x22222222' }))
      .thenNothing();
  });

  it('a failure counter that grew is a NegotiationFailed, unless syslog reported that failure', () => {
    const counters = (n: string) => ({
      IkeSaInitiatorIkev2AuthNoProposalChosenIn: n,
      IkeSaInitiatorIkev2AuthRequestOut: n,
    });
    const base = [
      ...syslog,
      ...poll({ t: 60, tunnels: [{ vpn: 'vpn-a' }], peers: [{ counters: counters('2') }] }),
    ];
    given(base, quiet)
      .when(...poll({ t: 120, tunnels: [{ vpn: 'vpn-a' }], peers: [{ counters: counters('5') }] }))
      .then([
        {
          type: 'NegotiationFailed',
          at: at(120),
          tunnel: 'srx1/vpn-a',
          inferred: true,
          data: { phase: 'ike', reason: 'no-proposal-chosen', role: 'initiator', count: 3 },
        },
      ]);
    given(base, quiet)
      .when(
        ikeFailed({ t: 90, reason: 'no-proposal-chosen', reasonText: 'No proposal chosen' }),
        ...poll({ t: 120, tunnels: [{ vpn: 'vpn-a' }], peers: [{ counters: counters('5') }] }),
      )
      .then([{ type: 'NegotiationFailed', inferred: false }]);
  });

  it('ResGetCAsFail growth is a certificate check failure (the only CRL/CA signal over SNMP)', () => {
    const c = (n: string) => ({ IkeSaResponderIkev2SaInitResGetCAsFail: n });
    given(
      [...syslog, ...poll({ t: 60, tunnels: [{ vpn: 'vpn-a' }], peers: [{ counters: c('0') }] })],
      quiet,
    )
      .when(...poll({ t: 120, tunnels: [{ vpn: 'vpn-a' }], peers: [{ counters: c('1') }] }))
      .then([
        {
          type: 'CertificateCheckFailed',
          tunnel: 'srx1/vpn-a',
          inferred: true,
          data: { check: 'crl-download', enforced: true, count: 1 },
        },
      ]);
  });

  it('invalid-SPI counter growth opens an episode; the next SA pair closes it', () => {
    const t = (invalidSpi: string, sas = [{ ...sa1, activeSeconds: 50 }]) => [
      { vpn: 'vpn-a', invalidSpi, sas },
    ];
    given([...syslog, ...poll({ t: 60, tunnels: t('0') })], quiet)
      .when(
        ...poll({ t: 120, tunnels: t('0') }),
        ...poll({ t: 180, tunnels: t('17') }),
        ...poll({ t: 240, tunnels: t('20', [{ ...sa2, activeSeconds: 30 }]) }),
      )
      .then([
        { type: 'InvalidSpiDetected', at: at(180), inferred: true, data: { count: 17 } },
        { type: 'IpsecSaEstablished', at: at(210) },
        { type: 'IpsecSaRekeyed' },
        { type: 'IpsecSaEstablished' },
        { type: 'IpsecSaRekeyed' },
        { type: 'InvalidSpiRecovered', at: at(210), data: { durationSeconds: 30 } },
      ]);
  });

  it('a sysUpTime that went back is a reboot: SAs from before it are gone', () => {
    given([...syslog, ...poll({ t: 60, uptime: 10_000, tunnels: [{ vpn: 'vpn-a' }] })], quiet)
      .when(...poll({ t: 300, uptime: 30, tunnels: [] }))
      .then([
        { type: 'RouterRebooted', at: at(270), inferred: true, data: { bootAt: at(270) } },
        {
          type: 'TunnelDown',
          at: at(270),
          data: { reason: 'unknown', reasonText: 'router rebooted' },
        },
      ]);
  });

  it('an uptime that keeps counting is no reboot, nor is the 497-day TimeTicks wrap', () => {
    const wrap = 2 ** 32 / 100;
    given(poll({ t: 0, uptime: wrap - 50 }), quiet)
      .when(...poll({ t: 60, uptime: wrap + 10 - 2 ** 32 / 100 }), ...poll({ t: 120, uptime: 70 }))
      .thenNothing();
  });

  it('a jnxIkePeerIPSecTunnelDown trap takes down the tunnel it names, once', () => {
    const down = trap(200, 'ike-peer-ipsec-tunnel-down', {
      remoteGateway: '203.0.113.5',
      vpn: 'vpn-a',
    });
    given(syslog, quiet)
      .when(
        down,
        trap(201, 'ike-peer-ipsec-tunnel-down', { remoteGateway: '203.0.113.5', vpn: 'vpn-a' }),
      )
      .then([
        {
          type: 'TunnelDown',
          at: at(200),
          inferred: false,
          evidence: [down.raw],
          data: { reason: 'unknown', reasonText: 'jnxIkePeerIPSecTunnelDown trap' },
        },
      ]);
  });

  it('the SNMP memory survives a snapshot: a row gone after the restore is still seen as gone', () => {
    const first = fold(
      [
        ...syslog,
        ...poll({ t: 60, tunnels: [{ vpn: 'vpn-a', sas: [{ ...sa1, activeSeconds: 58 }] }] }),
      ],
      quiet,
    );
    const restored = fromSnapshot(JSON.parse(JSON.stringify(toSnapshot(first.state))));
    const { events } = fold(poll({ t: 120, tunnels: [{ vpn: 'vpn-a' }] }), { state: restored });
    expect(types(events)).toEqual(['IpsecSaExpired', 'IpsecSaExpired', 'TunnelDown']);
  });
});
