import type { ExpectedTunnelView } from './config.js';
import { spiText } from '../spi.js';
import type { FoldSettings } from './settings.js';
import { softLeadMs } from './lifetimes.js';
import {
  LIFETIME_DEFAULT,
  LIFETIME_SOURCES,
  SA_OUTBOUND,
  SA_OVERDUE_FIRED,
  SA_ROLE_MASK,
  SA_SOURCE_SHIFT,
  SA_VERSION_SHIFT,
  ROLE_INITIATOR,
  ROLE_RESPONDER,
  type LifetimeSource,
  type RouterState,
  type Tunnel,
} from './state.js';
import { tunnelStatus, type TunnelStatus } from './tunnelState.js';

// The read-only surface of the fold's state for readers outside the domain (the metrics
// exporter, the HTTP API): views whose fields readers may read, and accessors for what the
// records pack into flag words. The fold owns the records and updates them in place; readers
// must neither keep nor modify them. The views are structural (the state's classes satisfy them),
// so reading costs nothing more than reading the fields, and no accessor allocates.

/** An IPsec SA as readers see it. */
export interface IpsecSaView {
  /** The SPI as a signed 32-bit integer (`spi >>> 0` for the unsigned value). */
  readonly spi: number;
  readonly establishedMs: number;
  readonly lifetimeS: number;
  /** Packed role, lifetime source, direction, version, overdue: read through the accessors. */
  readonly flags: number;
}

/** An IKE SA as readers see it. */
export interface IkeSaView {
  readonly establishedMs: number;
  readonly lifetimeS: number;
  readonly flags: number;
}

/** An open invalid-SPI episode as readers see it. */
export interface InvalidSpiEpisodeView {
  readonly startMs: number;
  /** Latest hard deadline of the tunnel's live SAs when it started (undefined: none live). */
  readonly oldHardMs: number | undefined;
}

/** A tunnel as readers see it. */
export interface TunnelView {
  readonly id: string;
  readonly vpn: string | undefined;
  readonly gateway: string | undefined;
  readonly local: string | undefined;
  readonly remote: string | undefined;
  readonly ike: IkeSaView | null;
  readonly inbound: IpsecSaView | null;
  readonly outbound: IpsecSaView | null;
  /** Its expected tunnel in the router's imported configuration (undefined: not configured). */
  readonly config: ExpectedTunnelView | undefined;
}

/** A router's fold state as readers see it. */
export interface RouterStateView {
  readonly router: string;
  readonly settings: FoldSettings;
  readonly tunnels: ReadonlyMap<string, TunnelView>;
  /** Latest observation time seen (router clock); -Infinity before the first. */
  readonly clockMs: number;
  /** Latest time the router showed itself alive; NaN before. */
  readonly lastSeenMs: number;
  readonly silent: boolean;
}

// Compile-time proof that the state's classes satisfy the views.
const _stateIsView = (state: RouterState): RouterStateView => state;
void _stateIsView;

const NO_ALIASES: readonly string[] = Object.freeze([]);

// ---- router

/** The router's tunnels, in the order the fold created them. */
export const routerTunnels = (state: RouterStateView): IterableIterator<TunnelView> =>
  state.tunnels.values();

export const tunnelCount = (state: RouterStateView): number => state.tunnels.size;

export const hasTunnel = (state: RouterStateView, id: string): boolean => state.tunnels.has(id);

// ---- tunnel

/** The tunnel's status (`--state`, samon_tunnel_state). */
export const tunnelStatusOf = (state: RouterStateView, tunnel: TunnelView): TunnelStatus =>
  tunnelStatus(tunnel as Tunnel, state.settings.pairWindowSeconds * 1000);

export const isConfigured = (tunnel: TunnelView): boolean => tunnel.config !== undefined;

/** Former ids of the tunnel (a provisional id absorbed by its configured name). */
export const tunnelAliases = (tunnel: TunnelView): readonly string[] =>
  (tunnel as Tunnel).extra?.aliases ?? NO_ALIASES;

/** Its open invalid-SPI episode, if any. */
export const invalidSpiEpisode = (tunnel: TunnelView): InvalidSpiEpisodeView | undefined =>
  (tunnel as Tunnel).extra?.episode;

/** Why it went down, while it is down (a reason code of contracts.md). */
export const downReason = (tunnel: TunnelView): string | undefined =>
  (tunnel as Tunnel).extra?.downReason;

export const tunnelInterface = (tunnel: TunnelView): string | undefined =>
  (tunnel as Tunnel).extra?.tunnelInterface;

// ---- SAs (IPsec and IKE)

const roleOf = (flags: number): 'initiator' | 'responder' | undefined => {
  const role = flags & SA_ROLE_MASK;
  return role === ROLE_INITIATOR ? 'initiator' : role === ROLE_RESPONDER ? 'responder' : undefined;
};

const sourceCode = (flags: number): number => (flags >> SA_SOURCE_SHIFT) & 0b111;

/** Hard deadline (epoch ms): the SA is gone then. */
export const saHardMs = (sa: IpsecSaView | IkeSaView): number =>
  sa.establishedMs + sa.lifetimeS * 1000;

/**
 * Soft deadline (epoch ms): hard − 135 s as initiator, − 90 s as responder or with the role
 * unknown (junos-ipsec.md). The IKE SA's is derived by the same rule (the fold keeps none).
 */
export const saSoftMs = (sa: IpsecSaView | IkeSaView): number =>
  saHardMs(sa) - softLeadMs(sa.flags & SA_ROLE_MASK);

/** The SA's role in its negotiation; undefined when unknown. */
export const saRole = (sa: IpsecSaView | IkeSaView): 'initiator' | 'responder' | undefined =>
  roleOf(sa.flags);

/** Where its lifetime came from (the `lifetimeSource` of its established event). */
export const saLifetimeSource = (sa: IpsecSaView | IkeSaView): LifetimeSource =>
  LIFETIME_SOURCES[sourceCode(sa.flags)] ?? 'default';

/** The lifetime is the Junos default, assumed (nothing better known). */
export const saLifetimeAssumed = (sa: IpsecSaView | IkeSaView): boolean =>
  sourceCode(sa.flags) === LIFETIME_DEFAULT;

/** An IPsec SA's soft deadline + grace passed with no successor (the fold marked it overdue). */
export const ipsecOverdue = (sa: IpsecSaView): boolean => (sa.flags & SA_OVERDUE_FIRED) !== 0;

export const ipsecDirection = (sa: IpsecSaView): 'inbound' | 'outbound' =>
  (sa.flags & SA_OUTBOUND) !== 0 ? 'outbound' : 'inbound';

/** The SPI as the 8-hex-digit text of the events (`0x…`). */
export const ipsecSpiText = (sa: IpsecSaView): string => spiText(sa.spi);

/** The IKE version of an IKE SA (1 or 2; 0 when unknown). */
export const ikeVersion = (sa: IkeSaView): 0 | 1 | 2 =>
  ((sa.flags >> SA_VERSION_SHIFT) & 0b11) as 0 | 1 | 2;
