import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { stateRows } from '../../src/domain/sa/index.js';
import { openEventLog, type EventLogOptions } from '../../src/log/index.js';
import { Projector } from '../../src/project/projector.js';
import { saFold } from '../../src/project/saFold.js';
import { SqliteSnapshotStore } from '../../src/project/snapshotStore.js';
import { kafkaBrokers } from '../support/kafka.js';
import { syntheticFleet } from '../support/syntheticFleet.js';
import { caughtUp, lifecycle, observationRecords } from './support/projection.js';

const CHILD = join(import.meta.dirname, 'fixtures', 'projectorChild.js');
const PARTITIONS = 4;

function runChild(
  options: object,
  killAfterFolded?: number,
): Promise<{ done: boolean; folded: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, JSON.stringify(options)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let folded = 0;
    let done = false;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n')) {
        const m = /^folded (\d+)/.exec(line);
        if (m) folded = Number(m[1]);
        if (line === 'done') done = true;
      }
      if (killAfterFolded !== undefined && folded >= killAfterFolded && !done)
        child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve({ done, folded });
      else reject(new Error(`projector child exited ${code}: ${stderr}`));
    });
  });
}

async function crashAndCompare(logOptions: EventLogOptions, prefix: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'samon-crash-'));
  const observationsTopic = `${prefix}.observations.v1`;
  const refTopics = { observations: observationsTopic, lifecycle: `${prefix}.lifecycle-ref.v1` };
  const crashTopics = {
    observations: observationsTopic,
    lifecycle: `${prefix}.lifecycle-crash.v1`,
  };
  const log = await openEventLog(logOptions);
  try {
    for (const topic of [observationsTopic, refTopics.lifecycle, crashTopics.lifecycle])
      await log.ensureTopic(topic, PARTITIONS);
    const observations = syntheticFleet({ routers: 5, tunnelsPerRouter: 4, hours: 10, seed: 7 });
    await log.append(observationRecords(observationsTopic, observations));

    // The uninterrupted run.
    const refStore = new SqliteSnapshotStore(join(dir, 'ref.db'));
    const reference = new Projector(log, saFold(), refStore, pino({ level: 'silent' }), {
      groupId: `${prefix}-ref`,
      snapshotEveryRecords: 400,
      snapshotMinIntervalMs: 0,
      topics: refTopics,
    });
    await reference.start();
    await caughtUp(reference, 50);
    await reference.stop();
    const referenceRows = stateRows(reference.routers().map(([, s]) => s));
    refStore.close();
    const referenceEvents = await lifecycle(log, refTopics.lifecycle);
    expect(referenceEvents.length).toBeGreaterThan(100);
    const types = new Set(referenceEvents.map((e) => (JSON.parse(e) as { type: string }).type));
    for (const type of ['IpsecSaRekeyed', 'IpsecSaExpired', 'TunnelDown', 'NegotiationFailed'])
      expect(types).toContain(type);

    // The same log, a projector killed with SIGKILL mid-stream, then restarted.
    const childOptions = {
      log: logOptions,
      snapshotPath: join(dir, 'crash.db'),
      groupId: `${prefix}-crash`,
      topics: crashTopics,
      rowsOut: join(dir, 'rows.json'),
      snapshotEveryRecords: 400,
      appendDelayMs: 25,
    };
    const first = await runChild(childOptions, Math.floor(observations.length / 3));
    expect(first.done).toBe(false);
    expect(first.folded).toBeGreaterThan(0);
    expect(first.folded).toBeLessThan(observations.length);
    const second = await runChild({ ...childOptions, appendDelayMs: 0 });
    expect(second.done).toBe(true);

    const crashEvents = await lifecycle(log, crashTopics.lifecycle);
    expect(crashEvents.length).toBe(referenceEvents.length);
    expect(crashEvents).toEqual(referenceEvents);
    expect(JSON.parse(readFileSync(childOptions.rowsOut, 'utf8'))).toEqual(
      JSON.parse(JSON.stringify(referenceRows)),
    );
  } finally {
    await log.close();
  }
}

describe('projector killed with SIGKILL mid-stream resumes to the same result', () => {
  it('on the embedded log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'samon-crash-log-'));
    await crashAndCompare(
      { kind: 'sqlite', path: join(dir, 'samon.db'), partitions: PARTITIONS },
      'crash',
    );
  }, 180_000);

  const brokers = kafkaBrokers();
  it.skipIf(!brokers)(
    'on Kafka',
    async () => {
      const prefix = `crash-${process.pid}-${Date.now()}`;
      await crashAndCompare(
        { kind: 'kafka', brokers: brokers ?? [], partitions: PARTITIONS },
        prefix,
      );
    },
    300_000,
  );
});
