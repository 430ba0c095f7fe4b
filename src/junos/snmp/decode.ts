import type { ObservationOf } from '../../domain/observation.js';
import { decodeRowIndex, parseOid, type RowIndex } from './index-codec.js';
import {
  GLOBAL_SCALARS,
  InetAddressType,
  JnxAuthAlgoMx2012,
  JNX_IKE_GLOBAL_STATS,
  JNX_IPSEC_GLOBAL_STATS,
  PEER_STATS_PREFIX,
  SNMP_TRAP_OID_0,
  SNMP_TYPE_NAMES,
  SYS_NAME_0,
  SYS_UPTIME_0,
  SnmpType,
  TRAP_NAMES,
  TRAP_OBJ,
  tableByName,
  trapObjects,
  type Column,
  type EnumMap,
  type Platform,
  type TableDef,
  type WalkTable,
} from './oids.js';
import {
  decodeCounter64,
  decodeInetAddress,
  decodeInteger,
  decodeText,
  formatSpi,
  hex,
  isBytes,
  UTF8,
} from './values.js';

// Decoding of walked SNMP rows into observation data (docs/snmp.md). Pure, linear in the number
// of varbinds, and total: a value or index it cannot read becomes an entry in `errors`, never a
// throw, so one odd agent costs a counted error and not a poll.

/** A varbind as npm net-snmp delivers it. */
export interface SnmpVarbind {
  oid: string;
  type: number;
  value: unknown;
}

export interface DecodeError {
  oid: string;
  message: string;
}

type RowKind = 'snmp-ike-sa' | 'snmp-ipsec-tunnel' | 'snmp-ipsec-sa' | 'snmp-ike-peer';
type TableKind = RowKind | 'snmp-counters';

export type DecodedObservation = {
  [K in TableKind]: { kind: K; data: ObservationOf<K>['data']; raw: string };
}[TableKind];

export interface TableDecode {
  observations: DecodedObservation[];
  errors: DecodeError[];
}

export type SnmpSystemData = ObservationOf<'snmp-system'>['data'];
export type SnmpCountersData = ObservationOf<'snmp-counters'>['data'];
export type SnmpTrapData = ObservationOf<'snmp-trap'>['data'];

const SKIPPED_TYPES: ReadonlySet<number> = new Set([
  SnmpType.NoSuchObject,
  SnmpType.NoSuchInstance,
  SnmpType.EndOfMibView,
]);
const INTEGER_TYPES: ReadonlySet<number> = new Set([
  SnmpType.Integer,
  SnmpType.Counter32,
  SnmpType.Gauge32,
  SnmpType.TimeTicks,
]);

function stripDot(oid: string): string {
  return oid.startsWith('.') ? oid.slice(1) : oid;
}

function typeName(type: unknown): string {
  return typeof type === 'number' ? (SNMP_TYPE_NAMES[type] ?? `type ${type}`) : 'no type';
}

// --- one cell ------------------------------------------------------------------------------

interface Cell {
  value: number | string;
  /** The integer behind an enum name or an SPI. */
  raw?: number;
  /** The value as written in the row's evidence line. */
  text: string;
}

const SAFE_TOKEN = /^[\x21-\x7e]+$/;

function quote(s: string): string {
  return SAFE_TOKEN.test(s) && !s.includes('"') ? s : JSON.stringify(s);
}

function preview(value: unknown): string {
  if (isBytes(value)) return `0x${hex(value.subarray(0, 32))}${value.length > 32 ? '…' : ''}`;
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 64));
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return value === null ? 'null' : typeof value;
}

function enumName(values: EnumMap, raw: number): string {
  return values[raw] ?? 'unknown';
}

/**
 * Decodes one cell by its column's syntax. `addrType` is the row's companion InetAddressType,
 * when the column is an InetAddress that has one.
 */
