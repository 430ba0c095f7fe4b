export { openSqliteLog } from './sqliteLog.js';
export type { SqliteLogOptions } from './sqliteLog.js';
