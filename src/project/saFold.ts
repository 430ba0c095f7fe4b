import {
  evolve,
  FleetConfigs,
  fromSnapshot,
  initialState,
  toSnapshot,
  type FoldSettings,
  type RouterState,
} from '../domain/sa/index.js';
import type { Observation } from '../domain/observation.js';
import type { RouterFold } from './fold.js';

/**
 * The SA lifecycle fold of src/domain as the projector drives it, with a fleet-level registry of
 * imported configurations for the IKEv1 rule "the shorter lifetime wins" (docs/lifecycle.md,
 * "Deadlines and lifetimes"): every `junos-config` folded, and every router state restored from
 * a snapshot, registers its configuration; before a router folds an observation its peer index is
 * rebuilt if the registry changed since. One registry per fold instance, so one per projector:
 * it sees the routers of the partitions that projector owns (all of them with the SQLite log).
 */
export function saFold(
  settings: Partial<FoldSettings> = {},
  fleet: FleetConfigs = new FleetConfigs(),
): RouterFold<RouterState> {
  const current = (state: RouterState): RouterState => {
    if (state.peersVersion !== fleet.version) {
      state.peers = fleet.peersFor(state.router);
      state.peersVersion = fleet.version;
    }
    return state;
  };
  return {
    initial: (router) => current(initialState(router, { settings })),
    evolve: (state: RouterState, observation: Observation) => {
      const result = evolve(current(state), observation);
      if (observation.kind === 'junos-config') fleet.register(state.router, state.config);
      return result;
    },
    snapshot: toSnapshot,
    restore: (snapshot) => {
      const state = fromSnapshot(snapshot);
      fleet.register(state.router, state.config);
      return state;
    },
  };
}
