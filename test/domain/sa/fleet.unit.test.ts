import { describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '../../../src/domain/lifecycle.js';
import type { Observation } from '../../../src/domain/observation.js';
import {
  FleetConfigs,
  PeerJoin,
  readConfig,
  type RouterState,
} from '../../../src/domain/sa/index.js';
import { replayObservations } from '../../../src/project/replay.js';
import { saFold } from '../../../src/project/saFold.js';
import { config, configModel, ikeUp, saUp } from '../support/observations.js';

// IKEv1 "the shorter lifetime wins" across routers: the config importer joins the fleet's
// configurations (PeerJoin) into `junos-peers` observations in each router's own stream, which
// the projector's fold (saFold) and samon replay fold like any other observation.

const OURS = configModel([
  { vpn: 'to-r2', ikeVersion: 1, local: '10.0.0.1', remote: '10.0.0.2', ipsecLifetime: 3600 },
]);
const THEIRS = configModel([
  { vpn: 'to-srx1', ikeVersion: 1, local: '10.0.0.2', remote: '10.0.0.1', ipsecLifetime: 1800 },
]);
const ours = (t: number) => config({ t, model: OURS });
const theirs = (t: number) => config({ t, router: 'r2', model: THEIRS });
const rekey = (t: number, spi: number): Observation[] => [
  ikeUp({ t, vpn: 'to-r2', remote: '10.0.0.2', version: 1 }),
  saUp({ t, dir: 'inbound', spi: `0x${spi.toString(16).padStart(8, '0')}`, remote: '10.0.0.2' }),
];

/** What the collector appends: each configuration followed by the peer indexes it changed. */
function collected(observations: readonly Observation[], join = new PeerJoin()): Observation[] {
  return observations.flatMap((o): Observation[] =>
    o.kind === 'junos-config' ? [o, ...join.afterImport(o.router, o.data, o.time)] : [o],
  );
}

/** Drives a fold the way the projector does: one state per router, in log order. */
function project(
  observations: readonly Observation[],
  fold = saFold(),
  states = new Map<string, RouterState>(),
) {
  const events: LifecycleEvent[] = [];
  for (const o of collected(observations)) {
    const state = states.get(o.router) ?? fold.initial(o.router);
    const result = fold.evolve(state, o);
    states.set(o.router, result.state);
    events.push(...result.events);
  }
  return { events, states, fold };
}

const at0 = '2026-11-27T02:00:00.000Z';

const established = (events: readonly LifecycleEvent[]) =>
  events.filter((e) => e.type === 'IpsecSaEstablished').map((e) => e.data);

describe('the projector fold (saFold) and the peer join', () => {
  it('IKEv1 with both ends imported: the shorter (peer) lifetime wins', () => {
    const { events } = project([ours(0), theirs(0), ...rekey(10, 1)]);
    expect(established(events)).toMatchObject([
      { lifetimeSeconds: 1800, lifetimeSource: 'negotiated' },
    ]);
  });

  it('a peer configuration applies to SAs established after it is folded, not before', () => {
    const { events } = project([ours(0), ...rekey(10, 1), theirs(20), ...rekey(30, 2)]);
    expect(established(events)).toMatchObject([
      { lifetimeSeconds: 3600, lifetimeSource: 'config' },
      { lifetimeSeconds: 1800, lifetimeSource: 'negotiated' },
    ]);
  });

  it('a peer configuration change applies from then on; identical re-imports change nothing', () => {
    const longer = configModel([
      { vpn: 'to-srx1', ikeVersion: 1, local: '10.0.0.2', remote: '10.0.0.1', ipsecLifetime: 7200 },
    ]);
    const { events } = project([
      ours(0),
      theirs(0),
      ...rekey(10, 1),
      config({ t: 20, router: 'r2', model: longer }),
      ...rekey(30, 2),
    ]);
    expect(established(events)).toMatchObject([
      { lifetimeSeconds: 1800, lifetimeSource: 'negotiated' },
      { lifetimeSeconds: 3600, lifetimeSource: 'config' },
    ]);
  });

  it('a restart from snapshots gives the same events (configurations come back with the states)', () => {
    const before = [ours(0), theirs(0), ...rekey(10, 1)];
    const after = [...rekey(4000, 2), ...rekey(8000, 3)];
    const straight = project([...before, ...after]);

    const first = project(before);
    const snapshots = [...first.states.values()].map((s) => first.fold.snapshot(s));
    const fold = saFold(); // a new process: the peers come back with the states
    const states = new Map<string, RouterState>();
    for (const snapshot of JSON.parse(JSON.stringify(snapshots)) as unknown[]) {
      const state = fold.restore(snapshot);
      states.set(state.router, state);
    }
    const resumed = project(after, fold, states);
    expect(resumed.events).toEqual(straight.events.slice(first.events.length));
    expect(established(resumed.events)).toMatchObject([
      { lifetimeSeconds: 1800, lifetimeSource: 'negotiated' },
      { lifetimeSeconds: 1800, lifetimeSource: 'negotiated' },
    ]);
  });

  it('replay and the projector fold give the same events for the same observations', () => {
    const lines = [...rekey(10, 1), ...rekey(3000, 2)];
    const replayed = replayObservations({ files: [lines], configs: [ours(0), theirs(0)] });
    const projected = project([ours(0), theirs(0), ...lines]);
    // replay appends a final clock tick per router (at the last line): compare up to it
    expect(replayed.events.slice(0, projected.events.length)).toEqual(projected.events);
    expect(established(projected.events)).toHaveLength(2);
  });

  it('a router folds the same events whatever the interleaving with its peers’ streams', () => {
    // The importer's join puts everything srx1 needs into srx1's stream: process r2's stream
    // entirely before, or entirely after, srx1's (two partitions, two projectors) — same events.
    const log = collected([ours(0), theirs(0), ...rekey(10, 1), ...rekey(3000, 2)]);
    const own = log.filter((o) => o.router === 'srx1');
    const other = log.filter((o) => o.router !== 'srx1');
    const srx1 = (events: readonly LifecycleEvent[]) => events.filter((e) => e.router === 'srx1');
    const fold = (list: readonly Observation[]) => {
      const f = saFold();
      const states = new Map<string, RouterState>();
      const events: LifecycleEvent[] = [];
      for (const o of list) {
        const result = f.evolve(states.get(o.router) ?? f.initial(o.router), o);
        states.set(o.router, result.state);
        events.push(...result.events);
      }
      return events;
    };
    const before = srx1(fold([...other, ...own]));
    const after = srx1(fold([...own, ...other]));
    expect(after).toEqual(before);
    expect(established(after)).toMatchObject([
      { lifetimeSeconds: 1800, lifetimeSource: 'negotiated' },
      { lifetimeSeconds: 1800, lifetimeSource: 'negotiated' },
    ]);
  });

  it('the join appends peers only for routers whose peer index changed', () => {
    const join = new PeerJoin();
    expect(join.afterImport('srx1', OURS, at0).map((o) => o.router)).toEqual(['srx1']);
    const second = join.afterImport('r2', THEIRS, at0);
    expect(second.map((o) => [o.router, o.data.peers])).toEqual([
      ['r2', { '10.0.0.2|10.0.0.1': { ikeLifetimeSeconds: 3600, ipsecLifetimeSeconds: 3600 } }],
      ['srx1', { '10.0.0.1|10.0.0.2': { ikeLifetimeSeconds: 3600, ipsecLifetimeSeconds: 1800 } }],
    ]);
    expect(join.afterImport('r2', JSON.parse(JSON.stringify(THEIRS)), at0)).toEqual([]);
    expect(second[1]).toMatchObject({ kind: 'junos-peers', source: 'config', time: at0 });
  });

  it('IKEv2 keeps its own lifetime whatever the peer says', () => {
    const v2 = (lifetime: number, local: string, remote: string, vpn: string) =>
      configModel([{ vpn, ikeVersion: 2, local, remote, ipsecLifetime: lifetime }]);
    const { events } = project([
      config({ t: 0, model: v2(3600, '10.0.0.1', '10.0.0.2', 'to-r2') }),
      config({ t: 0, router: 'r2', model: v2(1800, '10.0.0.2', '10.0.0.1', 'to-srx1') }),
      ikeUp({ t: 10, vpn: 'to-r2', remote: '10.0.0.2', version: 2 }),
      saUp({ t: 10, dir: 'inbound', spi: '0x00000001', remote: '10.0.0.2' }),
    ]);
    expect(established(events)).toMatchObject([
      { lifetimeSeconds: 3600, lifetimeSource: 'config' },
    ]);
  });
});

describe('FleetConfigs', () => {
  const view = (model: unknown) => readConfig(model);

  it('gives a router the entries of other routers towards its configured tunnels only', () => {
    const fleet = new FleetConfigs();
    fleet.register('srx1', view(OURS));
    fleet.register('r2', view(THEIRS));
    fleet.register(
      'r3',
      view(configModel([{ vpn: 'x', local: '10.9.9.9', remote: '10.8.8.8', ipsecLifetime: 60 }])),
    );
    expect(fleet.peersFor('srx1')).toEqual({
      '10.0.0.1|10.0.0.2': { ikeLifetimeSeconds: 3600, ipsecLifetimeSeconds: 1800 },
    });
    expect(fleet.peersFor('r2')).toEqual({
      '10.0.0.2|10.0.0.1': { ikeLifetimeSeconds: 3600, ipsecLifetimeSeconds: 3600 },
    });
    expect(fleet.peersFor('nobody')).toEqual({});
  });

  it("never takes a router's own tunnels as its peer's", () => {
    const fleet = new FleetConfigs();
    const loop = configModel([{ vpn: 'self', local: '10.0.0.1', remote: '10.0.0.1' }]);
    fleet.register('srx1', view(loop));
    expect(fleet.peersFor('srx1')).toEqual({});
  });

  it('changes version only when a configuration changes', () => {
    const fleet = new FleetConfigs();
    expect(fleet.register('srx1', view(OURS))).toBe(true);
    const v = fleet.version;
    expect(fleet.register('srx1', view(JSON.parse(JSON.stringify(OURS))))).toBe(false);
    expect(fleet.version).toBe(v);
    expect(fleet.registerData('srx1', THEIRS)).toBe(true);
    expect(fleet.version).toBe(v + 1);
    expect(fleet.registerData('srx1', 'not a config')).toBe(false);
  });
});
