import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { SnmpConfig } from '../../../src/config/schema.js';
import { CollectMetrics } from '../../../src/collect/metrics.js';
import { startSnmp, type RunningSnmp } from '../../../src/collect/snmp/index.js';
import type { ObservationOf } from '../../../src/domain/index.js';
import { capturingLogger, memoryAppender } from './support/memoryLog.js';
import { freeUdpPort } from './support/snmpd.js';

// The trap receiver of the collect role, fed by Debian's snmptrap (v2c and v3 authPriv) with
// the two Junos notifications of JUNIPER-IPSEC-FLOW-MON-MIB.

const run = promisify(execFile);
const FLOW_MON = '1.3.6.1.4.1.2636.3.52.1';
const OBJ = `${FLOW_MON}.0.1`;
const V3 = { user: 'samontrap', authKey: 'trap-auth-key-1', privKey: 'trap-priv-key-2' };

/** snmptrap's varbind arguments (OID TYPE VALUE) of the objects the two traps carry. */
const peerObjects = [
  `${OBJ}.1`,
  'i',
  '1',
  `${OBJ}.2`,
  'x',
  'CB007101',
  `${OBJ}.3`,
  'u',
  '500',
  `${OBJ}.4`,
  'i',
  '1',
  `${OBJ}.5`,
  'x',
  'C0000201',
  `${OBJ}.6`,
  'u',
  '500',
  `${OBJ}.7`,
  's',
  'default',
  `${OBJ}.13`,
  's',
  'gw-branch-7',
];
const tunnelObjects = [...peerObjects, `${OBJ}.14`, 's', 'vpn-branch-7', `${OBJ}.15`, 's', 'ts-1'];

let snmp: RunningSnmp | undefined;
afterEach(async () => {
  await snmp?.close();
  snmp = undefined;
});

async function receiver(targets: { name: string; address: string }[]) {
  const port = await freeUdpPort();
  const { appender, records } = memoryAppender();
  const registry = new Registry();
  const config = SnmpConfig.parse({
    targets: targets.map((t) => ({
      ...t,
      platform: 'srx',
      community: 'poll-community',
      // Polls fail fast against nothing; the test is about traps.
      port: 9,
      timeout: 50,
      retries: 0,
      interval: 3600,
    })),
    traps: {
      enabled: true,
      port,
      communities: ['trap-community'],
      users: [{ user: V3.user, authKey: V3.authKey, privKey: V3.privKey }],
    },
  });
  snmp = await startSnmp({
    config,
    appender,
    collectMetrics: new CollectMetrics(registry),
    registry,
    logger: capturingLogger().logger,
    onRouterSeen: () => {},
  });
  const traps = () =>
    records
      .map((r) => r.observation)
      .filter((o): o is ObservationOf<'snmp-trap'> => o.kind === 'snmp-trap');
  return { port, traps, registry, listening: snmp.traps };
}

