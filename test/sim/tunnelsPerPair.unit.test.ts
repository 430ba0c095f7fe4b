import { describe, expect, it } from 'vitest';
import { parseJunosConfig } from '../../src/junos/config/index.js';
import { replayObservations } from '../../src/project/replay.js';
import { simulateTunnel } from '../../src/sim/engine.js';
import { buildFleet } from '../../src/sim/fleet.js';
import { compareLifecycle, SCENARIOS, simulate } from '../../src/sim/index.js';
import { seededRandom } from '../../src/sim/random.js';
import { SCENARIO_SPECS } from '../../src/sim/scenarios.js';
import { configChangesOf, configsOf, observationsOf, START } from './helpers.js';

// Several tunnels between the same two routers, each on its own gateway address pair: every
// tunnel is identifiable from its lines, as on a real network, and the replay matches the truth.

describe('fleet: several tunnels per router pair', () => {
  it('leaves the default fleet as it was: tunnelsPerPair 1 is the same configuration text', () => {
    const plain = buildFleet({ routers: 8, random: seededRandom(5) });
    const one = buildFleet({ routers: 8, random: seededRandom(5), tunnelsPerPair: 1 });
    expect(one.routers.map((r) => r.configText)).toEqual(plain.routers.map((r) => r.configText));
    expect(plain.routers.every((r) => r.addresses.length === 1)).toBe(true);
  });

  it('gives each tunnel of a pair its own gateway addresses, the same in both ends’ configurations', () => {
    const plain = buildFleet({ routers: 12, random: seededRandom(1), neighbours: 5 });
    const fleet = buildFleet({
      routers: 12,
      random: seededRandom(1),
      neighbours: 5,
      tunnelsPerPair: 5,
    });
    expect(fleet.tunnels).toHaveLength(5 * plain.tunnels.length);
    const gateways = fleet.tunnels.map((t) =>
      [t.initiator.localAddress, t.initiator.remoteAddress].sort().join(' '),
    );
    expect(new Set(gateways).size).toBe(fleet.tunnels.length);
    const routerPairs = new Set(
      fleet.tunnels.map((t) => [t.initiator.router, t.responder.router].sort().join(' ')),
    );
    expect(routerPairs.size).toBe(plain.tunnels.length);

    const models = new Map(
      fleet.routers.map((r) => {
        const parsed = parseJunosConfig(r.configText);
        expect(parsed.problems, r.name).toEqual([]);
        return [r.name, parsed.model];
      }),
    );
    for (const t of fleet.tunnels) {
      expect(t.initiator.localAddress).toBe(t.responder.remoteAddress);
      expect(t.responder.localAddress).toBe(t.initiator.remoteAddress);
      for (const end of [t.initiator, t.responder]) {
        const found = models.get(end.router)!.tunnels.find((x) => x.vpn === end.vpn)!;
        expect({ local: found.localAddress, remote: found.remoteAddress }, end.vpn).toEqual({
          local: end.localAddress,
          remote: end.remoteAddress,
        });
      }
    }
    for (const r of fleet.routers) {
      expect(r.addresses).toHaveLength(5);
      for (const a of r.addresses) expect(r.configText).toContain(`address ${a}/24;`);
      expect(r.addresses.every((a) => /^(198\.51\.100|203\.0\.113)\.\d+$/.test(a))).toBe(true);
    }
  });

  it('keeps --address-prefix for the extra addresses and refuses more than one /24 holds', () => {
    const fleet = buildFleet({
      routers: 4,
      random: seededRandom(2),
      tunnelsPerPair: 3,
      addressPrefix: '10.77',
    });
    expect(fleet.routers.flatMap((r) => r.addresses).every((a) => a.startsWith('10.77.'))).toBe(
      true,
    );
    expect(() => buildFleet({ routers: 50, random: seededRandom(2), tunnelsPerPair: 5 })).toThrow(
      /one \/24/,
    );
  });

  it('replays every scenario at three tunnels per pair into exactly the truth', () => {
    const sim = simulate({
      routers: 6,
      scenarios: [...SCENARIOS],
      seed: 7,
      startMs: START,
      durationSeconds: 86_400,
      tunnelsPerPair: 3,
    });
    expect(sim.fleet.tunnels.length).toBeGreaterThanOrEqual(2 * SCENARIOS.length);
    const { events } = replayObservations({
      files: [observationsOf(sim), configChangesOf(sim)],
      configs: configsOf(sim),
      nowMs: START + 86_400_000,
    });
    const c = compareLifecycle(sim.truth, events, {
      types: [...new Set(sim.truth.map((e) => e.type))],
      toleranceMs: 1000,
    });
    expect({ missing: c.missing.slice(0, 3), extra: c.extra.slice(0, 3) }).toEqual({
      missing: [],
      extra: [],
    });
    expect(c.matched).toBe(sim.truth.length);
  });
});

describe('traffic-selector mismatch', () => {
  it('keeps rekeying the IKE SA after the last refused phase 2, to the end of the run', () => {
    const fleet = buildFleet({
      routers: 2,
      random: seededRandom(3),
      tweak: () => (pair) => {
        SCENARIO_SPECS['traffic-selector-mismatch'].tweak?.(pair);
        for (const end of [pair.initiator, pair.responder]) {
          end.ikeLifetime = 180;
          end.ipsecLifetime = 180;
        }
      },
    });
    // Runs ending anywhere in a four-minute retry interval: the last IKE SA outlives each.
    for (let seconds = 600; seconds < 840; seconds += 15) {
      const endMs = START + seconds * 1000;
      let spi = 0x1000_0000;
      const { truth } = simulateTunnel(
        fleet.tunnels[0]!,
        'traffic-selector-mismatch',
        seededRandom(4),
        START,
        endMs,
        () => ++spi,
      );
      const established = truth.filter((e) => e.type === 'IkeSaEstablished');
      expect(established.length).toBeGreaterThan(2);
      const lastHard = Math.max(
        ...established.map((e) => Date.parse((e.data as { hardDeadline: string }).hardDeadline)),
      );
      expect(lastHard, `run of ${seconds} s`).toBeGreaterThanOrEqual(endMs);
    }
  });
});
