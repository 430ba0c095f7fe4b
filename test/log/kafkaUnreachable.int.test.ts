import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { openEventLog } from '../../src/log/index.js';

// No broker needed: a port nobody listens on.
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('Kafka event log without a broker', () => {
  it('fails to open with a LogUnavailableError that names the brokers and the setting', async () => {
    const broker = `127.0.0.1:${await closedPort()}`;
    const error = await openEventLog({
      kind: 'kafka',
      brokers: [broker],
      retries: 0,
      connectionTimeoutMs: 1_000,
      logLevel: 'nothing',
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: 'LogUnavailableError', code: 'log-unavailable' });
    expect((error as Error).message).toContain(broker);
    expect((error as Error).message).toContain('kafka.brokers');
  });
});
