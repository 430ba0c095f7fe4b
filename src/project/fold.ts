import type { LifecycleEvent, Observation } from '../domain/index.js';

/**
 * What the projector needs from the domain fold, whatever its state looks like. The fold is
 * per router: one state per router, evolved by that router's observations in log order.
 */
export interface RouterFold<S> {
  initial(router: string): S;
  evolve(state: S, observation: Observation): { state: S; events: readonly LifecycleEvent[] };
  /** Plain JSON, deterministic (same state → same text). */
  snapshot(state: S): unknown;
  restore(snapshot: unknown): S;
}
