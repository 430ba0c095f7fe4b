import { pino, type Logger, type LevelWithSilent } from 'pino';
import pretty from 'pino-pretty';

/** Credential paths pino censors (exported for the tests that prove it). */
export const REDACT = {
  paths: [
    '*.password',
    '*.community',
    '*.authKey',
    '*.privKey',
    '*.preSharedKey',
    '*.sasl.password',
    // SNMP credentials deeper in a logged configuration.
    'snmp.targets[*].community',
    'snmp.targets[*].authKey',
    'snmp.targets[*].privKey',
    'snmp.traps.communities',
    'snmp.traps.users[*].authKey',
    'snmp.traps.users[*].privKey',
    '*.snmp.targets[*].community',
    '*.snmp.targets[*].authKey',
    '*.snmp.targets[*].privKey',
    '*.snmp.traps.communities',
    '*.snmp.traps.users[*].authKey',
    '*.snmp.traps.users[*].privKey',
    'targets[*].community',
    'targets[*].authKey',
    'targets[*].privKey',
    'traps.communities',
    'traps.users[*].authKey',
    'traps.users[*].privKey',
  ],
  censor: '[redacted]',
};

/**
 * JSON lines on stdout for machines; readable lines when a person watches a terminal.
 * Secrets never reach a log: the config's credentials are redacted by path.
 */
export function createLogger(level: LevelWithSilent, options: { pretty?: boolean } = {}): Logger {
  const redact = REDACT;
  const usePretty = options.pretty ?? process.stdout.isTTY === true;
  if (usePretty) {
    return pino(
      { level, redact },
      pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }),
    );
  }
  return pino({ level, redact });
}

export type { Logger };
