import type { SimPlatform, SimRole, SimTunnelEnd } from '../configs/end.js';
import type { SimRouter } from '../fleet.js';
import type { Simulation } from '../simulate.js';

// What each simulated router's SNMP agent shows at a virtual time, derived from the ground truth
// (so the agents and the syslog tell one story: the same SPIs, the same tunnels, SAs present
// exactly while the truth says they live). Pure: the time is an argument.
//
// Choices the MIB text leaves open (snmp-model.md §9), made here and documented in
// docs/simulator.md "SNMP":
// - after a rekey the previous SA pair stays, `expiring`, for EXPIRING_SECONDS (never past its
//   hard deadline), then its row is gone;
// - a new IKE SA replaces the tunnel's previous one at once (the IKE table has no expiring state);
// - a reboot (the truth's TunnelDown `invalid-spi`) takes the rebooted end's SAs and IKE SA, and
//   only those: the simulator plays a reboot per tunnel, its truth loses no other tunnel of that
//   router, so sysUpTime keeps counting (a reset would tell samon, rightly, that every SA of the
//   router is gone — docs/lifecycle.md; the fold's unit tests cover that case);
// - SRX tunnel index 131072 + st0 unit (131073, 131074…, stable for the VPN); MX: the unit;
// - invalid SPIs arrive at INVALID_SPI_PER_SECOND from InvalidSpiDetected until the episode
//   ends, counted in the router's global counter and in the tunnel's (shown while its row is).

export const EXPIRING_SECONDS = 30;
export const INVALID_SPI_PER_SECOND = 10;
/** Traffic through an up tunnel, per direction: packets per second and bytes per packet. */
export const PACKETS_PER_SECOND = 50;
export const BYTES_PER_PACKET = 400;
/** sysUpTime at the start of the run: router i booted BOOT_DAYS + i hours before it. */
export const BOOT_DAYS = 40;

/** Failure counters of jnxIkePeerStatsTable the simulator moves (snmp-model.md §1.6). */
export type PeerCounter =
  'NoProposalChosen' | 'AuthenticationFailed' | 'TsUnacceptable' | 'InvalidKe' | 'ResGetCAsFail';

export interface IkeRowState {
  readonly remoteGateway: string;
  readonly localGateway: string;
  readonly ikeIndex: number;
  readonly role: SimRole;
  readonly ikeVersion: 1 | 2;
  readonly initiatorCookie: string;
  readonly responderCookie: string;
  readonly lifetimeSeconds: number;
  /** ActiveTime, hundredths of a second. */
  readonly activeHundredths: number;
  /** SRX gateway name; MX rule name. */
  readonly gateway: string;
  /** MX: the service set indexing the row. */
  readonly serviceSet?: string;
  readonly localId: string;
  readonly remoteId: string;
  readonly encryption: string;
  readonly authentication: 'psk' | 'certificate';
}

export interface TunnelRowState {
  readonly remoteGateway: string;
  readonly localGateway: string;
  readonly tunnelIndex: number;
  readonly vpn: string;
  readonly trafficSelector: string;
  readonly localProxyId: string;
  readonly remoteProxyId: string;
  readonly serviceSet?: string;
  readonly rule?: string;
  readonly term?: string;
  readonly counters: {
    readonly outEncryptedBytes: bigint;
    readonly outEncryptedPkts: bigint;
    readonly inDecryptedBytes: bigint;
    readonly inDecryptedPkts: bigint;
    readonly invalidSpi: bigint;
  };
}

export interface SaRowState {
  readonly remoteGateway: string;
  readonly tunnelIndex: number;
  readonly saIndex: number;
  readonly serviceSet?: string;
  readonly inSpi: number;
  readonly outSpi: number;
  readonly lifetimeSeconds: number;
  readonly lifetimeThresholdSeconds: number;
  readonly activeHundredths: number;
  readonly state: 'active' | 'expiring';
  readonly encryption: string;
}

