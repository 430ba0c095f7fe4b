import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import snmp from 'net-snmp';
import { afterEach, describe, expect, it } from 'vitest';
import { pollTarget } from '../../../src/collect/snmp/poll.js';
import { formatSpi } from '../../../src/junos/snmp/values.js';
import { SnmpType, walkPlan } from '../../../src/junos/snmp/oids.js';
import { simulate, type Simulation } from '../../../src/sim/index.js';
import { serveSnmp, type SnmpFleet } from '../../../src/sim/snmp/serve.js';
import { tunnelIndexOf } from '../../../src/sim/snmp/state.js';
import { routerVarbinds, type SimVarbind } from '../../../src/sim/snmp/varbinds.js';
import { freeUdpPortRun } from '../../support/udpPorts.js';

// The simulator's agents walked for real: Debian's snmpbulkwalk (v2c and v3 authPriv) and
// net-snmp's subtree walk must read exactly the varbinds of the state model at that moment.
// snmpbulkwalk missing is a failure, not a skip (CI installs the `snmp` package).

const run = promisify(execFile);

interface Receiver {
  getAuthorizer(): { addCommunity(c: string): void };
  close(): void;
}
const START = Date.parse('2026-11-27T00:00:00.000Z');
const S = 1000;
const V3 = { user: 'samon-sim', authKey: 'sim-auth-key-1', privKey: 'sim-priv-key-1' };

let fleet: SnmpFleet | undefined;
afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

function sim(scenarios: Parameters<typeof simulate>[0]['scenarios'], routers = 4): Simulation {
  return simulate({ routers, scenarios, seed: 3, startMs: START, durationSeconds: 4 * 3600 });
}

async function serve(
  s: Simulation,
  at: { ms: number },
  extra: Partial<Parameters<typeof serveSnmp>[1]> = {},
) {
  fleet = await serveSnmp(s, {
    basePort: await freeUdpPortRun(s.fleet.routers.length),
    community: 'sim-community',
    v3: V3,
    virtualNow: () => at.ms,
    realNow: () => performance.now(),
    maxAgeMs: 0,
    ...extra,
  });
  return fleet;
}

/** `snmpbulkwalk -On -Oe -Ot`: numeric OIDs, enums as numbers, raw TimeTicks. */
async function bulkwalk(
  args: string[],
  port: number,
  root = '1.3.6.1',
  timeout = ['-t', '2', '-r', '1'],
): Promise<Map<string, string>> {
  const { stdout } = await run(
    'snmpbulkwalk',
    [...args, '-On', '-Oe', '-Ot', '-Cr25', ...timeout, `127.0.0.1:${port}`, root],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const out = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const m = /^\.?([\d.]+) = (?:([\w-]+): )?(.*)$/.exec(line);
    if (m && !m[3]!.startsWith('No more variables')) out.set(m[1]!, m[3]!.replace(/^"|"$/g, ''));
  }
  return out;
}

const text = (vb: SimVarbind) =>
  Buffer.isBuffer(vb.value)
    ? vb.type === SnmpType.Counter64
      ? BigInt(`0x${vb.value.toString('hex') || '0'}`).toString()
      : vb.value.length === 4 && vb.value.some((b) => b < 32)
        ? [...vb.value].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ')
        : vb.value.toString('latin1')
    : String(vb.value);

function subtree(session: snmp.Session, oid: string): Promise<snmp.Varbind[]> {
  return new Promise((resolve, reject) => {
    const got: snmp.Varbind[] = [];
    session.subtree(
      oid,
      25,
      (vbs: snmp.Varbind[]) => {
        got.push(...vbs);
      },
      (err: Error | null) => (err ? reject(err) : resolve(got)),
    );
  });
}

