import type { LifecycleEvent } from '../../domain/index.js';
import { describe, humanTime } from '../replayFormat.js';

export interface TableOptions {
  /** Columns to fit (default 120): the details column is cut to fit. */
  readonly width?: number;
  /** Add a tunnel column (events of several tunnels, or of a tunnel and its aliases). */
  readonly tunnel?: boolean;
}

const TIME = 23; // 2026-11-27 09:18:51.000
const EVENT = 22; // CertificateCheckFailed
const HOW = 8; // inferred | observed
const MAX_TUNNEL = 28;
const MIN_DETAILS = 20;
const GAP = '  ';

/** Cuts text to `width` characters, marking the cut with an ellipsis. */
export function fit(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  return width <= 0 ? '' : `${chars.slice(0, width - 1).join('')}…`;
}

const pad = (text: string, width: number) =>
  text + ' '.repeat(Math.max(0, width - [...text].length));

/**
 * Lifecycle events as `samon replay --format table` shows them (time, [tunnel,] event, inferred
 * or observed, details), in fixed columns so that every line fits `width`: the details are cut
 * with an ellipsis, tunnel ids beyond 28 characters (or what a narrow width leaves) too.
 */
export function renderTable(events: readonly LifecycleEvent[], options: TableOptions = {}): string {
  const width = options.width ?? 120;
  const fixed = TIME + EVENT + HOW + GAP.length * 3;
  const longestTunnel = Math.max(6, ...events.map((e) => [...(e.tunnel ?? e.router)].length));
  // The tunnel column gives way to the details, down to 6 characters.
  const tunnelWidth = options.tunnel
    ? Math.max(6, Math.min(MAX_TUNNEL, longestTunnel, width - fixed - GAP.length - MIN_DETAILS))
    : 0;
  const columns = [TIME, ...(options.tunnel ? [tunnelWidth] : []), EVENT, HOW];
  const detailsWidth = Math.max(
    MIN_DETAILS,
    width - columns.reduce((sum, w) => sum + w + GAP.length, 0),
  );
  const row = (cells: readonly string[], details: string) =>
    fit(
      [
        ...cells.map((cell, i) => pad(fit(cell, columns[i]!), columns[i]!)),
        fit(details, detailsWidth),
      ]
        .join(GAP)
        .trimEnd(),
      width,
    );
  const tunnel = (cell: string) => (options.tunnel ? [cell] : []);
  const lines = [row(['TIME (UTC)', ...tunnel('TUNNEL'), 'EVENT', 'HOW'], 'DETAILS')];
  for (const e of events) {
    lines.push(
      row(
        [
          humanTime(e.at),
          ...tunnel(e.tunnel ?? e.router),
          e.type,
          e.inferred ? 'inferred' : 'observed',
        ],
        describe(e),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
