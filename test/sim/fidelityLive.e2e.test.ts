import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '../../src/domain/lifecycle.js';
import { openEventLog } from '../../src/log/index.js';
import { TOPICS } from '../../src/log/port.js';
import { SCENARIOS } from '../../src/sim/index.js';
import { describeKafka } from '../support/kafka.js';
import type { RunningSamon } from '../support/samonProcess.js';
import { liveFidelity, type LiveRun } from './live.js';

// The simulator → syslog over UDP and TCP → a running `samon run` (embedded log, then Kafka)
// with the routers' configurations imported and rewritten when a scenario commits a change →
// each tunnel's timeline from the API, against the ground truth: every event samon can date from
// its lines, for every scenario, none missing and none extra. Fleets share one samon, one
// sending over UDP, another over TCP (host-name and address prefixes keep them apart).

const running: RunningSamon[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop('SIGKILL')));
});

/** Every scenario in one fleet; 16 routers give each scenario two tunnels or more. */
const FLEET = ['--routers', '16', '--scenario', SCENARIOS.join(','), '--seed', '8'];
/** Three virtual hours in 15 s. */
const LIVE = { fleet: FLEET, duration: '3h', speed: 720 };

function expectExact(run: LiveRun): void {
  for (const r of run.results) {
    const c = r.comparison;
    expect({ fleet: r.fleet, missing: c.missing.slice(0, 3), extra: c.extra.slice(0, 3) }).toEqual({
      fleet: r.fleet,
      missing: [],
      extra: [],
    });
    expect(c.matched).toBe(r.truth);
    expect(r.truth).toBeGreaterThan(1000);
    expect(r.scenarios).toEqual(new Set(SCENARIOS));
  }
}

describe('simulator → UDP and TCP → samon run on the embedded log', () => {
  // One samon, three fleets at once: over UDP and over TCP without loss, and over UDP with 5 %
  // of the datagrams lost.
  let run: LiveRun | undefined;
  beforeAll(async () => {
    run = await liveFidelity({
      ...LIVE,
      fleets: [
        { prefix: 'u-', addresses: '10.71', transport: 'udp' },
        { prefix: 't-', addresses: '10.72', transport: 'tcp' },
        { prefix: 'l-', addresses: '10.73', transport: 'udp', loss: 0.05 },
      ],
    });
  }, 60_000);
  afterAll(async () => {
    if (run) expect(await run.samon.stop()).toBe(0);
  });

  it('every timeline holds every dated event of the truth, and nothing else', () => {
    expectExact({ ...run!, results: run!.results.filter((r) => r.fleet.loss === undefined) });
  });

  it('with 5 % of the UDP datagrams lost: recall and precision stay above their floors', () => {
    const c = run!.results.find((r) => r.fleet.loss !== undefined)!.comparison;
    const recall = c.matched / (c.matched + c.missing.length);
    const precision = c.matched / (c.matched + c.extra.length);
    console.log(
      `live, UDP, 5 % loss: recall ${recall.toFixed(3)}, precision ${precision.toFixed(3)} (${c.matched} matched, ${c.missing.length} missing, ${c.extra.length} extra)`,
    );
    // Loss hides events: the comparison must notice, and stay above the measured floors.
    expect(c.missing.length).toBeGreaterThan(0);
    expect(recall).toBeGreaterThan(RECALL_FLOOR);
    expect(precision).toBeGreaterThan(PRECISION_FLOOR);
  });
});

/** Measured: see docs/simulator.md ("Live"); the floors leave room for seeds and timing. */
const RECALL_FLOOR = 0.9;
const PRECISION_FLOOR = 0.95;

/**
 * samon's lifecycle events as it appended them to Kafka, read once from the run's start (each
 * API timeline read on Kafka joins a consumer group of its own: about 1.5 s a tunnel).
 */
async function lifecycleFromKafka(
  brokers: string[],
  tunnels: readonly string[],
  fromMs: number,
): Promise<LifecycleEvent[]> {
  const log = await openEventLog({ kind: 'kafka', brokers, logLevel: 'error' });
  try {
    const wanted = new Set(tunnels);
    const partitions = await log.partitions(TOPICS.lifecycle);
    const read = await Promise.all(
      partitions.map(async ({ partition }) => {
        const found: LifecycleEvent[] = [];
        for await (const record of log.read(TOPICS.lifecycle, {
          partition,
          from: { timestamp: fromMs },
        })) {
          if (wanted.has(record.key))
            found.push(JSON.parse(record.value.toString('utf8')) as LifecycleEvent);
        }
        return found;
      }),
    );
    return read.flat();
  } finally {
    await log.close();
  }
}

describeKafka('simulator → UDP and TCP → samon run on Kafka', (brokers) => {
  it('every timeline holds every dated event of the truth, and nothing else', async () => {
    // The broker is shared and the projector reads its topic from the beginning: host names,
    // addresses and the consumer group of this run only.
    const tag = randomUUID().slice(0, 6);
    const block = 100 + (parseInt(tag, 16) % 150);
    const run = await liveFidelity({
      ...LIVE,
      env: {
        SAMON_LOG__KIND: 'kafka',
        SAMON_LOG__KAFKA__BROKERS: brokers.join(','),
        SAMON_PROJECTION__GROUP_ID: `samon-fidelity-${tag}`,
      },
      settleMs: 30_000,
      readEvents: (tunnels, fromMs) => lifecycleFromKafka(brokers, tunnels, fromMs),
      fleets: [
        { prefix: `u${tag}-`, addresses: `172.${block}`, transport: 'udp' },
        { prefix: `t${tag}-`, addresses: `10.${block}`, transport: 'tcp' },
      ],
    });
    running.push(run.samon);
    expectExact(run);
    expect(await run.samon.stop()).toBe(0);
  }, 120_000);
});
