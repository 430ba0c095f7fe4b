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

// Router-level events: silence and resumption (detected on collector clock ticks), imported
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

  it('only clock ticks detect silence; any other line shows the router alive', () => {
    given([unrecognized({ t: 0 })], gap)
      .when(unrecognized({ t: 5000 }))
      .thenNothing();
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
      .when(config({ t: 650, model: v1 }), clock({ t: 700 }))
      .then([
        { type: 'TunnelDiscovered' },
        { type: 'TunnelDiscovered' },
        { type: 'RouterSilent', at: at(600) },
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
