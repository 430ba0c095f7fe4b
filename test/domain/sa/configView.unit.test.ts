import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/domain/sa/config.js';

// A configured tunnel's view is its record when the record already reads as one (no second
// object per tunnel); anything else is normalised as before.

const record = {
  vpn: 'vpn-a',
  gateway: 'gw-a',
  remoteAddress: '192.0.2.2',
  localAddress: '192.0.2.1',
  ikeVersion: { value: 2, assumed: false },
  ikeLifetimeSeconds: { value: 3600, assumed: true },
  ipsecLifetimeSeconds: { value: 28_800, assumed: false },
  ikeProposals: ['p1'],
  respondBadSpi: true,
};

describe('configuration views', () => {
  it('are the records themselves when these read as views', () => {
    const view = readConfig({ tunnels: [record], caProfiles: [] });
    expect(view?.tunnels[0]).toBe(record);
  });

  type View = NonNullable<ReturnType<typeof readConfig>>['tunnels'][number];
  it.each<[string, object, (view: View) => unknown, unknown]>([
    [
      'a fractional lifetime',
      { ipsecLifetimeSeconds: { value: 28_800.4, assumed: false } },
      (v) => v.ipsecLifetimeSeconds,
      { value: 28_800, assumed: false },
    ],
    [
      'a lifetime without assumed',
      { ikeLifetimeSeconds: { value: 3600 } },
      (v) => v.ikeLifetimeSeconds,
      { value: 3600, assumed: false },
    ],
    ['an empty gateway name', { gateway: '' }, (v) => v.gateway, undefined],
    [
      'an IKE version 3',
      { ikeVersion: { value: 3, assumed: false } },
      (v) => v.ikeVersion,
      undefined,
    ],
    ['a flag that is not a boolean', { respondBadSpi: 'yes' }, (v) => v.respondBadSpi, undefined],
  ])('are normalised copies for %s', (_, change, field, expected) => {
    const odd = { ...record, ...change };
    const view = readConfig({ tunnels: [odd], caProfiles: [] })?.tunnels[0];
    expect(view).toBeDefined();
    expect(view).not.toBe(odd);
    expect(field(view!)).toEqual(expected);
    expect(view?.vpn).toBe('vpn-a');
    expect(view?.remoteAddress).toBe('192.0.2.2');
  });
});
