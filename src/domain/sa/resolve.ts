import { emit } from './emit.js';
import { namedTunnelId, provisionalTunnelId } from './identity.js';
import { own } from '../own.js';
import {
  ROLE_UNKNOWN,
  SA_DEAD,
  STATUS_UNKNOWN,
  STATUS_UP,
  Tunnel,
  type IpsecSa,
  type RouterState,
} from './state.js';
import { addToMulti, removeFromMulti } from './multiMap.js';

// Tunnel identity resolution: which tunnel an observation is about, from whatever it names.
// Two rules bound every choice: never split one tunnel into two (a provisional tunnel is merged
// into the named one as soon as the match is unambiguous, and its id becomes an alias), and
// never merge two tunnels that share a peer but differ by VPN or traffic selector.

export interface NamedQuery {
  readonly vpn: string;
  readonly trafficSelector?: string | undefined;
  readonly gateway?: string | undefined;
  readonly local?: string | undefined;
  readonly remote?: string | undefined;
}

export interface GatewayQuery {
  readonly local?: string | undefined;
  readonly remote?: string | undefined;
  readonly trafficSelector?: string | undefined;
  readonly localProxy?: string | undefined;
  readonly remoteProxy?: string | undefined;
  /** Direction of the SA being placed: 0 inbound, 1 outbound. */
  readonly direction?: 0 | 1;
}

export function lookup(state: RouterState, id: string): Tunnel | undefined {
  const found = state.tunnels.get(id);
  if (found) return found;
  const canonical = state.aliases.get(id);
  return canonical === undefined ? undefined : state.tunnels.get(canonical);
}

// ---- remote-gateway index (a tunnel or, when several share the peer, an array)

export function tunnelsAt(state: RouterState, remote: string | undefined): readonly Tunnel[] {
  if (remote === undefined) return [];
  const entry = state.byRemote.get(remote);
  return entry === undefined ? [] : Array.isArray(entry) ? entry : [entry];
}

export function indexTunnel(state: RouterState, tunnel: Tunnel): void {
  index(state, tunnel);
  addSplit(state, tunnel);
}

function index(state: RouterState, tunnel: Tunnel): void {
  if (tunnel.remote !== undefined) addToMulti(state.byRemote, tunnel.remote, tunnel);
}

function unindex(state: RouterState, tunnel: Tunnel): void {
  if (tunnel.remote !== undefined) removeFromMulti(state.byRemote, tunnel.remote, tunnel);
}

