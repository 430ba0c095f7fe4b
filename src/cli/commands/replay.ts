import { Option, type Command } from 'commander';
import type { FoldSettings } from '../../domain/sa/index.js';
import { resolveZone } from '../../junos/syslog/index.js';
import { ReplayInputError, replayFiles, type ReplayProgress } from '../../project/replay.js';
import {
  eventTable,
  ndjson,
  stateMarkdown,
  stateTable,
  type ReplayFormat,
} from '../../project/replayFormat.js';
import { postmortem } from '../../project/replayMarkdown.js';
import { CliExit } from '../exit.js';
import { loadOfflineConfig, syslogSettings, type SyslogSettings } from '../syslogParser.js';

// `samon replay [--junos-config FILE]… [--now TIME] [--format ndjson|table|markdown] [--state]
// FILE…` (contracts.md): archived syslog → lifecycle events, offline. Exit 0; 1 when a file
// cannot be read (which, and why); 2 on unusable arguments.

interface ReplayOptions {
  junosConfig: string[];
  now?: string;
  format: ReplayFormat;
  state?: boolean;
  year?: string;
  tz?: string;
  config?: string;
}

const usage = (message: string) => new CliExit(2, `samon replay: ${message}`);

export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description('archived syslog files → SA lifecycle events, offline (docs/lifecycle.md)')
    .argument(
      '<files...>',
      'syslog files, in any form `samon parse` reads; several are merged in time order',
    )
    .option(
      '--junos-config <file>',
      'Junos configuration of a router (repeatable): expected tunnels, lifetimes, CRL and respond-bad-spi settings; ROUTER=FILE names the router when the file has no system host-name',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option(
      '--now <time>',
      'the moment the replay ends at: every deadline up to it fires (default: the time of the last line)',
    )
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['ndjson', 'table', 'markdown'])
        .default('ndjson'),
    )
    .option('--state', 'print the final per-tunnel state instead of the events (sorted by tunnel)')
    .option(
      '--year <year>',
      'year of year-less timestamps (default: from each file’s modification time)',
    )
    .option(
      '--tz <zone>',
      'zone of zone-less timestamps and of a zone-less --now: IANA name or offset; default UTC',
    )
    .option(
      '--config <file>',
      'samon configuration: projection.rekeyGraceSeconds, projection.routerSilenceSeconds, syslog.catalog, syslog.year, syslog.timezone',
    )
    .action(async (files: string[], options: ReplayOptions) => {
      await runReplay(files, options);
    });
}

function parseYear(text: string): number {
  if (!/^\d{4}$/.test(text)) throw usage(`--year: expected a four-digit year, got "${text}"`);
  return Number(text);
}

const WALL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

/** RFC 3339 with a zone, or a wall-clock time read in `timezone`. */
export function parseNow(text: string, timezone: string): number {
  const wall = WALL.exec(text.trim());
  let ms: number;
  if (wall) {
    const zone = resolveZone(timezone);
    const [, y, mo, d, h, mi, s, frac] = wall;
    ms = zone
      ? zone.toEpoch(
          Number(y),
          Number(mo) - 1,
          Number(d),
          Number(h),
          Number(mi),
          Number(s ?? 0),
          Number((frac ?? '0').padEnd(3, '0')),
        )
      : Number.NaN;
  } else ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    throw usage(
      `--now: expected a time such as 2026-11-27T10:00:00Z (or zone-less, read in --tz), got "${text}"`,
    );
  }
  return ms;
}

function loadSettings(file: string): SyslogSettings & { settings: Partial<FoldSettings> } {
  const config = loadOfflineConfig(file);
  return {
    ...syslogSettings(config, file),
    settings: {
      graceSeconds: config.projection.rekeyGraceSeconds,
      silenceGapSeconds: config.projection.routerSilenceSeconds,
    },
  };
}

/** A progress line on stderr for large inputs, only when stderr is a terminal. */
function progressReporter(): ((p: ReplayProgress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  let shown = false;
  const report = (p: ReplayProgress) => {
    if (p.phase === 'read' && p.total < 4 << 20) return; // small inputs need no bar
    const now = Date.now();
    const finished = p.done >= p.total;
    if (!finished && now - last < 100) return;
    last = now;
    const percent = p.total ? Math.floor((100 * p.done) / p.total) : 100;
    const width = 30;
    const bar = '#'.repeat(Math.round((width * percent) / 100)).padEnd(width, '.');
    const what = p.phase === 'read' ? `reading ${p.file ?? ''}` : 'folding';
    process.stderr.write(`\rsamon replay: [${bar}] ${String(percent).padStart(3)}% ${what}\x1b[K`);
    shown = true;
  };
  report.clear = () => {
    if (shown) process.stderr.write('\r\x1b[K');
  };
  return Object.assign(report, { clear: report.clear });
}

async function write(text: string): Promise<void> {
  await new Promise<void>((resolve) => {
    process.stdout.on('error', () => resolve()); // the reader went away (EPIPE): stop quietly
    process.stdout.write(text, () => resolve());
  });
}

export async function runReplay(files: readonly string[], options: ReplayOptions): Promise<void> {
  const loaded = options.config ? loadSettings(options.config) : undefined;
  const year = options.year !== undefined ? parseYear(options.year) : loaded?.year;
  const timezone = options.tz ?? loaded?.timezone ?? 'UTC';
  if (!resolveZone(timezone)) {
    throw usage(
      `--tz: unknown time zone "${timezone}" (an IANA name such as Europe/Paris, or an offset such as +01:00)`,
    );
  }
  const nowMs = options.now !== undefined ? parseNow(options.now, timezone) : undefined;
  const progress = progressReporter();
  let result;
  try {
    result = await replayFiles({
      files,
      junosConfigs: options.junosConfig,
      timezone,
      ...(year !== undefined ? { year } : {}),
      ...(loaded ? { extraEntries: loaded.entries, settings: loaded.settings } : {}),
      ...(nowMs !== undefined ? { nowMs } : {}),
      ...(progress ? { onProgress: progress } : {}),
    });
  } catch (error) {
    if (error instanceof ReplayInputError) throw new CliExit(1, `samon replay: ${error.message}`);
    throw error;
  } finally {
    (progress as { clear?: () => void } | undefined)?.clear?.();
  }
  for (const problem of result.configProblems) {
    if (problem.severity === 'error' || problem.rule === 'router-name-from-file') {
      process.stderr.write(
        `samon replay: ${problem.file}:${problem.line}: ${problem.severity}: ${problem.message}\n`,
      );
    }
  }
  let text: string;
  if (options.state) {
    text =
      options.format === 'ndjson'
        ? ndjson(result.rows)
        : options.format === 'table'
          ? stateTable(result.rows)
          : stateMarkdown(result.rows);
  } else if (options.format === 'table') {
    text = eventTable(result.events);
  } else if (options.format === 'markdown') {
    text = postmortem({
      events: result.events,
      rows: result.rows,
      files,
      lines: result.lines,
      kinds: result.kinds,
      fromMs: result.fromMs,
      toMs: result.toMs,
    });
  } else {
    text = ndjson(result.events);
  }
  await write(text);
}
