import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import {
  analyzeJunosConfig,
  compareFindings,
  lintJunosConfig,
  pairJunosConfigs,
  type AnalyzedConfig,
  type Finding,
  type TunnelSelection,
} from '../../junos/config/index.js';
import { CliExit } from '../exit.js';

// `samon lint FILE…` and `samon lint --pair A B` (contracts.md, "Command line"): findings as
// `file:line: severity: rule: message` or one JSON object per line; exit 0 no errors,
// 1 errors found, 2 unreadable input or unusable arguments.

interface LintOptions {
  format: 'text' | 'json';
  pair?: boolean;
  tunnel?: string[];
}

function formatFinding(f: Finding, format: LintOptions['format']): string {
  if (format === 'json') {
    return JSON.stringify({
      file: f.file,
      line: f.line,
      severity: f.severity,
      rule: f.rule,
      message: f.message,
    });
  }
  return `${f.file}:${f.line}: ${f.severity}: ${f.rule}: ${f.message}`;
}

function parseSelection(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function selections(values: readonly string[]): TunnelSelection[] {
  return values.map((value) => {
    const at = value.indexOf(':');
    if (at <= 0 || at === value.length - 1) {
      throw new CliExit(
        2,
        `samon lint: --tunnel expects A-VPN:B-VPN (the tunnel names on the two ends), got ${JSON.stringify(value)}`,
      );
    }
    return { a: value.slice(0, at), b: value.slice(at + 1) };
  });
}

/** Reads each file; an unreadable one is reported on stderr and makes the exit status 2. */
async function readAll(
  files: readonly string[],
): Promise<{ texts: Map<string, string>; unreadable: boolean }> {
  const texts = new Map<string, string>();
  let unreadable = false;
  for (const file of files) {
    try {
      texts.set(file, await readFile(file, 'utf8'));
    } catch (error) {
      unreadable = true;
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      process.stderr.write(`samon lint: cannot read ${file}: ${code}\n`);
    }
  }
  return { texts, unreadable };
}

function lintFiles(texts: ReadonlyMap<string, string>): Finding[] {
  return [...texts].flatMap(([file, text]) => lintJunosConfig(text, { file }).findings);
}

function pairFiles(
  texts: ReadonlyMap<string, string>,
  files: readonly string[],
  tunnels: TunnelSelection[],
): Finding[] {
  const configs: AnalyzedConfig[] = files.flatMap((file) => {
    const text = texts.get(file);
    return text === undefined ? [] : [analyzeJunosConfig(text, { file })];
  });
  const [a, b] = configs;
  if (a === undefined || b === undefined) return configs.flatMap((c) => c.problems);
  return [...a.problems, ...b.problems, ...pairJunosConfigs(a, b, tunnels)].sort(compareFindings);
}

export function registerLintCommand(program: Command): void {
  program
    .command('lint')
    .description(
      'check Junos configuration files (curly or display-set form) against the IPsec rules samon knows',
    )
    .argument('<files...>', 'configuration files (show configuration, or | display set)')
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'),
    )
    .option('--pair', 'the two files are the two ends of a tunnel: predict the negotiation')
    .option(
      '--tunnel <A-VPN:B-VPN>',
      'with --pair: the tunnels to compare (repeatable; default: the tunnels whose gateway addresses point at each other)',
      parseSelection,
    )
    .addHelpText(
      'after',
      '\nOutput: file:line: severity: rule: message (severity error, warning or info).\nExit status: 0 no errors, 1 errors found, 2 unreadable input.\nRules: docs/junos-config.md',
    )
    .action(async (files: string[], options: LintOptions) => {
      if (options.pair === true && files.length !== 2) {
        throw new CliExit(
          2,
          `samon lint --pair expects exactly two files (the two ends), got ${files.length}`,
        );
      }
      const named = options.tunnel ?? [];
      if (options.pair !== true && named.length > 0) {
        throw new CliExit(2, 'samon lint: --tunnel only applies with --pair');
      }
      const tunnels = selections(named);
      const { texts, unreadable } = await readAll(files);
      const findings = options.pair === true ? pairFiles(texts, files, tunnels) : lintFiles(texts);
      const output = findings.map((f) => `${formatFinding(f, options.format)}\n`).join('');
      if (output !== '') process.stdout.write(output);
      if (unreadable) throw new CliExit(2);
      if (findings.some((f) => f.severity === 'error')) throw new CliExit(1);
    });
}
