import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSamon, type RunningSamon } from '../../serve/support/samonService.js';
import { startSnmpsim, type Snmpsim } from '../../support/snmpsim.js';
import { freeUdpPort } from './support/snmpd.js';

// `samon run` with SNMP configured, end to end: it polls the SRX recording served by snmpsim,
// receives a trap, exports the SNMP metrics, shows the router's tunnels in the API — and its
// log holds none of the credentials it was given.

const run = promisify(execFile);
const DATA = resolve(import.meta.dirname, '../../fixtures/snmp');
const V3 = { user: 'samon-v3', authKey: 'CANARY-run-auth-7c1a', privKey: 'CANARY-run-priv-93be' };
const TRAP_COMMUNITY = 'CANARY-trap-community-51d0';

let sim: Snmpsim;
let samon: RunningSamon;
let trapPort: number;

beforeAll(async () => {
  sim = await startSnmpsim({ dataDir: DATA, v3: V3 });
  trapPort = await freeUdpPort();
  samon = await startSamon({
    yaml: [
      'snmp:',
      '  jitter: 0',
      '  targets:',
      `    - { name: srx-edge-1, address: 127.0.0.1, port: ${sim.port}, platform: srx, version: 3,`,
      `        user: ${V3.user}, authKey: ${V3.authKey}, privKey: ${V3.privKey}, context: srx-ipv4, interval: 2 }`,
      `    - { name: mx-core-1, address: 127.0.0.1, port: ${sim.port}, platform: mx, community: mx, interval: 2 }`,
      `  traps: { enabled: true, port: ${trapPort}, communities: [${TRAP_COMMUNITY}] }`,
    ].join('\n'),
  });
}, 60_000);

afterAll(async () => {
  if (samon) expect(await samon.stop()).toBe(0);
  await sim?.stop();
});

describe('samon run with SNMP targets and traps', () => {
  it('polls, receives a trap, exports the SNMP metrics and shows the tunnels', async () => {
    expect(samon.output()).toMatch(/SNMP polling 2 targets, traps on udp:\/\/127\.0\.0\.1:\d+/);
    await run('snmptrap', [
      '-v2c',
      '-c',
      TRAP_COMMUNITY,
      `127.0.0.1:${trapPort}`,
      '',
      '1.3.6.1.4.1.2636.3.52.1.0.0.2',
      '1.3.6.1.4.1.2636.3.52.1.0.1.14',
      's',
      'vpn-hq-b',
    ]);
    const text = await samon.scrapeUntil(
      (t) =>
        /samon_snmp_polls_total\{target="srx-edge-1",platform="srx",outcome="ok"\} [2-9]/.test(t) &&
        /samon_snmp_polls_total\{target="mx-core-1",platform="mx",outcome="ok"\} [2-9]/.test(t) &&
        t.includes('samon_snmp_traps_total{trap="ike-peer-ipsec-tunnel-down"} 1'),
      20_000,
    );
    expect(text).toMatch(/samon_observations_total\{source="snmp",kind="snmp-ipsec-sa"\} \d+/);
    expect(text).not.toMatch(/samon_snmp_polls_total\{[^}]*outcome="error"\} [1-9]/);
    const tunnels: unknown = await (await fetch(`${samon.http}/api/tunnels`)).json();
    const routers = new Set(
      JSON.stringify(tunnels)
        .match(/"router":"([^"]+)"/g)
        ?.map((m) => m.slice(10, -1)),
    );
    expect(routers).toContain('srx-edge-1');
    expect(routers).toContain('mx-core-1');
  });

  it('logs no credential', () => {
    expect(samon.output()).not.toContain('CANARY');
  });
});
