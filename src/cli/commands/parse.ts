import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { Command } from 'commander';
import { createSyslogParser, resolveZone } from '../../junos/syslog/index.js';
import type { SyslogParser } from '../../junos/syslog/index.js';
import { CliExit } from '../exit.js';
import { loadOfflineConfig, syslogSettings, type SyslogSettings } from '../syslogParser.js';

interface ParseOptions {
  year?: string;
  tz?: string;
  stats?: boolean;
  config?: string;
}

interface Source {
  /** File path, or '-' for stdin. */
  readonly name: string;
  /** Reference time for year inference: the file's mtime, or now for stdin. */
  readonly referenceTime: number;
}

const FLUSH_CHARS = 1 << 16;

export function registerParseCommand(program: Command): void {
  program
    .command('parse')
    .description(
      'syslog lines → observations as NDJSON on stdout, one per input line, in input order (docs/syslog.md)',
    )
    .argument('[files...]', 'syslog files to read; - (or nothing) reads stdin')
    .option(
      '--year <year>',
      'year of year-less timestamps (default: inferred from the file modification time, or now for stdin)',
    )
    .option(
      '--tz <zone>',
      'zone of zone-less timestamps: an IANA name (Europe/Paris) or an offset (+01:00); default UTC',
    )
    .option('--stats', 'print the number of observations per kind to stderr at the end')
    .option(
      '--config <file>',
      'configuration file: operator catalog entries (syslog.catalog), syslog.year, syslog.timezone',
    )
    .action(async (files: string[], options: ParseOptions) => {
      await runParse(files, options);
    });
}

function usage(message: string): CliExit {
  return new CliExit(2, `samon parse: ${message}`);
}

async function resolveSources(files: readonly string[]): Promise<Source[]> {
  const names = files.length ? files : ['-'];
  const sources: Source[] = [];
  const problems: string[] = [];
  for (const name of names) {
    if (name === '-') {
      sources.push({ name, referenceTime: Date.now() });
      continue;
    }
    try {
      const info = await stat(name);
      if (info.isDirectory()) problems.push(`${name}: is a directory`);
      else sources.push({ name, referenceTime: info.mtimeMs });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT'
          ? 'no such file'
          : code === 'EACCES'
            ? 'permission denied'
            : (code ?? String(error));
      problems.push(`${name}: cannot read (${why})`);
    }
  }
  if (problems.length) throw usage(problems.join('\nsamon parse: '));
  return sources;
}

function loadOperatorSettings(file: string): SyslogSettings {
  return syslogSettings(loadOfflineConfig(file), file);
}

function parseYear(text: string): number {
  if (!/^\d{4}$/.test(text) || Number(text) < 1970) {
    throw usage(`--year: expected a four-digit year from 1970, got "${text}"`);
  }
  return Number(text);
}

/** Writes NDJSON with back-pressure; stops quietly when the reader goes away (EPIPE). */
class Output {
  private buffer = '';
  closed = false;

  constructor(private readonly stream: Writable) {
    stream.on('error', () => {
      this.closed = true;
    });
  }

  line(text: string): void {
    this.buffer += text;
    this.buffer += '\n';
  }

  get pending(): number {
    return this.buffer.length;
  }

  async flush(): Promise<void> {
    if (!this.buffer || this.closed) {
      this.buffer = '';
      return;
    }
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.stream.write(chunk)) await this.drained();
  }

  /** Resolves on drain, or when the stream closes or fails (the reader went away). */
  private drained(): Promise<void> {
    const stream = this.stream;
    return new Promise((resolve) => {
      const done = (): void => {
        stream.off('drain', done);
        stream.off('close', done);
        stream.off('error', done);
        resolve();
      };
      stream.on('drain', done);
      stream.on('close', done);
      stream.on('error', done);
    });
  }
}

/**
 * Splits a byte stream into lines on LF (a CR before it is dropped; a lone CR stays in the
 * line, as kmd writes raw bytes into some fields), decoding UTF-8 with replacement
 * characters. A last line without a newline counts as a line.
 */
export async function forEachLine(
  stream: Readable,
  onLine: (line: string) => void,
  afterChunk: () => Promise<void>,
  stopped: () => boolean,
): Promise<void> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  const emit = (text: string, start: number, end: number): void => {
    onLine(text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end));
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const fresh = decoder.write(chunk);
    const text = carry ? carry + fresh : fresh;
    let start = 0;
    let newline = text.indexOf('\n', carry.length);
    while (newline >= 0) {
      emit(text, start, newline);
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    carry = start === 0 ? text : text.slice(start);
    await afterChunk();
    if (stopped()) {
      stream.destroy();
      return;
    }
  }
  const rest = carry + decoder.end();
  if (rest.length) emit(rest, 0, rest.length);
  await afterChunk();
}

function printStats(counts: Map<string, number>, lines: number): void {
  const rows = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const width = Math.max(5, ...rows.map(([kind]) => kind.length));
  const text = [
    ...rows.map(([kind, count]) => `${kind.padEnd(width)}  ${count}`),
    `${'total'.padEnd(width)}  ${lines}`,
  ].join('\n');
  process.stderr.write(`${text}\n`);
}

export async function runParse(files: readonly string[], options: ParseOptions): Promise<void> {
  const settings = options.config ? loadOperatorSettings(options.config) : undefined;
  const year = options.year !== undefined ? parseYear(options.year) : settings?.year;
  const timezone = options.tz ?? settings?.timezone ?? 'UTC';
  if (!resolveZone(timezone)) {
    throw usage(
      `--tz: unknown time zone "${timezone}" (an IANA name such as Europe/Paris, or an offset such as +01:00)`,
    );
  }
  const sources = await resolveSources(files);
  const parser: SyslogParser = createSyslogParser({
    timezone,
    ...(year !== undefined && { year }),
    extraEntries: settings?.entries ?? [],
  });

  const output = new Output(process.stdout);
  const counts = new Map<string, number>();
  let lines = 0;
  for (const source of sources) {
    if (output.closed) break;
    const context = { referenceTime: source.referenceTime };
    const stream = source.name === '-' ? process.stdin : createReadStream(source.name);
    try {
      await forEachLine(
        stream,
        (line) => {
          const observation = parser(line, context);
          lines++;
          counts.set(observation.kind, (counts.get(observation.kind) ?? 0) + 1);
          output.line(JSON.stringify(observation));
        },
        () => (output.pending >= FLUSH_CHARS ? output.flush() : Promise.resolve()),
        () => output.closed,
      );
    } catch (error) {
      await output.flush();
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw usage(`${source.name === '-' ? 'stdin' : source.name}: read failed (${code})`);
    }
    await output.flush();
  }
  if (options.stats) printStats(counts, lines);
}
