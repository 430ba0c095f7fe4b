import type { LifecycleEvent } from '../../domain/index.js';
import { describe, humanTime, title } from '../replayFormat.js';

export interface MarkdownSection {
  /** The tunnel the section is about (its id now). */
  readonly tunnel: string;
  /** Other ids of the same tunnel whose events are included. */
  readonly aliases?: readonly string[];
  /** The window asked for, RFC 3339; omitted ends are open. */
  readonly from?: string;
  readonly to?: string;
  /** Heading level of the section (default 2). */
  readonly level?: number;
}

/** Text safe in a GitHub-flavoured Markdown table cell or paragraph. */
export function escapeMarkdown(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/[\\`*_~[\]<>|#]/g, (c) => `\\${c}`);
}

/** A code span that survives backticks inside the text. */
export function codeSpan(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return longest > 0 ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

/** A fenced code block that no line of the text can close early. */
export function codeBlock(lines: readonly string[]): string {
  const longest = Math.max(0, ...lines.flatMap((l) => l.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [fence, ...lines, fence].join('\n');
}

const heading = (e: LifecycleEvent) => `${title(e)}${e.inferred ? ' *(inferred)*' : ''}`;

function window(section: MarkdownSection): string {
  if (section.from && section.to) return `from ${section.from} to ${section.to}`;
  if (section.from) return `from ${section.from} on`;
  if (section.to) return `up to ${section.to}`;
  return 'over the whole log';
}

/**
 * A postmortem section for one tunnel: a heading, what it covers, a table of its lifecycle
 * events (numbered), and the evidence of each event — raw syslog lines or observation ids —
 * in code blocks under the same numbers.
 */
export function renderMarkdown(
  events: readonly LifecycleEvent[],
  section: MarkdownSection,
): string {
  return `${lines(events, section).join('\n').trimEnd()}\n`;
}

function lines(events: readonly LifecycleEvent[], section: MarkdownSection): string[] {
  const level = '#'.repeat(section.level ?? 2);
  const aliases = section.aliases ?? [];
  const several = new Set(events.map((e) => e.tunnel ?? e.router)).size > 1;
  const out: string[] = [`${level} Tunnel ${codeSpan(section.tunnel)}`, ''];
  const known = aliases.length
    ? ` Also known as ${aliases.map(codeSpan).join(', ')}; their events are included.`
    : '';
  const count = `${events.length} lifecycle event${events.length === 1 ? '' : 's'}`;
  out.push(
    `${count} ${window(section)} (times in UTC).${known} *Inferred* events are conclusions ` +
      'samon drew from the evidence shown with them: Junos logs no line for an expiry or a missed rekey.',
    '',
  );
  if (events.length === 0) return out;
  out.push(
    `| # | time (UTC) |${several ? ' tunnel |' : ''} event | details |`,
    `|--:|---|${several ? '---|' : ''}---|---|`,
  );
  events.forEach((e, i) => {
    const tunnel = several ? ` ${codeSpan(e.tunnel ?? e.router)} |` : '';
    out.push(
      `| ${i + 1} | ${humanTime(e.at)} |${tunnel} ${heading(e)} | ${escapeMarkdown(describe(e))} |`,
    );
  });
  out.push('', `${level}# Evidence`, '');
  events.forEach((e, i) => {
    out.push(`${i + 1}. ${humanTime(e.at)}, ${heading(e)}:`, '');
    out.push(e.evidence.length ? codeBlock(e.evidence) : '_No evidence recorded._', '');
  });
  return out;
}
