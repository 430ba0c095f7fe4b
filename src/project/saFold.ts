import {
  evolve,
  fromSnapshot,
  initialState,
  toSnapshot,
  type FoldSettings,
  type RouterState,
} from '../domain/sa/index.js';
import type { Observation } from '../domain/observation.js';
import type { RouterFold } from './fold.js';

/**
 * The SA lifecycle fold of src/domain as the projector drives it. Each router's state depends on
 * its own observations only: the one cross-router rule (IKEv1 "the shorter lifetime wins") gets
 * the peer's lifetimes from `junos-peers` observations the config importer joins into each
 * router's stream (PeerJoin), so any number of projectors, on any partition interleaving, agree.
 */
export function saFold(settings: Partial<FoldSettings> = {}): RouterFold<RouterState> {
  return {
    initial: (router) => initialState(router, { settings }),
    evolve: (state: RouterState, observation: Observation) => evolve(state, observation),
    snapshot: toSnapshot,
    restore: (snapshot) => fromSnapshot(snapshot),
  };
}
