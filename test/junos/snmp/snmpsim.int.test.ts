import snmp from 'net-snmp';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObservationData } from '../../../src/domain/observation.js';
import {
  decodeSystem,
  decodeTable,
  type DecodedObservation,
  type DecodeError,
  type SnmpVarbind,
} from '../../../src/junos/snmp/decode.js';
import { SYSTEM_OIDS, walkPlan, type Platform } from '../../../src/junos/snmp/oids.js';
import { startSnmpsim, type Snmpsim } from '../../support/snmpsim.js';

// The recordings of test/fixtures/snmp served by Debian's snmpsim, walked with a plain net-snmp
// session.subtree per table of the walk plan and decoded. Expected values are those written by
// test/fixtures/snmp/make-snmprec.py (which does not use samon's encoder).

const dataDir = fileURLToPath(new URL('../../fixtures/snmp/', import.meta.url));

let sim: Snmpsim;

beforeAll(async () => {
  sim = await startSnmpsim({
    dataDir,
    v3: { user: 'samon', authKey: 'auth-secret-123', privKey: 'priv-secret-123' },
  });
});

afterAll(async () => {
  await sim?.stop();
});

function v2Session(stem: string): snmp.Session {
  return snmp.createSession(sim.host, sim.community(stem), {
    port: sim.port,
    version: snmp.Version2c,
    timeout: 2000,
    retries: 1,
  });
}

function walk(session: snmp.Session, oid: string): Promise<SnmpVarbind[]> {
  return new Promise((resolve, reject) => {
    const out: SnmpVarbind[] = [];
    session.subtree(
      oid,
      20,
      (varbinds) => {
        for (const vb of varbinds)
          out.push({ oid: vb.oid, type: Number(vb.type), value: vb.value });
      },
      (error) => (error ? reject(error) : resolve(out)),
    );
  });
}

function get(session: snmp.Session, oids: readonly string[]): Promise<SnmpVarbind[]> {
  return new Promise((resolve, reject) => {
    session.get([...oids], (error, varbinds) => {
      if (error) reject(error);
      else
        resolve(
          (varbinds ?? []).map((vb) => ({ oid: vb.oid, type: Number(vb.type), value: vb.value })),
        );
    });
  });
}

interface Poll {
  system: ReturnType<typeof decodeSystem>;
  rows: DecodedObservation[];
  errors: DecodeError[];
}

async function poll(session: snmp.Session, platform: Platform): Promise<Poll> {
  try {
    const errors: DecodeError[] = [];
    const system = decodeSystem(await get(session, SYSTEM_OIDS), errors);
    const rows: DecodedObservation[] = [];
    for (const table of walkPlan(platform)) {
      const r = decodeTable(platform, table, await walk(session, table.oid));
      rows.push(...r.observations);
      errors.push(...r.errors);
    }
    return { system, rows, errors };
  } finally {
    session.close();
  }
}

const of = <K extends DecodedObservation['kind']>(p: Poll, kind: K) =>
  p.rows.filter((o): o is Extract<DecodedObservation, { kind: K }> => o.kind === kind);

const zeroTunnelCounters = {
  outEncryptedBytes: '0',
  outEncryptedPkts: '0',
  inDecryptedBytes: '0',
  inDecryptedPkts: '0',
  ahInBytes: '0',
  ahInPkts: '0',
  ahOutBytes: '0',
  ahOutPkts: '0',
  replayDropPkts: '0',
  ahAuthFails: '0',
  espAuthFails: '0',
  decryptFails: '0',
  badHeaders: '0',
  badTrailers: '0',
  droppedPkts: '0',
  invalidSpi: '0',
  tsCheckFail: '0',
  discarded: '0',
};

function expectValid(p: Poll): void {
  for (const o of p.rows) expect(ObservationData[o.kind].safeParse(o.data).success).toBe(true);
}

