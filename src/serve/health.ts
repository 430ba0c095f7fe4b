import type { Registry } from 'prom-client';
import { json, type HttpServer } from './http.js';
import { renderMetrics, type MetricsBlock } from './metrics/index.js';

export interface Readiness {
  /** Ready when the projector has caught up with the log (contracts.md: /readyz 503 until then). */
  check(): { ready: boolean; reason: string } | Promise<{ ready: boolean; reason: string }>;
}

/** `/healthz` (the process answers), `/readyz` (caught up), `/metrics` (Prometheus text). */
export function registerHealthRoutes(
  http: HttpServer,
  deps: { readiness: Readiness; registry: Registry; metrics?: MetricsBlock },
): void {
  http.route({ method: 'GET', path: '/healthz', handler: () => json(200, { status: 'ok' }) });
  http.route({
    method: 'GET',
    path: '/readyz',
    handler: async () => {
      const { ready, reason } = await deps.readiness.check();
      return json(ready ? 200 : 503, { status: ready ? 'ready' : 'not-ready', reason });
    },
  });
  http.route({
    method: 'GET',
    path: '/metrics',
    handler: async () => ({ status: 200, ...(await renderMetrics(deps.registry, deps.metrics)) }),
  });
}
