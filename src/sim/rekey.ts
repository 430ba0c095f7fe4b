import type { SimRole } from './configs/end.js';

// junos-ipsec.md: the soft lifetime is hard − 135 s for the initiator, hard − 90 s for the
// responder; whichever end reaches its soft deadline first starts the rekey.

export const SOFT_LEAD_SECONDS: Record<SimRole, number> = { initiator: 135, responder: 90 };
/** Seeded jitter around the soft deadline, seconds (both ways). */
export const REKEY_JITTER_SECONDS = 5;

export function softDeadlineMs(hardMs: number, role: SimRole): number {
  return hardMs - SOFT_LEAD_SECONDS[role] * 1000;
}

/** When an end starts the rekey: its soft deadline moved by `jitterSeconds`. */
export function rekeyStartMs(hardMs: number, role: SimRole, jitterSeconds: number): number {
  return softDeadlineMs(hardMs, role) + jitterSeconds * 1000;
}

/** IKEv1 negotiates the lifetime (the shorter wins); IKEv2 keeps each end's own. */
export function negotiatedLifetime(version: 1 | 2, mine: number, peer: number): number {
  return version === 1 ? Math.min(mine, peer) : mine;
}
