// The samon dashboards, as the JSON files in dashboards/ (file name → dashboard JSON).
// `npm run dashboards` writes them; test/deploy/dashboards.unit.test.ts checks the committed
// files are what this produces.
import { finish } from './common.js';
import { nocOverview } from './nocOverview.js';
import { pipelineHealth } from './pipelineHealth.js';
import { tunnel } from './tunnel.js';

export { DATASOURCE, SCHEMA_VERSION, TUNNEL_STATE_CODES, UIDS } from './common.js';

export function buildDashboards(): Record<string, Record<string, unknown>> {
  return {
    'samon-noc-overview.json': finish(nocOverview()),
    'samon-tunnel.json': finish(tunnel()),
    'samon-pipeline-health.json': finish(pipelineHealth()),
  };
}

/** The exact text of a dashboard file (2-space JSON, newline at the end). */
export function render(dashboard: Record<string, unknown>): string {
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}
