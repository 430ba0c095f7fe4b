import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/domain/sa/config.js';

// A configured tunnel's view is its record when the record already reads as one (no second
// object per tunnel), its version and lifetimes shared with every other tunnel's equal ones;
// anything else is normalised as before.

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
  it('are the records of the model, reading and serialising as the imported ones', () => {
    const data = { hostName: 'srx-1', tunnels: [record], caProfiles: [], ikePolicies: [] };
    const before = JSON.stringify(data);
    const view = readConfig(data);
    expect(view?.tunnels[0]).toBe((view?.model['tunnels'] as unknown[])[0]);
    expect(view?.tunnels[0]).toEqual(record);
    expect(JSON.stringify(view?.model)).toBe(before);
    expect(JSON.stringify(data)).toBe(before); // the observation's data is left as it was
  });

  it('share equal versions and lifetimes between tunnels', () => {
    const other = { ...record, vpn: 'vpn-b', ikeVersion: { value: 2, assumed: false } };
    const view = readConfig({ tunnels: [record, other], caProfiles: [] });
    const [a, b] = view?.tunnels ?? [];
    expect(a?.ikeVersion).toBe(b?.ikeVersion);
    expect(a?.ipsecLifetimeSeconds).toBe(b?.ipsecLifetimeSeconds);
    expect(a?.ikeLifetimeSeconds).toEqual({ value: 3600, assumed: true });
    // Read again (a snapshot restored), the records already share: they are kept as they are.
    const again = readConfig(view?.model);
    expect(again?.tunnels[0]).toBe(a);
  });

  it('keep a setting with other keys or another key order as it is', () => {
    const odd = {
      ...record,
      ikeLifetimeSeconds: { assumed: true, value: 3600 },
      ipsecLifetimeSeconds: { value: 28_800, assumed: false, note: 'x' },
    };
    const data = { tunnels: [odd], caProfiles: [] };
    const before = JSON.stringify(data);
    expect(JSON.stringify(readConfig(data)?.model)).toBe(before);
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
