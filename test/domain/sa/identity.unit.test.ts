import { describe, expect, it } from 'vitest';
import { namedTunnelId, provisionalTunnelId } from '../../../src/domain/sa/index.js';
import { config, configModel, ikeUp, saPair, saUp, tunnelUp } from '../support/observations.js';
import { fold, given, types } from '../support/spec.js';

// Tunnel identity (contracts.md, "Lifecycle event"; architecture.md principle 4).

describe('tunnel ids', () => {
  it('ROUTER/VPN, with /TRAFFIC-SELECTOR when a selector splits the VPN', () => {
    expect(namedTunnelId('srx1', 'vpn-a')).toBe('srx1/vpn-a');
    expect(namedTunnelId('srx1', 'vpn-a', 'ts-db')).toBe('srx1/vpn-a/ts-db');
  });

  it('before the VPN name is known: router + local + remote gateway, URL-safe', () => {
    expect(provisionalTunnelId('srx1', '10.0.0.1', '203.0.113.5')).toBe(
      'srx1/10.0.0.1~203.0.113.5',
    );
    expect(provisionalTunnelId('srx1', '2001:db8::1', '2001:db8::2', 'ts-1')).toBe(
      'srx1/2001-db8--1~2001-db8--2/ts-1',
    );
    expect(encodeURIComponent(provisionalTunnelId('srx1', '2001:db8::1', '2001:db8::2'))).toBe(
      'srx1%2F2001-db8--1~2001-db8--2',
    );
  });
});

