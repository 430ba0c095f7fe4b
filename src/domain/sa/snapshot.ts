import { sortKeys } from './canonical.js';
import { readConfig, type PeerLifetimes } from './config.js';
import { DEADLINE_IKE_HARD } from './deadlines.js';
import { schedule } from './ipsec.js';
import { indexTunnel } from './resolve.js';
import type { FoldSettings } from './settings.js';
import {
  IkeSa,
  IpsecSa,
  RouterState,
  SA_DEAD,
  Tunnel,
  type StatusCode,
  type TunnelExtra,
} from './state.js';
import type { Endpoint } from '../observation.js';
import type { SnmpMemory } from './snmpMemory.js';

// Snapshots: the projector stores them with the offsets they cover and resumes from them, so
// `fromSnapshot(toSnapshot(s))` followed by the rest of the log must equal the whole fold. They
// are plain JSON with sorted keys and sorted arrays: the same state gives the same bytes. Stale
// deadline entries are not kept; the heap is rebuilt from the live SAs, ordered by their serials.

export const SNAPSHOT_VERSION = 1;

interface IpsecSnapshot {
  spi: number;
  establishedMs: number;
  lifetimeS: number;
  flags: number;
  serial: number;
  evidence: string;
}

interface IkeSnapshot {
  establishedMs: number;
  lifetimeS: number;
  flags: number;
  serial: number;
  evidence: string;
  local?: Endpoint;
  remote?: Endpoint;
}

interface TunnelSnapshot {
  id: string;
  vpn?: string;
  ts?: string;
  provisional: boolean;
  status: number;
  role: number;
  ikeVersion: number;
  gateway?: string;
  local?: string;
  remote?: string;
  localProxy?: string;
  remoteProxy?: string;
  lastEventMs: number;
  /** Key of its expected tunnel in the router's configuration. */
  config?: { vpn: string; trafficSelector?: string };
  ike: IkeSnapshot | null;
  inbound: IpsecSnapshot | null;
  outbound: IpsecSnapshot | null;
  extra?: TunnelExtra;
}

export interface RouterSnapshot {
  v: typeof SNAPSHOT_VERSION;
  router: string;
  settings: FoldSettings;
  peers: Record<string, PeerLifetimes>;
  config: Record<string, unknown> | null;
  clockMs: number | null;
  lastSeenMs: number | null;
  lastSeenEvidence: string;
  silent: boolean;
  seq: number;
  serial: number;
  aliases: [string, string][];
  tunnels: TunnelSnapshot[];
  recent: [string, string, number][];
  /** Only for routers that were polled. */
  snmp?: SnmpMemory;
}

const byFirst = <T extends readonly [string, ...unknown[]]>(a: T, b: T) =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;

function ipsecOut(sa: IpsecSa | null): IpsecSnapshot | null {
  if (sa === null || (sa.flags & SA_DEAD) !== 0) return null;
  return {
    spi: sa.spi,
    establishedMs: sa.establishedMs,
    lifetimeS: sa.lifetimeS,
    flags: sa.flags,
    serial: sa.serial,
    evidence: sa.evidence,
  };
}

function ikeOut(sa: IkeSa | null): IkeSnapshot | null {
  if (sa === null || (sa.flags & SA_DEAD) !== 0) return null;
  return {
    establishedMs: sa.establishedMs,
    lifetimeS: sa.lifetimeS,
    flags: sa.flags,
    serial: sa.serial,
    evidence: sa.evidence,
    ...(sa.local ? { local: sa.local } : {}),
    ...(sa.remote ? { remote: sa.remote } : {}),
  };
}

function tunnelOut(t: Tunnel): TunnelSnapshot {
  const out: TunnelSnapshot = {
    id: t.id,
    provisional: t.provisional,
    status: t.status,
    role: t.role,
    ikeVersion: t.ikeVersion,
    lastEventMs: t.lastEventMs,
    ike: ikeOut(t.ike),
    inbound: ipsecOut(t.inbound),
    outbound: ipsecOut(t.outbound),
  };
  if (t.vpn !== undefined) out.vpn = t.vpn;
  if (t.ts !== undefined) out.ts = t.ts;
  if (t.gateway !== undefined) out.gateway = t.gateway;
  if (t.local !== undefined) out.local = t.local;
  if (t.remote !== undefined) out.remote = t.remote;
  if (t.localProxy !== undefined) out.localProxy = t.localProxy;
  if (t.remoteProxy !== undefined) out.remoteProxy = t.remoteProxy;
  if (t.config) {
    out.config = {
      vpn: t.config.vpn,
      ...(t.config.trafficSelector !== undefined
        ? { trafficSelector: t.config.trafficSelector }
        : {}),
    };
  }
  const extra = t.extra;
  if (extra) {
    const kept = sortKeys(extra) as TunnelExtra;
    if (Object.keys(kept).length > 0) out.extra = kept;
  }
  return out;
}

