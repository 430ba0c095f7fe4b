// The committed dashboards/*.json are exactly what dashboards/src generates (`npm run
// dashboards`), they are well-formed for Grafana's file provider, and they use the provisioned
// datasource.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  DATASOURCE,
  TUNNEL_STATE_CODES,
  buildDashboards,
  render,
} from '../../dashboards/src/index.js';
import { DASHBOARDS_DIR, ROOT, filesIn, readYaml, recordingRules } from './deployFiles.js';

type Json = Record<string, unknown>;
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: { refId?: string; expr?: string; datasource?: { uid: string } }[];
  panels?: Panel[];
  fieldConfig?: { defaults?: { mappings?: Json[] } };
}

const generated = buildDashboards();
const committed = filesIn(DASHBOARDS_DIR, '.json')
  .map((path) => basename(path))
  .filter((name) => name !== 'tsconfig.json');

function panelsOf(dashboard: Json): Panel[] {
  const top = (dashboard.panels ?? []) as Panel[];
  return top.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

describe('generated dashboards', () => {
  it('the committed files are exactly the generated ones (run `npm run dashboards`)', () => {
    expect(committed.sort()).toEqual(Object.keys(generated).sort());
    for (const [name, json] of Object.entries(generated)) {
      const onDisk = readFileSync(join(DASHBOARDS_DIR, name), 'utf8');
      expect(onDisk, `${name} is stale: run npm run dashboards`).toBe(render(json));
    }
  });

  it('have distinct uids and titles', () => {
    const all = Object.values(generated);
    expect(new Set(all.map((d) => d.uid)).size).toBe(all.length);
    expect(new Set(all.map((d) => d.title)).size).toBe(all.length);
    expect(Object.keys(generated).sort()).toEqual(
      ['samon-noc-overview.json', 'samon-pipeline-health.json', 'samon-tunnel.json'].sort(),
    );
  });

  describe.each(Object.entries(generated))('%s', (_, dashboard) => {
    const panels = panelsOf(dashboard);

    it('is a current-schema dashboard for the file provider', () => {
      expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
      expect(dashboard.schemaVersion).toBeLessThanOrEqual(41);
      expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
      expect(dashboard.id).toBeNull();
      expect(dashboard.editable).toBe(false);
      expect((dashboard.templating as { list: unknown[] }).list).toBeInstanceOf(Array);
      expect((dashboard.annotations as { list: unknown[] }).list).toHaveLength(1);
      expect(panels.length).toBeGreaterThan(5);
    });

    it('numbers its panels uniquely and lays them out without overlap on 24 columns', () => {
      expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
      for (const a of panels) {
        expect(a.gridPos.x + a.gridPos.w, a.title).toBeLessThanOrEqual(24);
        for (const b of panels) {
          if (a === b) continue;
          const overlap =
            a.gridPos.x < b.gridPos.x + b.gridPos.w &&
            b.gridPos.x < a.gridPos.x + a.gridPos.w &&
            a.gridPos.y < b.gridPos.y + b.gridPos.h &&
            b.gridPos.y < a.gridPos.y + a.gridPos.h;
          expect(overlap, `"${a.title}" overlaps "${b.title}"`).toBe(false);
        }
      }
    });

    it('queries only the provisioned datasource, with a refId and an expression each', () => {
      for (const panel of panels.filter((p) => p.type !== 'row')) {
        expect(panel.title).toBeTruthy();
        expect(panel.datasource, panel.title).toEqual(DATASOURCE);
        const targets = panel.targets ?? [];
        expect(targets.length, panel.title).toBeGreaterThan(0);
        expect(new Set(targets.map((t) => t.refId)).size, panel.title).toBe(targets.length);
        for (const target of targets) {
          expect(target.datasource?.uid, panel.title).toBe(DATASOURCE.uid);
          expect(target.expr?.trim(), panel.title).toBeTruthy();
          expect(target.refId, panel.title).toMatch(/^[A-Z]$/);
        }
      }
      for (const variable of (dashboard.templating as { list: Json[] }).list) {
        if (variable.type === 'query') expect(variable.datasource).toEqual(DATASOURCE);
      }
    });
  });
});

describe('Tunnel dashboard', () => {
  const dashboard = generated['samon-tunnel.json'] as Json;
  const variables = (dashboard.templating as { list: Json[] }).list;

  it('has router and tunnel variables from label_values, and the samon base URL', () => {
    const byName: Record<string, Json | undefined> = Object.fromEntries(
      variables.map((v) => [String(v.name), v]),
    );
    expect(byName.router?.query).toMatch(/^label_values\(samon_\w+, router\)$/);
    expect(byName.tunnel?.query).toMatch(
      /^label_values\(samon_\w+\{router="\$router"\}, tunnel\)$/,
    );
    expect(byName.samon_url?.type).toBe('textbox');
  });

  it('links to samon’s timeline page of the tunnel', () => {
    const links = dashboard.links as { url?: string }[];
    expect(links.map((l) => l.url)).toContain('${samon_url}/timeline/${tunnel:percentencode}');
  });

  it('every panel is filtered to the selected tunnel', () => {
    for (const panel of panelsOf(dashboard).filter((p) => p.type !== 'row')) {
      for (const target of panel.targets ?? []) {
        expect(target.expr, panel.title).toContain('router="$router", tunnel="$tunnel"');
      }
    }
  });

  it('maps the state codes of the recording rule tunnel:samon_tunnel_state:code', () => {
    const rule = recordingRules().find((r) => r.record === 'tunnel:samon_tunnel_state:code');
    const fromRule = [...(rule?.expr ?? '').matchAll(/state="([^"]+)"\}\s*\*\s*(\d+)/g)]
      .map((m) => ({ state: m[1], code: Number(m[2]) }))
      .sort((a, b) => a.code - b.code);
    expect(fromRule).toEqual(TUNNEL_STATE_CODES.map(({ state, code }) => ({ state, code })));

    const timeline = panelsOf(dashboard).find((p) => p.type === 'state-timeline');
    expect(timeline?.targets?.[0]?.expr).toContain('tunnel:samon_tunnel_state:code');
    const options = timeline?.fieldConfig?.defaults?.mappings?.[0]?.options as Record<
      string,
      { text: string }
    >;
    for (const { code, state } of TUNNEL_STATE_CODES)
      expect(options[String(code)]?.text).toBe(state);
  });
});

describe('Grafana provisioning', () => {
  const dir = join(ROOT, 'deploy', 'grafana', 'provisioning');

  it('provides the Prometheus datasource the dashboards reference', () => {
    const file = readYaml<{ apiVersion: number; datasources: Json[] }>(
      join(dir, 'datasources', 'samon.yml'),
    );
    expect(file.apiVersion).toBe(1);
    expect(file.datasources).toHaveLength(1);
    expect(file.datasources[0]).toMatchObject({
      uid: DATASOURCE.uid,
      type: DATASOURCE.type,
      access: 'proxy',
      url: 'http://prometheus:9090',
    });
  });

  it('loads the dashboards from /var/lib/grafana/dashboards', () => {
    const file = readYaml<{ apiVersion: number; providers: Json[] }>(
      join(dir, 'dashboards', 'samon.yml'),
    );
    expect(file.apiVersion).toBe(1);
    expect(file.providers[0]).toMatchObject({
      type: 'file',
      options: { path: '/var/lib/grafana/dashboards' },
    });
  });
});
