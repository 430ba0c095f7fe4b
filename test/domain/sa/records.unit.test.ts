import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evidenceRef, evidenceText, IkeSa, IpsecSa, Tunnel } from '../../../src/domain/sa/state.js';

// SA and tunnel records keep times as two small integers and `partition@offset` ids as one
// number: every value must read back exactly as it was given.

const tunnel = new Tunnel('r/vpn', 'vpn', undefined, false);
const ipsec = (ms: number, evidence: string) => new IpsecSa(1, ms, 3600, 0, 0, tunnel, evidence);

const times = fc.oneof(
  fc.integer({ min: 0, max: 4_102_444_800_000 }), // 1970–2100
  fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
  fc.double({ noNaN: false }),
  fc.constantFrom(-1, 0, 4_194_303, 4_194_304, -4_194_304, 2 ** 52, -(2 ** 52), Infinity, NaN),
);

describe('SA records', () => {
  it('read back every time as given', () => {
    fc.assert(
      fc.property(times, times, (a, b) => {
        const sa = ipsec(a, 'x');
        expect(sa.establishedMs).toBe(a);
        sa.establishedMs = b;
        expect(sa.establishedMs).toBe(b);
        const ike = new IkeSa(a, 3600, 0, 0, tunnel, 'x', undefined, undefined);
        expect(ike.establishedMs).toBe(a);
        const t = new Tunnel('r/v', 'v', undefined, false);
        expect(t.lastEventMs).toBe(-1);
        t.lastEventMs = a;
        expect(t.lastEventMs).toBe(a);
      }),
    );
  });

  it('read back every evidence as given', () => {
    const ids = fc
      .tuple(fc.nat({ max: 300 }), fc.oneof(fc.nat(), fc.maxSafeNat()))
      .map(([p, o]) => `${p}@${o}`);
    fc.assert(
      fc.property(fc.oneof(ids, fc.string(), fc.stringMatching(/^[0-9@]{0,20}$/)), (text) => {
        expect(ipsec(0, text).evidence).toBe(text);
        const sa = new IkeSa(0, 3600, 0, 0, tunnel, 'x', undefined, undefined);
        sa.evidence = text;
        expect(sa.evidence).toBe(text);
      }),
    );
  });

  it('pack canonical partition@offset ids only', () => {
    expect(evidenceRef('3@123456')).toBe(123456 * 256 + 3);
    expect(evidenceText(123456 * 256 + 3)).toBe('3@123456');
    expect(evidenceRef('0@0')).toBe(0);
    for (const kept of ['03@1', '1@01', '1@', '@1', '1@2@3', '256@1', '1@-2', '1@1e3', ' 1@2']) {
      expect(evidenceRef(kept)).toBe(kept);
    }
    expect(evidenceRef('1@99999999999999999')).toBe('1@99999999999999999'); // beyond 2^53
  });

  it('keep the remote endpoint of an IKE SA as given', () => {
    const sa = new IkeSa(0, 3600, 0, 0, tunnel, 'x', { ip: '10.0.0.1', port: 500 }, undefined);
    expect(sa.remote).toBeUndefined();
    sa.remote = { ip: '192.0.2.1', port: 4500 };
    expect(sa.remote).toStrictEqual({ ip: '192.0.2.1', port: 4500 });
    sa.remote = { ip: '192.0.2.2' };
    expect(sa.remote).toStrictEqual({ ip: '192.0.2.2' });
    expect(sa.local).toStrictEqual({ ip: '10.0.0.1', port: 500 });
  });
});
