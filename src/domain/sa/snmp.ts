import type { ObservationOf } from '../observation.js';
import type { Reason } from '../reason.js';
import { crlDownloadEnforced } from './config.js';
import { emit, evidenceOf, spiValue } from './emit.js';
import { establishIke, ikeSource, roleName } from './ike.js';
import { given } from './identity.js';
import { startEpisode, progressEpisode } from './invalidSpi.js';
import { endIpsec, establishIpsec, expireIpsec, hardMs, ipsecSource, schedule } from './ipsec.js';
import { isoTime as isoFromMillis } from './isoTime.js';
import { DEADLINE_IKE_HARD } from './deadlines.js';
import { lookup, resolveByGateways, resolveNamed, tunnelsBetween } from './resolve.js';
import { emptySnmpMemory, type SnmpMemory, type SnmpTunnelMemo } from './snmpMemory.js';
import {
  LIFETIME_DEFAULT,
  LIFETIME_SNMP,
  SA_DEAD,
  SA_SOURCE_MASK,
  SA_SOURCE_SHIFT,
  type IkeSa,
  type IpsecSa,
  type RouterState,
  type Tunnel,
} from './state.js';
import { clearSas, hasLiveIpsec, markDown, upFromSas } from './tunnelState.js';

// SNMP fused into the lifecycle (issue 8, snmp-model.md §8). A poll is a snapshot of the
// router's tables at one time: the fold compares it with the previous poll. A row first seen is
// an SA established at poll time − ActiveTime (inferred); a new SPI pair under a tunnel is a
// rekey; rows gone between two complete polls are SAs gone; counters that grew are failures or
// invalid-SPI evidence; a sysUpTime that went back is a reboot. Syslog and SNMP meet in the same
// records (the SPI for IPsec SAs, the establishment time for IKE SAs), so one transition seen by
// both gives one lifecycle event.

/**
 * Router clock (syslog times) and collector clock (poll times) differ, and ActiveTime counts
 * from when the router installed the SA: times closer than this are the same moment. SAs are
 * rekeyed minutes apart at the least (Junos minimum lifetime 180 s), so no two generations fall
 * within it.
 */
const SAME_MOMENT_MS = 30_000;

/** sysUpTime is TimeTicks: it wraps after 2^32 hundredths (≈ 497 days) without a reboot. */
const UPTIME_WRAP_MS = 2 ** 32 * 10;

const SA_TABLES: ReadonlySet<string> = new Set(['jnxIpSecSaMonTable', 'jnxIpSecSaTable']);
const IKE_TABLES: ReadonlySet<string> = new Set(['jnxIkeTunnelMonTable', 'jnxIkeTunnelTable']);
const TUNNEL_TABLES: ReadonlySet<string> = new Set([
  'jnxIpSecTunnelMonTable',
  'jnxIpSecTunnelTable',
]);

type Row<K extends 'snmp-ike-sa' | 'snmp-ipsec-tunnel' | 'snmp-ipsec-sa' | 'snmp-ike-peer'> =
  ObservationOf<K>;

const memoryOf = (state: RouterState): SnmpMemory => (state.snmp ??= emptySnmpMemory());

const ageMs = (activeSeconds: number | undefined): number =>
  activeSeconds !== undefined && Number.isFinite(activeSeconds) && activeSeconds > 0
    ? Math.round(activeSeconds * 1000)
    : 0;

const rowKey = (serviceSet: string | undefined, remote: string, index: number): string =>
  `${serviceSet ?? ''}|${remote}|${index}`;

// ---- sysUpTime

/**
 * `snmp-system`: the boot time it implies (poll time − sysUpTime). A later boot time than the
 * last one is a reboot: every SA established before it is gone (Junos keeps no SA across a
 * restart). The first poll has nothing to compare with, but SAs older than the boot are just as
 * gone: the router rebooted while nobody polled it.
 */
