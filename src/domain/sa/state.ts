import type { Endpoint } from '../observation.js';
import type { LifecycleEvent } from '../lifecycle.js';
import { own } from '../own.js';
import type { ConfigView, ExpectedTunnelView, PeerLifetimes } from './config.js';
import { DeadlineHeap } from './deadlines.js';
import { RecentObservations } from './dedupe.js';
import type { SnmpMemory } from './snmpMemory.js';
import { foldSettings, type FoldSettings } from './settings.js';

// The state of one router's fold. Records are small classes with fixed shapes, times are epoch
// milliseconds, SPIs are 32-bit integers, and roles, versions and statuses are small integers:
// the fold must hold 1 M live SAs in ≤ 300 B each (performance-anchors.md §9).

export const ROLE_UNKNOWN = 0;
export const ROLE_INITIATOR = 1;
export const ROLE_RESPONDER = 2;
export type RoleCode = 0 | 1 | 2;

export const STATUS_UNKNOWN = 0;
export const STATUS_UP = 1;
export const STATUS_DOWN = 2;
export type StatusCode = 0 | 1 | 2;

/** Where an SA's lifetime came from (the event says which, and whether it is assumed). */
export const LIFETIME_SOURCES = [
  'default',
  'config',
  'config-default',
  'snmp',
  'negotiated',
] as const;
export type LifetimeSource = (typeof LIFETIME_SOURCES)[number];
export const LIFETIME_DEFAULT = 0;
export const LIFETIME_CONFIG = 1;
export const LIFETIME_CONFIG_DEFAULT = 2;
export const LIFETIME_SNMP = 3;
export const LIFETIME_NEGOTIATED = 4;

// SA flag word: role (bits 0-1), lifetime source (2-4), outbound (5), IKE version (6-7),
// overdue already reported (8), dead = replaced, expired or cleared (9).
export const SA_ROLE_MASK = 0b11;
export const SA_SOURCE_SHIFT = 2;
export const SA_SOURCE_MASK = 0b111 << SA_SOURCE_SHIFT;
export const SA_OUTBOUND = 1 << 5;
export const SA_VERSION_SHIFT = 6;
export const SA_VERSION_MASK = 0b11 << SA_VERSION_SHIFT;
export const SA_OVERDUE_FIRED = 1 << 8;
export const SA_DEAD = 1 << 9;

// Epoch milliseconds (~1.8e12) are no small integer: a number field holding one is a 16-byte heap
// number besides the record. SA and tunnel times are kept as two small integers instead, the
// milliseconds above and below 2^22 (`| 0`: arithmetic on a double gives a heap number even when
// the result is integral). A time that is not an integer of less than 2^52 (no observation's) is
// kept whole in the lower part, the upper one 0.
const MS_SPLIT = 4_194_304;
const MS_SPLIT_LIMIT = 2 ** 52;
const splits = (ms: number): boolean =>
  Number.isInteger(ms) && Math.abs(ms) < MS_SPLIT_LIMIT && !Object.is(ms, -0);
const msHigh = (ms: number): number => (splits(ms) ? Math.floor(ms / MS_SPLIT) | 0 : 0);
const msLow = (ms: number, high: number): number => (splits(ms) ? (ms - high * MS_SPLIT) | 0 : ms);
const msOf = (high: number, low: number): number => (high === 0 ? low : high * MS_SPLIT + low);

/** What every SA record keeps the same way: its establishment time and its evidence. */
abstract class SaRecord {
  private msHigh: number;
  private msLow: number;
  /** The evidence as evidenceRef() keeps it. */
  private ref: string | number;

  constructor(establishedMs: number, evidence: string) {
    this.msHigh = msHigh(establishedMs);
    this.msLow = msLow(establishedMs, this.msHigh);
    this.ref = evidenceRef(evidence);
  }

  get establishedMs(): number {
    return msOf(this.msHigh, this.msLow);
  }
  set establishedMs(value: number) {
    this.msHigh = msHigh(value);
    this.msLow = msLow(value, this.msHigh);
  }
  /** The observation id, else the raw line, of the line that established it. */
  get evidence(): string {
    const ref = this.ref;
    return typeof ref === 'number' ? evidenceText(ref) : ref;
  }
  set evidence(value: string) {
    this.ref = evidenceRef(value);
  }
}

export class IpsecSa extends SaRecord {
  constructor(
    /** The SPI as a signed 32-bit integer (`spi | 0`) so that V8 keeps it a small integer. */
    public spi: number,
    establishedMs: number,
    public lifetimeS: number,
    public flags: number,
    public serial: number,
    public tunnel: Tunnel,
    evidence: string,
  ) {
    super(establishedMs, evidence);
  }
}

