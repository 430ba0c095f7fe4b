import { describe, expect, it } from 'vitest';
import {
  at,
  clock,
  config,
  configModel,
  ikeUp,
  saPair,
  unrecognized,
} from '../support/observations.js';
import { fold, given, types } from '../support/spec.js';

// Router-level events: silence and resumption (revealed by collector clock ticks or the next
// observation), imported
// configuration and its changes.

const gap = { settings: { silenceGapSeconds: 600 } };

describe('RouterSilent / RouterResumed', () => {
  it('a clock tick after more than the gap reveals silence, dated when the gap ran out', () => {
    const last = unrecognized({ t: 100 });
    given([ikeUp({ t: 0 }), last], gap)
      .when(clock({ t: 500 }), clock({ t: 701 }))
      .then([
        {
          type: 'RouterSilent',
          at: at(700),
          inferred: true,
          evidence: [last.raw],
          data: { silentSinceSeconds: 600, lastSeenAt: at(100) },
        },
      ]);
  });

  it('exactly the gap is not yet silence', () => {
    given([unrecognized({ t: 100 })], gap)
      .when(clock({ t: 700 }))
      .thenNothing();
  });

  it('without clock ticks, the next line reveals the silence, dated when the gap ran out, and ends it', () => {
    const last = unrecognized({ t: 100 });
    const next = unrecognized({ t: 5000 });
    given([last], gap)
      .when(next)
      .then([
        {
          type: 'RouterSilent',
          at: at(700),
          inferred: true,
          evidence: [last.raw],
          data: { silentSinceSeconds: 600, lastSeenAt: at(100) },
        },
        { type: 'RouterResumed', at: at(5000), inferred: false, evidence: [next.raw] },
      ]);
  });

  it('a line within the gap is no silence', () => {
    given([unrecognized({ t: 100 })], gap)
      .when(unrecognized({ t: 700 }), unrecognized({ t: 1300 }))
      .thenNothing();
  });

  it('the same events whether clock ticks came in between or not (live log vs archived files)', () => {
    const lines = [
      ikeUp({ t: 0 }),
      ...saPair({ t: 0, in: '0x11111111', out: '0x22222222' }),
      unrecognized({ t: 300 }),
      unrecognized({ t: 2500 }),
      unrecognized({ t: 2600 }),
      unrecognized({ t: 9000 }),
    ];
    const withoutTicks = fold(lines, gap).events;
    const ticks = Array.from({ length: 90 }, (_, i) => clock({ t: (i + 1) * 100 }));
    const merged = [...lines, ...ticks].sort((a, b) => a.time.localeCompare(b.time));
    const withTicks = fold(merged, gap).events;
    expect(withTicks).toEqual(withoutTicks);
    expect(types(withoutTicks).filter((t) => t.startsWith('Router'))).toEqual([
      'RouterSilent',
      'RouterResumed',
      'RouterSilent',
      'RouterResumed',
    ]);
  });

  it('the next line from the router ends it', () => {
    const line = unrecognized({ t: 2000 });
    given([unrecognized({ t: 100 }), clock({ t: 1000 })], gap)
      .when(clock({ t: 1500 }), line)
      .then([
        {
          type: 'RouterResumed',
          at: at(2000),
          inferred: false,
          evidence: [line.raw],
          data: { silentSinceSeconds: 1900 },
        },
      ]);
  });

  it('a router never heard from is not silent, whatever the clock', () => {
    given([], gap)
      .when(clock({ t: 0 }), clock({ t: 99_999 }))
      .thenNothing();
  });

  it('silence and SA deadlines fire in time order', () => {
    const { events } = given([ikeUp({ t: 0 })], { settings: { silenceGapSeconds: 4000 } }).when(
      clock({ t: 5000 }),
    );
    expect(types(events)).toEqual(['IkeSaExpired', 'RouterSilent']);
    const { events: reversed } = given([ikeUp({ t: 0 })], {
      settings: { silenceGapSeconds: 3000 },
    }).when(clock({ t: 5000 }));
    expect(types(reversed)).toEqual(['RouterSilent', 'IkeSaExpired']);
  });

  it('the configured gap is in the state (settings, not globals)', () => {
    const { state } = fold([], { settings: { silenceGapSeconds: 42, graceSeconds: 7 } });
    expect(state.settings).toMatchObject({ silenceGapSeconds: 42, graceSeconds: 7 });
  });
});

describe('imported configuration', () => {
  const v1 = configModel([{ vpn: 'vpn-a' }, { vpn: 'vpn-b', remote: '198.51.100.7' }]);

  it('the first import discovers the expected tunnels and is not a change', () => {
    const { events } = fold([config({ t: 0, model: v1 })]);
    expect(types(events)).toEqual(['TunnelDiscovered', 'TunnelDiscovered']);
  });

  it('the same configuration imported again changes nothing', () => {
    given([config({ t: 0, model: v1 })])
      .when(config({ t: 100, model: structuredClone(v1) }))
      .thenNothing();
  });

  it('a changed configuration is a ConfigChanged with a summary of what changed', () => {
    const v2 = configModel([
      { vpn: 'vpn-a', ipsecLifetime: 3600 },
      { vpn: 'vpn-c', remote: '192.0.2.9' },
    ]);
    given([config({ t: 0, model: v1 })])
      .when(config({ t: 100, model: v2, file: 'srx1-v2.conf' }))
      .then([
        { type: 'TunnelDiscovered', tunnel: 'srx1/vpn-c', data: { expected: true } },
        {
          type: 'ConfigChanged',
          at: at(100),
          inferred: false,
          evidence: ['junos-config srx1-v2.conf'],
          data: {
            ipsecProposals: { changed: ['ipsec-p1'] },
            tunnels: { added: ['vpn-c'], removed: ['vpn-b'], changed: ['vpn-a'] },
            summary:
              'IPsec proposal ipsec-p1 changed; tunnel vpn-c added; tunnel vpn-b removed; tunnel vpn-a changed',
          },
        },
      ])
      .thenRow('srx1/vpn-b', { status: 'unknown' })
      .thenRow('srx1/vpn-c', { status: 'expected-but-absent' });
  });

  it('an import is not a sign of life from the router', () => {
    given([unrecognized({ t: 0 })], gap)
      .when(config({ t: 550, model: v1 }), clock({ t: 700 }))
      .then([
        { type: 'TunnelDiscovered' },
        { type: 'TunnelDiscovered' },
        { type: 'RouterSilent', at: at(600) },
      ]);
  });

  it('an import after the gap reveals the silence before its own events', () => {
    given([unrecognized({ t: 0 })], gap)
      .when(config({ t: 650, model: v1 }))
      .then([
        { type: 'RouterSilent', at: at(600) },
        { type: 'TunnelDiscovered' },
        { type: 'TunnelDiscovered' },
      ]);
  });

  it('a configuration that is not a model is ignored', () => {
    given([])
      .when(config({ t: 0, model: { tunnels: 'nope' } }), config({ t: 1, model: [] }))
      .thenNothing();
  });

  it('a configured tunnel comes up from its SA lines under its configured name', () => {
    given([config({ t: 0, model: v1 })])
      .when(...saPair({ t: 10, in: '0x11111111', out: '0x22222222' }))
      .then([
        { type: 'IpsecSaEstablished', tunnel: 'srx1/vpn-a' },
        { type: 'IpsecSaEstablished' },
        { type: 'TunnelUp' },
      ]);
  });
});
