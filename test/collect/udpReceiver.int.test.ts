import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyslogIngest } from '../../src/collect/syslog/ingest.js';
import { UdpSyslogListener } from '../../src/collect/syslog/udp.js';

// The UDP receive thread (src/collect/syslog/udpReceiver.ts): datagrams come over in batches,
// trimmed, with their sender and receive time; one that dies is logged at error and started
// again on the same port. (Drops while the log is held: backpressure.int.test.ts.)

const DYING = new URL('./fixtures/dyingUdpReceiver.js', import.meta.url);

function fakeIngest() {
  const got: { line: string; sender: string; truncated: boolean; ms: number | undefined }[] = [];
  const ingest = {
    datagram: (line: Uint8Array, sender: string, truncated: boolean, ms?: number) =>
      got.push({ line: Buffer.from(line).toString(), sender, truncated, ms }),
    datagramsDropped: () => {},
  } as unknown as SyslogIngest;
  return { ingest, got };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(check()).toBe(true);
}

describe('UDP receive thread', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'samon-udp-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const send = async (port: number, text: string) => {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) =>
      socket.send(text, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
    );
    socket.close();
  };

  it('hands over each datagram trimmed and cut, with sender and receive time', async () => {
    const { ingest, got } = fakeIngest();
    const listener = new UdpSyslogListener(ingest, pino({ level: 'silent' }), 480);
    const { port } = await listener.listen('127.0.0.1', 0);
    try {
      const before = Date.now();
      await send(port, 'first line\r\n\0');
      await send(port, 'x'.repeat(600));
      await until(() => got.length === 2);
      expect(got.map((g) => [g.line.length, g.sender, g.truncated])).toEqual([
        [10, '127.0.0.1', false],
        [480, '127.0.0.1', true],
      ]);
      expect(got[0]!.line).toBe('first line');
      expect(got[0]!.ms).toBeGreaterThanOrEqual(before);
      expect(got[0]!.ms).toBeLessThanOrEqual(Date.now());
    } finally {
      await listener.close();
    }
  });

  it('logs a receive thread that dies and starts it again on the same port', async () => {
    const { ingest, got } = fakeIngest();
    const logged: { level: number; msg: string }[] = [];
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => logged.push(JSON.parse(line) as { level: number; msg: string }) },
    );
    const listener = new UdpSyslogListener(ingest, logger, 480, DYING, {
      marker: join(dir, 'died'),
    });
    const restarted = () => logged.some((l) => /stopped; starting it again/.test(l.msg));
    const { port } = await listener.listen('127.0.0.1', 0);
    try {
      await send(port, 'before');
      await until(() => got.length === 1);
      await until(restarted);
      expect(logged.find((l) => /stopped; starting it again/.test(l.msg))!.level).toBe(50);
      await until(() => {
        void send(port, 'after');
        return got.some((g) => g.line === 'after');
      });
    } finally {
      await listener.close();
    }
  });
});
