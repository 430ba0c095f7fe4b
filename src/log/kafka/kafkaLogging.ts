import { logLevel, type LogEntry, type logCreator } from 'kafkajs';

export type KafkaLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

export interface KafkaLogEntry {
  readonly level: Exclude<KafkaLogLevel, 'nothing'>;
  /** kafkajs component, e.g. Consumer, Runner, Producer. */
  readonly namespace: string;
  readonly message: string;
  readonly extra: Readonly<Record<string, unknown>>;
}

/** Where kafkajs log lines go; the composition root passes one that feeds pino. */
export type KafkaLogSink = (entry: KafkaLogEntry) => void;

const LEVELS: Record<KafkaLogLevel, logLevel> = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
};

// Demoted to debug:
// - the warning about bounded retries of the idempotent producer, bounded on purpose (an
//   append must fail, not hang, while the brokers are gone), printed at every producer creation;
// - a connection's "Response <Api>" errors: kafkajs logs every error answer at ERROR and then
//   throws it to its caller, which handles the expected ones (a rebalance under way, a topic
//   that already exists) and reports the others (a consumer crash, our typed errors).
function isExpected(namespace: string, level: logLevel, message: string): boolean {
  if (level === logLevel.WARN)
    return message.startsWith('Limiting retries for the idempotent producer');
  return level === logLevel.ERROR && namespace === 'Connection' && message.startsWith('Response ');
}

export function toKafkajsLevel(level: KafkaLogLevel): logLevel {
  return LEVELS[level];
}

/** One JSON line per entry on stderr: the default sink, at WARN and above. */
export const stderrSink: KafkaLogSink = (entry) => {
  process.stderr.write(
    `${JSON.stringify({ level: entry.level, component: `kafkajs.${entry.namespace}`, msg: entry.message, ...entry.extra })}\n`,
  );
};

export function createLogCreator(sink: KafkaLogSink, minLevel: KafkaLogLevel): logCreator {
  const threshold = LEVELS[minLevel];
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const {
        message,
        timestamp: _timestamp,
        logger: _logger,
        ...extra
      } = log as typeof log & {
        logger?: unknown;
      };
      const effective = isExpected(namespace, level, message) ? logLevel.DEBUG : level;
      const name = levelName(effective);
      if (!name || effective > threshold) return;
      sink({ level: name, namespace, message, extra });
    };
}

function levelName(level: logLevel): KafkaLogEntry['level'] | undefined {
  switch (level) {
    case logLevel.ERROR:
      return 'error';
    case logLevel.WARN:
      return 'warn';
    case logLevel.INFO:
      return 'info';
    case logLevel.DEBUG:
      return 'debug';
    case logLevel.NOTHING:
      return undefined;
  }
}