function decodeCell(col: Column, vb: SnmpVarbind, addrType: number | undefined): Cell | string {
  const { type, value } = vb;
  const bad = (): string =>
    `${col.name}: expected ${col.syntax}, got ${typeName(type)} ${preview(value)}`;
  switch (col.syntax) {
    case 'Enum':
    case 'InetAddressType': {
      const n = INTEGER_TYPES.has(type) ? decodeInteger(value) : undefined;
      if (n === undefined) return bad();
      const name = enumName(col.values ?? InetAddressType, n);
      return { value: name, raw: n, text: `${name}(${n})` };
    }
    case 'Integer32':
    case 'Counter32':
    case 'TimeInterval':
    case 'InetPortNumber': {
      const n = INTEGER_TYPES.has(type) ? decodeInteger(value) : undefined;
      if (n === undefined) return bad();
      if (col.syntax === 'InetPortNumber' && (n < 0 || n > 65535)) return bad();
      return { value: n, text: String(n) };
    }
    case 'Unsigned32': {
      const n = INTEGER_TYPES.has(type) ? decodeInteger(value) : undefined;
      if (n === undefined || n < 0 || n > 0xffffffff) return bad();
      const spi = formatSpi(n);
      return { value: spi, raw: n, text: spi };
    }
    case 'Counter64': {
      const ok =
        type === SnmpType.Counter64 || type === SnmpType.Counter32 || type === SnmpType.Gauge32;
      const s = ok ? decodeCounter64(value) : undefined;
      if (s === undefined) return bad();
      return { value: s, text: s };
    }
    case 'DisplayString': {
      const s = type === SnmpType.OctetString ? decodeText(value) : undefined;
      if (s === undefined) return bad();
      return { value: s, text: quote(s) };
    }
    case 'InetAddress': {
      const ok = type === SnmpType.OctetString || type === SnmpType.IpAddress;
      const s = ok ? decodeInetAddress(value, addrType) : undefined;
      if (s === undefined) return bad();
      return { value: s, text: quote(s) };
    }
  }
}

// --- per-table metadata (computed once) ------------------------------------------------------

interface TableMeta {
  byCol: Map<number, Column>;
  short: Map<number, string>;
  /** InetAddress column → its InetAddressType column. */
  addrTypeCol: Map<number, number>;
  entryPrefix: string;
}

const PREFIXES = [
  PEER_STATS_PREFIX,
  'jnxIpSecTunMon',
  'jnxIpSecSaMon',
  'jnxIkeTunMon',
  'jnxIpsSecTun',
  'jnxIpSecTun',
  'jnxIpSecSa',
  'jnxIkeTun',
  'jnxIpSec',
];

/** `jnxIpSecTunMonAHInBytes` → `ahInBytes`: the MIB name without its table prefix, camelCase. */
export function shortName(name: string): string {
  const prefix = PREFIXES.find((p) => name.startsWith(p) && name.length > p.length);
  const rest = prefix ? name.slice(prefix.length) : name;
  let caps = 0;
  while (caps < rest.length && /[A-Z]/.test(rest.charAt(caps))) caps++;
  if (caps === 0) return rest;
  const lowerUpTo = caps === rest.length || caps === 1 ? caps : caps - 1;
  return rest.slice(0, lowerUpTo).toLowerCase() + rest.slice(lowerUpTo);
}

const metaCache = new Map<TableDef, TableMeta>();

function metaOf(def: TableDef): TableMeta {
  const cached = metaCache.get(def);
  if (cached) return cached;
  const byCol = new Map<number, Column>();
  const short = new Map<number, string>();
  const byName = new Map<string, number>();
  for (const col of def.columns) {
    byCol.set(col.col, col);
    short.set(col.col, shortName(col.name));
    byName.set(col.name, col.col);
  }
  const addrTypeCol = new Map<number, number>();
  for (const col of def.columns) {
    if (col.syntax !== 'InetAddress') continue;
    const t = byName.get(`${col.name}Type`);
    if (t !== undefined) addrTypeCol.set(col.col, t);
  }
  const meta = { byCol, short, addrTypeCol, entryPrefix: `${def.entry}.` };
  metaCache.set(def, meta);
  return meta;
}

// --- rows ------------------------------------------------------------------------------------

interface RawRow {
  index: string;
  cells: Map<number, SnmpVarbind>;
}

/** The decoded cells of one row, by column name, and the row's one-line evidence. */
class RowCells {
  readonly values = new Map<string, Cell>();
  readonly line: string;

