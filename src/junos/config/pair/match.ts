import type { AnalyzedConfig } from '../analyze.js';
import type { ResolvedTunnel } from '../resolve.js';

// Which tunnel of one end belongs to which tunnel of the other: named by the operator
// (`--tunnel A-VPN:B-VPN`), else the tunnels whose gateway addresses point at each other.

export interface TunnelPair {
  readonly a: ResolvedTunnel;
  readonly b: ResolvedTunnel;
}

export interface TunnelSelection {
  readonly a: string;
  readonly b: string;
}

export function tunnelLabel(t: ResolvedTunnel): string {
  return t.tunnel.trafficSelector === undefined
    ? t.tunnel.vpn
    : `${t.tunnel.vpn}/${t.tunnel.trafficSelector}`;
}

function named(config: AnalyzedConfig, name: string): ResolvedTunnel[] {
  const exact = config.tunnels.filter((t) => tunnelLabel(t) === name);
  return exact.length > 0 ? exact : config.tunnels.filter((t) => t.tunnel.vpn === name);
}

/** -1: the addresses contradict each other; otherwise how many directions are confirmed. */
function addressScore(a: ResolvedTunnel, b: ResolvedTunnel): number {
  let score = 0;
  for (const [remote, local] of [
    [a.tunnel.remoteAddress, b.tunnel.localAddress],
    [b.tunnel.remoteAddress, a.tunnel.localAddress],
  ] as const) {
    if (remote === undefined || local === undefined) continue;
    if (remote !== local) return -1;
    score++;
  }
  return score;
}

function selectorsMirror(a: ResolvedTunnel, b: ResolvedTunnel): boolean {
  const sa = a.tunnel.selector;
  const sb = b.tunnel.selector;
  return (
    sa !== undefined && sb !== undefined && sa.localIp === sb.remoteIp && sa.remoteIp === sb.localIp
  );
}

export interface PairMatch {
  readonly pairs: readonly TunnelPair[];
  /** Names given with --tunnel that match no tunnel, per side. */
  readonly unknown: readonly { side: 'a' | 'b'; name: string }[];
}

function pairSelected(a: ResolvedTunnel[], b: ResolvedTunnel[]): TunnelPair[] {
  const first = a[0];
  const second = b[0];
  if (a.length === 1 && b.length === 1 && first !== undefined && second !== undefined)
    return [{ a: first, b: second }];
  const pairs: TunnelPair[] = [];
  for (const ta of a) {
    const tb =
      b.find((t) => t.tunnel.trafficSelector === ta.tunnel.trafficSelector) ??
      b.find((t) => selectorsMirror(ta, t));
    if (tb !== undefined) pairs.push({ a: ta, b: tb });
  }
  return pairs;
}

export function matchTunnels(
  a: AnalyzedConfig,
  b: AnalyzedConfig,
  selections: readonly TunnelSelection[] = [],
): PairMatch {
  if (selections.length > 0) {
    const pairs: TunnelPair[] = [];
    const unknown: { side: 'a' | 'b'; name: string }[] = [];
    for (const selection of selections) {
      const ta = named(a, selection.a);
      const tb = named(b, selection.b);
      if (ta.length === 0) unknown.push({ side: 'a', name: selection.a });
      if (tb.length === 0) unknown.push({ side: 'b', name: selection.b });
      pairs.push(...pairSelected(ta, tb));
    }
    return { pairs, unknown };
  }
  const used = new Set<ResolvedTunnel>();
  const pairs: TunnelPair[] = [];
  for (const ta of a.tunnels) {
    let best: ResolvedTunnel | undefined;
    let bestScore = 0;
    for (const tb of b.tunnels) {
      if (used.has(tb)) continue;
      const score = addressScore(ta, tb);
      if (score <= 0) continue;
      const total = score * 2 + (selectorsMirror(ta, tb) ? 1 : 0);
      if (total > bestScore) {
        best = tb;
        bestScore = total;
      }
    }
    if (best !== undefined) {
      used.add(best);
      pairs.push({ a: ta, b: best });
    }
  }
  return { pairs, unknown: [] };
}
