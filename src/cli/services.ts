import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { startCollector, type RunningCollector } from '../collect/collector.js';
import type { Config } from '../config/index.js';
import { registerApiRoutes } from '../serve/api.js';
import { registerHealthRoutes } from '../serve/health.js';
import { HttpServer } from '../serve/http.js';
import { loadServiceContext, untilSignal } from './context.js';
import type { Logger } from './logger.js';
import { openConfiguredLog } from './openLog.js';
import { reloadOnSighup, startJunosImports, type JunosImports } from './junosImport.js';
import { startProjection, type RunningProjection } from './projection.js';
import { syslogParserFromConfig } from './syslogParser.js';
import { packageVersion } from './version.js';

export type Role = 'collect' | 'project';

/** What runs beside the services (the demo's simulated fleet), once they listen. */
export interface RunningServices {
  readonly config: Config;
  readonly logger: Logger;
  readonly registry: Registry;
  /** `http://HOST:PORT` */
  readonly url: string;
  readonly collector?: RunningCollector;
  readonly projection?: RunningProjection;
}

export interface ServiceHooks {
  /** Changes the loaded configuration before anything starts. */
  readonly configure?: (config: Config) => Config;
  /** Time of the Junos configuration imports (default: now): the demo's routers booted earlier. */
  readonly importTime?: () => number;
  /** Starts something beside the services; what it returns is awaited first on the way out. */
  readonly started?: (running: RunningServices) => Promise<() => Promise<void>>;
}

/**
 * Runs the given roles until SIGINT/SIGTERM, then stops them in order (collectors first, so
 * what they received reaches the log; the projector last) and resolves — exit status 0.
 */
export async function runServices(
  roles: readonly Role[],
  options: { config?: string; logLevel?: string },
  hooks: ServiceHooks = {},
): Promise<void> {
  const { loaded, logger } = loadServiceContext(options);
  const config = hooks.configure ? hooks.configure(loaded.config) : loaded.config;
  const parse = roles.includes('collect')
    ? syslogParserFromConfig(config, loaded.sources.join(' + '))
    : undefined;
  logger.info({ sources: loaded.sources, roles }, 'configuration loaded');

  const { log, describe } = await openConfiguredLog(config);
  logger.info({ log: describe }, 'event log open');
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'samon_build_info',
    help: 'samon version.',
    labelNames: ['version'],
    registers: [registry],
  }).set({ version: packageVersion() }, 1);

  let collector: RunningCollector | undefined;
  let projection: RunningProjection | undefined;
  let junos: JunosImports | undefined;
  let stopReloadOnSighup: (() => void) | undefined;
  let stopBeside: (() => Promise<void>) | undefined;
  const http = new HttpServer(logger.child({ component: 'http' }));
  try {
    if (parse) collector = await startCollector({ config, log, logger, registry, parse });
    if (collector) {
      const junosLogger = logger.child({ component: 'junos-config' });
      junos = startJunosImports({
        files: config.junos.files,
        collector,
        logger: junosLogger,
        registry,
        ...(hooks.importTime ? { now: hooks.importTime } : {}),
      });
      stopReloadOnSighup = reloadOnSighup(junos, junosLogger);
      await junos.ready;
    } else {
      // Node's default for SIGHUP is to exit; an operator's reload habit must not stop a projector.
      const onHangup = () => logger.info('SIGHUP: nothing to reload in the projector role');
      process.on('SIGHUP', onHangup);
      stopReloadOnSighup = () => process.off('SIGHUP', onHangup);
    }
    if (roles.includes('project'))
      projection = await startProjection({ config, log, logger, registry });
    registerHealthRoutes(http, {
      registry,
      ...(projection ? { metrics: projection.metrics } : {}),
      readiness: projection?.readiness ?? {
        check: () => ({ ready: true, reason: 'collector running' }),
      },
    });
    if (projection) registerApiRoutes(http, projection.directory);
    const address = await http.listen(config.http.host, config.http.port);
    const url = `http://${address.address}:${address.port}`;
    const parts = [
      collector
        ? `syslog on ${collector.listening.join(', ') || '(no listener enabled)'}`
        : undefined,
      collector?.snmp
        ? `SNMP polling ${collector.snmp.targets} targets${collector.snmp.traps ? `, traps on ${collector.snmp.traps}` : ''}`
        : undefined,
      `metrics at ${url}/metrics`,
      projection ? `tunnels at ${url}/api/tunnels` : undefined,
      `log ${describe}`,
    ].filter(Boolean);
    logger.info(
      { url, roles, syslog: collector?.listening ?? [], log: describe },
      `samon is running: ${parts.join('; ')}. Ctrl-C stops it.`,
    );
    stopBeside = await hooks.started?.({
      config,
      logger,
      registry,
      url,
      ...(collector ? { collector } : {}),
      ...(projection ? { projection } : {}),
    });

    const failed = projection?.projector.done.then(
      () => undefined,
      (error: unknown) => error,
    );
    const outcome = await Promise.race([
      untilSignal().then((signal) => ({ signal })),
      failed?.then((error) => ({ error })) ?? new Promise<never>(() => {}),
    ]);
    if ('error' in outcome && outcome.error) {
      throw outcome.error instanceof Error
        ? outcome.error
        : new Error(JSON.stringify(outcome.error));
    }
    logger.info({ signal: 'signal' in outcome ? outcome.signal : undefined }, 'stopping');
  } finally {
    await stopBeside?.();
    stopReloadOnSighup?.();
    junos?.close();
    await collector?.close();
    await projection?.close();
    await http.close();
    await log.close();
    logger.info('stopped cleanly');
  }
}