  constructor(def: TableDef, meta: TableMeta, row: RawRow, errors: DecodeError[]) {
    const rawInt = (c: number): number | undefined => {
      const vb = row.cells.get(c);
      return vb && INTEGER_TYPES.has(vb.type) ? decodeInteger(vb.value) : undefined;
    };
    let line = `${def.name} ${row.index}`;
    // def.columns is in column order, so the line is too.
    for (const col of def.columns) {
      const c = col.col;
      const vb = row.cells.get(c);
      if (!vb) continue;
      const typeCol = meta.addrTypeCol.get(c);
      const cell = decodeCell(col, vb, typeCol === undefined ? undefined : rawInt(typeCol));
      const short = meta.short.get(c) ?? col.name;
      if (typeof cell === 'string') {
        errors.push({ oid: `${def.entry}.${c}.${row.index}`, message: cell });
        line += ` ${short}=?${typeName(vb.type)}:${preview(vb.value)}`;
        continue;
      }
      this.values.set(short, cell);
      line += ` ${short}=${cell.text}`;
    }
    this.line = line;
  }

  str(name: string): string | undefined {
    const v = this.values.get(name)?.value;
    return typeof v === 'string' ? v : undefined;
  }

  num(name: string): number | undefined {
    const v = this.values.get(name)?.value;
    return typeof v === 'number' ? v : undefined;
  }

  /** An enum cell: its name and raw integer. */
  enumOf(name: string): { name: string; raw: number } | undefined {
    const cell = this.values.get(name);
    if (!cell || cell.raw === undefined || typeof cell.value !== 'string') return undefined;
    return { name: cell.value, raw: cell.raw };
  }

  /** Every Counter64 cell that decoded, keyed by short name (or by `key`). */
  counters(def: TableDef, meta: TableMeta, key = shortKey): Record<string, string> | undefined {
    let out: Record<string, string> | undefined;
    for (const col of def.columns) {
      if (col.syntax !== 'Counter64') continue;
      const v = this.values.get(meta.short.get(col.col) ?? col.name)?.value;
      if (typeof v !== 'string') continue;
      (out ??= {})[key(col, meta)] = v;
    }
    return out;
  }
}

function shortKey(col: Column, meta: TableMeta): string {
  return meta.short.get(col.col) ?? col.name;
}

/** Sets `data[key] = value` only for defined values, so optional fields stay absent. */
function put<T extends object>(data: T, fields: Record<string, unknown>): T {
  for (const k in fields) {
    const v = fields[k];
    if (v !== undefined) (data as Record<string, unknown>)[k] = v;
  }
  return data;
}

type Data = Record<string, unknown>;

function set(data: Data, key: string, v: unknown): void {
  if (v !== undefined) data[key] = v;
}

/** `field` and `fieldRaw` from an enum cell. */
function setEnum(data: Data, cells: RowCells, short: string, field: string, raw: string): void {
  const e = cells.enumOf(short);
  if (!e) return;
  data[field] = e.name;
  data[raw] = e.raw;
}

function nonNegative(n: number | undefined): number | undefined {
  return n !== undefined && n >= 0 ? n : undefined;
}

function ikeVersionOf(negoModeRaw: number | undefined): 1 | 2 | undefined {
  if (negoModeRaw === 1 || negoModeRaw === 2) return 1;
  if (negoModeRaw === 3) return 2;
  return undefined;
}

type RowBuild = { kind: RowKind; data: DecodedObservation['data'] } | { error: string };

// Cells are looked up by short name (the MIB name without its table prefix), which SRX and MX
// share for the columns read here: `state` vs `negState` is the one difference.

/** Where a row sits: its table, its index suffix, and the remote gateway and service set of the index. */
function placed(def: TableDef, rowIndex: string, index: RowIndex): Data {
  const data: Data = { table: def.name, index: rowIndex, remoteGateway: index.remoteGateway ?? '' };
  set(data, 'serviceSet', index.serviceSet);
  return data;
}

