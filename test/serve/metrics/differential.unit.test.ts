import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../../src/domain/observation.js';
import { evolve, initialState, type RouterState } from '../../../src/domain/sa/index.js';
import { SaMetrics } from '../../../src/serve/metrics/index.js';
import {
  badSpi,
  certFailed,
  clock,
  config,
  configModel,
  ikeFailed,
  ikeUp,
  ipsecFailed,
  saPair,
  tunnelDown,
  tunnelUp,
} from '../../domain/support/observations.js';
import { SaMetrics as ReferenceMetrics } from './reference/saMetrics.js';

// The renderer against the one it replaced (./reference, the exporter as of c537bdb, kept
// only for this test): on the same folded states and lifecycle events, byte for byte, across
// scrapes with more folding in between (the label prefixes and scratch arrays are reused).

type Step =
  | { readonly kind: 'ike' | 'sa' | 'up' | 'down' | 'bad-spi' | 'ike-fail' | 'ipsec-fail' }
  | { readonly kind: 'cert' }
  | { readonly kind: 'clock'; readonly seconds: number };

interface Fleet {
  /** Per router: tunnels, each configured or not. */
  readonly routers: readonly (readonly boolean[])[];
  /** Steps, each for one (router, tunnel), in time order, split into scrapes. */
  readonly scrapes: readonly (readonly { router: number; tunnel: number; step: Step }[])[];
  readonly cap: number;
}

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constantFrom<Step>(
    { kind: 'ike' },
    { kind: 'sa' },
    { kind: 'sa' },
    { kind: 'up' },
    { kind: 'down' },
    { kind: 'bad-spi' },
    { kind: 'ike-fail' },
    { kind: 'ipsec-fail' },
    { kind: 'cert' },
  ),
  fc.integer({ min: 1, max: 40_000 }).map((seconds): Step => ({ kind: 'clock', seconds })),
);

const fleet: fc.Arbitrary<Fleet> = fc
  .array(fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 4 })
  .chain((routers) =>
    fc.record({
      routers: fc.constant(routers),
      scrapes: fc.array(
        fc.array(
          fc.record({
            router: fc.nat(routers.length - 1),
            tunnel: fc.nat(7),
            step,
          }),
          { maxLength: 40 },
        ),
        { minLength: 1, maxLength: 3 },
      ),
      cap: fc.nat(routers.length * 8 + 2),
    }),
  );

const routerName = (r: number): string => `srx-${r}`;
const vpn = (r: number, k: number): string => `vpn-${r}-${k}`;
const peer = (r: number, k: number): string => `198.51.${r}.${k + 1}`;
const LOCAL = '10.0.0.1';

function observations(f: Fleet, scrape: number, clockAt: number[]): Observation[] {
  const out: Observation[] = [];
  if (scrape === 0)
    f.routers.forEach((configured, r) => {
      const tunnels = configured.flatMap((on, k) =>
        on ? [{ vpn: vpn(r, k), remote: peer(r, k), local: LOCAL, ipsecLifetime: 3600 }] : [],
      );
      out.push(config({ t: 0, router: routerName(r), model: configModel(tunnels) }));
    });
  let spi = 0x1000 * (scrape + 1);
  for (const { router: r, tunnel, step: s } of f.scrapes[scrape] ?? []) {
    const k = Math.min(tunnel, f.routers[r]!.length - 1);
    const router = routerName(r);
    const t = (clockAt[r] = clockAt[r]! + 1);
    const where = { t, router, vpn: vpn(r, k), remote: peer(r, k), local: LOCAL };
    switch (s.kind) {
      case 'ike':
        out.push(ikeUp(where));
        break;
      case 'sa':
        out.push(
          ...saPair({
            ...where,
            in: `0x${(spi++).toString(16).padStart(8, '0')}`,
            out: `0x${(spi++).toString(16).padStart(8, '0')}`,
          }),
        );
        break;
      case 'up':
        out.push(tunnelUp({ ...where, peer: peer(r, k) }));
        break;
      case 'down':
        out.push(tunnelDown({ ...where, peer: peer(r, k), reason: 'dpd-peer-dead' }));
        break;
      case 'bad-spi':
        out.push(badSpi({ t, router, spi: '0xdeadbeef', peer: peer(r, k) }));
        break;
      case 'ike-fail':
        out.push(
          ikeFailed({ ...where, reason: 'no-proposal-chosen', reasonText: 'No proposal chosen' }),
        );
        break;
      case 'ipsec-fail':
        out.push(
          ipsecFailed({ ...where, reason: 'no-proposal-chosen', reasonText: 'No proposal chosen' }),
        );
        break;
      case 'cert':
        out.push(certFailed({ t, router, check: 'crl-download', caProfile: 'corp' }));
        break;
      case 'clock':
        clockAt[r] = t + s.seconds;
        out.push(clock({ t: clockAt[r], router }));
        break;
    }
  }
  return out;
}

describe('the exporter against the renderer it replaced', () => {
  it('writes the same bytes for the same states, scrape after scrape', async () => {
    await fc.assert(
      fc.asyncProperty(fleet, async (f) => {
        const states = new Map<string, RouterState>();
        const options = { states: () => [...states.values()], maxTunnelSeries: f.cap };
        const current = new SaMetrics(options);
        const reference = new ReferenceMetrics(options);
        const clockAt = f.routers.map(() => 0);
        for (let scrape = 0; scrape < f.scrapes.length; scrape++) {
          for (const observation of observations(f, scrape, clockAt)) {
            const state =
              states.get(observation.router) ??
              initialState(observation.router, { settings: { silenceGapSeconds: 86_400 } });
            const { state: next, events } = evolve(state, observation);
            states.set(observation.router, next);
            current.onEvents(events);
            reference.onEvents(events);
          }
          const [ours, theirs] = await Promise.all([
            current.render('# head\n'),
            reference.render('# head\n'),
          ]);
          expect(ours.toString('utf8')).toBe(theirs.toString('utf8'));
        }
      }),
      { numRuns: 150 },
    );
  });
});
