import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCollector, type RunningCollector } from '../../src/collect/collector.js';
import type { SyslogIngest } from '../../src/collect/syslog/ingest.js';
import {
  MainThreadUdpListener,
  UdpSyslogListener,
  udpListener,
} from '../../src/collect/syslog/udp.js';
import { Config } from '../../src/config/index.js';
import { Observation } from '../../src/domain/index.js';
import { createSyslogParser } from '../../src/junos/syslog/index.js';
import { openEventLog } from '../../src/log/index.js';
import { TOPICS, type EventLog } from '../../src/log/port.js';
import { startRsyslogRelay } from '../support/rsyslog.js';
import { selfSignedCert } from '../support/tls.js';

const quiet = pino({ level: 'silent' });

function kmdLine(router: string, n: number): string {
  const spi = (0x10000000 + n).toString(16);
  return `<30>Nov 27 10:00:${String(n % 60).padStart(2, '0')} ${router} kmd[1555]: KMD_PM_SA_ESTABLISHED: Local gateway: 192.0.2.1, Remote gateway: 198.51.100.${n % 250}, Local ID: ipv4_subnet(any:0,[0..7]=10.0.0.0/24), Remote ID: ipv4_subnet(any:0,[0..7]=10.1.0.0/24), Direction: inbound, SPI: 0x${spi}, AUX-SPI: 0, Mode: Tunnel, Type: dynamic, Traffic-selector:  FC Name: `;
}

async function allObservations(log: EventLog): Promise<Observation[]> {
  const out: Observation[] = [];
  for (const { partition } of await log.partitions(TOPICS.observations)) {
    for await (const record of log.read(TOPICS.observations, { partition, from: 'beginning' })) {
      out.push(Observation.parse(JSON.parse(record.value.toString('utf8'))));
    }
  }
  return out;
}