function buildRow(
  def: TableDef,
  meta: TableMeta,
  index: RowIndex,
  rowIndex: string,
  cells: RowCells,
): RowBuild {
  const mx = def.platform === 'mx';
  switch (def.kind) {
    case 'snmp-ike-sa': {
      const st = cells.enumOf(mx ? 'negState' : 'state');
      const state = st?.raw === 1 ? 'up' : st?.raw === 2 ? 'down' : 'unknown';
      const data = placed(def, rowIndex, index);
      data.ikeIndex = index.tunnelIndex ?? 0;
      data.state = state;
      set(data, 'stateRaw', st?.raw);
      set(data, 'localGateway', cells.str('localGwAddr'));
      const role = cells.enumOf('localRole')?.raw;
      set(data, 'role', role === 1 ? 'initiator' : role === 2 ? 'responder' : undefined);
      const nego = cells.enumOf('negoMode');
      set(data, 'ikeVersion', ikeVersionOf(nego?.raw));
      setEnum(data, cells, 'negoMode', 'negoMode', 'negoModeRaw');
      set(data, 'initiatorCookie', cells.str('initiatorCookie'));
      set(data, 'responderCookie', cells.str('responderCookie'));
      set(data, 'localIkeId', cells.str('localIdValue'));
      set(data, 'remoteIkeId', cells.str('remoteIdValue'));
      if (!mx) set(data, 'gateway', cells.str('gwName'));
      set(data, 'lifetimeSeconds', nonNegative(cells.num('lifeTime')));
      set(data, 'activeSeconds', hundredths(cells.num('activeTime')));
      setEnum(data, cells, 'encryptAlgo', 'encryptAlgo', 'encryptAlgoRaw');
      setEnum(data, cells, 'hashAlgo', 'hashAlgo', 'hashAlgoRaw');
      setEnum(data, cells, 'diffHellmanGrp', 'dhGroup', 'dhGroupRaw');
      setEnum(data, cells, 'authMethod', 'authMethod', 'authMethodRaw');
      set(data, 'counters', cells.counters(def, meta));
      return { kind: 'snmp-ike-sa', data: data as ObservationOf<'snmp-ike-sa'>['data'] };
    }
    case 'snmp-ipsec-tunnel': {
      const data = placed(def, rowIndex, index);
      data.tunnelIndex = index.tunnelIndex ?? 0;
      set(data, 'localGateway', cells.str('localGwAddr'));
      set(data, 'localProxyId', cells.str('localProxyId'));
      set(data, 'remoteProxyId', cells.str('remoteProxyId'));
      if (mx) {
        set(data, 'vpn', index.serviceSet);
        set(data, 'rule', cells.str('ruleName'));
        set(data, 'term', cells.str('termName'));
      } else {
        set(data, 'vpn', cells.str('vpnName'));
        set(data, 'trafficSelector', cells.str('tsName'));
      }
      set(data, 'counters', cells.counters(def, meta));
      return {
        kind: 'snmp-ipsec-tunnel',
        data: data as ObservationOf<'snmp-ipsec-tunnel'>['data'],
      };
    }
    case 'snmp-ipsec-sa': {
      const inSpi = cells.str('inSpi');
      const outSpi = cells.str('outSpi');
      if (inSpi === undefined || outSpi === undefined) {
        return { error: `SA row without a readable ${inSpi === undefined ? 'In' : 'Out'}Spi` };
      }
      const st = cells.enumOf('state');
      const data = placed(def, rowIndex, index);
      data.tunnelIndex = index.tunnelIndex ?? 0;
      data.saIndex = index.saIndex ?? 0;
      data.inSpi = inSpi;
      data.outSpi = outSpi;
      data.state = st?.raw === 1 ? 'active' : st?.raw === 2 ? 'expiring' : 'unknown';
      set(data, 'stateRaw', st?.raw);
      set(data, 'lifetimeSeconds', nonNegative(cells.num('lifeTime')));
      set(data, 'lifetimeThresholdSeconds', nonNegative(cells.num('lifeTimeThreshold')));
      set(data, 'lifeSizeKb', nonNegative(cells.num('lifeSize')));
      set(data, 'lifeSizeThresholdKb', nonNegative(cells.num('lifeSizeThreshold')));
      set(data, 'activeSeconds', hundredths(cells.num('activeTime')));
      if (!mx) {
        const proto = cells.enumOf('protocol')?.raw;
        set(data, 'protocol', proto === 1 ? 'ah' : proto === 2 ? 'esp' : undefined);
        set(data, 'protocolRaw', proto);
      } else {
        set(data, 'inAuxSpi', cells.str('inAuxSpi'));
        set(data, 'outAuxSpi', cells.str('outAuxSpi'));
      }
      setEnum(data, cells, 'encryptAlgo', 'encryptAlgo', 'encryptAlgoRaw');
      setEnum(data, cells, 'authAlgo', 'authAlgo', 'authAlgoRaw');
      // The 2012 MX text numbers JnxAuthAlgo one higher; which one an agent emits is unknown.
      if (mx) set(data, 'authAlgoMib2012', authAlgo2012(cells.enumOf('authAlgo')?.raw));
      setEnum(data, cells, 'encapMode', 'encapMode', 'encapModeRaw');
      return { kind: 'snmp-ipsec-sa', data: data as ObservationOf<'snmp-ipsec-sa'>['data'] };
    }
    case 'snmp-ike-peer': {
      const remote = cells.str('remoteGwAddr');
      if (remote === undefined) return { error: 'peer row without a readable RemoteGwAddr' };
      const raw = index.peerState;
      const data: Data = {
        table: def.name,
        index: rowIndex,
        remoteGateway: remote,
        peerIndex: index.peerIndex ?? 0,
        state: raw === 1 ? 'active' : raw === 2 ? 'inactive' : 'unknown',
        counters: cells.counters(def, meta, peerCounterKey) ?? {},
      };
      set(data, 'stateRaw', raw);
      set(data, 'localGateway', cells.str('localGwAddr'));
      set(data, 'remotePort', cells.num('remotePort'));
      set(data, 'localPort', cells.num('localPort'));
      set(data, 'routingInstance', cells.str('routingInstance'));
      set(data, 'remoteIkeId', cells.str('remoteIdValue'));
      set(data, 'localIkeId', cells.str('localIdValue'));
      set(data, 'gateway', cells.str('gwName'));
      return { kind: 'snmp-ike-peer', data: data as ObservationOf<'snmp-ike-peer'>['data'] };
    }
  }
}

