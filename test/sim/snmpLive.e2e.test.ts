import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '../../src/domain/lifecycle.js';
import { simulate } from '../../src/sim/index.js';
import { startSamon, type RunningSamon } from '../serve/support/samonService.js';
import { SAMON_BIN } from '../support/samonProcess.js';
import { freeUdpPortRun } from '../support/udpPorts.js';

// SNMP only, live: the simulator's agents (its syslog goes to a file nobody reads) → `samon run`
// polling every router every second → the IPsec SAs samon established from the rows are the
// SAs the simulator had, SPI for SPI, none twice. Times are not compared: at --speed 240 an SA's
// ActiveTime counts virtual seconds while a poll is stamped by the wall clock (the offline test,
// snmpFidelity.unit.test.ts, compares times).

const ROUTERS = 4;
const SEED = 3;
// Two virtual hours in 30 s: every tunnel rekeys at least once (lifetimes 1800–28 800 s).
const SPEED = 240;
const DURATION_SECONDS = 2 * 3600;

let samon: RunningSamon;
let truth: LifecycleEvent[] = [];
const events: LifecycleEvent[] = [];
let tunnels: string[] = [];

const key = (e: LifecycleEvent) => {
  const d = e.data as { direction?: string; spi?: string };
  return `${e.tunnel}|${d.direction}|${d.spi}`;
};

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'samon-snmp-live-'));
  // The same seed gives the same routers whatever the start: their names and platforms.
  const fleet = simulate({
    routers: ROUTERS,
    scenarios: ['steady'],
    seed: SEED,
    startMs: 0,
    durationSeconds: 60,
  }).fleet;
  const base = await freeUdpPortRun(ROUTERS);
  samon = await startSamon({
    yaml: [
      'snmp:',
      '  jitter: 0',
      '  targets:',
      ...fleet.routers.map(
        (r, i) =>
          `    - { name: ${r.name}, address: 127.0.0.1, port: ${base + i}, platform: ${r.platform}, community: public, interval: 1, timeout: 2000 }`,
      ),
    ].join('\n'),
  });
  const truthFile = join(dir, 'truth.ndjson');
  const sim = spawn(
    process.execPath,
    [
      SAMON_BIN,
      'simulate',
      '--routers',
      String(ROUTERS),
      '--scenario',
      'steady',
      '--seed',
      String(SEED),
      '--speed',
      String(SPEED),
      '--duration',
      String(DURATION_SECONDS),
      '--syslog',
      `file:${join(dir, 'syslog.log')}`,
      '--snmp-port',
      String(base),
      '--truth',
      truthFile,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  sim.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = await new Promise<number | null>((resolve) => sim.on('exit', resolve));
  expect(status, stderr).toBe(0);
  truth = readFileSync(truthFile, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => JSON.parse(l) as LifecycleEvent);
  tunnels = [...new Set(truth.map((e) => e.tunnel!))].sort();
  for (const id of tunnels) {
    const res = await fetch(`${samon.http}/api/tunnels/${encodeURIComponent(id)}/timeline`);
    if (res.status === 200) events.push(...((await res.json()) as LifecycleEvent[]));
  }
}, 120_000);

afterAll(async () => {
  if (samon) expect(await samon.stop()).toBe(0);
});

describe('the simulator’s agents → samon run polling them (SNMP only)', () => {
  it('every SA the simulator had for two polls or more is established in samon, from SNMP, once', () => {
    const established = events.filter((e) => e.type === 'IpsecSaEstablished');
    expect(established.length).toBeGreaterThan(10);
    // inferred, from rows: nothing came over syslog
    expect(established.every((e) => e.inferred && e.evidence[0]?.startsWith('jnxIpSec'))).toBe(
      true,
    );
    const seen = established.map(key);
    expect(new Set(seen).size).toBe(seen.length);
    // Every SA samon holds is one the simulator made (SPI, direction, tunnel).
    const made = new Set(truth.filter((e) => e.type === 'IpsecSaEstablished').map(key));
    expect(seen.filter((k) => !made.has(k))).toEqual([]);
    // Every SA the simulator made early enough for polls to see it is in samon. A poll every
    // second is every SPEED virtual seconds; the agents close with the run's last line.
    const end = Math.max(...truth.map((e) => Date.parse(e.at)));
    const visible = truth.filter(
      (e) => e.type === 'IpsecSaEstablished' && Date.parse(e.at) < end - 3 * SPEED * 1000,
    );
    expect(visible.length).toBeGreaterThan(10);
    const mine = new Set(seen);
    expect(visible.map(key).filter((k) => !mine.has(k))).toEqual([]);
  });

  it('the rekeys samon reports from SNMP are rekeys the simulator did, SPI for SPI', () => {
    const rekeyKey = (e: LifecycleEvent) => {
      const d = e.data as { direction?: string; oldSpi?: string; newSpi?: string };
      return `${e.tunnel}|${d.direction}|${d.oldSpi}>${d.newSpi}`;
    };
    const made = new Set(truth.filter((e) => e.type === 'IpsecSaRekeyed').map(rekeyKey));
    const seen = events.filter((e) => e.type === 'IpsecSaRekeyed').map(rekeyKey);
    expect(made.size).toBeGreaterThan(4);
    expect(seen.filter((k) => !made.has(k))).toEqual([]);
    expect(seen.length).toBeGreaterThan(0);
    // Not every rekey reads as one here: at --speed 240 an SA's age grows 240 times faster than
    // the polls' clock, so a successor can look older than the SA it replaces and is then taken
    // as a fresh SA, not a rekey. Which rekeys SNMP recovers, with their times, is the offline
    // test's (snmpFidelity.unit.test.ts: every one).
  });
});
