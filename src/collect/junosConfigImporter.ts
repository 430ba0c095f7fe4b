import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { isoFromMillis } from '../domain/time.js';
import type { ObservationOf } from '../domain/observation.js';
import { parseJunosConfig, type Finding, type JunosConfigModel } from '../junos/config/index.js';

// The config importer (architecture.md, "Config gives expectations"): a Junos configuration
// file → one `junos-config` observation. The configuration text never leaves this module:
// `raw` names the file and the hash of the model, whose secrets the parser already dropped.

export interface JunosConfigImportOptions {
  /** The router name (samon configuration `junos.files[].router`); default: `system host-name`. */
  readonly router?: string;
  /** Clock for `time` and `receivedAt` (epoch ms). */
  readonly now?: () => number;
}

export interface ImportedJunosConfig {
  readonly observation: ObservationOf<'junos-config'>;
  /** Parse problems of the file (with line numbers; no secret values). */
  readonly problems: readonly Finding[];
  /** sha256 of the canonical model: equal hashes, same expectations. */
  readonly modelHash: string;
}

/** JSON with object keys sorted, so equal models give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) sorted[key] = (v as Record<string, unknown>)[key];
    return sorted;
  });
}

export function modelHash(model: JunosConfigModel): string {
  return createHash('sha256').update(canonicalJson(model)).digest('hex');
}

function routerFromFile(path: string): string {
  const name = basename(path, extname(path));
  return name === '' ? 'unknown' : name;
}

/** Builds the observation from configuration text already read (e.g. `samon replay --junos-config`). */
export function junosConfigObservation(
  text: string,
  path: string,
  options: JunosConfigImportOptions = {},
): ImportedJunosConfig {
  const { model, problems } = parseJunosConfig(text, { file: path });
  const hash = modelHash(model);
  const at = isoFromMillis((options.now ?? Date.now)());
  const extra: Finding[] = [];
  let router = options.router ?? model.hostName;
  if (router === undefined || router === '') {
    router = routerFromFile(path);
    extra.push({
      file: path,
      line: 0,
      severity: 'warning',
      rule: 'router-name-from-file',
      message: `no system host-name in ${path} and no router name configured: the router is called ${router} after the file name; set junos.files[].router to the name the router uses in syslog`,
    });
  }
  return {
    observation: {
      v: 1,
      kind: 'junos-config',
      router,
      time: at,
      receivedAt: at,
      source: 'config',
      raw: `junos-config ${path} sha256:${hash}`,
      data: model as unknown as ObservationOf<'junos-config'>['data'],
    },
    problems: [...problems, ...extra],
    modelHash: hash,
  };
}

/** Reads and parses one configuration file. Rejects only when the file cannot be read. */
export async function importJunosConfig(
  path: string,
  options: JunosConfigImportOptions = {},
): Promise<ImportedJunosConfig> {
  const text = await readFile(path, 'utf8');
  return junosConfigObservation(text, path, options);
}
