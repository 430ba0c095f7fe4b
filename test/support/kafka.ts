import { describe } from 'vitest';

/**
 * The broker for tests that need Kafka: `KAFKA_BROKERS` (comma-separated, e.g. 127.0.0.1:9092,
 * started by `scripts/kafka.sh start`). Unset outside CI: the suite is skipped with a visible
 * message. Unset in CI (CI=true): a failure, never a silent skip.
 */
export function kafkaBrokers(): string[] | undefined {
  const value = process.env.KAFKA_BROKERS?.trim();
  if (value)
    return value
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean);
  if (process.env.CI === 'true') {
    throw new Error(
      'KAFKA_BROKERS is not set but CI=true: the Kafka tests must run against a real broker. ' +
        'Start one with `scripts/kafka.sh start` and export KAFKA_BROKERS=127.0.0.1:9092.',
    );
  }
  return undefined;
}

/** `describe` for suites that need a real broker; skipped (with a message) only outside CI. */
export function describeKafka(name: string, body: (brokers: string[]) => void): void {
  const brokers = kafkaBrokers();
  if (!brokers) {
    console.warn(
      `[skip] ${name}: KAFKA_BROKERS is not set (run scripts/kafka.sh start). CI fails instead of skipping.`,
    );
    describe.skip(name, () => body([]));
    return;
  }
  describe(name, () => body(brokers));
}
