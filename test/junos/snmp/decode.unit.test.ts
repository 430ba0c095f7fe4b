import { describe, expect, it } from 'vitest';
import { ObservationData } from '../../../src/domain/observation.js';
import {
  decodeGlobalCounters,
  decodeSystem,
  decodeTable,
  decodeTrap,
  describeSystem,
  shortName,
  type DecodeError,
  type SnmpVarbind,
} from '../../../src/junos/snmp/decode.js';
import { encodeRow } from '../../../src/junos/snmp/encode.js';
import {
  decodeRowIndex,
  encodeInetAddressIndex,
  encodeServiceSetIndex,
  parseOid,
} from '../../../src/junos/snmp/index-codec.js';
import {
  JNX_IKE_GLOBAL_STATS,
  JNX_IPSEC_GLOBAL_STATS,
  SNMP_TRAP_OID_0,
  SYS_NAME_0,
  SYS_UPTIME_0,
  SnmpType,
  TRAP_IKE_PEER_IPSEC_TUNNEL_DOWN,
  TRAP_OBJ,
  jnxIkePeerStatsTable,
  jnxIkeTunnelMonTable,
  jnxIkeTunnelTable,
  jnxIpSecSaMonTable,
  jnxIpSecSaTable,
  jnxIpSecTunnelMonTable,
  jnxIpSecTunnelTable,
  walkPlan,
  type WalkTable,
} from '../../../src/junos/snmp/oids.js';
import {
  decodeCounter64,
  decodeInetAddress,
  encodeCounter64,
  formatIpv6,
  parseIpText,
} from '../../../src/junos/snmp/values.js';

const plan = (platform: 'srx' | 'mx', name: string): WalkTable => {
  const t = walkPlan(platform).find((w) => w.name === name);
  if (!t) throw new Error(`no ${name} in the ${platform} plan`);
  return t;
};

const vb = (oid: string, type: number, value: unknown): SnmpVarbind => ({ oid, type, value });

describe('walk plan', () => {
  it('walks tunnels, IKE, SAs, peers and global counters on SRX, in that order', () => {
    expect(walkPlan('srx').map((t) => t.name)).toEqual([
      'jnxIpSecTunnelMonTable',
      'jnxIkeTunnelMonTable',
      'jnxIpSecSaMonTable',
      'jnxIkePeerStatsTable',
      'jnxIpSecGlobalStats',
      'jnxIkeGlobalStats',
    ]);
    expect(walkPlan('mx').map((t) => t.name)).toEqual([
      'jnxIpSecTunnelTable',
      'jnxIkeTunnelTable',
      'jnxIpSecSaTable',
    ]);
  });

  it('lists the columns of every table in column order (the evidence line follows it)', () => {
    for (const p of ['srx', 'mx'] as const) {
      for (const t of walkPlan(p)) {
        const cols = t.columns ?? [];
        expect([...cols].sort((a, b) => a - b)).toEqual(cols);
      }
    }
  });

  it('never walks a not-accessible index column, and the SA table OIDs match the MIB', () => {
    const sa = plan('srx', 'jnxIpSecSaMonTable');
    expect(sa.oid).toBe('1.3.6.1.4.1.2636.3.52.1.2.3.1');
    expect(sa.columns).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    expect(plan('srx', 'jnxIpSecTunnelMonTable').columns).not.toContain(24);
    expect(plan('mx', 'jnxIpSecSaTable').columns?.[0]).toBe(3);
    expect(plan('srx', 'jnxIkePeerStatsTable').oid).toBe('1.3.6.1.4.1.2636.3.52.1.1.6.1');
    expect(plan('srx', 'jnxIkeGlobalStats').columns).toBeUndefined();
  });
});