export interface PeerRowState {
  readonly remoteGateway: string;
  readonly localGateway: string;
  readonly peerIndex: number;
  readonly state: 'active' | 'inactive';
  readonly gateway: string;
  readonly counters: Readonly<Record<PeerCounter, number>>;
  /** The same failures split by the role the router played (the MIB counts In and Out apart). */
  readonly byRole: Readonly<Record<SimRole, Readonly<Record<PeerCounter, number>>>>;
}

export interface RouterSnmpView {
  readonly router: string;
  readonly platform: SimPlatform;
  readonly atMs: number;
  readonly sysUpTimeHundredths: number;
  readonly ike: readonly IkeRowState[];
  readonly tunnels: readonly TunnelRowState[];
  readonly sas: readonly SaRowState[];
  readonly peers: readonly PeerRowState[];
  readonly global: { readonly invalidSpi: bigint };
}

interface Span {
  readonly from: number;
  until: number;
}
interface IkeSpan extends Span {
  readonly end: SimTunnelEnd;
  readonly ikeIndex: number;
  readonly role: SimRole;
  readonly lifetimeSeconds: number;
}
interface SaSpan extends Span {
  readonly end: SimTunnelEnd;
  readonly saIndex: number;
  readonly inSpi: number;
  readonly outSpi: number;
  readonly lifetimeSeconds: number;
  readonly thresholdSeconds: number;
  /** When it turned `expiring` (a rekey); infinite while active. */
  expiringFrom: number;
}
interface TunnelSpan extends Span {
  readonly end: SimTunnelEnd;
}
interface Tick {
  readonly ms: number;
  readonly end: SimTunnelEnd;
  readonly counter: PeerCounter;
  readonly role: SimRole;
}
interface Episode extends Span {
  readonly end: SimTunnelEnd;
}

interface RouterTimeline {
  readonly router: SimRouter;
  readonly index: number;
  readonly boots: number[];
  readonly ike: IkeSpan[];
  readonly sas: SaSpan[];
  readonly tunnels: TunnelSpan[];
  readonly ticks: Tick[];
  readonly episodes: Episode[];
  /**
   * IKE peers (a local and remote gateway pair: several tunnels can share one) in order of first
   * activity: the peer index is the position + 1.
   */
  readonly peers: { readonly key: string; readonly ends: SimTunnelEnd[] }[];
}

/**
 * A notification a router sends (snmp-model.md §1.7, flow-mon only). `ipsec-tunnel-down` when a
 * tunnel that was up goes down while its peer stays; `peer-down` when the peer goes with it (DPD,
 * the VPN deleted) — the MIB: tunnel-down traps "are not generated if the corresponding peer has
 * gone down". A rebooted router sends neither for the SAs it lost.
 */
export interface SimTrap {
  readonly ms: number;
  readonly router: string;
  readonly trap: 'peer-down' | 'ipsec-tunnel-down';
  readonly end: SimTunnelEnd;
}

export interface SnmpModel {
  readonly startMs: number;
  readonly endMs: number;
  readonly routers: readonly string[];
  /** Traps in time order. */
  readonly traps: readonly SimTrap[];
  viewAt(router: string, atMs: number): RouterSnmpView;
}

const S = 1000;
const OPEN = Number.POSITIVE_INFINITY;

/** SRX-style tunnel index (`show security ipsec sa`): 0x20000 + the st0 unit; MX: the unit. */
export function tunnelIndexOf(end: SimTunnelEnd): number {
  return end.platform === 'srx' ? 131072 + end.unit : end.unit;
}