async function until(
  condition: () => Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const syslogLines = (observations: Observation[]) =>
  observations.filter((o) => o.source === 'syslog').map((o) => o.raw);

function portOf(collector: RunningCollector, transport: string): number {
  const url = collector.listening.find((l) => l.startsWith(`${transport}://`));
  if (!url) throw new Error(`${transport} listener not running`);
  return Number(url.split(':').pop());
}

describe('syslog listeners over real sockets into the embedded log', () => {
  let dir: string;
  let log: EventLog;
  let collector: RunningCollector;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'samon-listen-'));
    const { cert, key } = selfSignedCert(dir);
    log = await openEventLog({ kind: 'sqlite', path: join(dir, 'samon.db') });
    await log.ensureTopic(TOPICS.observations, 4);
    const config = Config.parse({
      syslog: {
        udp: { port: 0 },
        tcp: { port: 0 },
        tls: { enabled: true, port: 0, cert, key },
      },
      projection: { clockIntervalSeconds: 3600 },
    });
    collector = await startCollector({
      config,
      log,
      logger: quiet,
      registry: new Registry(),
      parse: createSyslogParser({ year: 2026 }),
    });
  });

  afterEach(async () => {
    await collector.close();
    await log.close();
  });

  it('takes UDP datagrams, one message each, with sender and receive time', async () => {
    const socket = createSocket('udp4');
    const port = portOf(collector, 'udp');
    const lines = Array.from({ length: 50 }, (_, i) => kmdLine('srx-udp', i));
    for (const line of lines) {
      await new Promise<void>((resolve, reject) =>
        socket.send(`${line}\n`, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
      );
    }
    socket.close();
    await until(async () => syslogLines(await allObservations(log)).length === 50, '50 UDP lines');
    const observations = await allObservations(log);
    expect(new Set(syslogLines(observations))).toEqual(new Set(lines));
    for (const o of observations) {
      expect(o.sender).toBe('127.0.0.1');
      expect(o.receivedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(o.router).toBe('srx-udp');
      expect(o.kind).toBe('ipsec-sa-established');
    }
  });

  it('takes TCP in both framings over several connections, in order per connection', async () => {
    const port = portOf(collector, 'tcp');
    const send = (payload: string) =>
      new Promise<void>((resolve, reject) => {
        const socket = tcpConnect(port, '127.0.0.1', () => socket.end(payload));
        socket.on('close', () => resolve());
        socket.on('error', reject);
      });
    const lf = Array.from({ length: 200 }, (_, i) => kmdLine('srx-lf', i));
    const counted = Array.from({ length: 200 }, (_, i) => kmdLine('srx-oc', i));
    await Promise.all([
      send(lf.map((l) => `${l}\n`).join('')),
      send(counted.map((l) => `${Buffer.byteLength(l)} ${l}`).join('')),
    ]);
    await until(
      async () => syslogLines(await allObservations(log)).length === 400,
      '400 TCP lines',
    );
    const observations = await allObservations(log);
    expect(observations.filter((o) => o.router === 'srx-lf').map((o) => o.raw)).toEqual(lf);
    expect(observations.filter((o) => o.router === 'srx-oc').map((o) => o.raw)).toEqual(counted);
  });

  it('takes TLS (RFC 5425, octet-counted)', async () => {
    const port = portOf(collector, 'tls');
    const lines = Array.from({ length: 20 }, (_, i) => kmdLine('srx-tls', i));
    await new Promise<void>((resolve, reject) => {
      const socket = tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false }, () =>
        socket.end(lines.map((l) => `${Buffer.byteLength(l)} ${l}`).join('')),
      );
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    await until(async () => syslogLines(await allObservations(log)).length === 20, '20 TLS lines');
    expect(syslogLines(await allObservations(log))).toEqual(lines);
  });

  it('receives through a real rsyslog relay forwarding over TCP', async () => {
    const relay = await startRsyslogRelay({ host: '127.0.0.1', port: portOf(collector, 'tcp') });
    try {
      const lines = Array.from({ length: 30 }, (_, i) => kmdLine('srx-relayed', i));
      await new Promise<void>((resolve, reject) => {
        const socket = tcpConnect(relay.inputPort, '127.0.0.1', () =>
          socket.end(lines.map((l) => `${l}\n`).join('')),
        );
        socket.on('close', () => resolve());
        socket.on('error', reject);
      });
      await until(
        async () => syslogLines(await allObservations(log)).length === 30,
        '30 relayed lines',
      );
      const observations = (await allObservations(log)).filter((o) => o.source === 'syslog');
      expect(observations.every((o) => o.router === 'srx-relayed')).toBe(true);
      expect(observations.every((o) => o.kind === 'ipsec-sa-established')).toBe(true);
      // The relay rewrites the envelope (RFC 5424) but the message must survive intact.
      const spis = observations.map((o) => (o.kind === 'ipsec-sa-established' ? o.data.spi : ''));
      expect(spis).toEqual(lines.map((_, i) => `0x${(0x10000000 + i).toString(16)}`));
    } finally {
      await relay.stop();
    }
  });

  it('counts and keeps truncated messages instead of dropping them', async () => {
    await collector.close();
    const config = Config.parse({
      syslog: { udp: { enabled: false }, tcp: { port: 0 }, maxMessageBytes: 480 },
      projection: { clockIntervalSeconds: 3600 },
    });
    const registry = new Registry();
    collector = await startCollector({
      config,
      log,
      logger: quiet,
      registry,
      parse: createSyslogParser({ year: 2026 }),
    });
    const long = `${kmdLine('srx-long', 1)}${'x'.repeat(2000)}`;
    await new Promise<void>((resolve, reject) => {
      const socket = tcpConnect(portOf(collector, 'tcp'), '127.0.0.1', () =>
        socket.end(`${long}\nshort line\n`),
      );
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    await until(async () => syslogLines(await allObservations(log)).length === 2, '2 lines');
    const raws = syslogLines(await allObservations(log)).sort((a, b) => b.length - a.length);
    expect(raws).toEqual([long.slice(0, 480), 'short line']);
    expect(
      await registry.getSingleMetricAsString('samon_syslog_messages_truncated_total'),
    ).toContain('transport="tcp"} 1');
  });
});

describe('syslog.udp.receiveThread', () => {
  it('defaults to a receive thread; false reads the socket on the collector thread', () => {
    const parsed = (udp: object) => Config.parse({ syslog: { udp } }).syslog.udp.receiveThread;
    expect(parsed({})).toBe(true);
    expect(parsed({ receiveThread: false })).toBe(false);
    expect(() => parsed({ receiveThread: 'no' })).toThrow();
    const ingest = {} as SyslogIngest;
    expect(udpListener(ingest, quiet, 480, true)).toBeInstanceOf(UdpSyslogListener);
    expect(udpListener(ingest, quiet, 480, false)).toBeInstanceOf(MainThreadUdpListener);
  });

  for (const receiveThread of [true, false]) {
    it(`${receiveThread}: takes UDP datagrams trimmed and cut, in order, drops none`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'samon-udp-thread-'));
      const log = await openEventLog({ kind: 'sqlite', path: join(dir, 'samon.db') });
      await log.ensureTopic(TOPICS.observations, 4);
      const registry = new Registry();
      const collector = await startCollector({
        config: Config.parse({
          syslog: {
            udp: { port: 0, receiveThread },
            tcp: { enabled: false },
            maxMessageBytes: 480,
          },
          projection: { clockIntervalSeconds: 3600 },
        }),
        log,
        logger: quiet,
        registry,
        parse: createSyslogParser({ year: 2026 }),
      });
      try {
        const socket = createSocket('udp4');
        const port = portOf(collector, 'udp');
        // Every tenth longer than maxMessageBytes: cut there (and counted).
        const lines = Array.from(
          { length: 50 },
          (_, i) => kmdLine('srx-udp', i) + (i % 10 === 0 ? 'x'.repeat(200) : ''),
        );
        for (const line of lines) {
          await new Promise<void>((resolve, reject) =>
            socket.send(`${line}\r\n`, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
          );
        }
        socket.close();
        await until(
          async () => syslogLines(await allObservations(log)).length === 50,
          '50 UDP lines',
        );
        const observations = await allObservations(log);
        // One router, one partition: in the order sent (over loopback, nothing reorders).
        expect(syslogLines(observations)).toEqual(lines.map((l) => l.slice(0, 480)));
        expect(observations.every((o) => o.sender === '127.0.0.1')).toBe(true);
        const counter = async (name: string) =>
          (await registry.getSingleMetric(name)!.get()).values.reduce((s, v) => s + v.value, 0);
        expect(await counter('samon_syslog_udp_dropped_total')).toBe(0);
        expect(await counter('samon_syslog_messages_truncated_total')).toBe(5);
      } finally {
        await collector.close();
        await log.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
