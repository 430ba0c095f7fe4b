import type { RouterState, Tunnel } from '../../domain/sa/state.js';
import { captureTunnel, type Capture } from './capture.js';
import { escapeLabelValue } from './exposition.js';
import type { LifecycleCounters, RouterCounters } from './lifecycleCounters.js';
import { isOverdue, priority, stateCode, TUNNEL_STATES } from './tunnelFacts.js';
import type { TunnelIndex } from './tunnelIndex.js';

// The first pass of a scrape: every tunnel of every router once, for the per-router aggregates
// (not capped), the values of its series, and the choice of the tunnels that get them.

export interface RouterSummary {
  readonly state: RouterState;
  /** `router="…"`, encoded. */
  readonly label: Buffer;
  /** Tunnels by state code (TUNNEL_STATES order). */
  readonly tunnels: number[];
  /** Current IPsec SAs not overdue, and overdue. */
  live: number;
  overdue: number;
  readonly counters: RouterCounters | undefined;
}

/** A router's tunnels as surveyed: sorted by id, their label prefixes, where they start. */
interface Surveyed {
  readonly summary: RouterSummary;
  readonly sorted: readonly Tunnel[];
  readonly labels: readonly Buffer[];
  /** Survey index of its first tunnel. */
  readonly start: number;
}

export interface Survey {
  readonly routers: readonly RouterSummary[];
  /** How many tunnels get per-tunnel series; the arrays below are indexed 0 … exported − 1. */
  readonly exported: number;
  /** Label prefix and state code of each exported tunnel, by router then tunnel id. */
  readonly prefixes: readonly Buffer[];
  readonly codes: Uint8Array;
  /** Tunnels left out by the cap. */
  readonly dropped: number;
}

/** Lets the event loop run when a pass has been busy for too long. */
export type Pause = () => Promise<void>;

/**
 * Ids that became aliases (a bare VPN learning its traffic selector, a provisional tunnel
 * merged into its named one) pass their counts to the tunnel; ids of tunnels that left the
 * projection lose theirs.
 */
function reconcile(counters: RouterCounters, state: RouterState, sorted: readonly Tunnel[]): void {
  if (counters.tunnels.size === 0) return;
  for (const tunnel of sorted) {
    const aliases = tunnel.extra?.aliases;
    if (aliases === undefined) continue;
    for (const alias of aliases) {
      const old = counters.tunnels.get(alias);
      if (old === undefined) continue;
      counters.tunnel(tunnel.id).absorb(old);
      counters.tunnels.delete(alias);
    }
  }
  if (counters.tunnels.size > state.tunnels.size) {
    for (const id of counters.tunnels.keys())
      if (!state.tunnels.has(id)) counters.tunnels.delete(id);
  }
}

/** Typed arrays reused by every scrape. */
class Scratch {
  codes = new Uint8Array(0);
  ranks = new Uint8Array(0);
  /** The index in `routers` of each tunnel's router. */
  owners = new Int32Array(0);
  /** Survey indices of the exported tunnels, ascending. */
  picked = new Int32Array(0);
  /** State codes of the exported tunnels. */
  exportedCodes = new Uint8Array(0);

  prepare(total: number): void {
    if (this.codes.length >= total) return;
    const size = Math.ceil(total * 1.25);
    this.codes = new Uint8Array(size);
    this.ranks = new Uint8Array(size);
    this.owners = new Int32Array(size);
    this.picked = new Int32Array(size);
    this.exportedCodes = new Uint8Array(size);
  }
}

// The loops over tunnels are plain functions and the async survey only calls them and pauses in
// between: V8 kept recompiling an async function that held the loops (the objects of a scrape
// its optimized code refers to die with each full GC), 28 times in 26 scrapes at ~80 ms of CPU
// each.

/** Counts a router's tunnels [from, to) into its summary, their codes and ranks into scratch. */
function countTunnels(
  scratch: Scratch,
  router: Surveyed,
  owner: number,
  from: number,
  to: number,
  rankSizes: number[],
): void {
  const { codes, ranks, owners } = scratch;
  const { summary, sorted, start } = router;
  const { state, tunnels } = summary;
  let live = 0;
  let overdue = 0;
  for (let k = from; k < to; k++) {
    const tunnel = sorted[k]!;
    const code = stateCode(state, tunnel);
    tunnels[code]!++;
    const { inbound, outbound } = tunnel;
    if (inbound !== null) {
      if (isOverdue(inbound)) overdue++;
      else live++;
    }
    if (outbound !== null) {
      if (isOverdue(outbound)) overdue++;
      else live++;
    }
    const rank = priority(code, tunnel);
    rankSizes[rank]!++;
    const at = start + k;
    codes[at] = code;
    ranks[at] = rank;
    owners[at] = owner;
  }
  summary.live += live;
  summary.overdue += overdue;
}