/** An IKE SPI ("cookie") as Junos prints it: 16 hex digits, derived from who and when. */
function cookie(address: string, atMs: number): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (const ch of `${address}@${atMs}`) {
    h1 = Math.imul(h1 ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ ch.charCodeAt(0), 0x5bd1e995) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

const proxyIdOf = (subnet: string) => `ipv4_subnet(any:0,[0..7]=${subnet})`;

const PEER_COUNTER: Partial<Record<string, PeerCounter>> = {
  'no-proposal-chosen': 'NoProposalChosen',
  'authentication-failed': 'AuthenticationFailed',
  'traffic-selector-mismatch': 'TsUnacceptable',
  'invalid-ke': 'InvalidKe',
};

/** TunnelDown reasons that take the IKE SA too (the end lost everything or the VPN is gone). */
const DROPS_IKE = new Set(['invalid-spi', 'dpd-peer-dead', 'config-deleted']);

const spiOf = (hex: string) => Number.parseInt(hex, 16);

export function snmpModel(sim: Simulation): SnmpModel {
  const startMs = Date.parse(sim.header.simulation.start);
  const endMs = Date.parse(sim.header.simulation.end);
  const timelines = new Map<string, RouterTimeline>();
  sim.fleet.routers.forEach((router, index) =>
    timelines.set(router.name, {
      router,
      index,
      boots: [startMs - BOOT_DAYS * 86_400 * S - index * 3600 * S],
      ike: [],
      sas: [],
      tunnels: [],
      ticks: [],
      episodes: [],
      peers: [],
    }),
  );
  const ends = new Map<string, SimTunnelEnd>();
  for (const r of sim.fleet.routers) for (const e of r.ends) ends.set(`${r.name}/${e.vpn}`, e);
  const ikeCounter = new Map<string, number>();
  const saCounter = new Map<SimTunnelEnd, number>();
  const currentIke = new Map<SimTunnelEnd, IkeSpan>();
  const currentTunnel = new Map<SimTunnelEnd, TunnelSpan>();
  const liveSas = new Map<SimTunnelEnd, SaSpan[]>();
  const pending = new Map<SimTunnelEnd, { inSpi?: number; outSpi?: number; ms: number }>();
  const openEpisode = new Map<SimTunnelEnd, Episode>();
  const traps: SimTrap[] = [];

  const closeIke = (e: SimTunnelEnd, ms: number) => {
    const span = currentIke.get(e);
    if (span) span.until = ms;
    currentIke.delete(e);
  };
  const closeSas = (e: SimTunnelEnd, ms: number) => {
    for (const sa of liveSas.get(e) ?? []) sa.until = Math.min(sa.until, ms);
    liveSas.set(e, []);
  };

  for (const event of sim.truth) {
    const e = ends.get(event.tunnel ?? '');
    if (!e) continue;
    const line = timelines.get(e.router)!;
    const ms = Date.parse(event.at);
    const key = `${e.localAddress}>${e.remoteAddress}`;
    const peer = line.peers.find((p) => p.key === key);
    if (!peer) line.peers.push({ key, ends: [e] });
    else if (!peer.ends.includes(e)) peer.ends.push(e);
    if (event.type === 'IkeSaEstablished') {
      closeIke(e, ms);
      const next = (ikeCounter.get(e.router) ?? 0) + 1;
      ikeCounter.set(e.router, next);
      const span: IkeSpan = {
        from: ms,
        until: OPEN,
        end: e,
        ikeIndex: next,
        role: event.data.role ?? e.role,
        lifetimeSeconds: event.data.lifetimeSeconds,
      };
      currentIke.set(e, span);
      line.ike.push(span);
    } else if (event.type === 'IkeSaExpired') {
      closeIke(e, ms);
    } else if (event.type === 'IpsecSaEstablished') {
      const spi = spiOf(event.data.spi);
      const p = pending.get(e);
      const pair = p && p.ms === ms ? p : { ms };
      if (event.data.direction === 'inbound') pair.inSpi = spi;
      else pair.outSpi = spi;
      pending.set(e, pair);
      if (pair.inSpi === undefined || pair.outSpi === undefined) continue;
      pending.delete(e);
      const live = liveSas.get(e) ?? [];
      for (const old of live) {
        if (old.expiringFrom !== OPEN) continue;
        old.expiringFrom = ms;
        old.until = Math.min(
          old.until,
          ms + EXPIRING_SECONDS * S,
          old.from + old.lifetimeSeconds * S,
        );
      }
      const saIndex = ((saCounter.get(e) ?? 0) % 65535) + 1;
      saCounter.set(e, saIndex);
      const hard = Date.parse(event.data.hardDeadline);
      const soft = Date.parse(event.data.softDeadline);
      const span: SaSpan = {
        from: ms,
        until: OPEN,
        end: e,
        saIndex,
        inSpi: pair.inSpi,
        outSpi: pair.outSpi,
        lifetimeSeconds: event.data.lifetimeSeconds,
        thresholdSeconds: Math.round((hard - soft) / S),
        expiringFrom: OPEN,
      };
      liveSas.set(
        e,
        [...live, span].filter((s) => s.until > ms),
      );
      line.sas.push(span);
      if (!currentTunnel.has(e)) {
        const tunnel: TunnelSpan = { from: ms, until: OPEN, end: e };
        currentTunnel.set(e, tunnel);
        line.tunnels.push(tunnel);
      }
    } else if (event.type === 'IpsecSaExpired') {
      const spi = spiOf(event.data.spi);
      for (const sa of liveSas.get(e) ?? []) {
        if (sa.inSpi === spi || sa.outSpi === spi) sa.until = Math.min(sa.until, ms);
      }
    } else if (event.type === 'TunnelDown') {
      closeSas(e, ms);
      const tunnel = currentTunnel.get(e);
      if (tunnel) tunnel.until = ms;
      currentTunnel.delete(e);
      if (DROPS_IKE.has(event.data.reason)) closeIke(e, ms);
      if (tunnel && event.data.reason !== 'invalid-spi') {
        const peerStays = [...currentIke.keys()].some(
          (other) => other.router === e.router && other.remoteAddress === e.remoteAddress,
        );
        traps.push({
          ms,
          router: e.router,
          trap: peerStays ? 'ipsec-tunnel-down' : 'peer-down',
          end: e,
        });
      }
    } else if (event.type === 'NegotiationFailed') {
      const counter = PEER_COUNTER[event.data.reason];
      if (counter) line.ticks.push({ ms, end: e, counter, role: event.data.role ?? e.role });
    } else if (event.type === 'CertificateCheckFailed') {
      line.ticks.push({ ms, end: e, counter: 'ResGetCAsFail', role: 'responder' });
    } else if (event.type === 'InvalidSpiDetected') {
      const episode: Episode = { from: ms, until: OPEN, end: e };
      openEpisode.set(e, episode);
      line.episodes.push(episode);
    } else if (event.type === 'InvalidSpiRecovered') {
      const episode = openEpisode.get(e);
      if (episode) episode.until = ms;
      openEpisode.delete(e);
    }
  }

  return {
    startMs,
    endMs,
    routers: sim.fleet.routers.map((r) => r.name),
    traps,
    viewAt(router, atMs) {
      const line = timelines.get(router);
      if (!line) throw new Error(`no simulated router ${router}`);
      return viewOf(line, atMs);
    },
  };
}

const live = (s: Span, t: number) => s.from <= t && t < s.until;
const hundredths = (fromMs: number, toMs: number) => Math.floor((toMs - fromMs) / 10);
/** Whole events of a rate over [from, min(until, t)). */
const accrued = (s: Span, t: number, perSecond: number) =>
  BigInt(Math.max(0, Math.floor(((Math.min(s.until, t) - s.from) / S) * perSecond)));

function viewOf(line: RouterTimeline, t: number): RouterSnmpView {
  const { router } = line;
  const serviceSet = (e: SimTunnelEnd) => (e.platform === 'mx' ? { serviceSet: e.vpn } : {});
  const boot = line.boots.filter((b) => b <= t).at(-1) ?? line.boots[0]!;
  const ike = line.ike
    .filter((s) => live(s, t))
    .map((s): IkeRowState => {
      const e = s.end;
      const initiatorAddress = s.role === 'initiator' ? e.localAddress : e.remoteAddress;
      const responderAddress = s.role === 'initiator' ? e.remoteAddress : e.localAddress;
      return {
        remoteGateway: e.remoteAddress,
        localGateway: e.localAddress,
        ikeIndex: s.ikeIndex,
        role: s.role,
        ikeVersion: e.ikeVersion,
        initiatorCookie: cookie(initiatorAddress, s.from),
        responderCookie: cookie(responderAddress, s.from),
        lifetimeSeconds: s.lifetimeSeconds,
        activeHundredths: hundredths(s.from, t),
        gateway: e.gateway,
        ...serviceSet(e),
        localId: e.localAddress,
        remoteId: e.remoteAddress,
        encryption: e.ikeEncryption,
        authentication: e.authentication,
      };
    })
    .sort((a, b) => a.ikeIndex - b.ikeIndex);
  const episodes = (e: SimTunnelEnd | undefined) =>
    line.episodes
      .filter((x) => e === undefined || x.end === e)
      .reduce((sum, x) => sum + accrued(x, t, INVALID_SPI_PER_SECOND), 0n);
  const tunnels = line.tunnels
    .filter((s) => live(s, t))
    .map((s): TunnelRowState => {
      const e = s.end;
      const pkts = accrued(s, t, PACKETS_PER_SECOND);
      return {
        remoteGateway: e.remoteAddress,
        localGateway: e.localAddress,
        tunnelIndex: tunnelIndexOf(e),
        vpn: e.vpn,
        trafficSelector: e.proxyIdentity ? `ts-${e.vpn}` : '',
        localProxyId: proxyIdOf(e.proxyIdentity ? e.localSubnet : '0.0.0.0/0'),
        remoteProxyId: proxyIdOf(e.proxyIdentity ? e.remoteSubnet : '0.0.0.0/0'),
        ...(e.platform === 'mx' ? { serviceSet: e.vpn, rule: e.gateway, term: 'term-1' } : {}),
        counters: {
          outEncryptedBytes: pkts * BigInt(BYTES_PER_PACKET),
          outEncryptedPkts: pkts,
          inDecryptedBytes: pkts * BigInt(BYTES_PER_PACKET),
          inDecryptedPkts: pkts,
          invalidSpi: episodes(e),
        },
      };
    });
  const sas = line.sas
    .filter((s) => live(s, t))
    .map((s): SaRowState => ({
      remoteGateway: s.end.remoteAddress,
      tunnelIndex: tunnelIndexOf(s.end),
      saIndex: s.saIndex,
      ...serviceSet(s.end),
      inSpi: s.inSpi,
      outSpi: s.outSpi,
      lifetimeSeconds: s.lifetimeSeconds,
      lifetimeThresholdSeconds: s.thresholdSeconds,
      activeHundredths: hundredths(s.from, t),
      state: t >= s.expiringFrom ? 'expiring' : 'active',
      encryption: s.end.ipsecEncryption,
    }));
  const peers = line.peers
    .map((p, i) => ({ ends: p.ends, peerIndex: i + 1 }))
    .filter(
      ({ ends }) =>
        line.ike.some((s) => ends.includes(s.end) && s.from <= t) ||
        line.ticks.some((k) => ends.includes(k.end) && k.ms <= t),
    )
    .map(({ ends, peerIndex }): PeerRowState => {
      const zero = (): Record<PeerCounter, number> => ({
        NoProposalChosen: 0,
        AuthenticationFailed: 0,
        TsUnacceptable: 0,
        InvalidKe: 0,
        ResGetCAsFail: 0,
      });
      const counters = zero();
      const byRole = { initiator: zero(), responder: zero() };
      for (const k of line.ticks) {
        if (!ends.includes(k.end) || k.ms > t) continue;
        counters[k.counter]++;
        byRole[k.role][k.counter]++;
      }
      const first = ends[0]!;
      return {
        remoteGateway: first.remoteAddress,
        localGateway: first.localAddress,
        peerIndex,
        state: line.ike.some((s) => ends.includes(s.end) && live(s, t)) ? 'active' : 'inactive',
        gateway: first.gateway,
        counters,
        byRole,
      };
    });
  return {
    router: router.name,
    platform: router.platform,
    atMs: t,
    sysUpTimeHundredths: hundredths(boot, t),
    ike,
    tunnels,
    sas,
    peers,
    global: { invalidSpi: episodes(undefined) },
  };
}
