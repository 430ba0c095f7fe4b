import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { junosConfigObservation } from '../collect/junosConfigImporter.js';
import type { LifecycleEvent } from '../domain/lifecycle.js';
import type { Observation } from '../domain/observation.js';
import {
  PeerJoin,
  stateRows,
  type FoldSettings,
  type RouterState,
  type TunnelStateRow,
} from '../domain/sa/index.js';
import { isoFromMillis } from '../domain/time.js';
import type { Finding } from '../junos/config/index.js';
import { createSyslogParser, type CompiledEntry } from '../junos/syslog/index.js';
import { streamLines } from './replayLines.js';
import { saFold } from './saFold.js';

// `samon replay` as a reusable function (contracts.md, "Command line"): archived syslog files
// → observations (each file's mtime as the reference for year inference) → merged in time
// order (stable: ties keep file, then line order) → the fold, per router → lifecycle events and
// final states. replayObservations() is the pure part; replayFiles() adds the file reading.

export interface ReplayConfig {
  /** The `junos-config` observation of one router (src/collect/junosConfigImporter.ts). */
  readonly observation: Extract<Observation, { kind: 'junos-config' }>;
}

export interface ReplayInput {
  /** Observations of every file, each list in file order. */
  readonly files: readonly (readonly Observation[])[];
  readonly configs?: readonly Observation[];
  /** The moment the replay ends at (epoch ms): later lines are left out, every deadline up to it fires. */
  readonly nowMs?: number;
  readonly settings?: Partial<FoldSettings>;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ReplayResult {
  /** Lifecycle events in time order (ties: the order the fold produced them). */
  readonly events: LifecycleEvent[];
  /** Final state of every router, by router name. */
  readonly states: RouterState[];
  /** `--state` rows, sorted by tunnel. */
  readonly rows: TunnelStateRow[];
  readonly observations: number;
  /** Observations after `nowMs`, left out. */
  readonly skipped: number;
  /** Observations by kind (how much of the input samon understood). */
  readonly kinds: Record<string, number>;
  readonly fromMs: number | undefined;
  readonly toMs: number | undefined;
}

const byTime = (a: { ms: number }, b: { ms: number }) => a.ms - b.ms;

/** Merges, folds and orders: pure (no I/O, no clock). */
export function replayObservations(input: ReplayInput): ReplayResult {
  const merged: { ms: number; observation: Observation }[] = [];
  for (const file of input.files) {
    for (const observation of file) merged.push({ ms: Date.parse(observation.time), observation });
  }
  merged.sort(byTime); // stable: ties keep file, then line order
  const lastMs = merged.length ? merged[merged.length - 1]!.ms : undefined;
  const endMs = input.nowMs ?? lastMs;
  const configs = input.configs ?? [];
  // The projector's fold (saFold), fed as the collector feeds it: every configuration is
  // followed by the `junos-peers` observations the importer would append (PeerJoin, the IKEv1
  // "shorter lifetime wins" rule). The configurations are folded first, so every router knows
  // every peer before its first line.
  const fold = saFold(input.settings ?? {});
  const join = new PeerJoin();
  const states = new Map<string, RouterState>();
  const stateOf = (router: string): RouterState => {
    let state = states.get(router);
    if (!state) {
      state = fold.initial(router);
      states.set(router, state);
    }
    return state;
  };
  const produced: { ms: number; event: LifecycleEvent }[] = [];
  const kinds: Record<string, number> = {};
  const fold1 = (observation: Observation) => {
    const { events } = fold.evolve(stateOf(observation.router), observation);
    for (const event of events) produced.push({ ms: Date.parse(event.at), event });
  };
  const apply = (observation: Observation) => {
    fold1(observation);
    if (observation.kind === 'junos-config')
      for (const peers of join.afterImport(observation.router, observation.data, observation.time))
        fold1(peers);
  };
  for (const config of configs) apply(config);
  let skipped = 0;
  let done = 0;
  for (const { ms, observation } of merged) {
    done++;
    if (endMs !== undefined && ms > endMs) {
      skipped++;
      continue;
    }
    kinds[observation.kind] = (kinds[observation.kind] ?? 0) + 1;
    apply(observation);
    if (input.onProgress && done % 50_000 === 0) input.onProgress(done, merged.length);
  }
  if (endMs !== undefined) {
    const time = isoFromMillis(endMs);
    for (const router of [...states.keys()].sort()) {
      apply({ v: 1, kind: 'clock', router, time, source: 'clock', raw: '', data: {} });
    }
  }
  input.onProgress?.(merged.length, merged.length);
  produced.sort(byTime);
  const ordered = [...states.values()].sort((a, b) =>
    a.router < b.router ? -1 : a.router > b.router ? 1 : 0,
  );
  return {
    events: produced.map((p) => p.event),
    states: ordered,
    rows: stateRows(ordered),
    observations: merged.length - skipped,
    skipped,
    kinds,
    fromMs: merged.length ? merged[0]!.ms : undefined,
    toMs: endMs,
  };
}

// ---- files

export interface ReplayFileOptions {
  readonly files: readonly string[];
  /** `FILE` or `ROUTER=FILE` (the router's name when the file has no `system host-name`). */
  readonly junosConfigs?: readonly string[];
  readonly year?: number;
  readonly timezone?: string;
  readonly extraEntries?: readonly CompiledEntry[];
  readonly nowMs?: number;
  readonly settings?: Partial<FoldSettings>;
  readonly onProgress?: (progress: ReplayProgress) => void;
}

export interface ReplayProgress {
  readonly phase: 'read' | 'fold';
  readonly done: number;
  readonly total: number;
  readonly file?: string;
}

/** A file that cannot be read: which, and why. */
export class ReplayInputError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`cannot read ${file}: ${reason}`);
    this.name = 'ReplayInputError';
  }
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
};

