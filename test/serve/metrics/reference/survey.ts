import type { RouterState, Tunnel } from '../../../../src/domain/sa/state.js';
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

export interface Survey {
  readonly routers: readonly RouterSummary[];
  /** Every tunnel, by router then tunnel id, with its label prefix and state code. */
  readonly tunnels: readonly Tunnel[];
  readonly prefixes: readonly Buffer[];
  readonly codes: Uint8Array;
  /** Indices of the tunnels that get per-tunnel series, ascending. */
  readonly exported: Int32Array;
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
  exported = new Int32Array(0);
  /** The index in `routers` of each tunnel's router. */
  owners = new Int32Array(0);

  prepare(total: number): void {
    if (this.codes.length >= total) return;
    const size = Math.ceil(total * 1.25);
    this.codes = new Uint8Array(size);
    this.ranks = new Uint8Array(size);
    this.exported = new Int32Array(size);
    this.owners = new Int32Array(size);
  }
}

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
    capture.prepare(total);
    const { codes, ranks, owners } = scratch;
    const routers: RouterSummary[] = [];
    const tunnels: Tunnel[] = new Array<Tunnel>(total);
    const prefixes: Buffer[] = new Array<Buffer>(total);
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
      // the state may have gained tunnels since they were counted (a pause let the fold run)
      const count = Math.min(sorted.length, total - at);
      for (let k = 0; k < count; k++) {
        const tunnel = sorted[k]!;
        const code = stateCode(state, tunnel);
        summary.tunnels[code]!++;
        const { inbound, outbound } = tunnel;
        if (inbound !== null) {
          if (isOverdue(inbound)) summary.overdue++;
          else summary.live++;
        }
        if (outbound !== null) {
          if (isOverdue(outbound)) summary.overdue++;
          else summary.live++;
        }
        const rank = priority(code, tunnel);
        rankSizes[rank]!++;
        tunnels[at] = tunnel;
        prefixes[at] = labels[k]!;
        codes[at] = code;
        ranks[at] = rank;
        owners[at] = routers.length;
        at++;
        if ((k & 1023) === 1023) await pause();
      }
      routers.push(summary);
      await pause();
    }
    tunnels.length = at;
    prefixes.length = at;
    // Counts of routers not in `states` stay: a partition being restored folds (and counts)
    // before its routers are visible, and a handed-over router may come back.

    // Over the cap, broken tunnels are kept first, then rekeying ones, then the rest, each rank
    // in router then tunnel id order: the same state always exports the same tunnels.
    const keep = Math.max(0, Math.min(cap, at));
    let lastRank = 0;
    let room = keep;
    while (lastRank < 2 && room > rankSizes[lastRank]!) {
      room -= rankSizes[lastRank]!;
      lastRank++;
    }
    const exported = scratch.exported;
    let kept = 0;
    for (let i = 0; i < at && kept < keep; i++) {
      if (keep < at) {
        const rank = ranks[i]!;
        if (rank > lastRank) continue;
        if (rank === lastRank) {
          if (room === 0) continue;
          room--;
        }
      }
      exported[kept++] = i;
    }
    // Only the exported tunnels' values are read: with the default cap a large fleet exports a
    // fraction of its tunnels, and reading a tunnel's records costs more than counting it.
    for (let j = 0; j < kept; j++) {
      const i = exported[j]!;
      const tunnel = tunnels[i]!;
      const { state, counters } = routers[owners[i]!]!;
      captureTunnel(capture, i, state, tunnel, counters?.tunnels.get(tunnel.id));
      if ((j & 1023) === 1023) await pause();
    }
    return {
      routers,
      tunnels,
      prefixes,
      codes,
      exported: exported.subarray(0, kept),
      dropped: at - kept,
    };
  }
}
