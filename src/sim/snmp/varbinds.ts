import { encodeRowIndex, parseOid } from '../../junos/snmp/index-codec.js';
import {
  ikeGlobalStats,
  ipSecGlobalStats,
  JnxEncryptAlgo,
  SnmpType,
  SYS_NAME_0,
  SYS_UPTIME_0,
  jnxIkePeerStatsTable,
  jnxIkeTunnelMonTable,
  jnxIkeTunnelTable,
  jnxIpSecSaMonTable,
  jnxIpSecSaTable,
  jnxIpSecTunnelMonTable,
  jnxIpSecTunnelTable,
  PEER_STATS_PREFIX,
  TRAP_IKE_PEER_DOWN,
  TRAP_IKE_PEER_IPSEC_TUNNEL_DOWN,
  TRAP_OBJ,
  type SnmpTypeCode,
  type TableDef,
} from '../../junos/snmp/oids.js';
import { encodeInetAddress, inetAddressTypeOf } from '../../junos/snmp/values.js';
import type { SimRole } from '../configs/end.js';
import type { PeerCounter, RouterSnmpView, SimTrap } from './state.js';

// A router's SNMP view as the sorted list of varbinds its agent serves: every OID of both MIB
// families comes from src/junos/snmp/oids.ts, every index from its index codec. Built column by
// column over rows sorted once, so the list is in OID order without a global sort.

export type VarbindValue = number | string | Buffer;

export interface SimVarbind {
  readonly oid: string;
  readonly ids: readonly number[];
  readonly type: SnmpTypeCode;
  readonly value: VarbindValue;
}

type Cell = readonly [type: SnmpTypeCode, value: VarbindValue];

const int = (n: number): Cell => [SnmpType.Integer, n];
const str = (s: string): Cell => [SnmpType.OctetString, s];
const gauge = (n: number): Cell => [SnmpType.Gauge32, n >>> 0];
const c32 = (n: number): Cell => [SnmpType.Counter32, n >>> 0];
const octets = (b: Uint8Array): Cell => [SnmpType.OctetString, Buffer.from(b)];
const addrType = (a: string): Cell => int(inetAddressTypeOf(a));
const addr = (a: string): Cell => octets(encodeInetAddress(a));

const ZERO64: Cell = [SnmpType.Counter64, Buffer.from([0])];

/** Counter64 as BER unsigned content octets: minimal, with a leading 0 when the top bit is set. */
export function counter64(value: bigint | number): Cell {
  if (value === 0 || value === 0n) return ZERO64;
  let n = BigInt(value);
  const out: number[] = [];
  do {
    out.unshift(Number(n & 0xffn));
    n >>= 8n;
  } while (n > 0n);
  if (out[0]! >= 0x80) out.unshift(0);
  return [SnmpType.Counter64, Buffer.from(out)];
}

const ENCRYPT: Readonly<Record<string, string>> = {
  'aes-128-cbc': 'espAes128',
  'aes-192-cbc': 'espAes192',
  'aes-256-cbc': 'espAes256',
  'aes-128-gcm': 'espAesGcm128',
  'aes-192-gcm': 'espAesGcm192',
  'aes-256-gcm': 'espAesGcm256',
  '3des-cbc': 'esp3des',
};
const encryptAlgo = (name: string): number => {
  const wanted = ENCRYPT[name];
  const hit = Object.entries(JnxEncryptAlgo).find(([, v]) => v === wanted);
  return hit ? Number(hit[0]) : 0;
};
/** hmac-sha-256-128 for CBC (the simulator's proposals); GCM authenticates itself: unknown(0). */
const authAlgo = (encryption: string) => (encryption.endsWith('-gcm') ? 0 : 3);
const DH_GROUP14 = 14;
const HASH_SHA256 = 3;
const AUTH_PSK = 1;
const AUTH_RSA = 3;
const ID_IPV4 = 1;
const ESP = 2;
const DYNAMIC_SA = 2;
const TUNNEL_MODE = 1;
const KEY_IKE = 1;
const STATIC_PEER = 1;
const REGULAR = 1;
const ESN_DISABLE = 2;

/** jnxIkePeerStatsTable column name (without the prefix) of a failure, by the end's role. */
export function peerCounterColumn(counter: PeerCounter, role: SimRole): string {
  const i = role === 'initiator';
  switch (counter) {
    case 'NoProposalChosen':
      return i
        ? 'IkeSaInitiatorIkev2SaInitNoProposalChosenIn'
        : 'IkeSaResponderIkev2SaInitNoProposalChosenOut';
    case 'AuthenticationFailed':
      return i
        ? 'IkeSaInitiatorIkev2AuthAuthenticationFailedIn'
        : 'IkeSaResponderIkev2AuthAuthenticationFailedOut';
    case 'TsUnacceptable':
      return i
        ? 'IkeSaInitiatorIkev2AuthTsUnacceptableIn'
        : 'IkeSaResponderIkev2AuthTsUnacceptableOut';
    case 'InvalidKe':
      return i
        ? 'IkeSaInitiatorIkev2SaInitInvalidKePayloadIn'
        : 'IkeSaResponderIkev2SaInitInvalidKePayloadOut';
    case 'ResGetCAsFail':
      return 'IkeSaResponderIkev2SaInitResGetCAsFail';
  }
}