export function snmpSystem(
  state: RouterState,
  observation: ObservationOf<'snmp-system'>,
  atMs: number,
): void {
  const upMs = Math.round(observation.data.sysUpTimeSeconds * 1000);
  if (!Number.isFinite(upMs) || upMs < 0) return;
  const memory = memoryOf(state);
  const bootMs = atMs - upMs;
  const previous = memory.bootMs;
  memory.bootMs = bootMs;
  if (previous !== null) {
    const moved = bootMs - previous;
    if (moved <= SAME_MOMENT_MS) return;
    if (Math.abs(moved - UPTIME_WRAP_MS) <= SAME_MOMENT_MS) return;
  }
  const stale: Tunnel[] = [];
  for (const tunnel of state.tunnels.values()) {
    const sas = [tunnel.inbound, tunnel.outbound, tunnel.ike];
    if (sas.some((sa) => sa !== null && sa.establishedMs < bootMs - SAME_MOMENT_MS))
      stale.push(tunnel);
  }
  if (previous === null && stale.length === 0) return;
  const evidence = [observation.raw];
  emit(state, 'RouterRebooted', bootMs, undefined, true, evidence, {
    bootAt: isoFromMillis(bootMs),
    ...(previous !== null ? { previousBootAt: isoFromMillis(previous) } : {}),
  });
  // Row indexes and counters restart with the router: the next poll is a first sighting.
  memory.tunnels = {};
  memory.ike = {};
  memory.peers = {};
  stale.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const tunnel of stale) {
    clearSas(tunnel);
    markDown(state, tunnel, bootMs, true, evidence, 'unknown', 'router rebooted');
  }
}

// ---- phase-2 tunnel rows

/** The tunnel a phase-2 tunnel row is about: by VPN name (SRX 2016+ MIB, MX service set), else by gateways and proxy IDs. */
function resolveTunnelRow(state: RouterState, row: Row<'snmp-ipsec-tunnel'>, atMs: number): Tunnel {
  const d = row.data;
  const vpn = given(d.vpn) ?? given(d.serviceSet);
  const local = given(d.localGateway);
  const evidence = [row.raw];
  if (vpn !== undefined) {
    const targets = resolveNamed(
      state,
      { vpn, trafficSelector: given(d.trafficSelector), local, remote: d.remoteGateway },
      atMs,
      evidence,
    );
    if (targets[0]) return targets[0];
  }
  return resolveByGateways(
    state,
    {
      local,
      remote: d.remoteGateway,
      localProxy: given(d.localProxyId),
      remoteProxy: given(d.remoteProxyId),
    },
    atMs,
    evidence,
  );
}

export function snmpTunnelRow(
  state: RouterState,
  row: Row<'snmp-ipsec-tunnel'>,
  atMs: number,
): void {
  const d = row.data;
  const memory = memoryOf(state);
  const tunnel = resolveTunnelRow(state, row, atMs);
  const extra = tunnel.more();
  if (extra.tunnelId === undefined) extra.tunnelId = String(d.tunnelIndex);
  const key = rowKey(d.serviceSet, d.remoteGateway, d.tunnelIndex);
  const memo = memoFor(memory, key, tunnel, atMs);
  // Invalid SPI: a counter that grew between two polls is an episode's first evidence.
  const invalid = d.counters?.['invalidSpi'] ?? d.counters?.['jnxIpSecTunMonInvalidSpi'];
  if (invalid !== undefined) {
    const before = memo.invalidSpi;
    memo.invalidSpi = invalid;
    const grew = before === undefined ? 0 : growth(before, invalid);
    if (grew > 0 && !tunnel.extra?.episode) {
      startEpisode(state, tunnel, atMs, [row.raw], evidenceOf(row), undefined, grew);
    }
  }
}

function memoFor(memory: SnmpMemory, key: string, tunnel: Tunnel, atMs: number): SnmpTunnelMemo {
  let memo = memory.tunnels[key];
  if (memo === undefined) {
    memo = { tunnel: tunnel.id, seenMs: atMs, spis: [], next: [], nextMs: atMs };
    memory.tunnels[key] = memo;
  }
  memo.tunnel = tunnel.id;
  memo.seenMs = atMs;
  if (memo.nextMs !== atMs) {
    memo.next = [];
    memo.nextMs = atMs;
  }
  return memo;
}

/** How much a Counter64 (decimal text) grew; 0 when it went back (a reset is no growth). */
function growth(before: string, after: string): number {
  try {
    const d = BigInt(after) - BigInt(before);
    return d > 0n ? Number(d) : 0;
  } catch {
    return 0;
  }
}

// ---- SA rows