export class IkeSa extends SaRecord {
  // The remote endpoint is the one object per tunnel no other record shares: kept as its parts.
  private remoteIp: string | undefined;
  private remotePort: number | undefined;

  constructor(
    establishedMs: number,
    public lifetimeS: number,
    public flags: number,
    public serial: number,
    public tunnel: Tunnel,
    evidence: string,
    public local: Endpoint | undefined,
    remote: Endpoint | undefined,
  ) {
    super(establishedMs, evidence);
    this.remoteIp = remote?.ip;
    this.remotePort = remote?.port;
  }

  /** A fresh object on every read (nothing holds on to it). */
  get remote(): Endpoint | undefined {
    const ip = this.remoteIp;
    if (ip === undefined) return undefined;
    const port = this.remotePort;
    return port === undefined ? { ip } : { ip, port };
  }
  set remote(value: Endpoint | undefined) {
    this.remoteIp = value?.ip;
    this.remotePort = value?.port;
  }
}

// An observation id of the form `partition@offset` (as the projector's) is kept as one number,
// offset × 256 + partition: a small integer inside the record up to offset 8 M, else a 16-byte
// heap number, instead of a 24–40-byte string per SA. Only the canonical decimal form is packed,
// so the text rebuilt is the id as given; any other evidence stays the string it is.
const REF_PARTITIONS = 256;
const REF_MAX_OFFSET = Math.floor(Number.MAX_SAFE_INTEGER / REF_PARTITIONS);

/** The evidence as an SA record keeps it: a number for a canonical `partition@offset` id. */
export function evidenceRef(value: string): string | number {
  // Not an id (`@` at most 3 characters in, at most 15 digits after it): no scan of a raw line.
  if (value.length > 19) return value;
  const at = value.indexOf('@');
  if (at < 1 || at > 3 || value.length - at < 2 || value.length - at > 16) return value;
  const partition = decimal(value, 0, at);
  const offset = decimal(value, at + 1, value.length);
  if (partition < 0 || partition >= REF_PARTITIONS || offset < 0 || offset > REF_MAX_OFFSET)
    return value;
  return offset * REF_PARTITIONS + partition;
}

/** The id evidenceRef() packed. */
export function evidenceText(ref: number): string {
  const partition = ref % REF_PARTITIONS;
  return `${partition}@${(ref - partition) / REF_PARTITIONS}`;
}