function addSplit(state: RouterState, tunnel: Tunnel): void {
  if (tunnel.vpn === undefined || tunnel.ts === undefined || tunnel.provisional) return;
  const list = state.splits.get(tunnel.vpn);
  if (!list) state.splits.set(tunnel.vpn, [tunnel]);
  else if (!list.includes(tunnel)) {
    list.push(tunnel);
    list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}

function removeSplit(state: RouterState, tunnel: Tunnel): void {
  if (tunnel.vpn === undefined) return;
  const list = state.splits.get(tunnel.vpn);
  if (!list) return;
  const rest = list.filter((t) => t !== tunnel);
  if (rest.length === 0) state.splits.delete(tunnel.vpn);
  else state.splits.set(tunnel.vpn, rest);
}

// ---- creation, addresses, aliases

export function createTunnel(
  state: RouterState,
  id: string,
  vpn: string | undefined,
  trafficSelector: string | undefined,
  provisional: boolean,
  /** `vpn` is a string the state keeps anyway (the imported configuration's): no copy. */
  vpnKept = false,
): Tunnel {
  const tunnel = new Tunnel(
    own(id),
    vpn === undefined ? undefined : vpnKept ? vpn : own(vpn),
    trafficSelector === undefined ? undefined : state.intern(trafficSelector),
    provisional,
  );
  // An id that was an alias now names this tunnel (its earlier events belong to the merged one).
  state.aliases.delete(tunnel.id);
  state.tunnels.set(tunnel.id, tunnel);
  addSplit(state, tunnel);
  return tunnel;
}

export function learnAddresses(
  state: RouterState,
  tunnel: Tunnel,
  local: string | undefined,
  remote: string | undefined,
  /** `remote` is a string the state keeps anyway (the configuration's): not interned. */
  remoteKept = false,
): void {
  if (local !== undefined && tunnel.local !== local) tunnel.local = state.intern(local);
  if (remote !== undefined && tunnel.remote !== remote) {
    unindex(state, tunnel);
    // A peer address is mostly one tunnel's: an interned entry would cost more than it shares.
    tunnel.remote = remoteKept ? remote : state.intern(remote);
    index(state, tunnel);
  }
}

function addAliases(state: RouterState, tunnel: Tunnel, ids: readonly string[]): void {
  const extra = tunnel.more();
  const all = new Set(extra.aliases ?? []);
  for (const id of ids) {
    if (id === tunnel.id) continue;
    all.add(id);
    state.aliases.set(id, tunnel.id);
  }
  all.delete(tunnel.id);
  extra.aliases = [...all].sort();
}

/** Gives a tunnel a new id (a bare VPN learning its traffic selector); the old id stays an alias. */
function rename(state: RouterState, tunnel: Tunnel, id: string, trafficSelector: string): void {
  const old = tunnel.id;
  state.tunnels.delete(old);
  removeSplit(state, tunnel);
  tunnel.id = own(id);
  tunnel.ts = state.intern(trafficSelector);
  state.aliases.delete(tunnel.id);
  state.tunnels.set(tunnel.id, tunnel);
  addSplit(state, tunnel);
  addAliases(state, tunnel, [old, ...(tunnel.extra?.aliases ?? [])]);
}

function keepNewer<T extends { establishedMs: number; flags: number; tunnel: Tunnel }>(
  into: Tunnel,
  mine: T | null,
  theirs: T | null,
): T | null {
  if (theirs === null) return mine;
  if (mine !== null && mine.establishedMs >= theirs.establishedMs) {
    theirs.flags |= SA_DEAD;
    return mine;
  }
  if (mine !== null) mine.flags |= SA_DEAD;
  theirs.tunnel = into;
  return theirs;
}

/**
 * Folds a provisional tunnel into the named one: its SAs, deadlines and open episode move over,
 * its id becomes an alias. Its history is not re-emitted.
 */
export function mergeInto(state: RouterState, from: Tunnel, into: Tunnel): void {
  into.inbound = keepNewer<IpsecSa>(into, into.inbound, from.inbound);
  into.outbound = keepNewer<IpsecSa>(into, into.outbound, from.outbound);
  into.ike = keepNewer(into, into.ike, from.ike);
  if (into.status === STATUS_UNKNOWN) into.status = from.status;
  if (into.inbound && into.outbound) into.status = STATUS_UP;
  if (into.role === ROLE_UNKNOWN) into.role = from.role;
  if (into.ikeVersion === 0) into.ikeVersion = from.ikeVersion;
  into.gateway ??= from.gateway;
  into.localProxy ??= from.localProxy;
  into.remoteProxy ??= from.remoteProxy;
  if (from.lastEventMs > into.lastEventMs) into.lastEventMs = from.lastEventMs;
  const fx = from.extra;
  if (fx) {
    const ix = into.more();
    ix.tunnelId ??= fx.tunnelId;
    ix.tunnelInterface ??= fx.tunnelInterface;
    ix.episode ??= fx.episode;
    ix.downReason ??= fx.downReason;
    ix.snmpIkeLifetimeS ??= fx.snmpIkeLifetimeS;
    ix.snmpIpsecLifetimeS ??= fx.snmpIpsecLifetimeS;
  }
  state.tunnels.delete(from.id);
  unindex(state, from);
  removeSplit(state, from);
  learnAddresses(state, into, into.local ?? from.local, into.remote ?? from.remote);
  addAliases(state, into, [from.id, ...(fx?.aliases ?? [])]);
}

/** TunnelDiscovered: first evidence of a tunnel, and again when it gains an alias. */
export function announce(
  state: RouterState,
  tunnel: Tunnel,
  atMs: number,
  evidence: string[],
  inferred = false,
): void {
  const x = tunnel.extra;
  emit(state, 'TunnelDiscovered', atMs, tunnel, inferred, evidence, {
    ...(tunnel.vpn !== undefined ? { vpn: tunnel.vpn } : {}),
    ...(tunnel.gateway !== undefined ? { gateway: tunnel.gateway } : {}),
    ...(tunnel.local !== undefined ? { localGateway: tunnel.local } : {}),
    ...(tunnel.remote !== undefined ? { remoteGateway: tunnel.remote } : {}),
    ...(tunnel.ts !== undefined ? { trafficSelector: tunnel.ts } : {}),
    ...(x?.tunnelId !== undefined ? { tunnelId: x.tunnelId } : {}),
    ...(x?.tunnelInterface !== undefined ? { tunnelInterface: x.tunnelInterface } : {}),
    ...(x?.aliases?.length ? { aliases: [...x.aliases] } : {}),
    ...(tunnel.provisional ? { provisional: true } : {}),
    ...(tunnel.config !== undefined ? { expected: true } : {}),
  });
}

// ---- matching

const localFits = (tunnel: Tunnel, local: string | undefined): boolean =>
  local === undefined || tunnel.local === undefined || tunnel.local === local;

const FIT_NONE = 0;
const FIT_EXACT = 1;
/** A bare VPN (named by an IKE line, no SA yet) learning its selector. */
const FIT_ADOPT = 2;
/** A configured VPN the configuration does not split: the selector name is only informative. */
const FIT_CONFIG = 3;

function selectorFit(state: RouterState, tunnel: Tunnel, ts: string | undefined): number {
  if (tunnel.ts === ts) return FIT_EXACT;
  if (tunnel.ts !== undefined || ts === undefined) return FIT_NONE;
  if (tunnel.config !== undefined)
    return tunnel.config.trafficSelector === undefined ? FIT_CONFIG : FIT_NONE;
  return canAdopt(state, tunnel) ? FIT_ADOPT : FIT_NONE;
}

function canAdopt(state: RouterState, tunnel: Tunnel): boolean {
  return (
    !tunnel.provisional &&
    tunnel.vpn !== undefined &&
    tunnel.ts === undefined &&
    tunnel.config === undefined &&
    tunnel.inbound === null &&
    tunnel.outbound === null &&
    !state.splits.has(tunnel.vpn)
  );
}

/** The only provisional tunnel at these gateways, when no named tunnel there could own it. */
function loneProvisional(
  state: RouterState,
  local: string | undefined,
  remote: string | undefined,
  except?: Tunnel,
): Tunnel | undefined {
  let lone: Tunnel | undefined;
  for (const t of tunnelsAt(state, remote)) {
    if (t === except || !localFits(t, local)) continue;
    if (!t.provisional) return undefined;
    if (lone) return undefined;
    lone = t;
  }
  return lone;
}

/**
 * Merges into a named tunnel the provisional tunnel at its gateways with its selector, when that
 * is the only one and no other named tunnel there could own it. Returns whether it merged.
 */
export function absorbProvisional(state: RouterState, tunnel: Tunnel): boolean {
  if (tunnel.remote === undefined || tunnel.provisional) return false;
  if (state.byRemote.get(tunnel.remote) === tunnel) return false; // alone at its peer
  let match: Tunnel | undefined;
  for (const t of tunnelsAt(state, tunnel.remote)) {
    if (t === tunnel || !localFits(t, tunnel.local)) continue;
    if (t.provisional) {
      if (t.ts !== tunnel.ts) continue;
      if (match) return false; // two candidates: ambiguous
      match = t;
    } else if (t.ts === tunnel.ts || t.ts === undefined || tunnel.ts === undefined) {
      return false; // another named tunnel at these gateways could own it
    }
  }
  if (!match) return false;
  mergeInto(state, match, tunnel);
  return true;
}

/**
 * The tunnels an observation naming a VPN is about: the tunnel of (VPN, selector); for a line
 * with no selector, every tunnel of the VPN (an IKE SA serves all its selectors). Creates the
 * tunnel on first evidence and announces it.
 */
export function resolveNamed(
  state: RouterState,
  query: NamedQuery,
  atMs: number,
  evidence: string[],
): Tunnel[] {
  const { vpn, trafficSelector: ts } = query;
  if (ts !== undefined) {
    const id = namedTunnelId(state.router, vpn, ts);
    let tunnel = lookup(state, id);
    let fresh = false;
    if (!tunnel) {
      const bare = state.tunnels.get(namedTunnelId(state.router, vpn));
      if (bare && canAdopt(state, bare)) {
        rename(state, bare, id, ts);
        tunnel = bare;
      } else tunnel = createTunnel(state, id, vpn, ts, false);
      fresh = true;
    }
    learn(state, tunnel, query);
    if (absorbProvisional(state, tunnel) || fresh) announce(state, tunnel, atMs, evidence);
    return [tunnel];
  }
  const main = state.tunnels.get(namedTunnelId(state.router, vpn));
  const split = state.splits.get(vpn);
  if (main || split) {
    const targets = main ? (split ? [main, ...split] : [main]) : [...split!];
    for (const tunnel of targets) {
      learn(state, tunnel, query);
      if (absorbProvisional(state, tunnel)) announce(state, tunnel, atMs, evidence);
    }
    return targets;
  }
  // First evidence of this VPN: it owns the lone provisional tunnel at its gateways, if any.
  const lone = loneProvisional(state, query.local, query.remote);
  const tunnel = createTunnel(
    state,
    namedTunnelId(state.router, vpn, lone?.ts),
    vpn,
    lone?.ts,
    false,
  );
  learn(state, tunnel, query);
  if (lone) mergeInto(state, lone, tunnel);
  announce(state, tunnel, atMs, evidence);
  return [tunnel];
}

function learn(state: RouterState, tunnel: Tunnel, query: NamedQuery): void {
  learnAddresses(state, tunnel, query.local, query.remote);
  if (query.gateway !== undefined && tunnel.gateway !== query.gateway) {
    tunnel.gateway = state.intern(query.gateway);
  }
}

function dueRank(sa: IpsecSa | null, atMs: number, role: number): number {
  if (sa === null) return 1;
  const hard = sa.establishedMs + sa.lifetimeS * 1000;
  const soft = hard - (role === 1 ? 135_000 : 90_000);
  return atMs >= soft ? 2 : 0;
}

/**
 * The tunnel an IPsec SA line (gateways, selector, proxy IDs, no VPN name) belongs to. Among
 * several tunnels to one peer, prefer in turn: the tunnel whose other direction was just
 * established (the two lines of one negotiation); the tunnel that just completed an IKE
 * negotiation; the same proxy IDs (policy-based VPNs); the tunnel whose SA in this direction
 * is due for rekey (or missing); the earliest hard deadline; the smallest id. With no candidate, a provisional tunnel.
 */
export function resolveByGateways(
  state: RouterState,
  query: GatewayQuery,
  atMs: number,
  evidence: string[],
): Tunnel {
  const { local, remote, trafficSelector: ts } = query;
  const entry = remote === undefined ? undefined : state.byRemote.get(remote);
  const n = entry === undefined ? 0 : Array.isArray(entry) ? entry.length : 1;
  // The common case, one tunnel to the peer, costs no allocation.
  let only: Tunnel | undefined;
  let onlyFit = FIT_NONE;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const t = Array.isArray(entry) ? entry[i]! : (entry as Tunnel);
    if (!localFits(t, local)) continue;
    const fit = selectorFit(state, t, ts);
    if (fit === FIT_NONE) continue;
    count++;
    only = t;
    onlyFit = fit;
  }
  if (count > 1) {
    const pairMs = state.settings.pairWindowSeconds * 1000;
    let bestKey: number[] = [];
    only = undefined;
    for (let i = 0; i < n; i++) {
      const t = Array.isArray(entry) ? entry[i]! : (entry as Tunnel);
      if (!localFits(t, local)) continue;
      const fit = selectorFit(state, t, ts);
      if (fit === FIT_NONE) continue;
      const mine = query.direction === 1 ? t.outbound : t.inbound;
      const other = query.direction === 1 ? t.inbound : t.outbound;
      const partner =
        other !== null &&
        atMs >= other.establishedMs &&
        atMs - other.establishedMs <= pairMs &&
        (mine === null || mine.establishedMs < other.establishedMs)
          ? 1
          : 0;
      // A tunnel known to use other proxy IDs is ruled out before the timing heuristics below:
      // with several tunnels between the same gateways, another tunnel's IKE SA may be the
      // newest when this one's IPsec SAs rekey. Unknown IDs do not count against a tunnel (route-
      // based VPNs often all use 0.0.0.0/0, so equal IDs tell them apart no better).
      const proxies =
        query.localProxy === undefined ||
        t.localProxy === undefined ||
        (t.localProxy === query.localProxy && t.remoteProxy === query.remoteProxy)
          ? 1
          : 0;
      const ike =
        t.ike !== null && atMs >= t.ike.establishedMs && atMs - t.ike.establishedMs <= pairMs
          ? t.ike.establishedMs
          : -Infinity;
      const hard = mine === null ? -Infinity : mine.establishedMs + mine.lifetimeS * 1000;
      const key = [proxies, partner, ike, dueRank(mine, atMs, t.role), -hard];
      if (only === undefined || greater(key, bestKey, t.id, only.id)) {
        only = t;
        onlyFit = fit;
        bestKey = key;
      }
    }
  }
  if (only) {
    if (onlyFit === FIT_ADOPT && ts !== undefined && only.vpn !== undefined) {
      rename(state, only, namedTunnelId(state.router, only.vpn, ts), ts);
      announce(state, only, atMs, evidence);
    }
    return only;
  }
  const id = provisionalTunnelId(state.router, local, remote, ts);
  const existing = state.tunnels.get(id);
  if (existing) return existing;
  const tunnel = createTunnel(state, id, undefined, ts, true);
  learnAddresses(state, tunnel, local, remote);
  announce(state, tunnel, atMs, evidence);
  return tunnel;
}

function greater(a: number[], b: number[], idA: string, idB: string): boolean {
  for (let i = 0; i < a.length; i++) {
    if (a[i]! > b[i]!) return true;
    if (a[i]! < b[i]!) return false;
  }
  return idA < idB;
}

/**
 * Tunnels towards a peer address, by id (DPD, invalid SPI and legacy failures name only
 * addresses; the order must not depend on the order the tunnels were learned in).
 */
export function tunnelsTowards(state: RouterState, remote: string | undefined): readonly Tunnel[] {
  const found = tunnelsAt(state, remote);
  return found.length < 2
    ? found
    : [...found].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Tunnels towards a peer that can be from our address `local` (an address not known fits), by id. */
export function tunnelsBetween(
  state: RouterState,
  local: string | undefined,
  remote: string | undefined,
): readonly Tunnel[] {
  const towards = tunnelsTowards(state, remote);
  return local === undefined
    ? towards
    : towards.filter((t) => t.local === undefined || t.local === local);
}
