// Writes dashboards/*.json from dashboards/src (run through `npm run dashboards`, from the
// repository root). Generated files (samon-*.json) no longer produced are removed.
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { buildDashboards, render } from './src/index.js';

const outDir = resolve(process.argv[2] ?? 'dashboards');
const dashboards = buildDashboards();

for (const name of readdirSync(outDir)) {
  if (name.startsWith('samon-') && name.endsWith('.json') && !(name in dashboards)) {
    rmSync(join(outDir, name));
    console.log(`removed ${join(outDir, name)}`);
  }
}
for (const [name, json] of Object.entries(dashboards)) {
  writeFileSync(join(outDir, name), render(json));
  console.log(`wrote ${join(outDir, name)}`);
}
