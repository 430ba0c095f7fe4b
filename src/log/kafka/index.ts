export { openKafkaLog } from './kafkaLog.js';
export type { KafkaLogOptions, KafkaSaslOptions, KafkaTlsOptions } from './kafkaOptions.js';
export type { KafkaLogEntry, KafkaLogLevel, KafkaLogSink } from './kafkaLogging.js';
