import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Config } from '../config/index.js';
import { openEventLog, type EventLog } from '../log/index.js';
import { TOPICS } from '../log/port.js';

/** Opens the configured event log (embedded SQLite by default) and makes sure samon's topics exist. */
export async function openConfiguredLog(
  config: Config,
): Promise<{ log: EventLog; describe: string }> {
  const { log: settings } = config;
  let log: EventLog;
  let describe: string;
  if (settings.kind === 'kafka' && settings.kafka) {
    const kafka = settings.kafka;
    log = await openEventLog({
      kind: 'kafka',
      brokers: kafka.brokers,
      clientId: kafka.clientId,
      partitions: kafka.partitions,
      replicationFactor: kafka.replicationFactor,
      ssl: kafka.ssl,
      ...(kafka.sasl ? { sasl: kafka.sasl } : {}),
    });
    describe = `kafka ${kafka.brokers.join(',')}`;
  } else {
    const { path, partitions } = settings.sqlite;
    mkdirSync(dirname(path), { recursive: true });
    log = await openEventLog({ kind: 'sqlite', path, partitions });
    describe = `sqlite ${path}`;
  }
  const partitions =
    settings.kind === 'kafka' ? settings.kafka?.partitions : settings.sqlite.partitions;
  await log.ensureTopic(TOPICS.observations, partitions);
  await log.ensureTopic(TOPICS.lifecycle, partitions);
  return { log, describe };
}
