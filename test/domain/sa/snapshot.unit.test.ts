import { describe, expect, it } from 'vitest';
import { fromSnapshot, initialState, toSnapshot } from '../../../src/domain/sa/index.js';
import {
  badSpi,
  clock,
  config,
  configModel,
  ikeUp,
  saPair,
  tunnelUp,
} from '../support/observations.js';
import { fold } from '../support/spec.js';

const history = [
  config({
    t: 0,
    model: configModel([{ vpn: 'vpn-a', ipsecLifetime: 3600, respondBadSpi: true }]),
  }),
  ...saPair({ t: 0, remote: '198.51.100.9', in: '0x55555555', out: '0x66666666' }),
  ikeUp({ t: 0 }),
  ...saPair({ t: 0, in: '0x11111111', out: '0x22222222' }),
  tunnelUp({ t: 1 }),
  badSpi({ t: 100, peer: '203.0.113.5' }),
];

describe('snapshots', () => {
  it('are JSON with sorted keys: the same state gives the same bytes', () => {
    const a = JSON.stringify(toSnapshot(fold(history).state));
    const b = JSON.stringify(toSnapshot(fold(history).state));
    expect(a).toBe(b);
    const keys = Object.keys(JSON.parse(a) as object);
    expect(keys).toEqual([...keys].sort());
  });

  it('round-trip: fromSnapshot(toSnapshot(s)) snapshots to the same bytes', () => {
    const { state } = fold(history);
    const json = JSON.stringify(toSnapshot(state));
    expect(JSON.stringify(toSnapshot(fromSnapshot(JSON.parse(json))))).toBe(json);
  });

  it('a restored state fires the same deadlines (its heap is rebuilt from the live SAs)', () => {
    const { state } = fold(history);
    const restored = fromSnapshot(JSON.parse(JSON.stringify(toSnapshot(state))));
    const tick = [clock({ t: 40_000 })];
    expect(JSON.stringify(fold(tick, { state: restored }).events)).toBe(
      JSON.stringify(fold(tick, { state }).events),
    );
  });

  it('keep the settings, sequence and aliases', () => {
    const { state } = fold(history, { settings: { graceSeconds: 5 } });
    const restored = fromSnapshot(toSnapshot(state));
    expect(restored.settings.graceSeconds).toBe(5);
    expect(restored.seq).toBe(state.seq);
    expect([...restored.aliases]).toEqual([...state.aliases].sort());
  });

  it('refuse a foreign document', () => {
    expect(() => fromSnapshot({ v: 2 })).toThrow(/snapshot/);
    expect(toSnapshot(initialState('r1'))).toMatchObject({ v: 1, router: 'r1', tunnels: [] });
  });
});
