// Shared pieces of samon's dashboards: the datasource, query and panel defaults, the tunnel state
// codes, and the finishing pass every dashboard goes through.
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TableBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

/** The datasource provisioned by deploy/grafana/provisioning/datasources/samon.yml. */
export const DATASOURCE: common.DataSourceRef = { type: 'prometheus', uid: 'samon-prometheus' };

/**
 * Dashboard JSON schema version written into every dashboard (Grafana 12.0's). Newer Grafana
 * versions migrate it forward on load; the SDK's own default (42) would be skipped by older ones.
 */
export const SCHEMA_VERSION = 41;

/** Tags shared by all samon dashboards (dashboard links list them by tag). */
export const TAGS = ['samon', 'ipsec'];

/** Uids: stable URLs (/d/<uid>) and cross-links. */
export const UIDS = {
  noc: 'samon-noc-overview',
  tunnel: 'samon-tunnel',
  pipeline: 'samon-pipeline-health',
} as const;

/**
 * Codes of the recording rule `tunnel:samon_tunnel_state:code`
 * (deploy/prometheus/rules/samon-recording.yml): keep both in step.
 */
export const TUNNEL_STATE_CODES: readonly { code: number; state: string; color: string }[] = [
  { code: 0, state: 'unknown', color: 'text' },
  { code: 1, state: 'up', color: 'green' },
  { code: 2, state: 'rekeying', color: 'blue' },
  { code: 3, state: 'down', color: 'red' },
  { code: 4, state: 'expected-but-absent', color: 'orange' },
];

export const tunnelStateMapping: dashboard.ValueMapping = {
  type: dashboard.MappingType.ValueToText,
  options: Object.fromEntries(
    TUNNEL_STATE_CODES.map(({ code, state, color }, index) => [
      String(code),
      { text: state, color, index },
    ]),
  ),
};

/** A 0/1 gauge shown as two words. */
export function flagMapping(zero: [string, string], one: [string, string]): dashboard.ValueMapping {
  return {
    type: dashboard.MappingType.ValueToText,
    options: {
      '0': { text: zero[0], color: zero[1], index: 0 },
      '1': { text: one[0], color: one[1], index: 1 },
    },
  };
}

/** A range query. */
export function query(expr: string, legend?: string): prometheus.DataqueryBuilder {
  const q = new prometheus.DataqueryBuilder()
    .datasource(DATASOURCE)
    .editorMode(prometheus.QueryEditorMode.Code)
    .expr(expr)
    .range();
  return legend === undefined ? q : q.legendFormat(legend);
}

/** An instant query whose result is a table (one row per series). */
export function tableQuery(expr: string, refId = 'A'): prometheus.DataqueryBuilder {
  return new prometheus.DataqueryBuilder()
    .datasource(DATASOURCE)
    .editorMode(prometheus.QueryEditorMode.Code)
    .expr(expr)
    .instant()
    .format(prometheus.PromQueryFormat.Table)
    .refId(refId);
}

/** Absolute thresholds: a base colour, then [value, colour] steps. */
export function thresholds(
  base: string,
  ...steps: [number, string][]
): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps([{ value: null, color: base }, ...steps.map(([value, color]) => ({ value, color }))]);
}

/** A single big number. */
export function stat(title: string, description: string): StatBuilder {
  return new StatBuilder()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .height(4)
    .span(4)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.None)
    .textMode(common.BigValueTextMode.Auto);
}

/** A time series panel with a table legend. */
export function timeseries(title: string, description: string): TimeseriesBuilder {
  return new TimeseriesBuilder()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .height(8)
    .span(12)
    .lineWidth(1)
    .fillOpacity(10)
    .showPoints(common.VisibilityMode.Never)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.Table)
        .placement(common.LegendPlacement.Bottom)
        .calcs(['lastNotNull', 'max']),
    )
    .tooltip(
      new common.VizTooltipOptionsBuilder()
        .mode(common.TooltipDisplayMode.Multi)
        .sort(common.SortOrder.Descending),
    );
}

/** Counts per interval drawn as stacked bars. */
export function bars(title: string, description: string): TimeseriesBuilder {
  return timeseries(title, description)
    .drawStyle(common.GraphDrawStyle.Bars)
    .fillOpacity(80)
    .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
    .unit('short')
    .decimals(0);
}

/** A table of an instant query, with the Prometheus bookkeeping columns hidden. */
export function table(title: string, description: string): TableBuilder {
  return new TableBuilder()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .height(10)
    .span(12);
}

/** Hides Time/job/instance/__name__ and renames Value; keeps the other labels as columns. */
export function organize(
  valueName: string,
  order: readonly string[],
  valueField = 'Value',
): dashboard.DataTransformerConfig {
  return {
    id: 'organize',
    options: {
      excludeByName: { Time: true, __name__: true, job: true, instance: true },
      renameByName: { [valueField]: valueName },
      indexByName: Object.fromEntries([...order, valueField].map((name, index) => [name, index])),
    },
  };
}

/** A field data link to the Tunnel dashboard for the row's router and tunnel (table columns). */
export function tunnelDataLink(): { title: string; url: string; targetBlank: boolean } {
  return {
    title: 'Tunnel dashboard',
    url: `/d/${UIDS.tunnel}/?var-router=\${__data.fields.router}&var-tunnel=\${__data.fields.tunnel}&\${__url_time_range}`,
    targetBlank: false,
  };
}

/** The links bar shared by all samon dashboards. */
export function samonDashboardsLink(): dashboard.DashboardLinkBuilder {
  return new dashboard.DashboardLinkBuilder('samon dashboards')
    .type(dashboard.DashboardLinkType.Dashboards)
    .tags(['samon'])
    .asDropdown(true)
    .includeVars(false)
    .keepTime(true);
}

type Json = Record<string, unknown>;

/** Grafana's own "Annotations & Alerts" entry, which every saved dashboard carries. */
const BUILT_IN_ANNOTATIONS = {
  builtIn: 1,
  datasource: { type: 'grafana', uid: '-- Grafana --' },
  enable: true,
  hide: true,
  iconColor: 'rgba(0, 211, 255, 1)',
  name: 'Annotations & Alerts',
  type: 'dashboard',
};

/**
 * Finishing pass: panel ids in layout order (rows and the panels inside collapsed rows too), a
 * refId on every query, the lists Grafana expects even when empty, and the schema version.
 */
export function finish(built: dashboard.Dashboard): Json {
  const json = JSON.parse(JSON.stringify(built)) as Json;
  let id = 1;
  const number = (panels: unknown): void => {
    if (!Array.isArray(panels)) return;
    for (const panel of panels as Json[]) {
      panel.id = id++;
      if (Array.isArray(panel.targets)) {
        (panel.targets as Json[]).forEach((target, index) => {
          target.refId ??= String.fromCharCode(65 + index);
        });
      }
      number(panel.panels);
    }
  };
  number(json.panels);
  // The SDK puts every link "inControlsMenu" (a Grafana 12 dropdown); samon's links belong in the
  // dashboard's link bar, where all Grafana versions show them by default.
  if (Array.isArray(json.links)) for (const link of json.links as Json[]) delete link.placement;
  json.annotations = { list: [BUILT_IN_ANNOTATIONS] };
  json.templating = { list: (json.templating as { list?: unknown[] } | undefined)?.list ?? [] };
  json.schemaVersion = SCHEMA_VERSION;
  json.id = null;
  return json;
}