async function until(what: string, done: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what} within 5 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('trap receiver', () => {
  it('decodes both Junos traps, v2c and v3 authPriv, one snmp-trap each, named after the target', async () => {
    const { port, traps, registry, listening } = await receiver([
      { name: 'srx1', address: '127.0.0.1' },
    ]);
    expect(listening).toBe(`udp://127.0.0.1:${port}`);
    const to = `127.0.0.1:${port}`;
    await run('snmptrap', [
      '-v2c',
      '-c',
      'trap-community',
      to,
      '',
      `${FLOW_MON}.0.0.2`,
      ...tunnelObjects,
    ]);
    await run('snmptrap', [
      '-v3',
      '-e',
      '0x80001f8880c0ffee01',
      '-u',
      V3.user,
      '-l',
      'authPriv',
      '-a',
      'SHA',
      '-A',
      V3.authKey,
      '-x',
      'AES',
      '-X',
      V3.privKey,
      to,
      '',
      `${FLOW_MON}.0.0.1`,
      ...peerObjects,
    ]);
    await until('two traps', () => traps().length === 2);
    const [down, peer] = traps();
    expect(down).toMatchObject({
      router: 'srx1',
      source: 'snmp',
      sender: '127.0.0.1',
      data: {
        trap: 'ike-peer-ipsec-tunnel-down',
        remoteGateway: '203.0.113.1',
        localGateway: '192.0.2.1',
        gateway: 'gw-branch-7',
        vpn: 'vpn-branch-7',
        trafficSelector: 'ts-1',
      },
    });
    expect(down!.raw).toMatch(/^trap ike-peer-ipsec-tunnel-down /);
    expect(down!.time).toBe(down!.receivedAt);
    expect(peer).toMatchObject({
      router: 'srx1',
      data: { trap: 'ike-peer-down', remoteGateway: '203.0.113.1', gateway: 'gw-branch-7' },
    });
    expect(peer!.data.vpn).toBeUndefined();
    const text = await registry.metrics();
    expect(text).toContain('samon_snmp_traps_total{trap="ike-peer-ipsec-tunnel-down"} 1');
    expect(text).toContain('samon_snmp_traps_total{trap="ike-peer-down"} 1');
  });

  it('names the router of an unknown sender by its address, counts other traps as other', async () => {
    const { port, traps, registry } = await receiver([{ name: 'srx9', address: '198.51.100.9' }]);
    await run('snmptrap', [
      '-v2c',
      '-c',
      'trap-community',
      `127.0.0.1:${port}`,
      '',
      '1.3.6.1.6.3.1.1.5.3',
    ]);
    await until('one trap', () => traps().length === 1);
    expect(traps()[0]).toMatchObject({
      router: '127.0.0.1',
      data: { trap: '1.3.6.1.6.3.1.1.5.3' },
    });
    expect(await registry.metrics()).toContain('samon_snmp_traps_total{trap="other"} 1');
  });

  it('translates an SNMPv1 trap to its v2 trap OID (RFC 3584)', async () => {
    const { port, traps } = await receiver([{ name: 'srx1', address: '127.0.0.1' }]);
    // enterprise jnxIpSecFlowMonNotifications (.52.1.0), specific 2: jnxIkePeerIPSecTunnelDown.
    await run('snmptrap', [
      '-v1',
      '-c',
      'trap-community',
      `127.0.0.1:${port}`,
      `${FLOW_MON}.0`,
      '',
      '6',
      '2',
      '',
      `${OBJ}.14`,
      's',
      'vpn-v1',
    ]);
    await until('one trap', () => traps().length === 1);
    expect(traps()[0]).toMatchObject({
      router: 'srx1',
      data: { trap: 'ike-peer-ipsec-tunnel-down', vpn: 'vpn-v1' },
    });
  });

  it('fails to start, with the reason, when its port is taken', async () => {
    const first = await receiver([]);
    const taken = first.port;
    const second = startSnmp({
      config: SnmpConfig.parse({ traps: { enabled: true, port: taken } }),
      appender: memoryAppender().appender,
      collectMetrics: new CollectMetrics(new Registry()),
      registry: new Registry(),
      logger: capturingLogger().logger,
      onRouterSeen: () => {},
    });
    await expect(second).rejects.toThrow(/EADDRINUSE/);
  });

  it('refuses an unknown community and a wrong v3 key, and counts them', async () => {
    const { port, traps, registry } = await receiver([]);
    const to = `127.0.0.1:${port}`;
    await run('snmptrap', ['-v2c', '-c', 'not-configured', to, '', `${FLOW_MON}.0.0.1`]);
    await run('snmptrap', [
      '-v3',
      '-e',
      '0x80001f8880c0ffee02',
      '-u',
      V3.user,
      '-l',
      'authPriv',
      '-a',
      'SHA',
      '-A',
      'wrong-auth-key',
      '-x',
      'AES',
      '-X',
      V3.privKey,
      to,
      '',
      `${FLOW_MON}.0.0.1`,
    ]);
    const deadline = Date.now() + 5_000;
    let text = '';
    while (Date.now() < deadline) {
      text = await registry.metrics();
      if (text.includes('samon_snmp_traps_rejected_total 2')) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(text).toContain('samon_snmp_traps_rejected_total 2');
    expect(traps()).toEqual([]);
  });
});