function peerCounterKey(col: Column): string {
  return col.name.slice(PEER_STATS_PREFIX.length);
}

function authAlgo2012(raw: number | undefined): string | undefined {
  return raw === undefined ? undefined : (JnxAuthAlgoMx2012[raw] ?? 'unknown');
}

function hundredths(n: number | undefined): number | undefined {
  return n !== undefined && n >= 0 ? n / 100 : undefined;
}

const GLOBAL_TABLES: ReadonlySet<string> = new Set(['jnxIpSecGlobalStats', 'jnxIkeGlobalStats']);

/**
 * Decodes the varbinds of one walked table into one observation per row (or one `snmp-counters`
 * for a global counter group). `platform` is the router's; the table's own MIB decides the
 * layout.
 */
export function decodeTable(
  _platform: Platform,
  table: WalkTable,
  varbinds: readonly SnmpVarbind[],
): TableDecode {
  const errors: DecodeError[] = [];
  if (GLOBAL_TABLES.has(table.name)) {
    const data = decodeGlobalCounters(varbinds, errors);
    const observations: DecodedObservation[] =
      Object.keys(data.counters).length > 0
        ? [{ kind: 'snmp-counters', data, raw: describeCounters(data, table.name) }]
        : [];
    return { observations, errors };
  }
  const def = tableByName(table.name);
  if (!def) {
    errors.push({ oid: table.oid, message: `unknown table ${table.name}` });
    return { observations: [], errors };
  }
  const meta = metaOf(def);
  const rows = new Map<string, RawRow>();
  for (const vb of varbinds as readonly unknown[]) {
    if (typeof vb !== 'object' || vb === null || typeof (vb as SnmpVarbind).oid !== 'string') {
      errors.push({ oid: '', message: `not a varbind: ${preview(vb)}` });
      continue;
    }
    const v = vb as SnmpVarbind;
    if (SKIPPED_TYPES.has(v.type)) continue;
    const oid = stripDot(v.oid);
    if (!oid.startsWith(meta.entryPrefix)) {
      errors.push({ oid, message: `outside ${def.name}` });
      continue;
    }
    let at = meta.entryPrefix.length;
    let col = 0;
    for (
      let ch = oid.charCodeAt(at);
      ch >= 48 && ch <= 57 && col < 1e9;
      ch = oid.charCodeAt(++at)
    ) {
      col = col * 10 + (ch - 48);
    }
    if (at === meta.entryPrefix.length || oid.charCodeAt(at) !== 46 || at + 1 >= oid.length) {
      errors.push({ oid, message: `no row index after the column` });
      continue;
    }
    const index = oid.slice(at + 1);
    let row = rows.get(index);
    if (!row) {
      row = { index, cells: new Map() };
      rows.set(index, row);
    }
    row.cells.set(col, v);
  }
  const observations: DecodedObservation[] = [];
  for (const row of rows.values()) {
    const firstCol = row.cells.keys().next().value ?? 0;
    const rowOid = `${def.entry}.${firstCol}.${row.index}`;
    const ids = parseOid(row.index);
    const idx = ids ? decodeRowIndex(def.indexShape, ids) : undefined;
    if (!idx?.ok) {
      errors.push({
        oid: rowOid,
        message: `${def.name} index: ${idx ? idx.message : 'not an OID'}`,
      });
      continue;
    }
    const cells = new RowCells(def, meta, row, errors);
    const built = buildRow(def, meta, idx.index, row.index, cells);
    if ('error' in built) {
      errors.push({ oid: rowOid, message: `${def.name} ${row.index}: ${built.error}` });
      continue;
    }
    observations.push({
      kind: built.kind,
      data: built.data,
      raw: cells.line,
    } as DecodedObservation);
  }
  return { observations, errors };
}