describe('resolution', () => {
  it('an SA line after the IKE line that named the VPN lands on the named tunnel', () => {
    const { events } = fold([
      ikeUp({ t: 0 }),
      ...saPair({ t: 0, in: '0x11111111', out: '0x22222222' }),
    ]);
    expect(new Set(events.map((e) => e.tunnel))).toEqual(new Set(['srx1/vpn-a']));
  });

  it('an SA line with no name known yet makes a provisional tunnel', () => {
    given([])
      .when(saUp({ t: 0, dir: 'inbound', spi: '0x11111111' }))
      .then([
        {
          type: 'TunnelDiscovered',
          tunnel: 'srx1/10.0.0.1~203.0.113.5',
          data: { localGateway: '10.0.0.1', remoteGateway: '203.0.113.5', provisional: true },
        },
        { type: 'IpsecSaEstablished', tunnel: 'srx1/10.0.0.1~203.0.113.5' },
      ]);
  });

  it('alias merge: the name learned later keeps ONE tunnel, carries its SAs and does not re-emit its history', () => {
    const history = saPair({ t: 0, in: '0x11111111', out: '0x22222222' });
    const outcome = given(history).when(tunnelUp({ t: 1 }));
    outcome.then([
      {
        type: 'TunnelDiscovered',
        tunnel: 'srx1/vpn-a',
        data: { vpn: 'vpn-a', aliases: ['srx1/10.0.0.1~203.0.113.5'] },
      },
    ]);
    // Already up from its SA pair: the tunnel-up line adds no transition.
    outcome.thenRow('srx1/vpn-a', {
      status: 'up',
      aliases: ['srx1/10.0.0.1~203.0.113.5'],
      ipsec: { inbound: { spi: '0x11111111' }, outbound: { spi: '0x22222222' } },
    });
    expect(outcome.rows().map((r) => r.tunnel)).toEqual(['srx1/vpn-a']);
  });

  it('after the merge, the carried SAs rekey and expire under the named id', () => {
    const history = [...saPair({ t: 0, in: '0x11111111', out: '0x22222222' }), ikeUp({ t: 1 })];
    const { events } = given(history).when(saUp({ t: 20000, dir: 'inbound', spi: '0x33333333' }));
    expect(events.filter((e) => e.type === 'IpsecSaRekeyed')).toMatchObject([
      { tunnel: 'srx1/vpn-a', data: { oldSpi: '0x11111111', newSpi: '0x33333333' } },
    ]);
  });

  it('two tunnels to one peer that differ by VPN are never merged', () => {
    const b = { vpn: 'vpn-b', local: '10.0.0.2' };
    const { state } = fold([
      ikeUp({ t: 0 }),
      ...saPair({ t: 0, in: '0x11111111', out: '0x22222222' }),
      ikeUp({ t: 5, ...b }),
      ...saPair({ t: 5, local: b.local, in: '0x33333333', out: '0x44444444' }),
    ]);
    const ids = [...state.tunnels.keys()].sort();
    expect(ids).toEqual(['srx1/vpn-a', 'srx1/vpn-b']);
    expect(state.tunnels.get('srx1/vpn-b')?.inbound?.spi).toBe(0x33333333);
  });

  it('two VPNs on the same gateway pair: each SA pair goes to the VPN whose IKE negotiation just completed', () => {
    const { events } = fold([
      ikeUp({ t: 0, vpn: 'vpn-a', gateway: 'gw-shared' }),
      ...saPair({ t: 0, in: '0x11111111', out: '0x22222222' }),
      ikeUp({ t: 60, vpn: 'vpn-b', gateway: 'gw-shared' }),
      ...saPair({ t: 60, in: '0x33333333', out: '0x44444444' }),
    ]);
    const placed = events
      .filter((e) => e.type === 'IpsecSaEstablished')
      .map((e) => [e.tunnel, (e.data as { spi: string }).spi]);
    expect(placed).toEqual([
      ['srx1/vpn-a', '0x11111111'],
      ['srx1/vpn-a', '0x22222222'],
      ['srx1/vpn-b', '0x33333333'],
      ['srx1/vpn-b', '0x44444444'],
    ]);
    expect(types(events)).not.toContain('IpsecSaRekeyed');
  });

  it('two tunnels that differ by traffic selector are never merged', () => {
    const { state, events } = fold([
      config({
        t: 0,
        model: configModel([
          { vpn: 'vpn-a', trafficSelector: 'ts-web' },
          { vpn: 'vpn-a', trafficSelector: 'ts-db' },
        ]),
      }),
      ikeUp({ t: 10 }),
      ...saPair({ t: 10, ts: 'ts-web', in: '0x11111111', out: '0x22222222' }),
      ...saPair({ t: 11, ts: 'ts-db', in: '0x33333333', out: '0x44444444' }),
    ]);
    expect([...state.tunnels.keys()].sort()).toEqual(['srx1/vpn-a/ts-db', 'srx1/vpn-a/ts-web']);
    // The IKE SA serves both selectors.
    expect(events.filter((e) => e.type === 'IkeSaEstablished').map((e) => e.tunnel)).toEqual([
      'srx1/vpn-a/ts-db',
      'srx1/vpn-a/ts-web',
    ]);
    expect(types(events)).not.toContain('IpsecSaRekeyed');
  });

  it('a VPN first named by its IKE line takes its traffic selector from the first SA pair (old id kept as alias)', () => {
    given([ikeUp({ t: 0 })])
      .when(...saPair({ t: 0, ts: 'ts-1', in: '0x11111111', out: '0x22222222' }))
      .then([
        {
          type: 'TunnelDiscovered',
          tunnel: 'srx1/vpn-a/ts-1',
          data: { aliases: ['srx1/vpn-a'], trafficSelector: 'ts-1' },
        },
        { type: 'IpsecSaEstablished', tunnel: 'srx1/vpn-a/ts-1' },
        { type: 'IpsecSaEstablished', tunnel: 'srx1/vpn-a/ts-1' },
        { type: 'TunnelUp', tunnel: 'srx1/vpn-a/ts-1' },
      ]);
  });

  it('configured tunnels are discovered up front, named, with their addresses; SA lines land on them', () => {
    const outcome = given([]).when(
      config({
        t: 0,
        model: configModel([{ vpn: 'vpn-a' }, { vpn: 'vpn-b', remote: '198.51.100.7' }]),
      }),
    );
    outcome.then([
      {
        type: 'TunnelDiscovered',
        tunnel: 'srx1/vpn-a',
        data: { vpn: 'vpn-a', remoteGateway: '203.0.113.5', expected: true },
      },
      {
        type: 'TunnelDiscovered',
        tunnel: 'srx1/vpn-b',
        data: { remoteGateway: '198.51.100.7', expected: true },
      },
    ]);
    const next = fold(
      saPair({ t: 5, remote: '198.51.100.7', in: '0x11111111', out: '0x22222222' }),
      { state: outcome.state },
    );
    expect(next.events.map((e) => e.tunnel)).toEqual(['srx1/vpn-b', 'srx1/vpn-b', 'srx1/vpn-b']);
  });

  it('two provisional tunnels to one peer are not merged into a VPN when it is ambiguous which one it owns', () => {
    const { state } = fold([
      ...saPair({ t: 0, ts: 'ts-1', in: '0x11111111', out: '0x22222222' }),
      ...saPair({ t: 0, ts: 'ts-2', in: '0x33333333', out: '0x44444444' }),
      ikeUp({ t: 5 }),
    ]);
    expect([...state.tunnels.keys()].sort()).toEqual([
      'srx1/10.0.0.1~203.0.113.5/ts-1',
      'srx1/10.0.0.1~203.0.113.5/ts-2',
      'srx1/vpn-a',
    ]);
  });

  it('tunnel-up lines name VPN and selector exactly: each provisional tunnel finds its name', () => {
    const { state } = fold([
      ...saPair({ t: 0, ts: 'ts-1', in: '0x11111111', out: '0x22222222' }),
      ...saPair({ t: 0, ts: 'ts-2', in: '0x33333333', out: '0x44444444' }),
      tunnelUp({ t: 1, ts: 'ts-1' }),
      tunnelUp({ t: 1, ts: 'ts-2' }),
    ]);
    expect([...state.tunnels.keys()].sort()).toEqual(['srx1/vpn-a/ts-1', 'srx1/vpn-a/ts-2']);
    expect(state.aliases.get('srx1/10.0.0.1~203.0.113.5/ts-2')).toBe('srx1/vpn-a/ts-2');
  });
});
