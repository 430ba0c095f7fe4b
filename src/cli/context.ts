import type { Command } from 'commander';
import { ConfigError, loadConfig, type LoadedConfig } from '../config/index.js';
import { CliExit } from './exit.js';
import { createLogger, type Logger } from './logger.js';

/** Options every service command takes. */
export function withServiceOptions(command: Command): Command {
  return command
    .option(
      '-c, --config <file>',
      'YAML configuration file (env: SAMON_CONFIG); SAMON_* variables override it',
    )
    .option(
      '--log-level <level>',
      'fatal|error|warn|info|debug|trace|silent (overrides logging.level)',
    );
}

export interface ServiceContext {
  readonly loaded: LoadedConfig;
  readonly logger: Logger;
}

/** Loads the configuration or ends the CLI with status 2 and every problem listed. */
export function loadServiceContext(options: {
  config?: string;
  logLevel?: string;
}): ServiceContext {
  let loaded: LoadedConfig;
  try {
    loaded = loadConfig({ file: options.config ?? process.env.SAMON_CONFIG });
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new CliExit(
        2,
        `samon: ${error.message}\nFix the file or the SAMON_* variables; see docs/configuration.md.`,
      );
    }
    throw error;
  }
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
  const requested = options.logLevel ?? loaded.config.logging.level;
  const level = levels.find((l) => l === requested);
  if (!level)
    throw new CliExit(
      2,
      `samon: --log-level must be one of ${levels.join(', ')}, not "${requested}"`,
    );
  return { loaded, logger: createLogger(level) };
}

/** Resolves on the first SIGINT or SIGTERM. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
