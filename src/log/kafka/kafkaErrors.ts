import {
  AppendFailedError,
  EventLogError,
  LogUnavailableError,
  UnknownTopicError,
} from '../errors.js';

// kafkajs errors → the log's typed errors, with what to check. kafkajs nests the real cause
// (a refused connection, a SASL failure) under retry wrappers, so the whole chain is searched.

interface KafkajsLike {
  name?: string;
  type?: string;
  message?: string;
  code?: string;
  cause?: unknown;
  originalError?: unknown;
}

const CONNECTION_ERRORS = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSRequestTimeoutError',
]);
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ECONNRESET',
  'ETIMEDOUT',
  'EAI_AGAIN',
]);
const TOO_LARGE = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD']);

function chain(error: unknown): KafkajsLike[] {
  const seen: KafkajsLike[] = [];
  let current: unknown = error;
  while (current && typeof current === 'object' && seen.length < 10) {
    const e = current as KafkajsLike;
    seen.push(e);
    current = e.cause ?? e.originalError;
  }
  return seen;
}

// The brokers no longer accept the idempotent producer's sequence numbers (or forgot its id):
// kafkajs retries these in vain.
const PRODUCER_STATE_ERRORS = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
]);

/** True when the append's producer must be replaced before the next send can succeed. */
export function needsNewProducer(error: unknown): boolean {
  return chain(error).some((e) => PRODUCER_STATE_ERRORS.has(e.type ?? ''));
}

export function isUnknownTopic(error: unknown): boolean {
  return chain(error).some((e) => e.type === 'UNKNOWN_TOPIC_OR_PARTITION');
}

export function toLogError(
  error: unknown,
  context: { brokers: readonly string[]; action: string; topic?: string },
): Error {
  if (error instanceof EventLogError) return error;
  const causes = chain(error);
  const root = causes.at(-1);
  const detail = root?.message ?? String(error);
  const brokers = context.brokers.join(', ');
  if (causes.some((e) => e.name === 'KafkaJSSASLAuthenticationError')) {
    return new LogUnavailableError(
      `Cannot ${context.action}: the Kafka brokers ${brokers} refused the SASL login (${detail}). ` +
        'Check kafka.sasl (mechanism, username, password) in the config.',
      error,
    );
  }
  if (causes.some((e) => CONNECTION_ERRORS.has(e.name ?? '') || SOCKET_CODES.has(e.code ?? ''))) {
    return new LogUnavailableError(
      `Cannot ${context.action}: the Kafka brokers ${brokers} cannot be reached (${detail}). ` +
        'Check kafka.brokers in the config (SAMON_LOG__KAFKA__BROKERS), that the brokers are up, ' +
        'and kafka.ssl / kafka.sasl if the cluster needs them.',
      error,
    );
  }
  if (context.topic !== undefined && isUnknownTopic(error)) {
    return new UnknownTopicError(context.topic);
  }
  const tooLarge = causes.find((e) => TOO_LARGE.has(e.type ?? ''));
  if (tooLarge) {
    return new AppendFailedError(
      `Cannot ${context.action}: Kafka refused a record batch as too large (${tooLarge.type}). ` +
        "Raise the topic's max.message.bytes (samon sets it when it creates a topic: " +
        'option maxMessageBytes) or send smaller values.',
      error,
    );
  }
  if (error instanceof Error) return error;
  return new Error(`Cannot ${context.action}: ${detail}`);
}