// --- system scalars --------------------------------------------------------------------------

/** sysUpTime.0 and sysName.0; undefined when sysUpTime.0 is missing or unreadable. */
export function decodeSystem(
  varbinds: readonly SnmpVarbind[],
  errors: DecodeError[] = [],
): SnmpSystemData | undefined {
  let upTicks: number | undefined;
  let sysName: string | undefined;
  for (const vb of varbinds) {
    if (SKIPPED_TYPES.has(vb.type)) continue;
    const oid = stripDot(vb.oid);
    if (oid === SYS_UPTIME_0) {
      const n = vb.type === SnmpType.TimeTicks ? decodeInteger(vb.value) : undefined;
      if (n === undefined || n < 0) {
        errors.push({
          oid,
          message: `sysUpTime.0: expected TimeTicks, got ${typeName(vb.type)} ${preview(vb.value)}`,
        });
      } else upTicks = n;
    } else if (oid === SYS_NAME_0) {
      const s = vb.type === SnmpType.OctetString ? decodeText(vb.value) : undefined;
      if (s === undefined) {
        errors.push({
          oid,
          message: `sysName.0: expected OctetString, got ${typeName(vb.type)} ${preview(vb.value)}`,
        });
      } else sysName = s;
    }
  }
  if (upTicks === undefined) return undefined;
  return put({ sysUpTimeSeconds: upTicks / 100 }, { sysName });
}

export function describeSystem(data: SnmpSystemData): string {
  const name = data.sysName === undefined ? '' : ` sysName=${quote(data.sysName)}`;
  return `system sysUpTime=${Math.round(data.sysUpTimeSeconds * 100)}${name}`;
}

// --- global counters ---------------------------------------------------------------------------

const GLOBAL_BY_OID = new Map(GLOBAL_SCALARS.map((s) => [`${s.oid}.0`, s.name]));

/** jnxIpSecGlobalStats / jnxIkeGlobalStats scalars: MIB name → decimal string. */
export function decodeGlobalCounters(
  varbinds: readonly SnmpVarbind[],
  errors: DecodeError[] = [],
): SnmpCountersData {
  const counters: Record<string, string> = {};
  for (const vb of varbinds) {
    if (SKIPPED_TYPES.has(vb.type)) continue;
    const oid = stripDot(vb.oid);
    const name = GLOBAL_BY_OID.get(oid);
    if (name === undefined) {
      const inGroup =
        oid.startsWith(`${JNX_IPSEC_GLOBAL_STATS}.`) || oid.startsWith(`${JNX_IKE_GLOBAL_STATS}.`);
      if (!inGroup) errors.push({ oid, message: 'not a global IKE/IPsec counter' });
      continue;
    }
    const ok = vb.type === SnmpType.Counter64 || vb.type === SnmpType.Counter32;
    const s = ok ? decodeCounter64(vb.value) : undefined;
    if (s === undefined) {
      errors.push({
        oid,
        message: `${name}: expected Counter64, got ${typeName(vb.type)} ${preview(vb.value)}`,
      });
      continue;
    }
    counters[name] = s;
  }
  return { counters };
}

export function describeCounters(data: SnmpCountersData, group = 'counters'): string {
  let line = group;
  for (const [k, v] of Object.entries(data.counters)) line += ` ${k}=${v}`;
  return line;
}

// --- traps -----------------------------------------------------------------------------------