interface Row {
  readonly ids: readonly number[];
  readonly suffix: string;
  /** Cells by column number (sparse). */
  readonly cells: readonly (Cell | undefined)[];
}

/** A served varbind; its OID's sub-identifiers are parsed only if a bisection reaches it. */
class TableVarbind implements SimVarbind {
  private parsed: readonly number[] | undefined;
  constructor(
    readonly oid: string,
    readonly type: SnmpTypeCode,
    readonly value: VarbindValue,
  ) {}
  get ids(): readonly number[] {
    return (this.parsed ??= parseOid(this.oid)!);
  }
}

export const compareIds = (a: readonly number[], b: readonly number[]): number => {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
};

function tableVarbinds(table: TableDef, rows: Row[]): SimVarbind[] {
  const sorted = [...rows].sort((a, b) => compareIds(a.ids, b.ids));
  const out: SimVarbind[] = [];
  for (const column of table.columns) {
    if (column.index) continue;
    const prefix = `${table.entry}.${column.col}.`;
    for (const row of sorted) {
      const cell = row.cells[column.col];
      if (cell) out.push(new TableVarbind(prefix + row.suffix, cell[0], cell[1]));
    }
  }
  return out;
}

const rowOf = (
  table: TableDef,
  index: Parameters<typeof encodeRowIndex>[1],
  cells: [number, Cell][],
): Row => {
  const suffix = encodeRowIndex(table.indexShape, index);
  const byCol: (Cell | undefined)[] = [];
  for (const [col, cell] of cells) byCol[col] = cell;
  return { ids: parseOid(suffix)!, suffix, cells: byCol };
};

function srxTables(view: RouterSnmpView): SimVarbind[][] {
  const ike = view.ike.map((r) =>
    rowOf(jnxIkeTunnelMonTable, { remoteGateway: r.remoteGateway, tunnelIndex: r.ikeIndex }, [
      [4, addr(r.localGateway)],
      [5, addrType(r.localGateway)],
      [6, int(1)],
      [7, str(r.initiatorCookie)],
      [8, str(r.responderCookie)],
      [9, int(r.role === 'initiator' ? 1 : 2)],
      [10, int(ID_IPV4)],
      [11, str(r.localId)],
      [12, str('')],
      [13, int(ID_IPV4)],
      [14, str(r.remoteId)],
      [15, int(r.ikeVersion === 2 ? 3 : 1)],
      [16, int(DH_GROUP14)],
      [17, int(encryptAlgo(r.encryption))],
      [18, int(HASH_SHA256)],
      [19, int(r.authentication === 'certificate' ? AUTH_RSA : AUTH_PSK)],
      [20, int(r.lifetimeSeconds)],
      [21, int(r.activeHundredths)],
      [43, str(r.gateway)],
      [44, int(REGULAR)],
    ]),
  );
  const tunnels = view.tunnels.map((r) =>
    rowOf(jnxIpSecTunnelMonTable, { remoteGateway: r.remoteGateway, tunnelIndex: r.tunnelIndex }, [
      [4, addrType(r.localGateway)],
      [5, addr(r.localGateway)],
      [6, str(r.localProxyId)],
      [7, str(r.remoteProxyId)],
      [8, int(KEY_IKE)],
      [9, int(STATIC_PEER)],
      [10, counter64(r.counters.outEncryptedBytes)],
      [11, counter64(r.counters.outEncryptedPkts)],
      [12, counter64(r.counters.inDecryptedBytes)],
      [13, counter64(r.counters.inDecryptedPkts)],
      [18, counter64(0)],
      [20, counter64(0)],
      [21, counter64(0)],
      [27, str(r.vpn)],
      [28, str(r.trafficSelector)],
      [29, int(0)],
      [30, counter64(r.counters.invalidSpi)],
      [31, counter64(0)],
      [32, counter64(0)],
      [33, int(REGULAR)],
    ]),
  );
  const sas = view.sas.map((r) =>
    rowOf(
      jnxIpSecSaMonTable,
      { remoteGateway: r.remoteGateway, tunnelIndex: r.tunnelIndex, saIndex: r.saIndex },
      [
        [2, int(ESP)],
        [3, gauge(r.inSpi)],
        [4, gauge(r.outSpi)],
        [5, int(DYNAMIC_SA)],
        [6, int(TUNNEL_MODE)],
        [7, int(0)],
        [8, int(r.lifetimeSeconds)],
        [9, int(r.activeHundredths)],
        [10, int(0)],
        [11, int(r.lifetimeThresholdSeconds)],
        [12, int(encryptAlgo(r.encryption))],
        [13, int(authAlgo(r.encryption))],
        [14, int(r.state === 'active' ? 1 : 2)],
        [15, str('')],
        [16, int(ESN_DISABLE)],
      ],
    ),
  );
  const byName = new Map(jnxIkePeerStatsTable.columns.map((c) => [c.name, c.col]));
  const peers = view.peers.map((p) => {
    const state = p.state === 'active' ? 1 : 2;
    const cells: [number, Cell][] = [
      [1, int(state)],
      [2, int(p.peerIndex)],
      [3, addrType(p.remoteGateway)],
      [4, addr(p.remoteGateway)],
      [5, gauge(500)],
      [6, addrType(p.localGateway)],
      [7, addr(p.localGateway)],
      [8, gauge(500)],
      [9, str('default')],
      [10, int(ID_IPV4)],
      [11, str(p.remoteGateway)],
      [12, int(ID_IPV4)],
      [13, str(p.localGateway)],
      [14, str('')],
      [15, str(p.gateway)],
    ];
    const counts = new Map<number, number>();
    for (const role of ['initiator', 'responder'] as const) {
      for (const [counter, n] of Object.entries(p.byRole[role]) as [PeerCounter, number][]) {
        const col = byName.get(PEER_STATS_PREFIX + peerCounterColumn(counter, role))!;
        counts.set(col, (counts.get(col) ?? 0) + n);
      }
    }
    for (const c of jnxIkePeerStatsTable.columns)
      if (c.syntax === 'Counter64') cells.push([c.col, counter64(counts.get(c.col) ?? 0)]);
    cells.push([76, int(REGULAR)]);
    return rowOf(jnxIkePeerStatsTable, { peerState: state, peerIndex: p.peerIndex }, cells);
  });
  return [
    tableVarbinds(jnxIkeTunnelMonTable, ike),
    tableVarbinds(jnxIkePeerStatsTable, peers),
    tableVarbinds(jnxIpSecTunnelMonTable, tunnels),
    tableVarbinds(jnxIpSecSaMonTable, sas),
    ...globalVarbinds(view),
  ];
}

