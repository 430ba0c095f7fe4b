import type { Command } from 'commander';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { startCollector } from '../../collect/collector.js';
import { registerHealthRoutes } from '../../serve/health.js';
import { HttpServer } from '../../serve/http.js';
import { loadServiceContext, untilSignal, withServiceOptions } from '../context.js';
import { openConfiguredLog } from '../openLog.js';
import { syslogParserFromConfig } from '../syslogParser.js';

/** `samon run`: every role in one process on the configured log (embedded SQLite by default). */
export function registerRunCommand(program: Command): void {
  withServiceOptions(
    program
      .command('run')
      .description(
        'run samon: all roles in one process, on the embedded log unless Kafka is configured',
      ),
  ).action(async (options: { config?: string; logLevel?: string }) => {
    const { loaded, logger } = loadServiceContext(options);
    const { config } = loaded;
    const parse = syslogParserFromConfig(config, loaded.sources.join(' + '));
    logger.info({ sources: loaded.sources }, 'configuration loaded');

    const { log, describe } = await openConfiguredLog(config);
    logger.info({ log: describe }, 'event log open');

    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const collector = await startCollector({ config, log, logger, registry, parse });
    const http = new HttpServer(logger.child({ component: 'http' }));
    registerHealthRoutes(http, {
      registry,
      readiness: { check: () => ({ ready: true, reason: 'log open' }) },
    });
    const address = await http.listen(config.http.host, config.http.port);
    const url = `http://${address.address}:${address.port}`;
    logger.info(
      { url, syslog: collector.listening, log: describe },
      `samon is running: syslog on ${collector.listening.join(', ')}; metrics at ${url}/metrics; log ${describe}. Ctrl-C stops it.`,
    );

    const signal = await untilSignal();
    logger.info({ signal }, 'stopping');
    await collector.close();
    await http.close();
    await log.close();
    logger.info('stopped cleanly');
  });
}
