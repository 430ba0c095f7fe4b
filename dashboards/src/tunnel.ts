// Tunnel: one tunnel's lifecycle — state over time, the deadlines of its current SAs (each
// sawtooth reset is a new SA generation), rekeys by outcome and lead, failures — with a link to
// samon's own timeline page for the evidence.
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as StateTimelineBuilder } from '@grafana/grafana-foundation-sdk/statetimeline';

import {
  DATASOURCE,
  TAGS,
  UIDS,
  bars,
  flagMapping,
  query,
  samonDashboardsLink,
  stat,
  thresholds,
  timeseries,
  tunnelStateMapping,
} from './common.js';

/** Label matchers of the selected tunnel. */
const SEL = 'router="$router", tunnel="$tunnel"';

function stateTimeline(title: string, description: string): StateTimelineBuilder {
  return new StateTimelineBuilder()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .span(24)
    .mergeValues(true)
    .showValue(common.VisibilityMode.Auto)
    .rowHeight(0.8)
    .fillOpacity(80)
    .lineWidth(0)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.List)
        .placement(common.LegendPlacement.Bottom),
    );
}

export function tunnel(): dashboard.Dashboard {
  return (
    new dashboard.DashboardBuilder('samon / Tunnel')
      .uid(UIDS.tunnel)
      .description('One IPsec tunnel: state, SA generations and deadlines, rekeys, failures.')
      .tags(TAGS)
      .time({ from: 'now-24h', to: 'now' })
      .refresh('1m')
      .timezone('utc')
      .readonly()
      .withVariable(
        new dashboard.TextBoxVariableBuilder('samon_url')
          .label('samon base URL')
          .description('Where samon serves its HTTP API and pages (the timeline link uses it).')
          .defaultValue('http://samon:9464'),
      )
      .withVariable(
        new dashboard.QueryVariableBuilder('router')
          .label('Router')
          .datasource(DATASOURCE)
          .query('label_values(samon_tunnel_up, router)')
          .definition('label_values(samon_tunnel_up, router)')
          .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
          .sort(dashboard.VariableSort.AlphabeticalCaseInsensitiveAsc),
      )
      .withVariable(
        new dashboard.QueryVariableBuilder('tunnel')
          .label('Tunnel')
          .datasource(DATASOURCE)
          .query('label_values(samon_tunnel_up{router="$router"}, tunnel)')
          .definition('label_values(samon_tunnel_up{router="$router"}, tunnel)')
          .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
          .sort(dashboard.VariableSort.AlphabeticalCaseInsensitiveAsc),
      )
      .link(
        new dashboard.DashboardLinkBuilder('samon timeline of $tunnel')
          .type(dashboard.DashboardLinkType.Link)
          .icon('external link')
          .tooltip('Lifecycle events of this tunnel with their evidence (samon /timeline page)')
          .url('${samon_url}/timeline/${tunnel:percentencode}')
          .targetBlank(true)
          .includeVars(false)
          .keepTime(false),
      )
      .link(samonDashboardsLink())

      // -------------------------------------------------------------------------------------------
      .withRow(new dashboard.RowBuilder('Now'))
      .withPanel(
        stat(
          'State',
          'Current state (StateSet samon_tunnel_state, via the state-code recording rule).',
        )
          .withTarget(query(`tunnel:samon_tunnel_state:code{${SEL}}`))
          .mappings([tunnelStateMapping])
          .colorMode(common.BigValueColorMode.Background),
      )
      .withPanel(
        stat(
          'IPsec hard deadline in',
          "Time left on each direction's current IPsec SA. A healthy SA is replaced at its soft deadline (hard − 135 s initiator, − 90 s responder).",
        )
          .withTarget(
            query(
              `samon_ipsec_sa_hard_deadline_timestamp_seconds{${SEL}} - time()`,
              '{{direction}}',
            ),
          )
          .unit('s')
          .thresholds(thresholds('red', [75, 'orange'], [135, 'green'])),
      )
      .withPanel(
        stat('IKE hard deadline in', 'Time left on the current IKE (phase 1) SA.')
          .withTarget(query(`samon_ike_sa_hard_deadline_timestamp_seconds{${SEL}} - time()`))
          .unit('s')
          .thresholds(thresholds('red', [300, 'green'])),
      )
      .withPanel(
        stat('Last IPsec rekey', 'When the tunnel last replaced an IPsec SA.')
          .withTarget(query(`samon_tunnel_last_rekey_timestamp_seconds{${SEL}} * 1000`))
          .unit('dateTimeFromNow')
          .colorMode(common.BigValueColorMode.None),
      )
      .withPanel(
        stat(
          'IPsec SA lifetime',
          'Lifetime of the current IPsec SA per direction (configured or negotiated).',
        )
          .withTarget(query(`samon_ipsec_sa_lifetime_seconds{${SEL}}`, '{{direction}}'))
          .unit('s')
          .colorMode(common.BigValueColorMode.None),
      )
      .withPanel(
        stat(
          'Lifetime source',
          '"assumed": samon uses the Junos default (28 800 s) because neither the imported configuration nor SNMP told it the lifetime, so the deadlines are estimates. Import the router configuration to fix.',
        )
          .withTarget(query(`max(samon_ipsec_sa_lifetime_assumed{${SEL}})`))
          .mappings([flagMapping(['known', 'green'], ['assumed', 'orange'])]),
      )

      // -------------------------------------------------------------------------------------------
      .withRow(new dashboard.RowBuilder('Lifecycle'))
      .withPanel(
        stateTimeline(
          'Tunnel state',
          'State over time. rekeying (blue) is a rekey overlap: traffic flows, it is not down.',
        )
          .height(5)
          .withTarget(query(`tunnel:samon_tunnel_state:code{${SEL}}`, 'state'))
          .mappings([tunnelStateMapping])
          .thresholds(thresholds('text')),
      )
      .withPanel(
        stateTimeline(
          'Rekey overdue',
          'Per direction: overdue from soft deadline + grace until a successor or expiry.',
        )
          .height(5)
          .withTarget(query(`samon_ipsec_sa_rekey_overdue{${SEL}}`, '{{direction}}'))
          .mappings([flagMapping(['ok', 'green'], ['overdue', 'red'])])
          .thresholds(thresholds('text')),
      )
      .withPanel(
        timeseries(
          'Time to deadlines (current SA generation)',
          'Seconds until the soft and hard deadlines of the current SAs. Each jump up is a new SA generation (a rekey); the low point just before it is how close the old SA came to its hard deadline (the rekey lead).',
        )
          .span(24)
          .height(9)
          .withTarget(
            query(
              `samon_ipsec_sa_hard_deadline_timestamp_seconds{${SEL}} - time()`,
              'IPsec hard {{direction}}',
            ),
          )
          .withTarget(
            query(
              `samon_ipsec_sa_soft_deadline_timestamp_seconds{${SEL}} - time()`,
              'IPsec soft {{direction}}',
            ),
          )
          .withTarget(
            query(`samon_ike_sa_hard_deadline_timestamp_seconds{${SEL}} - time()`, 'IKE hard'),
          )
          .withTarget(
            query(`samon_ike_sa_soft_deadline_timestamp_seconds{${SEL}} - time()`, 'IKE soft'),
          )
          .unit('s')
          .fillOpacity(0)
          .overrideByRegexp('.*soft.*', [
            { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } },
          ]),
      )
      .withPanel(
        timeseries(
          'Rekey lead',
          "Lead of each IPsec rekey: the old SA's hard deadline minus the time the successor came up. Below 135 s (initiator) / 90 s (responder) the rekey came after the soft deadline; below 75 s it was late.",
        )
          .withTarget(query(`samon_tunnel_last_rekey_lead_seconds{${SEL}}`, 'lead'))
          .unit('s')
          .thresholds(thresholds('red', [75, 'orange'], [135, 'green']))
          .thresholdsStyle(
            new common.GraphThresholdsStyleConfigBuilder().mode(
              common.GraphThresholdsStyleMode.Dashed,
            ),
          )
          .showPoints(common.VisibilityMode.Always)
          .lineInterpolation(common.LineInterpolation.StepAfter),
      )
      .withPanel(
        bars('Rekeys by outcome', 'IPsec rekeys on-time / late, and IKE rekeys, per interval.')
          .withTarget(
            query(
              `sum by (outcome) (increase(samon_ipsec_sa_rekeys_total{${SEL}}[$__rate_interval]))`,
              'IPsec {{outcome}}',
            ),
          )
          .withTarget(
            query(`sum(increase(samon_ike_sa_rekeys_total{${SEL}}[$__rate_interval]))`, 'IKE'),
          )
          .overrideByName('IPsec late', [
            { id: 'color', value: { mode: 'fixed', fixedColor: 'orange' } },
          ])
          .overrideByName('IPsec on-time', [
            { id: 'color', value: { mode: 'fixed', fixedColor: 'green' } },
          ]),
      )

      // -------------------------------------------------------------------------------------------
      .withRow(new dashboard.RowBuilder('Failures'))
      .withPanel(
        bars(
          'Negotiation failures',
          'Failed IKE (phase 1) and IPsec (phase 2) negotiations of this tunnel, by reason.',
        ).withTarget(
          query(
            `sum by (phase, reason) (increase(samon_negotiation_failures_total{${SEL}}[$__rate_interval]))`,
            '{{phase}} {{reason}}',
          ),
        ),
      )
      .withPanel(
        bars(
          'Expirations and invalid-SPI episodes',
          'SAs that reached their hard deadline with no successor, and invalid-SPI episodes started / recovered.',
        )
          .withTarget(
            query(
              `sum(increase(samon_ipsec_sa_expirations_total{${SEL}}[$__rate_interval]))`,
              'IPsec SA expired',
            ),
          )
          .withTarget(
            query(
              `sum(increase(samon_ike_sa_expirations_total{${SEL}}[$__rate_interval]))`,
              'IKE SA expired',
            ),
          )
          .withTarget(
            query(
              `sum by (outcome) (increase(samon_invalid_spi_episodes_total{${SEL}}[$__rate_interval]))`,
              'invalid SPI {{outcome}}',
            ),
          ),
      )
      .build()
  );
}
