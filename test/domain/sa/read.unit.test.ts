import { describe, expect, it } from 'vitest';
import {
  downReason,
  hasTunnel,
  ikeVersion,
  invalidSpiEpisode,
  ipsecDirection,
  ipsecOverdue,
  ipsecSpiText,
  isConfigured,
  routerTunnels,
  saHardMs,
  saLifetimeAssumed,
  saLifetimeSource,
  saRole,
  saSoftMs,
  tunnelCount,
  tunnelStatusOf,
  type RouterStateView,
} from '../../../src/domain/sa/index.js';
import {
  at,
  badSpi,
  clock,
  config,
  configModel,
  ikeUp,
  saPair,
  tunnelDown,
} from '../support/observations.js';
import { fold } from '../support/spec.js';

// The read-only accessors agree with what the fold says in its events.

const ms = (iso: string | undefined) => Date.parse(iso ?? '');
const model = configModel([{ vpn: 'vpn-a', ipsecLifetime: 3600, ikeLifetime: 28_800 }]);
const up = [
  config({ t: 0, model }),
  ikeUp({ t: 0, role: 'initiator', version: 2 }),
  ...saPair({ t: 0, in: '0x11111111', out: '0x2222abcd' }),
];

describe('read-only accessors of the fold state', () => {
  it('read the SAs as their established events describe them', () => {
    const { state, events } = fold(up);
    const view: RouterStateView = state;
    expect(tunnelCount(view)).toBe(1);
    expect(hasTunnel(view, 'srx1/vpn-a')).toBe(true);
    const tunnel = [...routerTunnels(view)][0]!;
    expect(isConfigured(tunnel)).toBe(true);
    expect(tunnelStatusOf(view, tunnel)).toBe('up');

    const ike = tunnel.ike!;
    const ikeEvent = events.find((e) => e.type === 'IkeSaEstablished')!.data as Record<
      string,
      string
    >;
    expect(saHardMs(ike)).toBe(ms(ikeEvent['hardDeadline']));
    expect(saLifetimeSource(ike)).toBe('config');
    expect(saRole(ike)).toBe('initiator');
    expect(ikeVersion(ike)).toBe(2);

    for (const sa of [tunnel.inbound!, tunnel.outbound!]) {
      const event = events.find(
        (e) => e.type === 'IpsecSaEstablished' && e.data['spi'] === ipsecSpiText(sa),
      )!.data as Record<string, unknown>;
      expect(ipsecDirection(sa)).toBe(event['direction']);
      expect(saSoftMs(sa)).toBe(ms(event['softDeadline'] as string));
      expect(saHardMs(sa)).toBe(ms(event['hardDeadline'] as string));
      expect(saLifetimeSource(sa)).toBe(event['lifetimeSource']);
      expect(saLifetimeAssumed(sa)).toBe(false);
      expect(ipsecOverdue(sa)).toBe(false);
    }
    expect(ipsecSpiText(tunnel.outbound!)).toBe('0x2222abcd');
    expect(saHardMs(tunnel.inbound!)).toBe(ms(at(3600)));
  });

  it('an assumed lifetime, an overdue SA, an invalid-SPI episode, a down reason', () => {
    const bare = [ikeUp({ t: 0 }), ...saPair({ t: 0, in: '0x11111111', out: '0x22222222' })];
    const overdue = fold([...bare, clock({ t: 28_800 - 90 + 61 })], {
      settings: { silenceGapSeconds: 86_400 },
    });
    const t1 = [...routerTunnels(overdue.state)][0]!;
    expect(overdue.events.map((e) => e.type)).toContain('IpsecSaRekeyOverdue');
    expect(saLifetimeAssumed(t1.inbound!)).toBe(true);
    expect(saLifetimeSource(t1.inbound!)).toBe('default');
    expect(ipsecOverdue(t1.inbound!)).toBe(true);
    expect(invalidSpiEpisode(t1)).toBeUndefined();

    const episode = fold([...bare, badSpi({ t: 10, peer: '203.0.113.5', spi: '0xdeadbeef' })]);
    const t2 = [...routerTunnels(episode.state)][0]!;
    expect(invalidSpiEpisode(t2)).toMatchObject({ startMs: ms(at(10)) });

    const down = fold([...bare, tunnelDown({ t: 20, reason: 'dpd-peer-dead' })]);
    const t3 = [...routerTunnels(down.state)][0]!;
    expect(tunnelStatusOf(down.state, t3)).toBe('down');
    expect(downReason(t3)).toBe('dpd-peer-dead');
  });
});
