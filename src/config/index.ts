export { Config } from './schema.js';
export type { KafkaLogConfig } from './schema.js';
export { ConfigError, loadConfig } from './load.js';
export type { LoadedConfig } from './load.js';
