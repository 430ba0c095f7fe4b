import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { Config } from './schema.js';

/** Every problem found in a configuration, each with its path. The CLI prints them and exits 2. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const ENV_PREFIX = 'SAMON_';
/** Variables with the prefix that are not configuration keys. */
const RESERVED = new Set(['SAMON_CONFIG']);

/**
 * `SAMON_HTTP__PORT=9000` sets `http.port`; `__` separates levels and UPPER_SNAKE becomes
 * camelCase (`SAMON_LOG__KAFKA__BROKERS=a:9092,b:9092` sets `log.kafka.brokers`). Values are
 * read as YAML scalars or flow collections, so numbers and booleans keep their type.
 */
export function envOverrides(
  env: NodeJS.ProcessEnv,
): { path: string[]; value: unknown; name: string }[] {
  const overrides = [];
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || raw === undefined || RESERVED.has(name)) continue;
    const path = name
      .slice(ENV_PREFIX.length)
      .split('__')
      .map((part) =>
        part.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()),
      );
    if (path.some((p) => p === '')) continue;
    overrides.push({ path, value: parseEnvValue(raw), name });
  }
  return overrides.sort((a, b) => a.name.localeCompare(b.name));
}

function parseEnvValue(raw: string): unknown {
  try {
    const value: unknown = parseYaml(raw);
    return value ?? raw;
  } catch {
    return raw;
  }
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (last !== undefined) node[last] = value;
}

function formatIssues(error: z.ZodError, origin: string): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.length ? issue.path.join('.') : '(top level)';
    return `${path}: ${issue.message} (${origin})`;
  });
}

export interface LoadedConfig {
  readonly config: Config;
  /** Where values came from, for the startup log line. */
  readonly sources: readonly string[];
}

/** Loads, merges and validates the configuration. Throws ConfigError listing every problem. */
export function loadConfig(options: { file?: string; env?: NodeJS.ProcessEnv } = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const sources: string[] = [];
  let document: Record<string, unknown> = {};
  if (options.file) {
    let text: string;
    try {
      text = readFileSync(options.file, 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new ConfigError([`cannot read config file ${options.file}: ${reason}`]);
    }
    try {
      const parsed: unknown = parseYaml(text);
      if (parsed !== null && parsed !== undefined) {
        if (typeof parsed !== 'object' || Array.isArray(parsed)) {
          throw new ConfigError([`${options.file}: the top level must be a mapping (key: value)`]);
        }
        document = parsed as Record<string, unknown>;
      }
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      const where =
        error instanceof YAMLParseError && error.linePos ? `:${error.linePos[0].line}` : '';
      throw new ConfigError([
        `${options.file}${where}: not valid YAML: ${(error as Error).message.split('\n')[0]}`,
      ]);
    }
    sources.push(options.file);
  }
  const overrides = envOverrides(env);
  for (const { path, value } of overrides) setPath(document, path, value);
  if (overrides.length) sources.push(`environment (${overrides.map((o) => o.name).join(', ')})`);

  const result = Config.safeParse(document);
  if (!result.success) {
    throw new ConfigError(
      formatIssues(result.error, sources.length ? sources.join(' + ') : 'defaults'),
    );
  }
  return { config: result.data, sources: sources.length ? sources : ['defaults'] };
}