describe('simulated SNMP agents', () => {
  it('snmpbulkwalk v2c and v3 read the state model at that moment, a rekey as two SA rows', async () => {
    const s = sim(['steady']);
    const rekey = s.truth.find((e) => e.type === 'IpsecSaRekeyed' && e.router.startsWith('srx'))!;
    const at = { ms: Date.parse(rekey.at) + 5 * S };
    const f = await serve(s, at);
    const served = f.routers.find((r) => r.router === rekey.router)!;
    const want = routerVarbinds(f.model.viewAt(rekey.router, at.ms));
    const v2 = await bulkwalk(['-v2c', '-c', 'sim-community'], served.port);
    expect([...v2.keys()]).toEqual(want.map((v) => v.oid));
    for (const vb of want) {
      if (vb.oid.startsWith('1.3.6.1.2.1.1.3.')) continue; // TimeTicks printed as text
      const got = v2.get(vb.oid)!;
      if (Buffer.isBuffer(vb.value) && vb.type === SnmpType.OctetString) continue;
      expect(got, vb.oid).toBe(text(vb));
    }
    const v3 = await bulkwalk(
      [
        '-v3',
        '-l',
        'authPriv',
        '-u',
        V3.user,
        '-a',
        'SHA',
        '-A',
        V3.authKey,
        '-x',
        'AES',
        '-X',
        V3.privKey,
      ],
      served.port,
    );
    expect([...v3.keys()]).toEqual(want.map((v) => v.oid));
    // The rekeyed tunnel's SA rows: the new pair active(1), the previous expiring(2).
    const end = s.fleet.routers
      .flatMap((r) => r.ends)
      .find((e) => `${e.router}/${e.vpn}` === rekey.tunnel)!;
    const prefix = `1.3.6.1.4.1.2636.3.52.1.2.3.1.14.1.4.${end.remoteAddress}.${tunnelIndexOf(end)}.`;
    const states = [...v2].filter(([oid]) => oid.startsWith(prefix)).map(([, v]) => v);
    expect(states).toEqual(['2', '1']);
  });

  it('a wrong community or v3 key gets no answer', async () => {
    const s = sim(['steady']);
    const f = await serve(s, { ms: START + 3600 * S });
    const port = f.routers[0]!.port;
    const quick = ['-t', '0.5', '-r', '0'];
    await expect(bulkwalk(['-v2c', '-c', 'wrong'], port, '1.3.6.1.2.1.1', quick)).rejects.toThrow();
    await expect(
      bulkwalk(
        [
          '-v3',
          '-l',
          'authPriv',
          '-u',
          V3.user,
          '-a',
          'SHA',
          '-A',
          'not-the-key',
          '-x',
          'AES',
          '-X',
          V3.privKey,
        ],
        port,
        '1.3.6.1.2.1.1',
        quick,
      ),
    ).rejects.toThrow();
    // The right community is answered on the same agent.
    expect((await bulkwalk(['-v2c', '-c', 'sim-community'], port, '1.3.6.1.2.1.1')).size).toBe(2);
  });

  it('net-snmp subtree walks of the walk plan (v2c, v3; SRX and MX) equal the model', async () => {
    const s = sim(['steady', 'router-reboot']);
    const at = { ms: START + 2 * 3600 * S };
    const f = await serve(s, at);
    for (const platform of ['srx', 'mx'] as const) {
      const served = f.routers.find((r) => r.platform === platform)!;
      const want = routerVarbinds(f.model.viewAt(served.router, at.ms));
      const sessions = [
        snmp.createSession('127.0.0.1', 'sim-community', {
          port: served.port,
          version: snmp.Version2c,
          timeout: 2000,
          retries: 1,
        }),
        snmp.createV3Session(
          '127.0.0.1',
          {
            name: V3.user,
            level: snmp.SecurityLevel.authPriv,
            authProtocol: snmp.AuthProtocols.sha,
            authKey: V3.authKey,
            privProtocol: snmp.PrivProtocols.aes,
            privKey: V3.privKey,
          },
          { port: served.port, timeout: 2000, retries: 1 },
        ),
      ];
      for (const session of sessions) {
        let rows = 0;
        for (const table of walkPlan(platform)) {
          const got = await subtree(session, table.oid);
          const expected = want.filter((v) => v.oid.startsWith(`${table.oid}.`));
          expect(got.map((v) => v.oid)).toEqual(expected.map((v) => v.oid));
          expect(got.map((v) => text({ ...v, ids: [] } as SimVarbind))).toEqual(expected.map(text));
          rows += got.length;
        }
        expect(rows).toBeGreaterThan(100);
        session.close();
      }
    }
  });

  it('a tunnel going down sends its trap with the MIB varbinds', async () => {
    const s = sim(['dpd-dead-peer'], 6);
    const at = { ms: START };
    const port = await freeUdpPortRun(1);
    const received: { trapOid: string; varbinds: snmp.Varbind[] }[] = [];
    const receiver = (snmp.createReceiver as (o: object, cb: unknown) => Receiver)(
      { port, address: '127.0.0.1', transport: 'udp4', disableAuthorization: false },
      (err: Error | null, data?: { pdu: { varbinds: snmp.Varbind[] } }) => {
        if (err || !data) return;
        const vbs = data.pdu.varbinds;
        received.push({ trapOid: String(vbs[1]?.value), varbinds: vbs });
      },
    );
    receiver.getAuthorizer().addCommunity('trap-community');
    try {
      const f = await serve(s, at, {
        trap: { host: '127.0.0.1', port, community: 'trap-community' },
        trapCheckMs: 60_000,
      });
      const traps = f.model.traps;
      expect(traps.length).toBeGreaterThan(0);
      const first = traps[0]!;
      at.ms = first.ms;
      await f.flushTraps();
      await expect.poll(() => received.length, { timeout: 5000 }).toBeGreaterThan(0);
      const got = received[0]!;
      expect(got.trapOid).toBe(
        first.trap === 'peer-down'
          ? '1.3.6.1.4.1.2636.3.52.1.0.0.1'
          : '1.3.6.1.4.1.2636.3.52.1.0.0.2',
      );
      // sysUpTime.0, snmpTrapOID.0, then jnxIkeNotificationObj 1–13 (17 for a tunnel).
      expect(got.varbinds).toHaveLength(2 + (first.trap === 'peer-down' ? 13 : 17));
      const byOid = new Map(got.varbinds.map((v) => [v.oid, v.value]));
      expect(String(byOid.get('1.3.6.1.4.1.2636.3.52.1.0.1.13.0'))).toBe(first.end.gateway);
      expect([...(byOid.get('1.3.6.1.4.1.2636.3.52.1.0.1.2.0') as Buffer)].join('.')).toBe(
        first.end.remoteAddress,
      );
      // DPD on the initiator: the truth's TunnelDown, at that router.
      const down = s.truth.find(
        (e) => e.type === 'TunnelDown' && e.data.reason === 'dpd-peer-dead',
      )!;
      expect(first.router).toBe(down.router);
      expect(first.ms).toBe(Date.parse(down.at));
      expect(f.sent()).toBe(1);
    } finally {
      receiver.close();
    }
  });

  it("samon's poller decodes every router's rows to the state model (SRX and MX, v3)", async () => {
    const s = sim(['steady', 'crl-enforced', 'router-reboot'], 8);
    const rekey = s.truth.filter((e) => e.type === 'IpsecSaRekeyed')[4]!;
    const at = { ms: Date.parse(rekey.at) + 2 * S };
    const f = await serve(s, at);
    let expiring = 0;
    for (const served of f.routers) {
      const view = f.model.viewAt(served.router, at.ms);
      const out = await pollTarget(
        {
          name: served.router,
          address: '127.0.0.1',
          port: served.port,
          platform: served.platform,
          version: '3',
          user: V3.user,
          authKey: V3.authKey,
          privKey: V3.privKey,
          timeout: 2000,
          retries: 1,
          maxRepetitions: 25,
        },
        { now: () => at.ms },
      );
      expect(out.ok, served.router).toBe(true);
      expect(out.decodeErrors).toBe(0);
      const of = (kind: string) =>
        out.observations
          .filter((o) => o.kind === kind)
          .map((o) => o.data as Record<string, unknown>);
      expect(of('snmp-system')[0]?.sysUpTimeSeconds).toBe(view.sysUpTimeHundredths / 100);
      const sas = of('snmp-ipsec-sa').map((d) => [
        d.remoteGateway,
        d.tunnelIndex,
        d.saIndex,
        d.inSpi,
        d.outSpi,
        d.state,
        d.lifetimeSeconds,
        d.lifetimeThresholdSeconds,
        d.activeSeconds,
      ]);
      const wantSas = view.sas.map((r) => [
        r.remoteGateway,
        r.tunnelIndex,
        r.saIndex,
        formatSpi(r.inSpi),
        formatSpi(r.outSpi),
        r.state,
        r.lifetimeSeconds,
        r.lifetimeThresholdSeconds,
        r.activeHundredths / 100,
      ]);
      expect(sas.sort()).toEqual(wantSas.sort());
      expiring += view.sas.filter((r) => r.state === 'expiring').length;
      const tunnels = of('snmp-ipsec-tunnel').map(
        (d) =>
          `${String(d.remoteGateway)}/${String(d.tunnelIndex)}/${String(d.vpn ?? d.serviceSet)}`,
      );
      expect(tunnels.sort()).toEqual(
        view.tunnels.map((r) => `${r.remoteGateway}/${r.tunnelIndex}/${r.vpn}`).sort(),
      );
      const ike = of('snmp-ike-sa').map(
        (d) => `${String(d.ikeIndex)}/${String(d.initiatorCookie)}/${String(d.state)}`,
      );
      expect(ike.sort()).toEqual(
        view.ike.map((r) => `${r.ikeIndex}/${r.initiatorCookie}/up`).sort(),
      );
      if (served.platform === 'srx') {
        const peers = of('snmp-ike-peer');
        expect(peers).toHaveLength(view.peers.length);
        const failures = (p: Record<string, unknown>) =>
          Object.values(p.counters as Record<string, string>).reduce((n, v) => n + Number(v), 0);
        for (const row of view.peers) {
          const got = peers.find((p) => p.peerIndex === row.peerIndex)!;
          expect(got.state).toBe(row.state);
          expect(failures(got)).toBe(Object.values(row.counters).reduce((n, v) => n + v, 0));
        }
      }
    }
    expect(expiring).toBeGreaterThan(0);
  });
});
