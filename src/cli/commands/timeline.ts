import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { ConfigError, loadConfig, type Config } from '../../config/index.js';
import { openEventLog, UnknownTopicError, type EventLog } from '../../log/index.js';
import { TOPICS } from '../../log/port.js';
import { withEvidenceLines } from '../../project/evidence.js';
import { renderMarkdown, renderTable } from '../../project/render/index.js';
import {
  readTimelineEntries,
  resolveTunnelIds,
  type TimelineEntry,
} from '../../project/timeline.js';
import { CliExit } from '../exit.js';

// `samon timeline --tunnel ID [--from] [--to] [--format]` (contracts.md): one tunnel's lifecycle
// events, read straight from the configured log (no projector). Exit 0 (also with no events),
// 1 when the log cannot be opened or read, 2 for unusable arguments or configuration.

type Format = 'ndjson' | 'table' | 'markdown';

interface TimelineOptions {
  tunnel: string;
  from?: string;
  to?: string;
  format: Format;
  config?: string;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const RELATIVE = /^-(\d+)(s|m|h|d)$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** RFC 3339, `now`, or a time before now such as `-90m`, `-2h`, `-7d`; undefined if neither. */
export function parseTime(value: string, now: number): number | undefined {
  if (value === 'now') return now;
  const relative = RELATIVE.exec(value);
  if (relative) return now - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS];
  if (!RFC3339.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function timeOption(name: string, value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseTime(value, now);
  if (ms === undefined) {
    throw new CliExit(
      2,
      `samon timeline: --${name} ${JSON.stringify(value)} is not a time: use RFC 3339 ` +
        '(2026-11-27T09:00:00Z, 2026-11-27T10:00:00+01:00), now, or a time before now (-90m, -2h, -7d).',
    );
  }
  return ms;
}

function loadTimelineConfig(file: string | undefined): Config {
  try {
    return loadConfig({ file: file ?? process.env.SAMON_CONFIG }).config;
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new CliExit(
        2,
        `samon: ${error.message}\nFix the file or the SAMON_* variables; see docs/configuration.md.`,
      );
    }
    throw error;
  }
}

/** Opens the configured log for reading: never creates a file or a topic. */
async function openForReading(config: Config): Promise<{ log: EventLog; describe: string }> {
  const settings = config.log;
  if (settings.kind === 'kafka' && settings.kafka) {
    const kafka = settings.kafka;
    const describe = `Kafka ${kafka.brokers.join(',')}`;
    try {
      const log = await openEventLog({
        kind: 'kafka',
        brokers: kafka.brokers,
        clientId: kafka.clientId,
        ssl: kafka.ssl,
        ...(kafka.sasl ? { sasl: kafka.sasl } : {}),
      });
      return { log, describe };
    } catch (error) {
      throw cannotOpen(describe, error);
    }
  }
  const { path } = settings.sqlite;
  const describe = `the embedded log ${path}`;
  if (!existsSync(path)) {
    throw new CliExit(
      1,
      `samon timeline: there is no event log at ${path}. Check log.sqlite.path in the config ` +
        '(--config, SAMON_CONFIG) or SAMON_LOG__SQLITE__PATH, and run samon from the folder ' +
        'samon run uses (the default path ./data/samon.db is relative to it). For Kafka, set log.kind: kafka.',
    );
  }
  try {
    return { log: await openEventLog({ kind: 'sqlite', path }), describe };
  } catch (error) {
    throw cannotOpen(describe, error);
  }
}

function cannotOpen(describe: string, error: unknown): CliExit {
  const message = error instanceof Error ? error.message : String(error);
  return new CliExit(1, `samon timeline: cannot open ${describe}: ${message}`);
}

/** A status line on stderr, on a terminal only, once a read has taken a second. */
function progress(stream: NodeJS.WriteStream): { onRecord?: () => void; done: () => void } {
  if (!stream.isTTY) return { done: () => undefined };
  const started = Date.now();
  let records = 0;
  let shown = false;
  const timer = setInterval(() => {
    const seconds = Math.floor((Date.now() - started) / 1_000);
    if (seconds < 1) return;
    shown = true;
    stream.write(
      `\rsamon timeline: reading the lifecycle log… ${records} events so far, ${seconds} s`,
    );
  }, 250);
  timer.unref();
  return {
    onRecord: () => {
      records += 1;
    },
    done: () => {
      clearInterval(timer);
      if (shown) stream.write('\r\x1b[K');
    },
  };
}

const at = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function render(
  entries: readonly TimelineEntry[],
  options: TimelineOptions,
  section: { tunnel: string; aliases: string[]; from?: number; to?: number },
): string {
  const events = entries.map((e) => e.event);
  switch (options.format) {
    case 'ndjson':
      return entries.map((e) => `${e.json}\n`).join('');
    case 'table':
      return renderTable(events, {
        width: 120,
        tunnel: new Set(events.map((e) => e.tunnel)).size > 1,
      });
    case 'markdown': {
      const from = at(section.from);
      const to = at(section.to);
      return renderMarkdown(events, {
        tunnel: section.tunnel,
        aliases: section.aliases,
        ...(from !== undefined && { from }),
        ...(to !== undefined && { to }),
      });
    }
  }
}

function write(text: string): Promise<void> {
  return new Promise((resolve) => {
    // A reader that went away (| head) ends the output, not the command.
    process.stdout.on('error', () => resolve());
    process.stdout.write(text, () => resolve());
  });
}

function nothingFound(
  tunnel: string,
  ids: readonly string[],
  describe: string,
  window: { from?: number; to?: number },
  all: readonly TimelineEntry[],
): string {
  const also =
    ids.length > 1 ? ` (with its aliases ${ids.filter((i) => i !== tunnel).join(', ')})` : '';
  const range =
    window.from === undefined && window.to === undefined
      ? ''
      : ` from ${at(window.from) ?? 'the start'} to ${at(window.to) ?? 'now'}`;
  const hint =
    all.length > 0
      ? ` It has events from ${all[0]!.event.at} to ${all.at(-1)!.event.at}: widen --from/--to.`
      : ' Tunnel ids are ROUTER/VPN (or ROUTER/VPN/SELECTOR); GET /api/tunnels lists them.';
  return `samon timeline: no lifecycle events for tunnel ${tunnel}${also}${range} in ${describe}.${hint}`;
}

async function runTimeline(options: TimelineOptions): Promise<void> {
  const now = Date.now();
  const from = timeOption('from', options.from, now);
  const to = timeOption('to', options.to, now);
  if (options.tunnel.trim() === '') {
    throw new CliExit(2, 'samon timeline: --tunnel needs a tunnel id, e.g. srx1/vpn-branch-7');
  }
  if (from !== undefined && to !== undefined && from >= to) {
    throw new CliExit(2, `samon timeline: --from (${at(from)}) must be before --to (${at(to)})`);
  }
  const window = { ...(from !== undefined && { from }), ...(to !== undefined && { to }) };
  const config = loadTimelineConfig(options.config);
  const { log, describe } = await openForReading(config);
  const reading = progress(process.stderr);
  const hooks = reading.onRecord ? { onRecord: reading.onRecord } : {};
  try {
    const resolved = await resolveTunnelIds(log, options.tunnel, hooks);
    const stored = await readTimelineEntries(log, { ids: resolved.ids, ...window }, hooks);
    if (stored.length === 0) {
      const all =
        from === undefined && to === undefined
          ? []
          : await readTimelineEntries(log, { ids: resolved.ids }, hooks);
      reading.done();
      process.stderr.write(
        `${nothingFound(options.tunnel, resolved.ids, describe, window, all)}\n`,
      );
      return;
    }
    // Observation ids in evidence become the raw lines they name (an unavailable note if gone).
    const entries = await withEvidenceLines(log, stored);
    reading.done();
    await write(
      render(entries, options, {
        tunnel: resolved.canonical,
        aliases: resolved.ids.filter((id) => id !== resolved.canonical),
        ...window,
      }),
    );
  } catch (error) {
    reading.done();
    if (error instanceof UnknownTopicError) {
      process.stderr.write(
        `samon timeline: ${describe} has no lifecycle topic (${TOPICS.lifecycle}) yet: nothing has ` +
          'been projected. samon run or samon project writes it.\n',
      );
      return;
    }
    if (error instanceof CliExit) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new CliExit(1, `samon timeline: cannot read ${describe}: ${message}`);
  } finally {
    await log.close();
  }
}

export function registerTimelineCommand(program: Command): void {
  program
    .command('timeline')
    .description(
      "one tunnel's lifecycle events from the configured log (embedded unless Kafka is configured), with its aliases",
    )
    .requiredOption('--tunnel <id>', 'tunnel id (ROUTER/VPN[/SELECTOR], or a provisional id)')
    .option('--from <time>', 'first time included: RFC 3339, now, or -90m / -2h / -7d')
    .option('--to <time>', 'first time left out: RFC 3339, now, or -90m / -2h / -7d')
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['ndjson', 'table', 'markdown'])
        .default('ndjson'),
    )
    .option('-c, --config <file>', 'YAML configuration file (env: SAMON_CONFIG)')
    .addHelpText(
      'after',
      '\nndjson: one lifecycle event per line, as in the log, except that observation ids in ' +
        'evidence\nare replaced by their raw lines (the ids in evidenceIds); table: aligned ' +
        'columns for a terminal;\nmarkdown: a postmortem section with the evidence lines.\n' +
        'Exit status: 0 (also with no events: a note on stderr), 1 log unavailable, 2 bad arguments.',
    )
    .action((options: TimelineOptions) => runTimeline(options));
}
