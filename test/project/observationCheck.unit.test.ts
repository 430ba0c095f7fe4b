import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { Observation, OBSERVATION_KINDS } from '../../src/domain/observation.js';
import { checkedObservation } from '../../src/project/observationCheck.js';
import { observation as validObservation } from '../domain/support/arbitraries.js';

// The projector's structural check against zod, the reference: whenever the check vouches for a
// value, zod accepts it and returns the same thing, key order included. Values are built from
// the zod shapes themselves (every field of every kind, a schema change included), mostly valid,
// with wrong types, missing fields, unknown keys and shuffled key orders mixed in.

type Shape = Record<string, z.ZodType>;

/** Values of every type the shapes use, valid for some fields and wrong for others. */
const POOL: readonly unknown[] = [
  '',
  'x',
  'r1',
  'inbound',
  'outbound',
  'initiator',
  'responder',
  '0x1234abcd',
  '0x1234ABCD',
  '0x123',
  'no-proposal-chosen',
  'timed-out',
  'unknown',
  'up',
  'down',
  'active',
  'inactive',
  'expiring',
  'srx',
  'mx',
  'esp',
  'crl-download',
  'syslog',
  'snmp',
  'clock',
  '2026-11-27T00:00:00.000Z',
  '2024-02-29T23:59:59.999Z',
  '2026-02-29T00:00:00.000Z',
  '2026-11-27T00:00:00Z',
  '2026-11-27T24:00:00.000Z',
  0,
  1,
  2,
  -1,
  1.5,
  500,
  65_535,
  65_536,
  2 ** 53,
  true,
  false,
  null,
  {},
  [],
  ['a', 'b'],
  [1],
  { ip: '10.0.0.1' },
  { ip: '10.0.0.1', port: 500 },
  { port: 4500, ip: '10.0.0.2' },
  { ip: '10.0.0.1', port: 70_000 },
  { ip: 1 },
  { ip: '10.0.0.1', port: 500, extra: 'kept' },
  { a: '1', b: '2' },
  { a: 1 },
  { gw: { ikeLifetimeSeconds: 3600 } },
  [{ oid: '1.3.6', value: 1 }],
];

function variantShape(kind: string): Shape {
  const variant = Observation.options.find((o) => o.shape.kind.safeParse(kind).success);
  if (!variant) throw new Error(`no variant for ${kind}`);
  return variant.shape;
}

/** Per field of a shape: the pool values zod accepts there (the mostly-valid choice). */
function validValues(shape: Shape): Map<string, unknown[]> {
  return new Map(
    Object.entries(shape).map(([field, schema]) => [
      field,
      POOL.filter((v) => schema.safeParse(v).success),
    ]),
  );
}

/** An object of a shape: each field present or not, valid or any value, extras, any order. */
function objectOf(
  shape: Shape,
  given: Record<string, fc.Arbitrary<unknown>> = {},
): fc.Arbitrary<unknown> {
  const valid = validValues(shape);
  const fields = Object.keys(shape).map((field) => {
    const good = valid.get(field) ?? [];
    const required = !shape[field]!.safeParse(undefined).success;
    const value =
      given[field] ??
      (good.length > 0
        ? fc.oneof(
            { weight: 9, arbitrary: fc.constantFrom(...good) },
            { weight: 1, arbitrary: fc.constantFrom(...POOL) },
          )
        : fc.constantFrom(...POOL));
    const presence = required ? fc.double({ min: 0, max: 1 }).map((x) => x < 0.95) : fc.boolean();
    return fc.tuple(fc.constant(field), presence, value);
  });
  const extras = fc.array(
    fc.tuple(fc.constantFrom('extra', 'zz', 'note'), fc.constantFrom(...POOL)),
    {
      maxLength: 2,
    },
  );
  return fc
    .tuple(fc.tuple(...fields), extras, fc.boolean(), fc.nat())
    .map(([entries, extra, shuffle, seed]) => {
      const pairs: [string, unknown][] = entries
        .filter(([, present]) => present)
        .map(([field, , value]) => [field, value]);
      pairs.push(...extra);
      if (shuffle) {
        let s = seed;
        for (let i = pairs.length - 1; i > 0; i--) {
          s = (s * 1_103_515_245 + 12_345) >>> 0;
          const j = s % (i + 1);
          [pairs[i], pairs[j]] = [pairs[j]!, pairs[i]!];
        }
      }
      return Object.fromEntries(pairs);
    });
}