function mxTables(view: RouterSnmpView): SimVarbind[][] {
  const ike = view.ike.map((r) =>
    rowOf(
      jnxIkeTunnelTable,
      { serviceSet: r.serviceSet ?? '', remoteGateway: r.remoteGateway, tunnelIndex: r.ikeIndex },
      [
        [2, int(r.role === 'initiator' ? 1 : 2)],
        [3, int(1)],
        [4, str(r.initiatorCookie)],
        [5, str(r.responderCookie)],
        [6, int(ID_IPV4)],
        [7, str(r.localId)],
        [8, addrType(r.localGateway)],
        [9, addr(r.localGateway)],
        [10, str('')],
        [11, int(ID_IPV4)],
        [12, str(r.remoteId)],
        [13, addrType(r.remoteGateway)],
        [14, addr(r.remoteGateway)],
        [15, int(r.ikeVersion === 2 ? 3 : 1)],
        [16, int(DH_GROUP14)],
        [17, int(encryptAlgo(r.encryption))],
        [18, int(HASH_SHA256)],
        [19, int(r.authentication === 'certificate' ? AUTH_RSA : AUTH_PSK)],
        [20, int(r.lifetimeSeconds)],
        [21, int(r.activeHundredths)],
        [22, counter64(0)],
        [23, c32(0)],
        [24, counter64(0)],
        [25, c32(0)],
      ],
    ),
  );
  const tunnels = view.tunnels.map((r) =>
    rowOf(
      jnxIpSecTunnelTable,
      {
        serviceSet: r.serviceSet ?? '',
        remoteGateway: r.remoteGateway,
        tunnelIndex: r.tunnelIndex,
      },
      [
        [2, str(r.rule ?? '')],
        [3, str(r.term ?? '')],
        [4, addrType(r.localGateway)],
        [5, addr(r.localGateway)],
        [6, addrType(r.remoteGateway)],
        [7, addr(r.remoteGateway)],
        [8, str(r.localProxyId)],
        [9, str(r.remoteProxyId)],
        [10, int(KEY_IKE)],
        [11, int(STATIC_PEER)],
        [12, int(1500)],
        [13, counter64(r.counters.outEncryptedBytes)],
        [14, counter64(r.counters.outEncryptedPkts)],
        [15, counter64(r.counters.inDecryptedBytes)],
        [16, counter64(r.counters.inDecryptedPkts)],
        [21, counter64(0)],
        [23, counter64(0)],
        [24, counter64(0)],
      ],
    ),
  );
  const sas = view.sas.map((r) =>
    rowOf(
      jnxIpSecSaTable,
      {
        serviceSet: r.serviceSet ?? '',
        remoteGateway: r.remoteGateway,
        tunnelIndex: r.tunnelIndex,
        saIndex: r.saIndex,
      },
      [
        [3, gauge(r.inSpi)],
        [4, gauge(r.outSpi)],
        [5, gauge(0)],
        [6, gauge(0)],
        [7, int(DYNAMIC_SA)],
        [8, int(TUNNEL_MODE)],
        [9, int(0)],
        [10, int(r.lifetimeSeconds)],
        [11, int(r.activeHundredths)],
        [12, int(0)],
        [13, int(r.lifetimeThresholdSeconds)],
        [14, int(encryptAlgo(r.encryption))],
        [15, int(authAlgo(r.encryption))],
        [16, int(r.state === 'active' ? 1 : 2)],
      ],
    ),
  );
  return [
    tableVarbinds(jnxIkeTunnelTable, ike),
    tableVarbinds(jnxIpSecTunnelTable, tunnels),
    tableVarbinds(jnxIpSecSaTable, sas),
  ];
}

