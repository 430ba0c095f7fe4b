import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import {
  importJunosConfig,
  type ImportedJunosConfig,
  type JunosConfigImportOptions,
} from './junosConfigImporter.js';

// Re-imports a configuration file when it changes (fs.watch, debounced) or on demand (the CLI
// wires SIGHUP to `reload`), and reports a new observation only when the model changed.
// The directory is watched, not the file: editors and `scp` replace files by renaming.

export interface JunosConfigWatcherOptions extends JunosConfigImportOptions {
  /** Called with the first import and then with every import whose model differs. */
  readonly onChange: (imported: ImportedJunosConfig) => void;
  /** The file could not be read (the last good model stays in force). */
  readonly onError?: (error: Error) => void;
  /** Quiet time after the last file event before re-reading (default 250 ms). */
  readonly debounceMs?: number;
  /** Watch the file system (default true); false: only `reload()` re-reads. */
  readonly watchFiles?: boolean;
}

export interface JunosConfigWatcher {
  /** Re-reads now; resolves with the import when the model changed, else undefined. */
  reload(): Promise<ImportedJunosConfig | undefined>;
  /** The first import's outcome (resolves once it ran). */
  readonly ready: Promise<ImportedJunosConfig | undefined>;
  close(): void;
}

export function watchJunosConfig(
  path: string,
  options: JunosConfigWatcherOptions,
): JunosConfigWatcher {
  const debounceMs = options.debounceMs ?? 250;
  let lastHash: string | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const check = async (): Promise<ImportedJunosConfig | undefined> => {
    if (closed) return undefined;
    try {
      const imported = await importJunosConfig(path, options);
      if (closed || imported.modelHash === lastHash) return undefined;
      lastHash = imported.modelHash;
      options.onChange(imported);
      return imported;
    } catch (error) {
      options.onError?.(error instanceof Error ? error : new Error(String(error)));
      return undefined;
    }
  };

  // One import at a time, in order: a slow read must not let an older model win.
  const reload = (): Promise<ImportedJunosConfig | undefined> => {
    const next = queue.then(check, check);
    queue = next;
    return next;
  };

  let watcher: FSWatcher | undefined;
  if (options.watchFiles !== false) {
    const file = basename(path);
    try {
      watcher = watch(dirname(path), { persistent: false }, (_event, changed) => {
        if (changed !== null && changed.toString() !== file) return;
        if (timer !== undefined) clearTimeout(timer);
        timer = setTimeout(() => {
          timer = undefined;
          void reload();
        }, debounceMs);
      });
      watcher.on('error', (error) => options.onError?.(error));
    } catch (error) {
      options.onError?.(error instanceof Error ? error : new Error(String(error)));
    }
  }

  return {
    reload,
    ready: reload(),
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      watcher?.close();
    },
  };
}