describe('values', () => {
  it('reads a Counter64 Buffer of any length as a decimal string, beyond 2^53', () => {
    expect(decodeCounter64(Buffer.from([0x00]))).toBe('0');
    expect(decodeCounter64(Buffer.from([0x9a, 0x4c, 0x68, 0x00]))).toBe('2588698624');
    expect(decodeCounter64(Buffer.from('ffffffffffffffff', 'hex'))).toBe('18446744073709551615');
    expect(decodeCounter64(Buffer.from('ffffffffffff', 'hex'))).toBe('281474976710655');
    expect(decodeCounter64(Buffer.from('01000000000000', 'hex'))).toBe('281474976710656');
    expect(decodeCounter64(Buffer.from('20000000000001', 'hex'))).toBe('9007199254740993');
    expect(decodeCounter64(Buffer.from('00ffffffffffffffff', 'hex'))).toBe('18446744073709551615');
    expect(decodeCounter64(Buffer.from('01ffffffffffffffff', 'hex'))).toBeUndefined();
    expect(decodeCounter64(-1)).toBeUndefined();
    expect(encodeCounter64(660123456789n)).toEqual(Uint8Array.from([0x99, 0xb2, 0x6c, 0x95, 0x15]));
    expect(encodeCounter64(0)).toEqual(Uint8Array.from([0]));
  });

  it('reads an InetAddress as raw octets or as the text of an address', () => {
    expect(decodeInetAddress(Buffer.from([198, 51, 100, 7]))).toBe('198.51.100.7');
    expect(decodeInetAddress(Buffer.from('198.51.100.7', 'ascii'))).toBe('198.51.100.7');
    expect(decodeInetAddress(Buffer.from('2001:DB8:0:0::1', 'ascii'))).toBe('2001:db8::1');
    const v6 = Buffer.from('20010db8000000000000000000000001', 'hex');
    expect(decodeInetAddress(v6)).toBe('2001:db8::1');
    expect(decodeInetAddress(Buffer.from('not an address'))).toBeUndefined();
    expect(decodeInetAddress(Buffer.from([1, 2, 3]))).toBeUndefined();
  });

  it('writes IPv6 in RFC 5952 form', () => {
    const f = (t: string) => formatIpv6(parseIpText(t) ?? new Uint8Array(16));
    expect(f('2001:0db8:0000:0000:0001:0000:0000:0001')).toBe('2001:db8::1:0:0:1');
    expect(f('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(f('::')).toBe('::');
    expect(f('::ffff:192.0.2.1')).toBe('::ffff:c000:201');
  });

  it('names columns without their table prefix', () => {
    expect(shortName('jnxIpSecSaMonInSpi')).toBe('inSpi');
    expect(shortName('jnxIpSecTunMonAHInBytes')).toBe('ahInBytes');
    expect(shortName('jnxIkeTunMonDPDDownCount')).toBe('dpdDownCount');
    expect(shortName('jnxIpSecRuleName')).toBe('ruleName');
  });
});

describe('index codec', () => {
  it('decodes the length-prefixed SRX index of the real 23.4 walk', () => {
    const ids = parseOid('1.4.203.0.113.1.131073.3') ?? [];
    expect(decodeRowIndex('gw.tun.sa', ids)).toEqual({
      ok: true,
      index: { remoteGateway: '203.0.113.1', tunnelIndex: 131073, saIndex: 3 },
    });
  });

  it('decodes the MX service-set index', () => {
    const ids = parseOid('3.115.115.49.1.4.198.51.100.1.1.1') ?? [];
    expect(decodeRowIndex('svc.gw.tun.sa', ids)).toEqual({
      ok: true,
      index: { serviceSet: 'ss1', remoteGateway: '198.51.100.1', tunnelIndex: 1, saIndex: 1 },
    });
    expect(encodeServiceSetIndex('ss1')).toEqual([3, 115, 115, 49]);
    expect(encodeInetAddressIndex('2001:db8::1')).toEqual([
      2, 16, 32, 1, 13, 184, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
    ]);
  });

  it.each([
    ['1.4.203.0.113', 'index ends inside the InetAddress'],
    ['1.4.203.0.113.1', 'index ends before the tunnel index'],
    ['1.4.203.0.113.300.5', 'InetAddress octet 300 out of range'],
    ['1.16.203.0.113.1.5', 'index ends inside the InetAddress'],
    ['3.4.1.2.3.4.5', 'InetAddressType 3 with 4 octets is not an IPv4 or IPv6 address'],
    ['1.4.203.0.113.1.5.6.7', '1 trailing sub-identifiers'],
  ])('refuses %s', (index, message) => {
    const r = decodeRowIndex('gw.tun.sa', parseOid(index) ?? []);
    expect(r).toEqual({ ok: false, message: expect.stringContaining(message) as unknown });
  });
});

describe('decodeTable', () => {
  const gw = '203.0.113.1';

  it('decodes an SA row into snmp-ipsec-sa data and one evidence line', () => {
    const varbinds = encodeRow(
      jnxIpSecSaMonTable,
      { remoteGateway: gw, tunnelIndex: 131073, saIndex: 3 },
      { 2: 2, 3: 0x9cc87ce6, 4: 0x0000a1b2, 8: 3600, 9: 12345, 11: 3000, 12: 6, 13: 3, 14: 1 },
    );
    const { observations, errors } = decodeTable(
      'srx',
      plan('srx', 'jnxIpSecSaMonTable'),
      varbinds,
    );
    expect(errors).toEqual([]);
    expect(observations).toEqual([
      {
        kind: 'snmp-ipsec-sa',
        data: {
          table: 'jnxIpSecSaMonTable',
          index: '1.4.203.0.113.1.131073.3',
          remoteGateway: gw,
          tunnelIndex: 131073,
          saIndex: 3,
          inSpi: '0x9cc87ce6',
          outSpi: '0x0000a1b2',
          state: 'active',
          stateRaw: 1,
          lifetimeSeconds: 3600,
          lifetimeThresholdSeconds: 3000,
          activeSeconds: 123.45,
          protocol: 'esp',
          protocolRaw: 2,
          encryptAlgo: 'espAes256',
          encryptAlgoRaw: 6,
          authAlgo: 'hmacSha256',
          authAlgoRaw: 3,
        },
        raw:
          'jnxIpSecSaMonTable 1.4.203.0.113.1.131073.3 protocol=esp(2) inSpi=0x9cc87ce6 ' +
          'outSpi=0x0000a1b2 lifeTime=3600 activeTime=12345 lifeTimeThreshold=3000 ' +
          'encryptAlgo=espAes256(6) authAlgo=hmacSha256(3) state=active(1)',
      },
    ]);
    expect(ObservationData['snmp-ipsec-sa'].safeParse(observations[0]?.data).success).toBe(true);
  });

  it('decodes a tunnel row: VPN name, text LocalGwAddr, Counter64 counters as decimal strings', () => {
    const index = { remoteGateway: gw, tunnelIndex: 131074 };
    const varbinds: SnmpVarbind[] = [
      ...encodeRow(jnxIpSecTunnelMonTable, index, {
        4: 1,
        12: 660123456789n,
        18: 17,
        27: 'vpn-hq',
        28: 'ts-1',
      }),
      vb(`${jnxIpSecTunnelMonTable.entry}.5.1.4.203.0.113.1.131074`, 4, Buffer.from('192.0.2.10')),
    ];
    const { observations, errors } = decodeTable(
      'srx',
      plan('srx', 'jnxIpSecTunnelMonTable'),
      varbinds,
    );
    expect(errors).toEqual([]);
    expect(observations[0]?.data).toEqual({
      table: 'jnxIpSecTunnelMonTable',
      index: '1.4.203.0.113.1.131074',
      remoteGateway: gw,
      tunnelIndex: 131074,
      localGateway: '192.0.2.10',
      vpn: 'vpn-hq',
      trafficSelector: 'ts-1',
      counters: { inDecryptedBytes: '660123456789', replayDropPkts: '17' },
    });
    expect(observations[0]?.raw).toBe(
      'jnxIpSecTunnelMonTable 1.4.203.0.113.1.131074 localGwAddrType=ipv4(1) ' +
        'localGwAddr=192.0.2.10 inDecryptedBytes=660123456789 replayDropPkts=17 vpnName=vpn-hq tsName=ts-1',
    );
  });

  it('decodes an IKE row: IKEv2 from the negotiation mode, activeSeconds from hundredths', () => {
    const varbinds = encodeRow(
      jnxIkeTunnelMonTable,
      { remoteGateway: '2001:db8::1', tunnelIndex: 7 },
      { 4: '2001:db8::2', 5: 2, 6: 1, 9: 2, 14: 'peer.example.net', 15: 3, 20: 28800, 21: 99 },
    );
    const { observations, errors } = decodeTable(
      'srx',
      plan('srx', 'jnxIkeTunnelMonTable'),
      varbinds,
    );
    expect(errors).toEqual([]);
    const data = observations[0]?.data;
    expect(data).toMatchObject({
      remoteGateway: '2001:db8::1',
      ikeIndex: 7,
      localGateway: '2001:db8::2',
      state: 'up',
      stateRaw: 1,
      role: 'responder',
      ikeVersion: 2,
      negoModeRaw: 3,
      remoteIkeId: 'peer.example.net',
      lifetimeSeconds: 28800,
      activeSeconds: 0.99,
    });
    expect(ObservationData['snmp-ike-sa'].safeParse(data).success).toBe(true);
  });

  it('keeps an enum outside the MIB as unknown with its raw value', () => {
    const varbinds = encodeRow(
      jnxIpSecSaMonTable,
      { remoteGateway: gw, tunnelIndex: 1, saIndex: 1 },
      { 3: 256, 4: 257, 13: 9, 14: 7 },
    );
    const { observations } = decodeTable('srx', plan('srx', 'jnxIpSecSaMonTable'), varbinds);
    expect(observations[0]?.data).toMatchObject({
      state: 'unknown',
      stateRaw: 7,
      authAlgo: 'unknown',
      authAlgoRaw: 9,
    });
    expect(observations[0]?.raw).toContain('state=unknown(7)');
  });

  it('decodes MX rows indexed by service set', () => {
    const index = {
      serviceSet: 'ss-vpn',
      remoteGateway: '198.51.100.1',
      tunnelIndex: 2,
      saIndex: 1,
    };
    const sa = encodeRow(jnxIpSecSaTable, index, { 3: 0x1000, 4: 0x2000, 5: 0, 10: 3600, 16: 2 });
    const tun = encodeRow(jnxIpSecTunnelTable, index, { 2: 'rule-a', 3: 'term-1', 15: 5n });
    const ike = encodeRow(jnxIkeTunnelTable, index, { 3: 1, 15: 1 });
    const s = decodeTable('mx', plan('mx', 'jnxIpSecSaTable'), sa);
    const t = decodeTable('mx', plan('mx', 'jnxIpSecTunnelTable'), tun);
    const k = decodeTable('mx', plan('mx', 'jnxIkeTunnelTable'), ike);
    expect([...s.errors, ...t.errors, ...k.errors]).toEqual([]);
    expect(s.observations[0]?.data).toMatchObject({
      serviceSet: 'ss-vpn',
      remoteGateway: '198.51.100.1',
      tunnelIndex: 2,
      saIndex: 1,
      inSpi: '0x00001000',
      outSpi: '0x00002000',
      inAuxSpi: '0x00000000',
      state: 'expiring',
      lifetimeSeconds: 3600,
    });
    expect(t.observations[0]?.data).toMatchObject({
      serviceSet: 'ss-vpn',
      vpn: 'ss-vpn',
      rule: 'rule-a',
      term: 'term-1',
      counters: { inDecryptedBytes: '5' },
    });
    expect(k.observations[0]?.data).toMatchObject({ state: 'up', ikeVersion: 1, ikeIndex: 2 });
  });

  it('decodes a peer-stats row with its failure counters by MIB name', () => {
    const varbinds = encodeRow(
      jnxIkePeerStatsTable,
      { peerState: 1, peerIndex: 4 },
      { 1: 1, 2: 4, 3: 1, 4: gw, 5: 500, 9: 'default', 15: 'gw-hq', 33: 2n, 45: 5n },
    );
    const { observations, errors } = decodeTable(
      'srx',
      plan('srx', 'jnxIkePeerStatsTable'),
      varbinds,
    );
    expect(errors).toEqual([]);
    expect(observations[0]?.data).toEqual({
      table: 'jnxIkePeerStatsTable',
      index: '1.4',
      remoteGateway: gw,
      peerIndex: 4,
      state: 'active',
      stateRaw: 1,
      remotePort: 500,
      routingInstance: 'default',
      gateway: 'gw-hq',
      counters: {
        IkeSaResponderIkev2SaInitResGetCAsFail: '2',
        IkeSaResponderIkev2AuthAuthenticationFailedOut: '5',
      },
    });
    expect(ObservationData['snmp-ike-peer'].safeParse(observations[0]?.data).success).toBe(true);
  });

  it('reports a truncated index and a wrongly typed value as errors, and keeps the other rows', () => {
    const e = jnxIpSecSaMonTable.entry;
    const varbinds = [
      vb(`${e}.3.1.4.203.0.113`, SnmpType.Gauge32, 300),
      vb(`${e}.3.1.4.203.0.113.1.5.1`, SnmpType.OctetString, Buffer.from('oops')),
      vb(`${e}.4.1.4.203.0.113.1.5.1`, SnmpType.Gauge32, 301),
      vb(`${e}.3.1.4.203.0.113.1.5.2`, SnmpType.Gauge32, 302),
      vb(`${e}.4.1.4.203.0.113.1.5.2`, SnmpType.Gauge32, 303),
      vb(`${e}.8.1.4.203.0.113.1.5.2`, SnmpType.OctetString, Buffer.from('3600')),
      vb('1.3.6.1.2.1.1.1.0', SnmpType.OctetString, Buffer.from('elsewhere')),
      vb(`${e}.14.1.4.203.0.113.1.5.2`, SnmpType.NoSuchInstance, null),
    ];
    const { observations, errors } = decodeTable(
      'srx',
      plan('srx', 'jnxIpSecSaMonTable'),
      varbinds,
    );
    expect(observations.map((o) => o.data.index)).toEqual(['1.4.203.0.113.1.5.2']);
    expect(observations[0]?.raw).toContain('lifeTime=?OctetString:0x33363030');
    expect(errors.map((x) => x.message)).toEqual([
      'outside jnxIpSecSaMonTable',
      'jnxIpSecSaMonTable index: index ends inside the InetAddress',
      'jnxIpSecSaMonInSpi: expected Unsigned32, got OctetString 0x6f6f7073',
      'jnxIpSecSaMonTable 1.4.203.0.113.1.5.1: SA row without a readable InSpi',
      'jnxIpSecSaMonLifeTime: expected Integer32, got OctetString 0x33363030',
    ]);
    expect(errors[1]?.oid).toBe(`${e}.3.1.4.203.0.113`);
  });

  it('decodes a global counter group into one snmp-counters observation', () => {
    const varbinds = [
      vb(`${JNX_IPSEC_GLOBAL_STATS}.15.0`, SnmpType.Counter64, Buffer.from([0x01, 0x00])),
      vb(`${JNX_IKE_GLOBAL_STATS}.9.4.0`, SnmpType.Counter64, Buffer.from([0x07])),
      vb(`${JNX_IKE_GLOBAL_STATS}.2.7.0`, SnmpType.Counter64, Buffer.from([0x02])),
    ];
    expect(decodeGlobalCounters(varbinds)).toEqual({
      counters: {
        jnxIpSecGlobalInvalidSpi: '256',
        jnxIkeGlobalIkev2TotalInvalidSPI: '7',
        jnxIkeGlobalResponderIkev2SaInitResGetCAsFail: '2',
      },
    });
    const r = decodeTable('srx', plan('srx', 'jnxIpSecGlobalStats'), varbinds.slice(0, 1));
    expect(r.observations).toEqual([
      {
        kind: 'snmp-counters',
        data: { counters: { jnxIpSecGlobalInvalidSpi: '256' } },
        raw: 'jnxIpSecGlobalStats jnxIpSecGlobalInvalidSpi=256',
      },
    ]);
  });
});

describe('decodeSystem', () => {
  it('reads sysUpTime in seconds and sysName', () => {
    const data = decodeSystem([
      vb(SYS_UPTIME_0, SnmpType.TimeTicks, 123456),
      vb(SYS_NAME_0, SnmpType.OctetString, Buffer.from('srx-edge-1')),
    ]);
    expect(data).toEqual({ sysUpTimeSeconds: 1234.56, sysName: 'srx-edge-1' });
    expect(data && describeSystem(data)).toBe('system sysUpTime=123456 sysName=srx-edge-1');
  });

  it('gives nothing and an error for a sysUpTime that is not TimeTicks', () => {
    const errors: DecodeError[] = [];
    expect(decodeSystem([vb(SYS_UPTIME_0, SnmpType.OctetString, 'x')], errors)).toBeUndefined();
    expect(errors).toHaveLength(1);
  });
});

describe('decodeTrap', () => {
  it('decodes jnxIkePeerIPSecTunnelDown with its notification objects', () => {
    const o = (n: number) => `${TRAP_OBJ}.${n}.0`;
    const errors: DecodeError[] = [];
    const data = decodeTrap(
      [
        vb(SYS_UPTIME_0, SnmpType.TimeTicks, 500),
        vb(SNMP_TRAP_OID_0, SnmpType.Oid, TRAP_IKE_PEER_IPSEC_TUNNEL_DOWN),
        vb(o(1), SnmpType.Integer, 1),
        vb(o(2), SnmpType.OctetString, Buffer.from([203, 0, 113, 1])),
        vb(o(3), SnmpType.Integer, 500),
        vb(o(4), SnmpType.Integer, 1),
        vb(o(5), SnmpType.OctetString, Buffer.from('192.0.2.10')),
        vb(o(7), SnmpType.OctetString, Buffer.from('default')),
        vb(o(11), SnmpType.OctetString, Buffer.from('peer.example.net')),
        vb(o(13), SnmpType.OctetString, Buffer.from('gw-hq')),
        vb(o(14), SnmpType.OctetString, Buffer.from('vpn-hq')),
        vb(o(16), SnmpType.OctetString, Buffer.from('10.0.0.0/24')),
      ],
      errors,
    );
    expect(errors).toEqual([]);
    expect(data).toMatchObject({
      trap: 'ike-peer-ipsec-tunnel-down',
      remoteGateway: '203.0.113.1',
      localGateway: '192.0.2.10',
      remotePort: 500,
      routingInstance: 'default',
      remoteIkeId: 'peer.example.net',
      gateway: 'gw-hq',
      vpn: 'vpn-hq',
      localTs: '10.0.0.0/24',
    });
    expect(data.varbinds[3]).toEqual({ oid: o(2), type: 'OctetString', value: '0xcb007101' });
    expect(data.varbinds[1]?.value).toBe(TRAP_IKE_PEER_IPSEC_TUNNEL_DOWN);
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
    expect(ObservationData['snmp-trap'].safeParse(data).success).toBe(true);
  });

  it('names an unknown trap by its OID', () => {
    expect(decodeTrap([vb(SNMP_TRAP_OID_0, SnmpType.Oid, '1.3.6.1.6.3.1.1.5.3')]).trap).toBe(
      '1.3.6.1.6.3.1.1.5.3',
    );
  });
});
