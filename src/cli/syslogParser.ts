import type { Config } from '../config/index.js';
import { compileCatalogEntries } from '../junos/catalog/index.js';
import { createSyslogParser, resolveZone, type SyslogParser } from '../junos/syslog/index.js';
import { CliExit } from './exit.js';

/** The syslog parser the configuration asks for; operator catalog entries are checked at startup. */
export function syslogParserFromConfig(config: Config, origin: string): SyslogParser {
  const { entries, problems } = compileCatalogEntries(config.syslog.catalog);
  const all = problems.map((p) => `syslog.catalog.${p.path.join('.')}: ${p.message} (${origin})`);
  if (!resolveZone(config.syslog.timezone)) {
    all.push(
      `syslog.timezone: unknown time zone "${config.syslog.timezone}" (an IANA name or +HH:MM) (${origin})`,
    );
  }
  if (all.length)
    throw new CliExit(2, `samon: invalid configuration:\n${all.map((p) => `  - ${p}`).join('\n')}`);
  return createSyslogParser({
    timezone: config.syslog.timezone,
    extraEntries: entries,
    ...(config.syslog.year !== undefined && { year: config.syslog.year }),
  });
}