/** The state as JSON-ready data with sorted keys and arrays (same state, same bytes). */
export function toSnapshot(state: RouterState): RouterSnapshot {
  const tunnels = [...state.tunnels.values()].sort((a, b) =>
    a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
  const snapshot: RouterSnapshot = {
    v: SNAPSHOT_VERSION,
    router: state.router,
    settings: { ...state.settings },
    peers: { ...state.peers },
    config: state.config ? { ...state.config.model } : null,
    clockMs: Number.isFinite(state.clockMs) ? state.clockMs : null,
    lastSeenMs: Number.isNaN(state.lastSeenMs) ? null : state.lastSeenMs,
    lastSeenEvidence: state.lastSeenEvidence,
    silent: state.silent,
    seq: state.seq,
    serial: state.serial,
    aliases: [...state.aliases.entries()].sort(byFirst),
    tunnels: tunnels.map(tunnelOut),
    recent: state.recent.entries(),
  };
  if (state.snmp) snapshot.snmp = JSON.parse(JSON.stringify(state.snmp)) as SnmpMemory;
  return sortKeys(snapshot) as RouterSnapshot;
}

function isSnapshot(value: unknown): value is RouterSnapshot {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<RouterSnapshot>;
  return v.v === SNAPSHOT_VERSION && typeof v.router === 'string' && Array.isArray(v.tunnels);
}

/** Rebuilds a state from toSnapshot() data (or its parsed JSON). Throws on a foreign document. */
export function fromSnapshot(snapshot: unknown): RouterState {
  if (!isSnapshot(snapshot)) throw new Error('not a samon router-state snapshot (version 1)');
  const state = new RouterState(snapshot.router, {
    settings: snapshot.settings,
    peers: snapshot.peers,
  });
  state.config = snapshot.config ? readConfig(snapshot.config) : undefined;
  state.clockMs = snapshot.clockMs ?? -Infinity;
  state.lastSeenMs = snapshot.lastSeenMs ?? Number.NaN;
  state.lastSeenEvidence = snapshot.lastSeenEvidence;
  state.silent = snapshot.silent;
  state.seq = snapshot.seq;
  state.serial = snapshot.serial;
  const expected = new Map<string, NonNullable<RouterState['config']>['tunnels'][number]>();
  for (const et of state.config?.tunnels ?? [])
    expected.set(`${et.vpn}\u0000${et.trafficSelector ?? ''}`, et);
  for (const ts of snapshot.tunnels) {
    const t = new Tunnel(ts.id, ts.vpn, ts.ts, ts.provisional);
    t.status = (ts.status & 0b11) as StatusCode;
    t.role = (ts.role & 0b11) as 0 | 1 | 2;
    t.ikeVersion = (ts.ikeVersion & 0b11) as 0 | 1 | 2;
    t.gateway = ts.gateway;
    t.local = ts.local;
    t.remote = ts.remote;
    t.localProxy = ts.localProxy;
    t.remoteProxy = ts.remoteProxy;
    t.lastEventMs = ts.lastEventMs;
    if (ts.config)
      t.config = expected.get(`${ts.config.vpn}\u0000${ts.config.trafficSelector ?? ''}`);
    if (ts.extra) {
      const extra: TunnelExtra = { ...ts.extra };
      if (extra.aliases) extra.aliases = [...extra.aliases];
      if (extra.episode) extra.episode = { ...extra.episode };
      t.extra = extra;
    }
    if (ts.ike) {
      const s = ts.ike;
      t.ike = new IkeSa(
        s.establishedMs,
        s.lifetimeS,
        s.flags,
        s.serial,
        t,
        s.evidence,
        s.local,
        s.remote,
      );
      state.deadlines.push(
        s.establishedMs + s.lifetimeS * 1000,
        s.serial,
        DEADLINE_IKE_HARD,
        t.ike,
      );
    }
    for (const [slot, s] of [
      ['inbound', ts.inbound],
      ['outbound', ts.outbound],
    ] as const) {
      if (!s) continue;
      const sa = new IpsecSa(s.spi, s.establishedMs, s.lifetimeS, s.flags, s.serial, t, s.evidence);
      t[slot] = sa;
      schedule(state, sa);
    }
    state.tunnels.set(t.id, t);
    indexTunnel(state, t);
  }
  for (const [alias, canonical] of snapshot.aliases) state.aliases.set(alias, canonical);
  state.recent.restore(snapshot.recent);
  if (snapshot.snmp) state.snmp = JSON.parse(JSON.stringify(snapshot.snmp)) as SnmpMemory;
  return state;
}
