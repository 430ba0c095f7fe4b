import fc from 'fast-check';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { CollectMetrics } from '../../src/collect/metrics.js';

// The observation counter is kept in plain numbers on the hot path and handed to prom-client
// when read: whatever the order of counts and reads, a read gives every count so far, by label.

const sources = ['syslog', 'snmp', 'clock'];
const kinds = ['tunnel-up', 'tunnel-down', 'ipsec-sa-established', 'clock', 'unrecognized'];

const step = fc.oneof(
  fc.record({ source: fc.constantFrom(...sources), kind: fc.constantFrom(...kinds) }),
  fc.constant('read' as const),
);

async function observations(registry: Registry): Promise<Map<string, number>> {
  const { values } = await registry.getSingleMetric('samon_observations_total')!.get();
  return new Map(values.map((v) => [`${v.labels.source}/${v.labels.kind}`, v.value]));
}

describe('CollectMetrics observation counts', () => {
  it('read back as counted, by source and kind, across reads', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 200 }), async (steps) => {
        const registry = new Registry();
        const metrics = new CollectMetrics(registry);
        const expected = new Map<string, number>();
        for (const s of steps) {
          if (s === 'read') {
            const got = await observations(registry);
            for (const [key, n] of expected) expect(got.get(key)).toBe(n);
            continue;
          }
          metrics.countObservation(s.source, s.kind);
          const key = `${s.source}/${s.kind}`;
          expected.set(key, (expected.get(key) ?? 0) + 1);
        }
        const got = await observations(registry);
        expect(new Map([...got].filter(([, n]) => n > 0))).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
