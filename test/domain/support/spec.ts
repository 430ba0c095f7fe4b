import { expect } from 'vitest';
import { LifecycleEvent } from '../../../src/domain/lifecycle.js';
import type { Observation } from '../../../src/domain/observation.js';
import {
  evolve,
  initialState,
  stateRows,
  type RouterState,
  type RouterStateOptions,
  type TunnelStateRow,
} from '../../../src/domain/sa/index.js';
import { ROUTER } from './observations.js';

// given(observations).when(observation…).then(events): the decider specification of
// emmett / EventSourcing.NodeJS, for a fold whose output is lifecycle events.

export type ExpectedEvent = Partial<Omit<LifecycleEvent, 'data'>> & {
  data?: Record<string, unknown>;
};

/** Folds observations into a fresh state; every event must satisfy the contract schema. */
export function fold(
  observations: readonly Observation[],
  options: RouterStateOptions & { readonly router?: string; readonly state?: RouterState } = {},
): { state: RouterState; events: LifecycleEvent[] } {
  let state = options.state ?? initialState(options.router ?? ROUTER, options);
  const events: LifecycleEvent[] = [];
  for (const observation of observations) {
    const result = evolve(state, observation);
    state = result.state;
    for (const event of result.events) {
      const checked = LifecycleEvent.safeParse(event);
      if (!checked.success)
        throw new Error(
          `event breaks the contract: ${JSON.stringify(event)}\n${checked.error.message}`,
        );
      events.push(event);
    }
  }
  return { state, events };
}

export function given(history: readonly Observation[], options: RouterStateOptions = {}) {
  return {
    when(...observations: Observation[]) {
      const before = fold(history, options);
      const after = fold(observations, { ...options, state: before.state });
      const outcome = {
        events: after.events,
        state: after.state,
        rows: (): TunnelStateRow[] => stateRows(after.state),
        /** Exactly these events, in this order (each compared as a subset of its fields). */
        then(expected: readonly ExpectedEvent[]) {
          expect(after.events).toMatchObject(expected);
          return outcome;
        },
        thenNothing() {
          expect(after.events).toEqual([]);
          return outcome;
        },
        thenRow(tunnel: string, expected: Partial<TunnelStateRow> | Record<string, unknown>) {
          const row = stateRows(after.state).find((r) => r.tunnel === tunnel);
          expect(row, `row of ${tunnel}`).toBeDefined();
          expect(row).toMatchObject(expected);
          return outcome;
        },
      };
      return outcome;
    },
  };
}

export const types = (events: readonly LifecycleEvent[]): string[] => events.map((e) => e.type);