function why(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined) return REASONS[code] ?? code;
  return error instanceof Error ? error.message : String(error);
}

async function sizeAndTime(file: string): Promise<{ size: number; mtimeMs: number }> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new ReplayInputError(file, 'is a directory');
    return { size: info.size, mtimeMs: info.mtimeMs };
  } catch (error) {
    if (error instanceof ReplayInputError) throw error;
    throw new ReplayInputError(file, why(error));
  }
}

const ROUTER_PREFIX = /^([A-Za-z0-9][A-Za-z0-9._-]*)=(.+)$/;

async function readConfig(
  spec: string,
  startMs: () => number,
): Promise<{ observation: Observation; problems: readonly Finding[] }> {
  let file = spec;
  let router: string | undefined;
  const named = ROUTER_PREFIX.exec(spec);
  if (named) {
    // `ROUTER=FILE`, unless a file of that very name exists
    const exists = await stat(spec).then(
      () => true,
      () => false,
    );
    if (!exists) {
      router = named[1];
      file = named[2]!;
    }
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ReplayInputError(file, why(error));
  }
  const imported = junosConfigObservation(text, file, {
    ...(router ? { router } : {}),
    now: startMs,
  });
  return { observation: imported.observation, problems: imported.problems };
}

export interface ReplayFilesResult extends ReplayResult {
  /** Problems found in the Junos configurations (with file and line). */
  readonly configProblems: readonly Finding[];
  readonly lines: number;
}

/**
 * Reads the syslog files (any form `samon parse` reads) and the Junos configurations, then
 * replays. Rejects with ReplayInputError, before any output, when a file cannot be read.
 */
export async function replayFiles(options: ReplayFileOptions): Promise<ReplayFilesResult> {
  const infos = [];
  for (const file of options.files) infos.push({ file, ...(await sizeAndTime(file)) });
  const parse = createSyslogParser({
    ...(options.year !== undefined ? { year: options.year } : {}),
    ...(options.timezone !== undefined ? { timezone: options.timezone } : {}),
    ...(options.extraEntries ? { extraEntries: options.extraEntries } : {}),
  });
  const total = infos.reduce((sum, f) => sum + f.size, 0);
  let readBytes = 0;
  let lines = 0;
  const files: Observation[][] = [];
  for (const info of infos) {
    const observations: Observation[] = [];
    const context = { referenceTime: info.mtimeMs };
    try {
      const onBytes = (bytes: number) => {
        readBytes += bytes;
        options.onProgress?.({ phase: 'read', done: readBytes, total, file: info.file });
      };
      for await (const line of streamLines(createReadStream(info.file), onBytes)) {
        if (line.trim() === '') continue;
        lines++;
        observations.push(parse(line, context));
      }
    } catch (error) {
      throw new ReplayInputError(info.file, why(error));
    }
    files.push(observations);
  }
  let first = Infinity;
  for (const list of files) for (const o of list) first = Math.min(first, Date.parse(o.time));
  const startMs = Number.isFinite(first) ? first : (options.nowMs ?? 0);
  const configs: Observation[] = [];
  const configProblems: Finding[] = [];
  for (const spec of options.junosConfigs ?? []) {
    const { observation, problems } = await readConfig(spec, () => startMs);
    configs.push(observation);
    configProblems.push(...problems);
  }
  const result = replayObservations({
    files,
    configs,
    ...(options.nowMs !== undefined ? { nowMs: options.nowMs } : {}),
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.onProgress
      ? {
          onProgress: (done: number, all: number) =>
            options.onProgress?.({ phase: 'fold', done, total: all }),
        }
      : {}),
  });
  return { ...result, configProblems, lines };
}
