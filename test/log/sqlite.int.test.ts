import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteLog, type SqliteLogOptions } from '../../src/log/sqlite/index.js';
import { describeEventLogContract } from './eventLogContract.js';

// Short session and poll intervals so group handovers take milliseconds, not seconds.
const FAST_GROUPS = {
  sessionTimeoutMs: 1_500,
  heartbeatIntervalMs: 300,
  pollIntervalMs: 25,
} as const;

describeEventLogContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'samon-log-'));
  const options: SqliteLogOptions = { path: join(dir, 'log.db'), ...FAST_GROUPS };
  const opened = [await openSqliteLog(options)];
  return {
    log: opened[0]!,
    reopen: async () => {
      const log = await openSqliteLog(options);
      opened.push(log);
      return log;
    },
    cleanup: async () => {
      await Promise.all(opened.map((log) => log.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
