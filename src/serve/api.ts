import type { LifecycleEvent } from '../domain/index.js';
import type { TunnelStateRow } from '../domain/sa/index.js';
import { json, text, type HttpServer } from './http.js';
import { renderTimelinePage } from './timelinePage.js';

export interface TunnelDirectory {
  /** Current state rows of every tunnel, sorted by tunnel id. */
  rows(): TunnelStateRow[];
  /** Lifecycle events of the given tunnel ids (a tunnel and its aliases) in [from, to). */
  timeline(ids: readonly string[], from?: number, to?: number): Promise<LifecycleEvent[]>;
}

function findRow(directory: TunnelDirectory, id: string): TunnelStateRow | undefined {
  return directory.rows().find((row) => row.tunnel === id || (row.aliases ?? []).includes(id));
}

function timeParam(url: URL, name: string): number | undefined | Error {
  const value = url.searchParams.get(name);
  if (value === null || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? new Error(`${name}: not an RFC 3339 time: ${value}`) : ms;
}

/** contracts.md HTTP API: tunnels, one tunnel, its timeline (JSON), and the timeline page. */
export function registerApiRoutes(http: HttpServer, directory: TunnelDirectory): void {
  http.route({ method: 'GET', path: '/api/tunnels', handler: () => json(200, directory.rows()) });
  http.route({
    method: 'GET',
    path: '/api/tunnels/{id}',
    handler: ({ params }) => {
      const row = findRow(directory, params.id ?? '');
      return row
        ? json(200, row)
        : json(404, { error: `no tunnel ${params.id ?? ''} (GET /api/tunnels lists them)` });
    },
  });
  const timeline = async (id: string, url: URL) => {
    const from = timeParam(url, 'from');
    const to = timeParam(url, 'to');
    if (from instanceof Error) return { error: from.message };
    if (to instanceof Error) return { error: to.message };
    const row = findRow(directory, id);
    const ids = row ? [row.tunnel, ...(row.aliases ?? [])] : [id];
    return { row, events: await directory.timeline(ids, from, to) };
  };
  http.route({
    method: 'GET',
    path: '/api/tunnels/{id}/timeline',
    handler: async ({ params, url }) => {
      const result = await timeline(params.id ?? '', url);
      if ('error' in result) return json(400, { error: result.error });
      if (!result.row && result.events.length === 0)
        return json(404, { error: `no tunnel ${params.id ?? ''}` });
      return json(200, result.events);
    },
  });
  http.route({
    method: 'GET',
    path: '/timeline/{id}',
    handler: async ({ params, url }) => {
      const result = await timeline(params.id ?? '', url);
      if ('error' in result) return text(400, `${result.error}\n`);
      const status = !result.row && result.events.length === 0 ? 404 : 200;
      return text(
        status,
        renderTimelinePage(params.id ?? '', result.row, result.events),
        'text/html; charset=utf-8',
      );
    },
  });
}
