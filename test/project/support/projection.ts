import type { Observation } from '../../../src/domain/index.js';
import type { AppendRecord, EventLog } from '../../../src/log/port.js';
import type { Projector } from '../../../src/project/projector.js';

/** Resolves once the projector has partitions and no record left to fold. */
export async function caughtUp(projector: Projector<unknown>, pollMs = 20): Promise<void> {
  const polls = Math.ceil(60_000 / pollMs);
  for (let i = 0; i < polls; i++) {
    const lag = await projector.lag();
    if (lag.partitions > 0 && lag.records === 0) return;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error('projector did not catch up within 60 s');
}

/** Every record of a topic, as text, sorted: two lifecycle logs compare with toEqual. */
export async function lifecycle(log: EventLog, topic: string): Promise<string[]> {
  const out: string[] = [];
  for (const { partition } of await log.partitions(topic)) {
    for await (const r of log.read(topic, { partition, from: 'beginning' }))
      out.push(r.value.toString('utf8'));
  }
  return out.sort();
}

/** Observations as the collector appends them: keyed by router, stamped with their time. */
export function observationRecords(
  topic: string,
  observations: readonly Observation[],
): AppendRecord[] {
  return observations.map((o) => ({
    topic,
    key: o.router,
    value: Buffer.from(JSON.stringify(o)),
    timestamp: Date.parse(o.time),
  }));
}
