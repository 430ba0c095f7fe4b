import { canonicalJson } from './canonical.js';
import type { ObservationOf } from '../observation.js';
import { peerKey, readConfig, type ConfigView, type PeerLifetimes } from './config.js';

// The fleet's imported configurations, for the one rule that crosses routers: IKEv1 negotiates
// lifetimes and the shorter of the two ends wins (junos-ipsec.md). A router's fold sees only its
// own observations, so whoever drives the folds (the projector through saFold, samon replay)
// registers every router's configuration here and hands each router its peer index. Pure: a
// registry of values, no I/O, no clock.

interface PeerEntry {
  readonly router: string;
  readonly lifetimes: PeerLifetimes;
}

const NO_PEERS: Readonly<Record<string, PeerLifetimes>> = Object.freeze({});

export class FleetConfigs {
  private readonly configs = new Map<string, ConfigView>();
  /** peerKey(B, A) → the lifetimes of each router's tunnel A→B (built lazily, sorted by router). */
  private byKey: Map<string, PeerEntry[]> | undefined;
  /** A → the keys peerKey(B, A) of tunnels whose local end is A. */
  private byPeerEnd = new Map<string, string[]>();
  /** Bumped on every change: a router's peer index is current while it was built at this version. */
  version = 0;

  /** Records a router's configuration (its latest `junos-config`); true when it changed. */
  register(router: string, config: ConfigView | undefined): boolean {
    if (!config) return false;
    const known = this.configs.get(router);
    if (known === config) return false;
    if (known && canonicalJson(known.model) === canonicalJson(config.model)) return false;
    this.configs.set(router, config);
    this.byKey = undefined;
    this.version++;
    return true;
  }

  /** Records the `data` of a `junos-config` observation; true when it changed anything. */
  registerData(router: string, data: unknown): boolean {
    return this.register(router, readConfig(data));
  }

  /** Routers with a registered configuration. */
  get size(): number {
    return this.configs.size;
  }

  /** Their names, sorted. */
  routers(): string[] {
    return [...this.configs.keys()].sort();
  }

  /**
   * The peer index of `router` (what peerIndex(router, fleet) gives for the registered fleet),
   * restricted to the entries that can concern its own configured tunnels: the rule applies only
   * to a configured tunnel, and only entries whose addresses are among that configuration's keep
   * the index (and the router's snapshot) the size of the router, not of the fleet.
   */
  peersFor(router: string): Readonly<Record<string, PeerLifetimes>> {
    const own = this.configs.get(router);
    if (!own) return NO_PEERS;
    const index = this.index();
    const byPeerEnd = this.byPeerEnd;
    const peers: Record<string, PeerLifetimes> = {};
    const consider = (key: string) => {
      if (key in peers) return;
      const entry = index.get(key)?.find((e) => e.router !== router);
      if (entry) peers[key] = entry.lifetimes;
    };
    for (const t of own.tunnels) {
      if (t.localAddress !== undefined && t.remoteAddress !== undefined)
        consider(peerKey(t.localAddress, t.remoteAddress));
    }
    // Tunnels whose addresses were learnt from lines rather than configured: any entry whose
    // peer end is one of our configured remote gateways.
    for (const t of own.tunnels) {
      if (t.remoteAddress === undefined) continue;
      for (const key of byPeerEnd.get(t.remoteAddress) ?? []) consider(key);
    }
    return Object.keys(peers).length ? sortKeys(peers) : NO_PEERS;
  }

  private index(): Map<string, PeerEntry[]> {
    if (this.byKey) return this.byKey;
    const byKey = new Map<string, PeerEntry[]>();
    const byPeerEnd = new Map<string, string[]>();
    const routers = [...this.configs.keys()].sort();
    for (const router of routers) {
      for (const t of this.configs.get(router)!.tunnels) {
        if (!t.localAddress || !t.remoteAddress) continue;
        const key = peerKey(t.remoteAddress, t.localAddress);
        const lifetimes: PeerLifetimes = {
          ...(t.ikeLifetimeSeconds ? { ikeLifetimeSeconds: t.ikeLifetimeSeconds.value } : {}),
          ...(t.ipsecLifetimeSeconds ? { ipsecLifetimeSeconds: t.ipsecLifetimeSeconds.value } : {}),
        };
        const list = byKey.get(key);
        // one entry per router: its first tunnel A→B wins, as in peerIndex
        if (!list) {
          byKey.set(key, [{ router, lifetimes }]);
          const keys = byPeerEnd.get(t.localAddress);
          if (keys) keys.push(key);
          else byPeerEnd.set(t.localAddress, [key]);
        } else if (!list.some((e) => e.router === router)) list.push({ router, lifetimes });
      }
    }
    this.byKey = byKey;
    this.byPeerEnd = byPeerEnd;
    return byKey;
  }
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  const sorted: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) sorted[key] = record[key]!;
  return sorted;
}

/**
 * The join behind `junos-peers` observations: a router's fold sees only its own observations,
 * so the IKEv1 rule's cross-router fact (the peer's lifetimes) is joined where every
 * configuration passes — the config importer — and written into each router's own stream.
 * A router's lifecycle then depends on its stream alone, in its order: the same with one
 * projector or several, on any partition interleaving.
 */
export class PeerJoin {
  private readonly fleet = new FleetConfigs();
  /** Canonical JSON of the peer index last given to each router. */
  private readonly given = new Map<string, string>();

  /**
   * After `router`'s configuration is imported at `time`: the `junos-peers` observations to
   * append after it (the routers whose peer index changed, by name), none when nothing did.
   */
  afterImport(router: string, data: unknown, time: string): ObservationOf<'junos-peers'>[] {
    if (!this.fleet.registerData(router, data) && this.given.has(router)) return [];
    const out: ObservationOf<'junos-peers'>[] = [];
    for (const name of this.fleet.routers()) {
      const peers = this.fleet.peersFor(name);
      const text = canonicalJson(peers);
      if (this.given.get(name) === text) continue;
      this.given.set(name, text);
      out.push({
        v: 1,
        kind: 'junos-peers',
        router: name,
        time,
        receivedAt: time,
        source: 'config',
        raw: `junos-peers ${name}: ${Object.keys(peers).length} peer tunnel(s) from the imported configurations`,
        data: { peers: { ...peers } as ObservationOf<'junos-peers'>['data']['peers'] },
      });
    }
    return out;
  }
}
