import type { LifecycleEventOf } from '../lifecycle.js';
import type { Endpoint, Observation } from '../observation.js';
import { isoTime as isoFromMillis } from './isoTime.js';
import { DEADLINE_IKE_HARD } from './deadlines.js';
import { emit, seconds } from './emit.js';
import { ikeLifetime, lifetimeSeconds, lifetimeSource } from './lifetimes.js';
import {
  IkeSa,
  LIFETIME_DEFAULT,
  LIFETIME_SOURCES,
  ROLE_INITIATOR,
  ROLE_RESPONDER,
  SA_DEAD,
  SA_ROLE_MASK,
  SA_SOURCE_SHIFT,
  SA_VERSION_SHIFT,
  type RoleCode,
  type RouterState,
  type Tunnel,
} from './state.js';

type EstablishedData = LifecycleEventOf<'IkeSaEstablished'>['data'];

type IkeData = Extract<Observation, { kind: 'ike-sa-established' }>['data'];

export const roleCode = (role: string | undefined): RoleCode =>
  role === 'initiator' ? ROLE_INITIATOR : role === 'responder' ? ROLE_RESPONDER : 0;

export const roleName = (code: number): 'initiator' | 'responder' | undefined =>
  code === ROLE_INITIATOR ? 'initiator' : code === ROLE_RESPONDER ? 'responder' : undefined;

/** The endpoint as the state keeps it: `known` again when equal (a rekey allocates nothing). */
function endpoint(
  state: RouterState,
  value: Endpoint | undefined,
  known: Endpoint | undefined,
  /** The tunnel's address at this end: its string is shared when equal. */
  address: string | undefined,
): Endpoint | undefined {
  if (!value || typeof value.ip !== 'string') return undefined;
  if (known !== undefined && known.ip === value.ip && known.port === value.port) return known;
  const ip = value.ip === address ? address : state.intern(value.ip);
  return typeof value.port === 'number' ? { ip, port: value.port } : { ip };
}

/** A phase-1 SA came up; a new one while one is live is a rekey (IkeSaRekeyed). */
export function establishIke(
  state: RouterState,
  tunnel: Tunnel,
  data: IkeData,
  atMs: number,
  raw: string,
  ref: string,
  /** Inferred from SNMP rows (age of the SA), not logged by the router. */
  inferred = false,
): void {
  const current = tunnel.ike;
  if (current !== null && atMs < current.establishedMs) return; // an older line than the live SA
  const role = roleCode(data.role);
  const version = data.ikeVersion === 1 || data.ikeVersion === 2 ? data.ikeVersion : 0;
  if (role !== 0) tunnel.role = role;
  if (version !== 0) tunnel.ikeVersion = version;
  const packed = ikeLifetime(state, tunnel);
  const lifetime = lifetimeSeconds(packed);
  const source = lifetimeSource(packed);
  const flags = role | (source << SA_SOURCE_SHIFT) | (version << SA_VERSION_SHIFT);
  const evidence = [raw];
  let rekeyed: { previousEstablishedAt: string; leadSeconds: number } | undefined;
  let sa: IkeSa;
  if (current !== null) {
    rekeyed = {
      previousEstablishedAt: isoFromMillis(current.establishedMs),
      leadSeconds: seconds(current.establishedMs + current.lifetimeS * 1000 - atMs),
    };
    // Updated in place, as IPsec records are (ipsec.ts): the old entry's serial goes stale.
    sa = current;
    sa.establishedMs = atMs;
    sa.lifetimeS = lifetime;
    sa.flags = flags;
    sa.serial = state.serial++;
    sa.evidence = ref;
    sa.local = endpoint(state, data.local, sa.local, tunnel.local);
    sa.remote = endpoint(state, data.remote, sa.remote, tunnel.remote);
  } else {
    sa = new IkeSa(
      atMs,
      lifetime,
      flags,
      state.serial++,
      tunnel,
      ref,
      endpoint(state, data.local, state.lastLocalEndpoint, tunnel.local),
      endpoint(state, data.remote, undefined, tunnel.remote),
    );
    tunnel.ike = sa;
    // Every tunnel of a router mostly shares its local endpoint.
    if (sa.local) state.lastLocalEndpoint = sa.local;
  }
  const hardMs = atMs + lifetime * 1000;
  state.deadlines.push(hardMs, sa.serial, DEADLINE_IKE_HARD, sa);
  // Built key by key in the order the spread form had (the JSON is the same): no object per
  // optional field.
  const established: { -readonly [K in keyof EstablishedData]?: EstablishedData[K] } = {};
  if (version !== 0) established.ikeVersion = version;
  if (role !== 0) established.role = roleName(role);
  if (sa.local) established.local = sa.local;
  const remote = sa.remote;
  if (remote) established.remote = remote;
  established.lifetimeSeconds = lifetime;
  established.hardDeadline = isoFromMillis(hardMs);
  established.lifetimeAssumed = source === LIFETIME_DEFAULT;
  established.lifetimeSource = LIFETIME_SOURCES[source];
  emit(state, 'IkeSaEstablished', atMs, tunnel, inferred, evidence, established as EstablishedData);
  if (rekeyed) emit(state, 'IkeSaRekeyed', atMs, tunnel, inferred, evidence, rekeyed);
}

/** Hard deadline passed with no successor (inferred, at the deadline itself). */
export function expireIke(state: RouterState, sa: IkeSa, atMs: number): void {
  const tunnel = sa.tunnel;
  sa.flags |= SA_DEAD;
  if (tunnel.ike === sa) tunnel.ike = null;
  emit(state, 'IkeSaExpired', atMs, tunnel, true, [sa.evidence], {
    hardDeadline: isoFromMillis(atMs),
  });
}

export const ikeRole = (sa: IkeSa): number => sa.flags & SA_ROLE_MASK;
export const ikeVersionOfSa = (sa: IkeSa): number => (sa.flags >> SA_VERSION_SHIFT) & 0b11;
export const ikeSource = (sa: IkeSa): number => (sa.flags >> SA_SOURCE_SHIFT) & 0b111;
