import { pino, type Logger, type LevelWithSilent } from 'pino';
import pretty from 'pino-pretty';

/**
 * JSON lines on stdout for machines; readable lines when a person watches a terminal.
 * Secrets never reach a log: the config's credentials are redacted by path.
 */
export function createLogger(level: LevelWithSilent, options: { pretty?: boolean } = {}): Logger {
  const redact = {
    paths: [
      '*.password',
      '*.community',
      '*.authKey',
      '*.privKey',
      '*.preSharedKey',
      '*.sasl.password',
    ],
    censor: '[redacted]',
  };
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