export function snmpSaRow(state: RouterState, row: Row<'snmp-ipsec-sa'>, atMs: number): void {
  const d = row.data;
  const memory = memoryOf(state);
  const key = rowKey(d.serviceSet, d.remoteGateway, d.tunnelIndex);
  const known = memory.tunnels[key];
  const tunnel =
    (known && lookup(state, known.tunnel)) ??
    resolveByGateways(state, { remote: d.remoteGateway }, atMs, [row.raw]);
  const memo = memoFor(memory, key, tunnel, atMs);
  const inSpi = spiValue(d.inSpi);
  const outSpi = spiValue(d.outSpi);
  if (Number.isNaN(inSpi) || Number.isNaN(outSpi)) return;
  memo.next.push(inSpi, outSpi);
  const lifetime = d.lifetimeSeconds;
  if (lifetime !== undefined && lifetime > 0) tunnel.more().snmpIpsecLifetimeS = lifetime;
  const establishedMs = atMs - ageMs(d.activeSeconds);
  const ref = evidenceOf(row);
  for (const [outbound, spi] of [
    [false, inSpi],
    [true, outSpi],
  ] as const) {
    const current = outbound ? tunnel.outbound : tunnel.inbound;
    if (current !== null && current.spi === spi) {
      correctLifetime(state, current, lifetime);
      continue;
    }
    // A row on its way out is an older generation: it never becomes the current SA.
    if (d.state === 'expiring') continue;
    const sa = establishIpsec(state, tunnel, outbound, spi, establishedMs, row.raw, ref, true);
    if (sa === null) continue;
    upFromSas(state, tunnel, establishedMs);
    progressEpisode(state, tunnel, outbound, establishedMs, row.raw);
  }
}

/** An SA placed with the assumed Junos default gets the lifetime the router reports. */
function correctLifetime(state: RouterState, sa: IpsecSa, lifetime: number | undefined): void {
  if (lifetime === undefined || lifetime <= 0) return;
  if (ipsecSource(sa) !== LIFETIME_DEFAULT || sa.lifetimeS === lifetime) return;
  sa.lifetimeS = lifetime;
  sa.flags = (sa.flags & ~SA_SOURCE_MASK) | (LIFETIME_SNMP << SA_SOURCE_SHIFT);
  sa.serial = state.serial++; // its old deadline entries go stale
  schedule(state, sa);
}

// ---- IKE rows

/**
 * The tunnels an IKE SA row or a peer's counters concern: those towards the peer from our
 * address, narrowed to the row's IKE gateway when it names one of them (SRX 2019+ MIB).
 */
function peerTunnels(
  state: RouterState,
  row: { readonly remoteGateway: string; readonly gateway?: string | undefined },
  local: string | undefined,
): readonly Tunnel[] {
  const targets = tunnelsBetween(state, local, row.remoteGateway);
  const gateway = given(row.gateway);
  return gateway !== undefined && targets.some((t) => t.gateway === gateway)
    ? targets.filter((t) => t.gateway === gateway)
    : targets;
}

export function snmpIkeRow(state: RouterState, row: Row<'snmp-ike-sa'>, atMs: number): void {
  const d = row.data;
  if (d.state !== 'up') return; // down = still being negotiated: no SA yet
  const memory = memoryOf(state);
  const key = rowKey(d.serviceSet, d.remoteGateway, d.ikeIndex);
  const establishedMs = atMs - ageMs(d.activeSeconds);
  const seen = memory.ike[key];
  memory.ike[key] = { establishedMs, seenMs: atMs };
  if (seen && Math.abs(seen.establishedMs - establishedMs) <= SAME_MOMENT_MS) return;
  const local = given(d.localGateway);
  const targets = peerTunnels(state, d, local);
  const lifetime = d.lifetimeSeconds;
  const ref = evidenceOf(row);
  for (const tunnel of targets) {
    const current = tunnel.ike;
    if (current !== null && Math.abs(current.establishedMs - establishedMs) <= SAME_MOMENT_MS) {
      correctIkeLifetime(state, current, lifetime);
      continue;
    }
    if (lifetime !== undefined && lifetime > 0) tunnel.more().snmpIkeLifetimeS = lifetime;
    establishIke(
      state,
      tunnel,
      {
        ...(d.ikeVersion !== undefined ? { ikeVersion: d.ikeVersion } : {}),
        ...(d.role !== undefined ? { role: d.role } : {}),
        ...(local !== undefined ? { local: { ip: local } } : {}),
        remote: { ip: d.remoteGateway },
      },
      establishedMs,
      row.raw,
      ref,
      true,
    );
  }
}

function correctIkeLifetime(state: RouterState, sa: IkeSa, lifetime: number | undefined): void {
  if (lifetime === undefined || lifetime <= 0) return;
  if (ikeSource(sa) !== LIFETIME_DEFAULT || sa.lifetimeS === lifetime) return;
  sa.lifetimeS = lifetime;
  sa.flags = (sa.flags & ~SA_SOURCE_MASK) | (LIFETIME_SNMP << SA_SOURCE_SHIFT);
  sa.serial = state.serial++;
  state.deadlines.push(sa.establishedMs + lifetime * 1000, sa.serial, DEADLINE_IKE_HARD, sa);
}