function globalVarbinds(view: RouterSnmpView): SimVarbind[][] {
  const values: Readonly<Record<string, bigint>> = {
    jnxIpSecGlobalInvalidSpi: view.global.invalidSpi,
  };
  const group = (scalars: typeof ipSecGlobalStats) =>
    scalars
      .map((s): SimVarbind => {
        const [type, value] = counter64(values[s.name] ?? 0n);
        return { oid: `${s.oid}.0`, ids: [...parseOid(s.oid)!, 0], type, value };
      })
      .sort((a, b) => compareIds(a.ids, b.ids));
  return [group(ikeGlobalStats), group(ipSecGlobalStats)];
}

function scalar(oid: string, cell: Cell): SimVarbind {
  return { oid, ids: parseOid(oid)!, type: cell[0], value: cell[1] };
}

/** Every varbind of the router's agent at the view's time, in OID order. */
export function routerVarbinds(view: RouterSnmpView): SimVarbind[] {
  const system = [
    scalar(SYS_UPTIME_0, [SnmpType.TimeTicks, view.sysUpTimeHundredths >>> 0]),
    scalar(SYS_NAME_0, str(view.router)),
  ];
  const groups = view.platform === 'srx' ? srxTables(view) : mxTables(view);
  return [system, ...groups]
    .filter((g) => g.length > 0)
    .sort((a, b) => compareIds(a[0]!.ids, b[0]!.ids))
    .flat();
}

/** Index of the first varbind whose OID is after `ids` (GETNEXT); list.length at the end. */
export function nextIndex(list: readonly SimVarbind[], ids: readonly number[]): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareIds(list[mid]!.ids, ids) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The varbind at exactly `ids`, if any. */
export function exactIndex(list: readonly SimVarbind[], ids: readonly number[]): number {
  const i = nextIndex(list, ids) - 1;
  return i >= 0 && compareIds(list[i]!.ids, ids) === 0 ? i : -1;
}

/** The varbinds of a trap after sysUpTime.0 and snmpTrapOID.0 (jnxIkeNotificationObj, .0 instances). */
export function trapVarbinds(
  trap: SimTrap,
): { oid: string; type: SnmpTypeCode; value: VarbindValue }[] {
  const e = trap.end;
  const cells: Cell[] = [
    addrType(e.remoteAddress),
    addr(e.remoteAddress),
    gauge(500),
    addrType(e.localAddress),
    addr(e.localAddress),
    gauge(500),
    str('default'),
    int(ID_IPV4),
    str(e.localAddress),
    int(ID_IPV4),
    str(e.remoteAddress),
    str(''),
    str(e.gateway),
  ];
  if (trap.trap === 'ipsec-tunnel-down') {
    cells.push(
      str(e.vpn),
      str(e.proxyIdentity ? `ts-${e.vpn}` : ''),
      str(e.proxyIdentity ? e.localSubnet : '0.0.0.0/0'),
      str(e.proxyIdentity ? e.remoteSubnet : '0.0.0.0/0'),
    );
  }
  return cells.map(([type, value], i) => ({ oid: `${TRAP_OBJ}.${i + 1}.0`, type, value }));
}

export const trapOidOf = (trap: SimTrap) =>
  trap.trap === 'peer-down' ? TRAP_IKE_PEER_DOWN : TRAP_IKE_PEER_IPSEC_TUNNEL_DOWN;