/**
 * Over the cap, broken tunnels are kept first, then rekeying ones, then the rest, each rank in
 * router then tunnel id order: the same state always exports the same tunnels. Writes their
 * survey indices into `scratch.picked`; returns how many.
 */
function pick(scratch: Scratch, total: number, keep: number, rankSizes: number[]): number {
  const { ranks, picked } = scratch;
  if (keep >= total) {
    for (let i = 0; i < total; i++) picked[i] = i;
    return total;
  }
  let lastRank = 0;
  let room = keep;
  while (lastRank < 2 && room > rankSizes[lastRank]!) {
    room -= rankSizes[lastRank]!;
    lastRank++;
  }
  let kept = 0;
  for (let i = 0; i < total && kept < keep; i++) {
    const rank = ranks[i]!;
    if (rank > lastRank) continue;
    if (rank === lastRank) {
      if (room === 0) continue;
      room--;
    }
    picked[kept++] = i;
  }
  return kept;
}

/** Reads the exported tunnels [from, to) into the capture, with their prefixes and codes. */
function captureRange(
  scratch: Scratch,
  routers: readonly Surveyed[],
  capture: Capture,
  prefixes: Buffer[],
  from: number,
  to: number,
): void {
  const { picked, owners, codes, exportedCodes } = scratch;
  for (let j = from; j < to; j++) {
    const i = picked[j]!;
    const { summary, sorted, labels, start } = routers[owners[i]!]!;
    const tunnel = sorted[i - start]!;
    prefixes[j] = labels[i - start]!;
    exportedCodes[j] = codes[i]!;
    captureTunnel(capture, j, summary.state, tunnel, summary.counters?.tunnels.get(tunnel.id));
  }
}

/** Tunnels counted or captured between two pauses. */
const CHUNK = 1024;

export class Surveyor {
  private readonly scratch = new Scratch();

  constructor(
    private readonly index: TunnelIndex,
    private readonly lifecycle: LifecycleCounters,
    readonly capture: Capture,
  ) {}

  async survey(states: readonly RouterState[], cap: number, pause: Pause): Promise<Survey> {
    let total = 0;
    for (const state of states) total += state.tunnels.size;
    const { scratch, capture } = this;
    scratch.prepare(total);
    const surveyed: Surveyed[] = [];
    const rankSizes = [0, 0, 0];
    let at = 0;
    for (const state of states) {
      const { sorted, bytes: labels } = this.index.of(state);
      const counters = this.lifecycle.routers.get(state.router);
      if (counters !== undefined) reconcile(counters, state, sorted);
      const summary: RouterSummary = {
        state,
        label: Buffer.from(`router="${escapeLabelValue(state.router)}"`, 'utf8'),
        tunnels: TUNNEL_STATES.map(() => 0),
        live: 0,
        overdue: 0,
        counters,
      };
      const router: Surveyed = { summary, sorted, labels, start: at };
      surveyed.push(router);
      // the state may have gained tunnels since they were counted (a pause let the fold run)
      const count = Math.min(sorted.length, total - at);
      for (let from = 0; from < count; from += CHUNK) {
        countTunnels(
          scratch,
          router,
          surveyed.length - 1,
          from,
          Math.min(count, from + CHUNK),
          rankSizes,
        );
        await pause();
      }
      at += count;
    }
    // Counts of routers not in `states` stay: a partition being restored folds (and counts)
    // before its routers are visible, and a handed-over router may come back.

    const kept = pick(scratch, at, Math.max(0, Math.min(cap, at)), rankSizes);
    // Only the exported tunnels' values are read, into arrays indexed by their order of export
    // (read in that order by every family): with the default cap a large fleet exports a
    // fraction of its tunnels, and reading a tunnel's records costs more than counting it.
    capture.prepare(kept);
    const prefixes: Buffer[] = new Array<Buffer>(kept);
    for (let from = 0; from < kept; from += CHUNK) {
      captureRange(scratch, surveyed, capture, prefixes, from, Math.min(kept, from + CHUNK));
      await pause();
    }
    return {
      routers: surveyed.map(({ summary }) => summary),
      exported: kept,
      prefixes,
      codes: scratch.exportedCodes,
      dropped: at - kept,
    };
  }
}