function jsonSafe(vb: SnmpVarbind): unknown {
  const v = vb.value;
  if (typeof v === 'bigint') return v.toString();
  if (isBytes(v)) {
    if (vb.type === SnmpType.Counter64) return decodeCounter64(v) ?? `0x${hex(v)}`;
    const text = UTF8.decode(v);
    return isPlainText(text) ? text : `0x${hex(v)}`;
  }
  if (v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v === null) {
    return v;
  }
  return preview(v);
}

/** No replacement characters and no control characters but tab, LF and CR. */
function isPlainText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0xfffd || ch === 0x7f || (ch < 0x20 && ch !== 9 && ch !== 10 && ch !== 13)) {
      return false;
    }
  }
  return true;
}

const TRAP_FIELDS: Readonly<Record<string, string>> = {
  jnxIkeTrapPeerRemoteGwAddr: 'remoteGateway',
  jnxIkeTrapPeerLocalGwAddr: 'localGateway',
  jnxIkeTrapPeerRemotePort: 'remotePort',
  jnxIkeTrapPeerLocalPort: 'localPort',
  jnxIkeTrapPeerRoutingInstance: 'routingInstance',
  jnxIkeTrapPeerGwName: 'gateway',
  jnxIkeTrapPeerLocalIdValue: 'localIkeId',
  jnxIkeTrapPeerRemoteIdValue: 'remoteIkeId',
  jnxIkeTrapIpSecTunVpnName: 'vpn',
  jnxIkeTrapIpSecTunTsName: 'trafficSelector',
  jnxIkeTrapIpSecTunLocalTS: 'localTs',
  jnxIkeTrapIpSecTunRemoteTS: 'remoteTs',
};

const TRAP_OBJ_PREFIX = `${TRAP_OBJ}.`;

/**
 * A v2c/v3 notification: the trap named by snmpTrapOID.0 (`ike-peer-down`,
 * `ike-peer-ipsec-tunnel-down`, or the OID itself), every varbind as JSON-safe values, and the
 * jnxIkeNotificationObj fields decoded.
 */
export function decodeTrap(
  varbinds: readonly SnmpVarbind[],
  errors: DecodeError[] = [],
): SnmpTrapData {
  let trapOid: string | undefined;
  const list: SnmpTrapData['varbinds'] = [];
  const byCol = new Map<number, SnmpVarbind>();
  for (const vb of varbinds) {
    const oid = stripDot(vb.oid);
    list.push({ oid, type: typeName(vb.type), value: jsonSafe(vb) });
    if (oid === SNMP_TRAP_OID_0) {
      if (typeof vb.value === 'string') trapOid = stripDot(vb.value);
      else errors.push({ oid, message: `snmpTrapOID.0 is not an OID: ${preview(vb.value)}` });
    } else if (oid.startsWith(TRAP_OBJ_PREFIX)) {
      const rest = oid.slice(TRAP_OBJ_PREFIX.length);
      const dot = rest.indexOf('.');
      const n = Number(dot < 0 ? rest : rest.slice(0, dot));
      if (Number.isSafeInteger(n)) byCol.set(n, vb);
    }
  }
  const trap = trapOid === undefined ? 'unknown' : (TRAP_NAMES[trapOid] ?? trapOid);
  const data: SnmpTrapData = { trap, varbinds: list };
  const addrType = (n: number): number | undefined => {
    const vb = byCol.get(n);
    return vb && INTEGER_TYPES.has(vb.type) ? decodeInteger(vb.value) : undefined;
  };
  const companions: Readonly<Record<number, number>> = { 2: 1, 5: 4 };
  const fields: Record<string, unknown> = {};
  for (const col of trapObjects) {
    const vb = byCol.get(col.col);
    const field = TRAP_FIELDS[col.name];
    if (!vb || !field) continue;
    const companion = companions[col.col];
    const cell = decodeCell(col, vb, companion === undefined ? undefined : addrType(companion));
    if (typeof cell === 'string') {
      errors.push({ oid: stripDot(vb.oid), message: cell });
      continue;
    }
    fields[field] = cell.value;
  }
  return put(data, fields);
}

export function describeTrap(data: SnmpTrapData): string {
  let line = `trap ${data.trap}`;
  for (const vb of data.varbinds) {
    const v = vb.value;
    line += ` ${vb.oid}=${typeof v === 'string' ? quote(v) : JSON.stringify(v)}`;
  }
  return line;
}
