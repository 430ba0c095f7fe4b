import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from '../config/index.js';
import type { EventLog } from '../log/port.js';
import { LogAppender, type AppenderOptions } from './appender.js';
import { ClockTicker } from './clock.js';
import { CollectMetrics } from './metrics.js';
import { snmpEnabled, startSnmp, type RunningSnmp } from './snmp/index.js';
import { SyslogIngest, type LineParser } from './syslog/ingest.js';
import { StreamSyslogListener } from './syslog/stream.js';
import { udpListener } from './syslog/udp.js';

export interface RunningCollector {
  /** Where each enabled listener listens, e.g. `udp://127.0.0.1:5514`. */
  readonly listening: readonly string[];
  readonly appender: LogAppender;
  readonly clock: ClockTicker;
  readonly metrics: CollectMetrics;
  /** The SNMP poller and trap receiver, when `snmp` configures targets or traps. */
  readonly snmp?: RunningSnmp;
  /** Stops listening, appends what is queued, stops the clock. */
  close(): Promise<void>;
}

/** Starts the syslog listeners and the clock on the given log (the collector role). */
export async function startCollector(deps: {
  config: Config;
  log: EventLog;
  logger: Logger;
  registry: Registry;
  parse: LineParser;
  now?: () => number;
  appender?: Partial<AppenderOptions>;
}): Promise<RunningCollector> {
  const { config, log, logger, registry, parse } = deps;
  const now = deps.now ?? Date.now;
  const metrics = new CollectMetrics(registry);
  const appender = new LogAppender(
    log,
    logger.child({ component: 'appender' }),
    {
      ...(log.appendBatch
        ? { maxBatch: log.appendBatch.maxRecords, maxBatchBytes: log.appendBatch.maxBytes }
        : {}),
      ...deps.appender,
    },
    {
      onAppended: (_count, seconds) => {
        metrics.appendDuration.observe(seconds);
        metrics.queued.set(appender.queued);
      },
      onAppendFailed: () => {
        metrics.appendFailures.inc();
        metrics.queued.set(appender.queued);
      },
    },
  );
  const clock = new ClockTicker(
    appender,
    metrics,
    config.projection.clockIntervalSeconds * 1000,
    now,
  );
  const ingest = new SyslogIngest(parse, appender, metrics, now, (router) => clock.know(router));
  const { syslog } = config;
  const listeners: { close(): Promise<void> }[] = [];
  const listening: string[] = [];
  let snmp: RunningSnmp | undefined;
  const slog = logger.child({ component: 'syslog' });
  try {
    if (syslog.udp.enabled) {
      const udp = udpListener(ingest, slog, syslog.maxMessageBytes, syslog.udp.receiveThread);
      listeners.push(udp);
      const a = await udp.listen(syslog.udp.host, syslog.udp.port);
      listening.push(`udp://${a.address}:${a.port}`);
    }
    if (syslog.tcp.enabled) {
      const tcp = new StreamSyslogListener('tcp', ingest, metrics, slog, syslog.maxMessageBytes);
      listeners.push(tcp);
      const a = await tcp.listen(syslog.tcp.host, syslog.tcp.port);
      listening.push(`tcp://${a.address}:${a.port}`);
    }
    if (syslog.tls.enabled) {
      const tls = new StreamSyslogListener(
        'tls',
        ingest,
        metrics,
        slog,
        syslog.maxMessageBytes,
        syslog.tls,
      );
      listeners.push(tls);
      const a = await tls.listen(syslog.tls.host, syslog.tls.port);
      listening.push(`tls://${a.address}:${a.port}`);
    }
    if (snmpEnabled(config.snmp)) {
      snmp = await startSnmp({
        config: config.snmp,
        appender,
        collectMetrics: metrics,
        registry,
        logger,
        now,
        onRouterSeen: (router) => clock.know(router),
      });
      listeners.push(snmp);
    }
  } catch (error) {
    await Promise.all(listeners.map((l) => l.close()));
    throw error;
  }
  clock.start();
  return {
    listening,
    appender,
    clock,
    metrics,
    ...(snmp ? { snmp } : {}),
    async close() {
      await Promise.all(listeners.map((l) => l.close()));
      clock.stop();
      await appender.close();
    },
  };
}
