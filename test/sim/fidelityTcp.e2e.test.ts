import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '../../src/domain/lifecycle.js';
import { compareLifecycle } from '../../src/sim/index.js';
import { SAMON_BIN, samonEnv, startSamon, type RunningSamon } from '../support/samonProcess.js';

// The simulator → TCP syslog → a running samon (embedded log, the routers' configurations
// imported) → each tunnel's timeline from the API, against the ground truth. Only logged events
// are compared: the inferred ones depend on when samon's clock passes the deadlines.

const running: RunningSamon[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop('SIGKILL')));
});

const LOGGED = [
  'TunnelUp',
  'IkeSaEstablished',
  'IkeSaRekeyed',
  'IpsecSaEstablished',
  'IpsecSaRekeyed',
  'NegotiationFailed',
  'CertificateCheckFailed',
];

describe('simulator → TCP → samon run', () => {
  it('the timelines samon serves hold every logged event of the truth, and nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'samon-simfid-'));
    const fleet = [
      '--routers',
      '5',
      '--scenario',
      'steady,auth-failure,crl-fail-open,responder-rekey',
      '--seed',
      '8',
    ];
    // The fleet (and so its configurations) depends on these options only, not on time.
    const configs = spawnSync(
      process.execPath,
      [
        SAMON_BIN,
        'simulate',
        ...fleet,
        '--duration',
        '1',
        '--speed',
        '0',
        '--syslog',
        join(dir, 'x.log'),
        '--write-configs',
        join(dir, 'conf'),
      ],
      { encoding: 'utf8' },
    );
    expect(configs.status).toBe(0);
    const files = readdirSync(join(dir, 'conf')).map((f) => `    - path: ${join(dir, 'conf', f)}`);
    writeFileSync(join(dir, 'samon.yaml'), `junos:\n  files:\n${files.join('\n')}\n`);
    const s = await startSamon(['run', '--config', join(dir, 'samon.yaml')], samonEnv(dir));
    running.push(s);
    const truthFile = join(dir, 'truth');
    // Virtual time runs ahead of samon's clock (2 h in about 12 s), never behind it: a live samon
    // fires deadlines by its own clock, so history older than now would look expired.
    const start = new Date().toISOString();
    const sim = spawnSync(
      process.execPath,
      [
        SAMON_BIN,
        'simulate',
        ...fleet,
        '--duration',
        '2h',
        '--speed',
        '600',
        '--start',
        start,
        '--syslog',
        `tcp://127.0.0.1:${s.tcp}`,
        '--truth',
        truthFile,
      ],
      { encoding: 'utf8' },
    );
    expect(sim.stderr).toContain('sent');
    expect(sim.status).toBe(0);
    const [, ...events] = readFileSync(truthFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as LifecycleEvent);
    const truth = events.filter((e) => LOGGED.includes(e.type));
    const tunnels = [...new Set(truth.map((e) => e.tunnel!))].sort();
    expect(tunnels.length).toBeGreaterThan(4);
    const fetchAll = async () => {
      const all: LifecycleEvent[] = [];
      for (const id of tunnels) {
        const res = await fetch(`${s.http}/api/tunnels/${encodeURIComponent(id)}/timeline`);
        if (res.status === 200) all.push(...((await res.json()) as LifecycleEvent[]));
      }
      return all;
    };
    let c = compareLifecycle(truth, [], { types: LOGGED, toleranceMs: 1000 });
    for (let i = 0; i < 100; i++) {
      c = compareLifecycle(truth, await fetchAll(), { types: LOGGED, toleranceMs: 1000 });
      if (c.missing.length === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect({ missing: c.missing.slice(0, 3), extra: c.extra.slice(0, 3) }).toEqual({
      missing: [],
      extra: [],
    });
    expect(c.matched).toBe(truth.length);
    expect(await s.stop()).toBe(0);
  });
});
