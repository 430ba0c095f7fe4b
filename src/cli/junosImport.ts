import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { RunningCollector } from '../collect/collector.js';
import type { ImportedJunosConfig } from '../collect/junosConfigImporter.js';
import { watchJunosConfig, type JunosConfigWatcher } from '../collect/junosConfigWatcher.js';
import { toRecord } from '../collect/syslog/ingest.js';
import type { Config } from '../config/index.js';
import { summarizeConfigChange } from '../domain/sa/configChange.js';
import { PeerJoin } from '../domain/sa/fleet.js';

// The collect role imports the Junos configurations of `junos.files`: one `junos-config`
// observation per router, again whenever a file's model changes (file events, SIGHUP). A file
// that cannot be read is logged and counted, never fatal: a NOC restarting samon must not lose
// syslog because one configuration file is missing.

export interface JunosImports {
  /** Resolves once every file had its first import attempt (successful or not). */
  readonly ready: Promise<void>;
  /** Re-reads every file now (what SIGHUP does); resolves when all are done. */
  reload(): Promise<void>;
  close(): void;
}

interface FileState {
  last: ImportedJunosConfig | undefined;
  /** Set by onError, so that a reload can tell "unchanged" from "failed". */
  failed: boolean;
}

export function startJunosImports(deps: {
  files: Config['junos']['files'];
  collector: Pick<RunningCollector, 'appender' | 'clock'>;
  logger: Logger;
  registry: Registry;
  now?: () => number;
  /** Quiet time after a file event before re-reading (the watcher's default when omitted). */
  debounceMs?: number;
}): JunosImports {
  const { collector, logger } = deps;
  const now = deps.now ?? Date.now;
  const imports = new Counter({
    name: 'samon_junos_config_imports_total',
    help: 'Imports of the Junos configuration files of junos.files: ok (read and parsed), error (unreadable; the last good model stays in force).',
    labelNames: ['outcome'],
    registers: [deps.registry],
  });
  imports.inc({ outcome: 'ok' }, 0);
  imports.inc({ outcome: 'error' }, 0);

  // One join of all the files: each router's stream gets the peers' lifetimes it needs.
  const join = new PeerJoin();
  const imported = (path: string, state: FileState, next: ImportedJunosConfig) => {
    const { observation, problems, modelHash } = next;
    const previous = state.last;
    state.last = next;
    imports.inc({ outcome: 'ok' });
    collector.clock.know(observation.router);
    const peers = join.afterImport(observation.router, observation.data, observation.time);
    const records = [observation, ...peers].map((o) => toRecord(o, now()));
    collector.appender.push(records).catch((error: unknown) => {
      logger.error(
        { err: error, file: path, router: observation.router },
        `could not append the configuration of ${observation.router} to the log`,
      );
    });
    const context = {
      file: path,
      router: observation.router,
      modelHash,
      problems: problems.map((p) => `${p.line}: ${p.rule}`),
    };
    if (previous === undefined) {
      logger.info(context, `imported Junos configuration ${path} for ${observation.router}`);
      return;
    }
    const { summary } = summarizeConfigChange(previous.observation.data, observation.data);
    logger.info(
      { ...context, previousModelHash: previous.modelHash, changes: summary },
      `Junos configuration ${path} of ${observation.router} changed: ${summary}`,
    );
  };

  const failed = (path: string, state: FileState, error: Error) => {
    state.failed = true;
    imports.inc({ outcome: 'error' });
    const consequence = state.last
      ? 'the last good model stays in force'
      : 'its tunnels are not expected until it can be read';
    logger.error(
      { file: path, err: error },
      `cannot import Junos configuration ${path}: ${error.message}; ${consequence}. samon keeps running: fix the file or junos.files, then send SIGHUP.`,
    );
  };

  const files = deps.files.map((entry) => {
    const state: FileState = { last: undefined, failed: false };
    const watcher: JunosConfigWatcher = watchJunosConfig(entry.path, {
      ...(entry.router !== undefined ? { router: entry.router } : {}),
      ...(deps.debounceMs !== undefined ? { debounceMs: deps.debounceMs } : {}),
      now,
      onChange: (next) => imported(entry.path, state, next),
      onError: (error) => failed(entry.path, state, error),
    });
    return { path: entry.path, state, watcher };
  });

  const reloadOne = async ({ path, state, watcher }: (typeof files)[number]) => {
    state.failed = false;
    const changed = await watcher.reload();
    if (changed === undefined && !state.failed) {
      imports.inc({ outcome: 'ok' });
      logger.info({ file: path }, `Junos configuration ${path} unchanged`);
    }
  };

  return {
    ready: Promise.all(files.map((file) => file.watcher.ready)).then(() => undefined),
    async reload() {
      await Promise.all(files.map(reloadOne));
    },
    close() {
      for (const file of files) file.watcher.close();
    },
  };
}

/** SIGHUP re-reads every configured file; returns the function that removes the handler. */
export function reloadOnSighup(imports: JunosImports, logger: Logger): () => void {
  const onHangup = () => {
    logger.info('SIGHUP: re-reading the Junos configuration files');
    void imports.reload();
  };
  process.on('SIGHUP', onHangup);
  return () => process.off('SIGHUP', onHangup);
}