/** Per kind (and a kind no schema has), objects built from that kind's shapes. */
const byKind = [...OBSERVATION_KINDS, 'no-such-kind'].map((kind) => {
  const shape = variantShape(OBSERVATION_KINDS.includes(kind as never) ? kind : 'clock');
  const dataShape = (shape.data as unknown as { shape: Shape }).shape;
  return objectOf(shape, { kind: fc.constant(kind), data: objectOf(dataShape) });
});
const candidate: fc.Arbitrary<unknown> = fc.oneof(...byKind);

/** Values as the log holds them: the projector checks what JSON.parse returns. */
const viaJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('checkedObservation against zod', () => {
  it('vouches only for values zod accepts, and returns what zod returns, key order included', () => {
    let vouched = 0;
    let accepted = 0;
    fc.assert(
      fc.property(candidate, (raw) => {
        const value = viaJson(raw);
        const reference = Observation.safeParse(value);
        if (reference.success) accepted++;
        const checked = checkedObservation(value);
        if (checked === undefined) return;
        vouched++;
        expect(reference.success).toBe(true);
        expect(JSON.stringify(checked)).toBe(JSON.stringify(reference.data));
        // The value it returns is JSON (nothing undefined that stringify would hide).
        expect(checked).toStrictEqual(reference.data);
      }),
      { numRuns: 8_000 },
    );
    // Not vacuous: most values zod accepts take the fast path.
    expect(accepted).toBeGreaterThan(800);
    expect(vouched).toBeGreaterThan(accepted / 2);
  }, 60_000);

  it('takes every valid syslog-, SNMP- or config-kind observation of the fold arbitraries', () => {
    fc.assert(
      fc.property(validObservation, (o) => {
        const value = viaJson(o);
        const reference = Observation.parse(value);
        const checked = checkedObservation(value);
        if (['snmp-trap', 'junos-peers'].includes(o.kind)) return;
        expect(checked).toStrictEqual(reference);
        expect(JSON.stringify(checked)).toBe(JSON.stringify(reference));
      }),
      { numRuns: 2_000 },
    );
  });

  it('returns the value itself when its keys already come in zod order, a copy otherwise', () => {
    const inOrder = viaJson({
      v: 1,
      router: 'r1',
      time: '2026-11-27T00:00:00.000Z',
      source: 'syslog',
      raw: 'line',
      kind: 'ipsec-sa-established',
      data: { remoteGateway: '10.0.0.2', direction: 'inbound', spi: '0x1234abcd' },
    });
    expect(checkedObservation(inOrder)).toBe(inOrder);
    // What the collectors write: kind second.
    const collector = viaJson({
      v: 1,
      kind: 'ike-sa-established',
      router: 'r1',
      time: '2026-11-27T00:00:00.000Z',
      source: 'syslog',
      raw: 'line',
      data: { remote: { port: 500, ip: '10.0.0.2' }, vpn: 'v' },
    });
    const checked = checkedObservation(collector);
    expect(checked).not.toBe(collector);
    expect(JSON.stringify(checked)).toBe(JSON.stringify(Observation.parse(collector)));
  });

  it('leaves invalid values and unknown kinds to zod', () => {
    const base = {
      v: 1,
      router: 'r1',
      time: '2026-11-27T00:00:00.000Z',
      source: 'syslog',
      raw: 'line',
      kind: 'ipsec-sa-established',
      data: { direction: 'inbound', spi: '0x1234abcd' },
    };
    expect(checkedObservation(base)).toBeDefined();
    for (const bad of [
      { ...base, v: 2 },
      { ...base, router: '' },
      { ...base, time: '2026-11-27T00:00:00Z' },
      { ...base, kind: 'no-such-kind' },
      { ...base, data: { direction: 'inbound', spi: '0x1234ABCD' } },
      { ...base, data: { direction: 'inbound' } },
      { ...base, data: { direction: 'sideways', spi: '0x1234abcd' } },
      { ...base, data: { direction: 'inbound', spi: '0x1234abcd', localGateway: 7 } },
      { ...base, data: [] },
      [],
      null,
      'text',
    ]) {
      expect(checkedObservation(viaJson(bad))).toBeUndefined();
    }
  });
});
