import { describe, expect, it } from 'vitest';
import {
  at,
  clock,
  config,
  configModel,
  ikeUp,
  saPair,
  saUp,
  tunnelDown,
  tunnelUp,
} from '../support/observations.js';
import { fold, given, types } from '../support/spec.js';
import { stateRows } from '../../../src/domain/sa/index.js';

// Tunnel state: up, down, rekeying, expected-but-absent (architecture.md principles 6 and 7).

const quiet = { settings: { silenceGapSeconds: 10 * 86_400 } };

describe('TunnelUp', () => {
  it('from live SAs in both directions: inferred from the two SA lines, once', () => {
    const [inbound, outbound] = saPair({ t: 0, in: '0x11111111', out: '0x22222222' });
    given([ikeUp({ t: 0 }), inbound!])
      .when(outbound!, tunnelUp({ t: 1 }))
      .then([
        { type: 'IpsecSaEstablished' },
        { type: 'TunnelUp', at: at(0), inferred: true, evidence: [inbound!.raw, outbound!.raw] },
      ]);
  });

  it('from a KMD_VPN_UP_ALARM_USER line (observed), which also names the st0 interface and tunnel-id', () => {
    const line = tunnelUp({ t: 1, iface: 'st0.7', tunnelId: '131079' });
    given([ikeUp({ t: 0 })])
      .when(line)
      .then([
        {
          type: 'TunnelUp',
          at: at(1),
          inferred: false,
          evidence: [line.raw],
          tunnel: 'srx1/vpn-a',
        },
      ])
      .thenRow('srx1/vpn-a', { status: 'up' });
  });

  it('an SA in one direction only is not yet up', () => {
    const { events } = fold([ikeUp({ t: 0 }), saUp({ t: 0, dir: 'inbound', spi: '0x11111111' })]);
    expect(types(events)).not.toContain('TunnelUp');
  });
});

describe('TunnelDown', () => {
  const up = [ikeUp({ t: 0 }), ...saPair({ t: 0, in: '0x11111111', out: '0x22222222' })];

  it('from a KMD_VPN_DOWN_ALARM_USER line, with its reason; its SAs are gone (no later expiry)', () => {
    const line = tunnelDown({ t: 100, reason: 'config-deleted' });
    const outcome = given(up, quiet).when(line);
    outcome.then([
      {
        type: 'TunnelDown',
        at: at(100),
        inferred: false,
        evidence: [line.raw],
        data: {
          reason: 'config-deleted',
          reasonText: 'Tunnel configuration is deleted. Corresponding IKE/IPSec SAs are deleted',
        },
      },
    ]);
    // Deleted on purpose: not an outage, so not `down` (no IpsecTunnelDown for it).
    outcome.thenRow('srx1/vpn-a', {
      status: 'unknown',
      downReason: 'config-deleted',
      ipsec: { inbound: null, outbound: null },
    });
    expect(fold([clock({ t: 40_000 })], { state: outcome.state }).events).toEqual([]);
  });

  it('down for another reason stays down; deleted but still configured is expected-but-absent', () => {
    given(up, quiet)
      .when(tunnelDown({ t: 100, reason: 'dpd-peer-dead', reasonText: 'DPD' }))
      .thenRow('srx1/vpn-a', { status: 'down', downReason: 'dpd-peer-dead' });
    given([config({ t: 0, model: configModel([{ vpn: 'vpn-a' }]) }), ...up], quiet)
      .when(tunnelDown({ t: 100 }))
      .thenRow('srx1/vpn-a', { status: 'expected-but-absent', downReason: 'config-deleted' });
  });

  it('a down tunnel going down again emits nothing', () => {
    given([...up, tunnelDown({ t: 100 })], quiet)
      .when(tunnelDown({ t: 200 }))
      .thenNothing();
  });

  it('comes back up with a new SA pair', () => {
    given([...up, tunnelDown({ t: 100 })], quiet)
      .when(ikeUp({ t: 200 }), ...saPair({ t: 200, in: '0x33333333', out: '0x44444444' }))
      .then([
        { type: 'IkeSaEstablished' },
        { type: 'IpsecSaEstablished' },
        { type: 'IpsecSaEstablished' },
        { type: 'TunnelUp', at: at(200) },
      ])
      .thenRow('srx1/vpn-a', { status: 'up' });
  });
});

describe('--state rows', () => {
  it('a configured tunnel with no SA is expected-but-absent', () => {
    given([])
      .when(config({ t: 0, model: configModel([{ vpn: 'vpn-a' }]) }))
      .thenRow('srx1/vpn-a', {
        tunnel: 'srx1/vpn-a',
        router: 'srx1',
        status: 'expected-but-absent',
        ike: null,
        ipsec: { inbound: null, outbound: null },
        expected: true,
      });
  });

  it('a tunnel seen only by its IKE negotiation is unknown', () => {
    given([])
      .when(ikeUp({ t: 0 }))
      .thenRow('srx1/vpn-a', { status: 'unknown' });
  });

  it('carry the current SAs with their deadlines, sorted by tunnel', () => {
    const { state } = fold([
      ikeUp({ t: 0, vpn: 'vpn-z', remote: '198.51.100.9' }),
      ikeUp({ t: 0, vpn: 'vpn-a' }),
      ...saPair({ t: 0, in: '0x11111111', out: '0x22222222' }),
    ]);
    const rows = stateRows(state);
    expect(rows.map((r) => r.tunnel)).toEqual(['srx1/vpn-a', 'srx1/vpn-z']);
    expect(rows[0]).toMatchObject({
      status: 'up',
      ike: { ikeVersion: 2, role: 'initiator', hardDeadline: at(3600) },
      ipsec: {
        inbound: { spi: '0x11111111', softDeadline: at(28800 - 135), hardDeadline: at(28800) },
        outbound: { spi: '0x22222222', softDeadline: at(28800 - 135), hardDeadline: at(28800) },
      },
      lastEventAt: at(0),
    });
    expect(Object.keys(rows[0]!).slice(0, 6)).toEqual([
      'tunnel',
      'router',
      'status',
      'ike',
      'ipsec',
      'lastEventAt',
    ]);
  });
});