/** The value of the digits in value[from, to) without leading zeros (a lone 0 is one); else -1. */
function decimal(value: string, from: number, to: number): number {
  if (to - from > 1 && value.charCodeAt(from) === 48) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

/** An open invalid-SPI episode (junos-ipsec.md, "Invalid SPI"). */
export interface InvalidSpiEpisode {
  readonly startMs: number;
  /** Latest hard deadline of the tunnel's live SAs when it started (undefined: none live). */
  readonly oldHardMs: number | undefined;
  readonly evidence: string;
  /** Directions that got a new SA since it started: bit 0 inbound, bit 1 outbound. */
  directions: number;
}

/** Fields most tunnels never need, kept out of the hot record. */
export interface TunnelExtra {
  tunnelId?: string;
  tunnelInterface?: string;
  aliases?: string[];
  downReason?: string;
  episode?: InvalidSpiEpisode;
  /** Hook for the SNMP collector: lifetimes read from the SA tables (snmp-model.md). */
  snmpIkeLifetimeS?: number;
  snmpIpsecLifetimeS?: number;
  /** When syslog last reported a failure, by reason (`certificate` for certificate checks): SNMP counters then add no second event. */
  failedMs?: Record<string, number>;
}

// Tunnel bit word: status (bits 0-1), role of the latest IKE negotiation (2-3), its IKE version
// (4-5), provisional = named by gateway addresses only (6).
const T_STATUS_MASK = 0b11;
const T_ROLE_SHIFT = 2;
const T_VERSION_SHIFT = 4;
const T_PROVISIONAL = 1 << 6;

export class Tunnel {
  private bits = 0;
  gateway: string | undefined = undefined;
  local: string | undefined = undefined;
  remote: string | undefined = undefined;
  /** Proxy IDs of its latest IPsec SA (interned): they tell apart tunnels sharing a peer. */
  localProxy: string | undefined = undefined;
  remoteProxy: string | undefined = undefined;
  ike: IkeSa | null = null;
  inbound: IpsecSa | null = null;
  outbound: IpsecSa | null = null;
  config: ExpectedTunnelView | undefined = undefined;
  private eventMsHigh = 0;
  private eventMsLow = -1;
  extra: TunnelExtra | undefined = undefined;

  constructor(
    public id: string,
    public vpn: string | undefined,
    public ts: string | undefined,
    provisional: boolean,
  ) {
    if (provisional) this.bits = T_PROVISIONAL;
  }

  get status(): StatusCode {
    return (this.bits & T_STATUS_MASK) as StatusCode;
  }
  set status(value: StatusCode) {
    this.bits = (this.bits & ~T_STATUS_MASK) | value;
  }
  get role(): RoleCode {
    return ((this.bits >> T_ROLE_SHIFT) & 0b11) as RoleCode;
  }
  set role(value: RoleCode) {
    this.bits = (this.bits & ~(0b11 << T_ROLE_SHIFT)) | (value << T_ROLE_SHIFT);
  }
  get ikeVersion(): 0 | 1 | 2 {
    return ((this.bits >> T_VERSION_SHIFT) & 0b11) as 0 | 1 | 2;
  }
  set ikeVersion(value: 0 | 1 | 2) {
    this.bits = (this.bits & ~(0b11 << T_VERSION_SHIFT)) | (value << T_VERSION_SHIFT);
  }
  get provisional(): boolean {
    return (this.bits & T_PROVISIONAL) !== 0;
  }
  set provisional(value: boolean) {
    this.bits = value ? this.bits | T_PROVISIONAL : this.bits & ~T_PROVISIONAL;
  }

  /** Time of its latest lifecycle event; -1 before the first. */
  get lastEventMs(): number {
    return msOf(this.eventMsHigh, this.eventMsLow);
  }
  set lastEventMs(value: number) {
    this.eventMsHigh = msHigh(value);
    this.eventMsLow = msLow(value, this.eventMsHigh);
  }

  more(): TunnelExtra {
    return (this.extra ??= {});
  }
}

export type Sa = IpsecSa | IkeSa;

export interface RouterStateOptions {
  readonly settings?: Partial<FoldSettings>;
  /** Fleet-level peer index for IKEv1 lifetimes (see peerIndex). */
  readonly peers?: Readonly<Record<string, PeerLifetimes>>;
}

/**
 * One router's fold state. evolve() takes ownership and updates it in place (copying 1 M SAs
 * per observation is not an option); to keep a state, snapshot it (toSnapshot) first.
 */
export class RouterState {
  readonly settings: FoldSettings;
  peers: Readonly<Record<string, PeerLifetimes>>;
  readonly tunnels = new Map<string, Tunnel>();
  /** Alias id → canonical tunnel id. */
  readonly aliases = new Map<string, string>();
  /** Remote gateway address → tunnels towards it (several tunnels can share a peer). */
  readonly byRemote = new Map<string, Tunnel | Tunnel[]>();
  /** VPN name → its tunnels split by traffic selector. */
  readonly splits = new Map<string, Tunnel[]>();
  config: ConfigView | undefined = undefined;
  readonly deadlines = new DeadlineHeap<Sa>();
  readonly recent = new RecentObservations();
  /** Latest observation time seen (router clock); -Infinity before the first. */
  clockMs = -Infinity;
  /** Latest time of an observation that shows the router alive (not clock); NaN before. */
  lastSeenMs = Number.NaN;
  lastSeenEvidence = '';
  silent = false;
  /** Lifecycle events emitted so far: event ids are `router:seq`. */
  seq = 0;
  /** SAs created so far: orders deadlines that fall at the same millisecond. */
  serial = 0;
  /** The local endpoint of the IKE SA created last: the next one, when equal, shares it. */
  lastLocalEndpoint: Endpoint | undefined = undefined;
  /** What the router's SNMP polls showed (undefined: never polled). */
  snmp: SnmpMemory | undefined = undefined;
  /** Events of the observation being applied (transient). */
  pending: LifecycleEvent[] | null = null;
  /** Interned short strings (addresses, proxy IDs, selector names) shared by many tunnels. */
  private readonly interned = new Map<string, string>();

  constructor(
    readonly router: string,
    options: RouterStateOptions = {},
  ) {
    this.settings = foldSettings(options.settings);
    this.peers = options.peers ?? {};
  }

  /** A shared copy of a string many tunnels repeat (local address, proxy ID, selector). */
  intern(value: string): string {
    const known = this.interned.get(value);
    if (known !== undefined) return known;
    const copy = own(value);
    if (this.interned.size < 100_000) this.interned.set(copy, copy);
    return copy;
  }
}

/** The state of a router before any observation. */
export function initialState(router: string, options: RouterStateOptions = {}): RouterState {
  return new RouterState(router, options);
}