// ---- the end of a poll

/**
 * `snmp-poll`: the poll is complete. When it walked the SA table completely, an SA whose row
 * the previous complete poll showed and this one does not is gone — deleted before its hard
 * deadline (had the deadline passed, the SA would have expired already). A tunnel row gone
 * takes its SA rows with it.
 */
export function snmpPollEnd(
  state: RouterState,
  observation: ObservationOf<'snmp-poll'>,
  atMs: number,
): void {
  const memory = state.snmp;
  if (memory === undefined) return;
  const d = observation.data;
  const tables = d.tables;
  const walked = (names: ReadonlySet<string>) =>
    tables === undefined || tables.some((t) => names.has(t));
  if (!d.ok || !walked(SA_TABLES) || !walked(TUNNEL_TABLES)) {
    for (const memo of Object.values(memory.tunnels)) memo.next = [];
    return;
  }
  const evidence = [observation.raw];
  for (const key of Object.keys(memory.tunnels).sort()) {
    const memo = memory.tunnels[key]!;
    const present = memo.nextMs === atMs ? memo.next : [];
    const tunnel = lookup(state, memo.tunnel);
    if (tunnel) {
      for (const sa of [tunnel.inbound, tunnel.outbound]) {
        if (sa === null || (sa.flags & SA_DEAD) !== 0) continue;
        if (memo.spis.includes(sa.spi) && !present.includes(sa.spi))
          vanished(state, sa, atMs, evidence);
      }
    }
    if (memo.seenMs !== atMs) delete memory.tunnels[key];
    else {
      memo.spis = present;
      memo.next = [];
    }
  }
  if (walked(IKE_TABLES)) {
    for (const key of Object.keys(memory.ike))
      if (memory.ike[key]!.seenMs !== atMs) delete memory.ike[key];
  }
}

function vanished(state: RouterState, sa: IpsecSa, atMs: number, evidence: string[]): void {
  const hard = hardMs(sa);
  if (atMs >= hard) {
    expireIpsec(state, sa, hard);
    return;
  }
  endIpsec(
    state,
    sa,
    atMs,
    [sa.evidence, ...evidence],
    {
      hardDeadline: isoFromMillis(hard),
      gone: 'SA row no longer in the router’s SNMP SA table, before its hard deadline',
    },
    'unknown',
    'SA rows gone from the router’s SNMP SA table before their hard deadline',
  );
}

// ---- per-peer failure counters

interface FailureCounter {
  readonly phase: 'ike' | 'ipsec';
  /** The router's role in the failed exchange, from the counter's name. */
  readonly role: 'initiator' | 'responder' | undefined;
  /** A reason, or `certificate` for the CA-certificate fetch (the only CRL/CA signal over SNMP). */
  readonly reason: Reason | 'certificate';
}

/**
 * What a jnxIkePeerStats counter counts (JUNIPER-IPSEC-FLOW-MON-MIB, IKEv2 per-peer message
 * counters): failures by their notify/error, in the IKE_SA_INIT, IKE_AUTH, IKE SA rekey or
 * IPsec SA rekey (CREATE_CHILD_SA) exchange; undefined for counters of successful messages.
 */
export function failureCounter(name: string): FailureCounter | undefined {
  const phase = name.includes('IPSecSaRekey') ? 'ipsec' : 'ike';
  const role = name.includes('Initiator')
    ? 'initiator'
    : name.includes('Responder')
      ? 'responder'
      : undefined;
  const reason = failureReason(name);
  return reason === undefined ? undefined : { phase, role, reason };
}

function failureReason(name: string): FailureCounter['reason'] | undefined {
  if (name.includes('NoProposalChosen') || name.includes('NoPropChosen'))
    return 'no-proposal-chosen';
  if (name.includes('AuthenticationFailed')) return 'authentication-failed';
  if (name.includes('TsUnacceptable') || name.includes('VerifyTsFail'))
    return 'traffic-selector-mismatch';
  if (name.includes('InvalidKe') || name.includes('InvalidDhGroup')) return 'invalid-ke';
  if (name.includes('GetCAsFail')) return 'certificate';
  if (name.includes('Fail') || name.includes('InvalidIkeSpi')) return 'unknown';
  return undefined;
}

