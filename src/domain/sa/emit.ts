import type { LifecycleEvent, LifecycleEventOf, LifecycleType } from '../lifecycle.js';
import { LIFECYCLE_VERSION } from '../lifecycle.js';
import type { Observation } from '../observation.js';
import { isoTime as isoFromMillis } from './isoTime.js';
import type { RouterState, Tunnel } from './state.js';

/** What inferred events cite: the observation's id when it has one (short), else its raw line. */
export const evidenceOf = (observation: Observation): string => observation.id ?? observation.raw;

/**
 * Appends one lifecycle event to the observation's output. Ids are `router:seq` with a
 * per-router sequence kept in the state: the same log gives the same ids.
 */
export function emit<T extends LifecycleType>(
  state: RouterState,
  type: T,
  atMs: number,
  tunnel: Tunnel | undefined,
  inferred: boolean,
  evidence: string[],
  data: LifecycleEventOf<T>['data'],
): void {
  state.seq += 1;
  const id = `${state.router}:${state.seq}`;
  const at = isoFromMillis(atMs);
  // Two complete literals (with and without a tunnel) keep every event one fixed-shape object.
  let event: Record<string, unknown>;
  if (tunnel) {
    if (atMs > tunnel.lastEventMs) tunnel.lastEventMs = atMs;
    event = {
      v: LIFECYCLE_VERSION,
      id,
      type,
      at,
      router: state.router,
      tunnel: tunnel.id,
      inferred,
      evidence,
      data,
    };
  } else {
    event = { v: LIFECYCLE_VERSION, id, type, at, router: state.router, inferred, evidence, data };
  }
  (state.pending ??= []).push(event as LifecycleEvent);
}

/** Parses a contract SPI (`0x` + 8 hex digits) to a signed 32-bit integer; NaN when malformed. */
export function spiValue(text: string): number {
  if (text.length !== 10 || text.charCodeAt(0) !== 48 || text.charCodeAt(1) !== 120)
    return Number.NaN;
  const value = Number.parseInt(text.slice(2), 16);
  return Number.isNaN(value) ? value : value | 0;
}

export const seconds = (ms: number): number => Math.round(ms) / 1000;
