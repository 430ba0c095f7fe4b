import { ConfigError, loadConfig, type Config } from '../config/index.js';
import { compileCatalogEntries, type CompiledEntry } from '../junos/catalog/index.js';
import { createSyslogParser, resolveZone, type SyslogParser } from '../junos/syslog/index.js';
import { CliExit } from './exit.js';

/** What the syslog parser takes from the configuration: operator catalog entries, year, zone. */
export interface SyslogSettings {
  readonly entries: CompiledEntry[];
  readonly timezone: string;
  readonly year?: number;
}

/** Checks the configuration's syslog section; ends the CLI with status 2 listing every problem. */
export function syslogSettings(config: Config, origin: string): SyslogSettings {
  const { entries, problems } = compileCatalogEntries(config.syslog.catalog);
  const all = problems.map((p) => `syslog.catalog.${p.path.join('.')}: ${p.message} (${origin})`);
  if (!resolveZone(config.syslog.timezone)) {
    all.push(
      `syslog.timezone: unknown time zone "${config.syslog.timezone}" (an IANA name or +HH:MM) (${origin})`,
    );
  }
  if (all.length)
    throw new CliExit(2, `samon: invalid configuration:\n${all.map((p) => `  - ${p}`).join('\n')}`);
  return {
    entries,
    timezone: config.syslog.timezone,
    ...(config.syslog.year !== undefined && { year: config.syslog.year }),
  };
}

/** Loads a `--config FILE` for the offline commands (parse, replay); exit 2 on any problem. */
export function loadOfflineConfig(file: string): Config {
  try {
    return loadConfig({ file }).config;
  } catch (error) {
    if (error instanceof ConfigError) throw new CliExit(2, `samon: ${error.message}`);
    throw error;
  }
}

/** The syslog parser the configuration asks for; operator catalog entries are checked at startup. */
export function syslogParserFromConfig(config: Config, origin: string): SyslogParser {
  const { entries, timezone, year } = syslogSettings(config, origin);
  return createSyslogParser({
    timezone,
    extraEntries: entries,
    ...(year !== undefined && { year }),
  });
}