export function snmpPeerRow(state: RouterState, row: Row<'snmp-ike-peer'>, atMs: number): void {
  const d = row.data;
  const memory = memoryOf(state);
  const key = `${d.remoteGateway}|${d.localGateway ?? ''}`;
  const before = memory.peers[key];
  memory.peers[key] = { seenMs: atMs, counters: { ...d.counters } };
  if (before === undefined) return; // a first sighting is the baseline, not news
  const targets = peerTunnels(state, d, given(d.localGateway));
  for (const name of Object.keys(d.counters).sort()) {
    const kind = failureCounter(name);
    if (kind === undefined) continue;
    const grew = growth(before.counters[name] ?? '0', d.counters[name]!);
    if (grew <= 0) continue;
    if (kind.reason === 'certificate')
      certificateFromCounter(state, targets, name, grew, before.seenMs, row, atMs);
    else
      failureFromCounter(
        state,
        targets,
        { ...kind, reason: kind.reason },
        name,
        grew,
        before.seenMs,
        row,
        atMs,
      );
  }
}

function failureFromCounter(
  state: RouterState,
  targets: readonly Tunnel[],
  kind: FailureCounter & { readonly reason: Reason },
  counter: string,
  count: number,
  sinceMs: number,
  row: Row<'snmp-ike-peer'>,
  atMs: number,
): void {
  const { phase, reason } = kind;
  const evidence = [row.raw];
  const data = (tunnel: Tunnel | undefined) => {
    const role = kind.role ?? (tunnel ? roleName(tunnel.role) : undefined);
    return {
      phase,
      reason,
      reasonText: `SNMP ${counter} +${count}`,
      ikeVersion: 2 as const,
      ...(role !== undefined ? { role } : {}),
      count,
    };
  };
  if (targets.length === 0) {
    emit(state, 'NegotiationFailed', atMs, undefined, true, evidence, data(undefined));
    return;
  }
  for (const tunnel of targets) {
    // The same failure logged by syslog since the previous poll: one event, not two.
    const logged = tunnel.extra?.failedMs?.[reason];
    if (logged !== undefined && logged >= sinceMs - SAME_MOMENT_MS) continue;
    emit(state, 'NegotiationFailed', atMs, tunnel, true, evidence, data(tunnel));
    if (!hasLiveIpsec(tunnel))
      markDown(state, tunnel, atMs, true, evidence, reason, `SNMP ${counter} +${count}`);
  }
}

function certificateFromCounter(
  state: RouterState,
  targets: readonly Tunnel[],
  counter: string,
  count: number,
  sinceMs: number,
  row: Row<'snmp-ike-peer'>,
  atMs: number,
): void {
  const tunnel = targets.length === 1 ? targets[0] : undefined;
  const logged = tunnel?.extra?.failedMs?.['certificate'];
  if (logged !== undefined && logged >= sinceMs - SAME_MOMENT_MS) return;
  const profile =
    tunnel?.config?.caProfile === undefined
      ? undefined
      : state.config?.caProfiles.find((p) => p.name === tunnel.config?.caProfile);
  // Fetching the CA certificates failed; whether a CRL or the certificate itself, SNMP does
  // not say: treat it as a failed CRL download, enforced unless the profile says fail-open.
  const enforced = crlDownloadEnforced(profile, tunnel?.config);
  emit(state, 'CertificateCheckFailed', atMs, tunnel, true, [row.raw], {
    check: 'crl-download',
    enforced,
    reasonText: `SNMP ${counter} +${count}`,
    count,
  });
}

// ---- traps

/**
 * `jnxIkePeerDown` takes down every tunnel towards the peer; `jnxIkePeerIPSecTunnelDown` the
 * tunnel its VPN (and traffic selector) names. Junos deletes the SAs of a tunnel that goes down.
 */
export function snmpTrap(state: RouterState, trap: ObservationOf<'snmp-trap'>, atMs: number): void {
  const d = trap.data as Record<string, unknown>;
  const text = (name: string): string | undefined => {
    const v = d[name];
    return typeof v === 'string' ? given(v) : undefined;
  };
  const remote = text('remoteGateway');
  const local = text('localGateway');
  const vpn = text('vpn');
  const evidence = [trap.raw];
  let targets: readonly Tunnel[] = [];
  let what: string;
  if (trap.data.trap === 'ike-peer-down') {
    targets = tunnelsBetween(state, local, remote);
    what = 'jnxIkePeerDown trap';
  } else if (trap.data.trap === 'ike-peer-ipsec-tunnel-down') {
    targets =
      vpn !== undefined
        ? resolveNamed(
            state,
            { vpn, trafficSelector: text('trafficSelector'), local, remote },
            atMs,
            evidence,
          )
        : [];
    what = 'jnxIkePeerIPSecTunnelDown trap';
  } else return;
  for (const tunnel of targets) {
    clearSas(tunnel);
    markDown(state, tunnel, atMs, false, evidence, 'unknown', what);
  }
}