describe('snmpsim recordings, walked and decoded', () => {
  it('srx-ipv4: one IKE SA, two tunnels to one peer, a rekey with two SA rows, peers, counters', async () => {
    const p = await poll(v2Session('srx-ipv4'), 'srx');
    expect(p.errors).toEqual([]);
    expectValid(p);
    expect(p.system).toEqual({ sysUpTimeSeconds: 86400, sysName: 'srx-edge-1' });

    expect(of(p, 'snmp-ike-sa').map((o) => o.data)).toEqual([
      {
        table: 'jnxIkeTunnelMonTable',
        index: '1.4.203.0.113.1.5',
        remoteGateway: '203.0.113.1',
        ikeIndex: 5,
        state: 'up',
        stateRaw: 1,
        localGateway: '192.0.2.10',
        role: 'initiator',
        ikeVersion: 2,
        negoMode: 'ikev2',
        negoModeRaw: 3,
        initiatorCookie: '8a3f6c1d2e4b5a69',
        responderCookie: '1b2c3d4e5f607182',
        localIkeId: '192.0.2.10',
        remoteIkeId: 'hq.example.net',
        gateway: 'gw-hq',
        lifetimeSeconds: 28800,
        activeSeconds: 12345,
        encryptAlgo: 'espAes256',
        encryptAlgoRaw: 6,
        hashAlgo: 'sha256',
        hashAlgoRaw: 3,
        dhGroup: 'modp2048',
        dhGroupRaw: 14,
        authMethod: 'preSharedKey',
        authMethodRaw: 1,
        counters: {
          inOctets: '123456',
          outOctets: '234567',
          initiatorIkev2IPSecSaRekeyRequestOut: '3',
          initiatorIkev2IPSecSaRekeyResponseIn: '3',
          responderIkev2IPSecSaRekeyRequestIn: '0',
        },
      },
    ]);

    const tunnels = of(p, 'snmp-ipsec-tunnel').map((o) => o.data);
    expect(tunnels).toEqual([
      {
        table: 'jnxIpSecTunnelMonTable',
        index: '1.4.203.0.113.1.131073',
        remoteGateway: '203.0.113.1',
        tunnelIndex: 131073,
        localGateway: '192.0.2.10',
        localProxyId: '10.1.0.0/24',
        remoteProxyId: '10.2.0.0/24',
        vpn: 'vpn-hq-a',
        trafficSelector: 'ts-a',
        counters: {
          ...zeroTunnelCounters,
          outEncryptedBytes: '660123456789',
          outEncryptedPkts: '512000000',
          inDecryptedBytes: '9007199254740993',
          inDecryptedPkts: '480000000',
          replayDropPkts: '17',
          invalidSpi: '4',
        },
      },
      {
        table: 'jnxIpSecTunnelMonTable',
        index: '1.4.203.0.113.1.131074',
        remoteGateway: '203.0.113.1',
        tunnelIndex: 131074,
        localGateway: '192.0.2.10',
        localProxyId: '10.1.0.0/24',
        remoteProxyId: '10.2.0.0/24',
        vpn: 'vpn-hq-b',
        trafficSelector: 'ts-b',
        counters: {
          ...zeroTunnelCounters,
          outEncryptedBytes: '1000',
          outEncryptedPkts: '10',
          inDecryptedBytes: '2000',
          inDecryptedPkts: '20',
        },
      },
    ]);

    const sa = (
      tun: number,
      saIndex: number,
      inSpi: string,
      outSpi: string,
      st: 1 | 2,
      at: number,
    ) => ({
      table: 'jnxIpSecSaMonTable',
      index: `1.4.203.0.113.1.${tun}.${saIndex}`,
      remoteGateway: '203.0.113.1',
      tunnelIndex: tun,
      saIndex,
      inSpi,
      outSpi,
      state: st === 1 ? 'active' : 'expiring',
      stateRaw: st,
      lifetimeSeconds: 3600,
      lifetimeThresholdSeconds: 3240,
      lifeSizeKb: 0,
      lifeSizeThresholdKb: 0,
      activeSeconds: at,
      protocol: 'esp',
      protocolRaw: 2,
      encryptAlgo: 'espAes256',
      encryptAlgoRaw: 6,
      authAlgo: 'hmacSha256',
      authAlgoRaw: 3,
      encapMode: 'tunnel',
      encapModeRaw: 1,
    });
    expect(of(p, 'snmp-ipsec-sa').map((o) => o.data)).toEqual([
      sa(131073, 1, '0x9cc87ce6', '0x0a1b2c3d', 2, 3420),
      sa(131073, 2, '0x7f3e2d1c', '0x4b5a6978', 1, 15),
      sa(131074, 1, '0x11223344', '0x55667788', 1, 1200),
    ]);
    expect(of(p, 'snmp-ipsec-sa')[0]?.raw).toBe(
      'jnxIpSecSaMonTable 1.4.203.0.113.1.131073.1 protocol=esp(2) inSpi=0x9cc87ce6 ' +
        'outSpi=0x0a1b2c3d type=dynamic(2) encapMode=tunnel(1) lifeSize=0 lifeTime=3600 ' +
        'activeTime=342000 lifeSizeThreshold=0 lifeTimeThreshold=3240 encryptAlgo=espAes256(6) ' +
        'authAlgo=hmacSha256(3) state=expiring(2) fcName="" esnMode=disable(2)',
    );

    const peers = of(p, 'snmp-ike-peer').map((o) => o.data);
    expect(peers.map((d) => [d.index, d.state, d.remoteGateway, d.gateway])).toEqual([
      ['1.1', 'active', '203.0.113.1', 'gw-hq'],
      ['2.2', 'inactive', '198.51.100.99', 'gw-branch'],
    ]);
    expect(Object.keys(peers[0]?.counters ?? {})).toHaveLength(60);
    expect(peers[0]).toMatchObject({
      localGateway: '192.0.2.10',
      remotePort: 500,
      localPort: 500,
      routingInstance: 'default',
      remoteIkeId: 'hq.example.net',
      counters: {
        IkeSaInitiatorIkev2SaInitNoProposalChosenIn: '1',
        IkeSaResponderIkev2SaInitResGetCAsFail: '2',
        IkeSaInitiatorIkev2AuthTsUnacceptableIn: '1',
        IkeSaInitiatorIkev2AuthAuthenticationFailedIn: '3',
        IkeSaInitiatorIkev2IPSecSaRekeyInvalidKeIn: '1',
        IkeSaResponderIkev2IPSecSaRekeyResDhCompKeyFail: '0',
      },
    });
    expect(peers[1]?.counters).toMatchObject({
      IkeSaResponderIkev2AuthAuthenticationFailedOut: '7',
    });

    const counters = of(p, 'snmp-counters').map((o) => o.data.counters);
    expect(counters).toHaveLength(2);
    expect(Object.keys(counters[0] ?? {})).toHaveLength(17);
    expect(Object.keys(counters[1] ?? {})).toHaveLength(67);
    expect(counters[0]).toMatchObject({
      jnxIpSecGlobalInvalidSpi: '42',
      jnxIpSecGlobalInDecryptedBytes: '9007199254742993',
      jnxIpSecGlobalReplayDropPkts: '17',
    });
    expect(counters[1]).toMatchObject({
      jnxIkeGlobalIkev2TotalInvalidSPI: '5',
      jnxIkeGlobalResponderIkev2SaInitResGetCAsFail: '2',
      jnxIkeGlobalResponderIkev2AuthAuthenticationFailedOut: '7',
    });
  });

  it('srx-ipv6: an IPv6 peer in the index and IPv6 addresses in the values', async () => {
    const p = await poll(v2Session('srx-ipv6'), 'srx');
    expect(p.errors).toEqual([]);
    expectValid(p);
    expect(p.system).toEqual({ sysUpTimeSeconds: 42, sysName: 'srx-edge-6' });
    const index = '2.16.32.1.13.184.1.0.0.0.0.0.0.0.0.0.0.1';
    expect(of(p, 'snmp-ike-sa')[0]?.data).toMatchObject({
      index: `${index}.1`,
      remoteGateway: '2001:db8:100::1',
      localGateway: '2001:db8:200::10',
      ikeIndex: 1,
      state: 'up',
    });
    expect(of(p, 'snmp-ipsec-tunnel')[0]?.data).toMatchObject({
      index: `${index}.131073`,
      remoteGateway: '2001:db8:100::1',
      localGateway: '2001:db8:200::10',
      localProxyId: '2001:db8:1::/64',
      vpn: 'vpn-v6',
    });
    expect(of(p, 'snmp-ipsec-sa').map((o) => o.data)).toMatchObject([
      {
        index: `${index}.131073.1`,
        remoteGateway: '2001:db8:100::1',
        inSpi: '0xa0b0c0d0',
        outSpi: '0x01020304',
        state: 'active',
        activeSeconds: 1,
      },
    ]);
    expect(of(p, 'snmp-ike-peer')[0]?.data).toMatchObject({
      remoteGateway: '2001:db8:100::1',
      localGateway: '2001:db8:200::10',
    });
  });

  it('srx-text-inetaddress: LocalGwAddr given as ASCII text, as in the real 23.4 walk', async () => {
    const p = await poll(v2Session('srx-text-inetaddress'), 'srx');
    expect(p.errors).toEqual([]);
    expect(of(p, 'snmp-ike-sa')[0]?.data.localGateway).toBe('192.0.2.10');
    expect(
      of(p, 'snmp-ipsec-tunnel').map((o) => [o.data.tunnelIndex, o.data.localGateway, o.data.vpn]),
    ).toEqual([
      [131073, '192.0.2.10', 'vpn-wan1'],
      [131074, '198.51.100.20', 'vpn-wan2'],
    ]);
    expect(of(p, 'snmp-ipsec-tunnel')[0]?.raw).toContain('localGwAddr=192.0.2.10 ');
    expect(of(p, 'snmp-ipsec-sa')).toHaveLength(2);
  });

  it('mx: two service sets, rows indexed by service-set name', async () => {
    const p = await poll(v2Session('mx'), 'mx');
    expect(p.errors).toEqual([]);
    expectValid(p);
    expect(p.system).toEqual({ sysUpTimeSeconds: 315360, sysName: 'mx-core-1' });
    expect(of(p, 'snmp-ike-sa').map((o) => o.data)).toMatchObject([
      {
        table: 'jnxIkeTunnelTable',
        index: '8.115.115.45.118.112.110.45.97.1.4.198.51.100.1.1',
        serviceSet: 'ss-vpn-a',
        remoteGateway: '198.51.100.1',
        ikeIndex: 1,
        state: 'up',
        stateRaw: 1,
        role: 'responder',
        ikeVersion: 1,
        localGateway: '192.0.2.1',
        lifetimeSeconds: 86400,
        activeSeconds: 7200,
        counters: { inOctets: '5000', outOctets: '6000' },
      },
      { serviceSet: 'ss-vpn-b', remoteGateway: '198.51.100.2' },
    ]);
    expect(of(p, 'snmp-ipsec-tunnel').map((o) => o.data)).toMatchObject([
      {
        table: 'jnxIpSecTunnelTable',
        serviceSet: 'ss-vpn-a',
        vpn: 'ss-vpn-a',
        remoteGateway: '198.51.100.1',
        tunnelIndex: 1,
        localGateway: '192.0.2.1',
        rule: 'rule-a',
        term: 'term-1',
        localProxyId: '10.10.0.0/16',
        counters: { inDecryptedBytes: '777', droppedPkts: '0' },
      },
      { serviceSet: 'ss-vpn-b', rule: 'rule-b', counters: { inDecryptedBytes: '888' } },
    ]);
    expect(of(p, 'snmp-ipsec-sa').map((o) => o.data)).toEqual([
      {
        table: 'jnxIpSecSaTable',
        index: '8.115.115.45.118.112.110.45.97.1.4.198.51.100.1.1.1',
        serviceSet: 'ss-vpn-a',
        remoteGateway: '198.51.100.1',
        tunnelIndex: 1,
        saIndex: 1,
        inSpi: '0x00010001',
        outSpi: '0x00020002',
        inAuxSpi: '0x00000000',
        outAuxSpi: '0x00000000',
        state: 'active',
        stateRaw: 1,
        lifetimeSeconds: 3600,
        lifetimeThresholdSeconds: 3000,
        lifeSizeKb: 0,
        lifeSizeThresholdKb: 0,
        activeSeconds: 900,
        encryptAlgo: 'espAes128',
        encryptAlgoRaw: 4,
        authAlgo: 'hmacSha256',
        authAlgoRaw: 3,
        authAlgoMib2012: 'hmacSha',
        encapMode: 'tunnel',
        encapModeRaw: 1,
      },
      expect.objectContaining({ serviceSet: 'ss-vpn-b', state: 'expiring', inSpi: '0x00030003' }),
    ]);
  });

  it('srx-malformed: wrong types and a truncated index are errors; the readable rows remain', async () => {
    const p = await poll(v2Session('srx-malformed'), 'srx');
    const sa = of(p, 'snmp-ipsec-sa').map((o) => o.data);
    expect(sa.map((d) => [d.saIndex, d.state, d.stateRaw])).toEqual([
      [1, 'active', 1],
      [3, 'unknown', undefined],
    ]);
    expect(of(p, 'snmp-ipsec-tunnel').map((o) => o.data)).toEqual([
      {
        table: 'jnxIpSecTunnelMonTable',
        index: '1.4.203.0.113.1.131073',
        remoteGateway: '203.0.113.1',
        tunnelIndex: 131073,
        vpn: 'vpn-broken',
      },
    ]);
    expect(p.errors.map((e) => e.message)).toEqual([
      'jnxIpSecTunMonLocalGwAddr: expected InetAddress, got OctetString 0x6e6f742d616e2d61646472657373',
      'jnxIpSecTunMonInDecryptedBytes: expected Counter64, got OctetString 0x3132333435',
      'jnxIpSecSaMonTable index: index ends before the tunnel index',
      'jnxIpSecSaMonInSpi: expected Unsigned32, got OctetString 0x30783132333435363738',
      'jnxIpSecSaMonTable 1.4.203.0.113.1.131073.2: SA row without a readable InSpi',
      'jnxIpSecSaMonState: expected Enum, got OctetString 0x616374697665',
    ]);
  });

  it('serves SNMPv3 (authPriv, SHA/AES) with the recording chosen by context name', async () => {
    const session = snmp.createV3Session(
      sim.host,
      {
        name: 'samon',
        level: snmp.SecurityLevel.authPriv,
        authProtocol: snmp.AuthProtocols.sha,
        authKey: 'auth-secret-123',
        privProtocol: snmp.PrivProtocols.aes,
        privKey: 'priv-secret-123',
      },
      { port: sim.port, context: sim.community('srx-ipv4'), timeout: 2000, retries: 1 },
    );
    const p = await poll(session, 'srx');
    expect(p.errors).toEqual([]);
    expect(p.system?.sysName).toBe('srx-edge-1');
    expect(of(p, 'snmp-ipsec-sa')).toHaveLength(3);
  });
});
