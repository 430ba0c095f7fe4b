import { INET_IPV4, INET_IPV6, type IndexShape } from './oids.js';
import {
  UTF8,
  UTF8_ENCODER,
  encodeInetAddress,
  formatIpv4,
  formatIpv6,
  inetAddressTypeOf,
} from './values.js';

// Row indexes of the IPsec tables. InetAddress and the service-set name (DisplayString) are not
// IMPLIED, so each is length-prefixed in the OID: `1.4.203.0.113.1.131073` is ipv4(1), 4 octets,
// 203.0.113.1, tunnel 131073; `3.115.115.49` is the service set `ss1` (snmp-model.md §0).

export interface RowIndex {
  /** MX: jnxSpSvcSetName. */
  serviceSet?: string;
  /** Remote gateway address as text (IPv4 dotted, IPv6 RFC 5952). */
  remoteGateway?: string;
  /** jnxIkeTunMonIndex / jnxIpSecTunMonIndex and their MX twins. */
  tunnelIndex?: number;
  saIndex?: number;
  /** jnxIkePeerStatsState. */
  peerState?: number;
  /** jnxIkePeerStatsIndex. */
  peerIndex?: number;
}

/** OID sub-identifiers of an InetAddressType + length-prefixed InetAddress index part. */
export function encodeInetAddressIndex(address: string): number[] {
  const bytes = encodeInetAddress(address);
  return [inetAddressTypeOf(address), bytes.length, ...bytes];
}

/** OID sub-identifiers of a length-prefixed DisplayString index part (UTF-8 octets). */
export function encodeServiceSetIndex(name: string): number[] {
  const bytes = UTF8_ENCODER.encode(name);
  return [bytes.length, ...bytes];
}

/** The OID index suffix (dotted) of a row of a table with this index shape. */
export function encodeRowIndex(shape: IndexShape, index: RowIndex): string {
  const parts: number[] = [];
  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`index of shape ${shape} needs ${what}`);
    return v;
  };
  switch (shape) {
    case 'svc.gw.tun':
    case 'svc.gw.tun.sa':
    case 'gw.tun':
    case 'gw.tun.sa':
      if (shape.startsWith('svc.')) {
        parts.push(...encodeServiceSetIndex(need(index.serviceSet, 'serviceSet')));
      }
      parts.push(...encodeInetAddressIndex(need(index.remoteGateway, 'remoteGateway')));
      parts.push(need(index.tunnelIndex, 'tunnelIndex'));
      if (shape.endsWith('.sa')) parts.push(need(index.saIndex, 'saIndex'));
      break;
    case 'state.index':
      parts.push(need(index.peerState, 'peerState'), need(index.peerIndex, 'peerIndex'));
      break;
    case 'scalar':
      parts.push(0);
      break;
  }
  return parts.join('.');
}

export type IndexResult = { ok: true; index: RowIndex } | { ok: false; message: string };

const MAX_SUBID = 0xffffffff;

/** Decodes an index suffix (sub-identifiers) of the given shape; never throws. */
export function decodeRowIndex(shape: IndexShape, ids: readonly number[]): IndexResult {
  let at = 0;
  const fail = (message: string): IndexResult => ({ ok: false, message });
  const index: RowIndex = {};
  const integer = (what: string): number | string => {
    const v = ids[at++];
    if (v === undefined) return `index ends before ${what}`;
    if (v < 1 || v > 0x7fffffff) return `${what} ${v} out of range`;
    return v;
  };
  if (shape === 'scalar') {
    return ids.length === 1 && ids[0] === 0
      ? { ok: true, index }
      : fail('scalar instance is not .0');
  }
  if (shape === 'state.index') {
    const state = ids[at++];
    if (state === undefined) return fail('index ends before jnxIkePeerStatsState');
    const peer = integer('jnxIkePeerStatsIndex');
    if (typeof peer === 'string') return fail(peer);
    if (at !== ids.length) return fail(`${ids.length - at} trailing sub-identifiers`);
    return { ok: true, index: { peerState: state, peerIndex: peer } };
  }
  if (shape === 'svc.gw.tun' || shape === 'svc.gw.tun.sa') {
    const len = ids[at++];
    if (len === undefined) return fail('index ends before the service set name');
    if (len > 96) return fail(`service set name length ${len} > 96`);
    if (at + len > ids.length) return fail('index ends inside the service set name');
    const bytes = new Uint8Array(len);
    for (let i = 0; i < len; i++) {
      const b = ids[at + i] ?? -1;
      if (b < 0 || b > 255) return fail(`service set name octet ${b} out of range`);
      bytes[i] = b;
    }
    at += len;
    index.serviceSet = UTF8.decode(bytes);
  }
  const type = ids[at++];
  if (type === undefined) return fail('index ends before the InetAddressType');
  const len = ids[at++];
  if (len === undefined) return fail('index ends before the InetAddress length');
  if (at + len > ids.length) return fail('index ends inside the InetAddress');
  const addr = new Uint8Array(len);
  for (let i = 0; i < len; i++) {
    const b = ids[at + i] ?? -1;
    if (b < 0 || b > 255) return fail(`InetAddress octet ${b} out of range`);
    addr[i] = b;
  }
  at += len;
  if (type === INET_IPV4 && len === 4) index.remoteGateway = formatIpv4(addr);
  else if (type === INET_IPV6 && len === 16) index.remoteGateway = formatIpv6(addr);
  else return fail(`InetAddressType ${type} with ${len} octets is not an IPv4 or IPv6 address`);
  const tun = integer('the tunnel index');
  if (typeof tun === 'string') return fail(tun);
  index.tunnelIndex = tun;
  if (shape.endsWith('.sa')) {
    const sa = integer('the SA index');
    if (typeof sa === 'string') return fail(sa);
    index.saIndex = sa;
  }
  if (at !== ids.length) return fail(`${ids.length - at} trailing sub-identifiers`);
  return { ok: true, index };
}

/** Sub-identifiers of a dotted OID (leading dot allowed); undefined if one is not a number. */
export function parseOid(oid: string): number[] | undefined {
  const s = oid.startsWith('.') ? oid.slice(1) : oid;
  if (s === '') return [];
  const out: number[] = [];
  let n = 0;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch === 46) {
      if (digits === 0) return undefined;
      out.push(n);
      n = 0;
      digits = 0;
    } else if (ch >= 48 && ch <= 57) {
      n = n * 10 + (ch - 48);
      digits++;
      if (n > MAX_SUBID) return undefined;
    } else return undefined;
  }
  if (digits === 0) return undefined;
  out.push(n);
  return out;
}
