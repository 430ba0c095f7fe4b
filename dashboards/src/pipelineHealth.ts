// Pipeline health: samon itself — what comes in (syslog, SNMP), what it cannot parse, how fast the
// event log takes it, how far the projector is behind, and the Node.js process.
import * as common from '@grafana/grafana-foundation-sdk/common';
import { DashboardBuilder, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

import {
  TAGS,
  UIDS,
  bars,
  flagMapping,
  query,
  samonDashboardsLink,
  stat,
  thresholds,
  timeseries,
} from './common.js';

export function pipelineHealth(): dashboard.Dashboard {
  return (
    new DashboardBuilder('samon / Pipeline health')
      .uid(UIDS.pipeline)
      .description(
        'samon itself: collectors, event log, projector, SNMP polls and the Node.js process.',
      )
      .tags(TAGS)
      .time({ from: 'now-6h', to: 'now' })
      .refresh('1m')
      .timezone('utc')
      .readonly()
      .link(samonDashboardsLink())

      // -------------------------------------------------------------------------------------------
      .withRow(new RowBuilder('Now'))
      .withPanel(
        stat('samon', 'Whether Prometheus can scrape samon (up{job="samon"}).')
          .withTarget(query('min(up{job="samon"})'))
          .mappings([flagMapping(['DOWN', 'red'], ['UP', 'green'])]),
      )
      .withPanel(
        stat('Version', 'samon version (samon_build_info).')
          .withTarget(query('samon_build_info', '{{version}}'))
          .textMode(common.BigValueTextMode.Name)
          .colorMode(common.BigValueColorMode.None),
      )
      .withPanel(
        stat(
          'Projector lag',
          'Age of the oldest observation not yet folded (0 when caught up). Alerts: > 60 s warning, > 300 s critical.',
        )
          .withTarget(query('max(samon_projector_lag_seconds)'))
          .unit('s')
          .thresholds(thresholds('green', [60, 'orange'], [300, 'red'])),
      )
      .withPanel(
        stat('Snapshot age', 'Time since the oldest partition snapshot. Alert: > 36 h.')
          .withTarget(query('max(samon_projector_snapshot_age_seconds)'))
          .unit('s')
          .thresholds(thresholds('green', [129600, 'orange'])),
      )
      .withPanel(
        stat('Queued records', 'Records waiting for the event log.')
          .withTarget(query('sum(samon_collector_queued_records)'))
          .unit('short')
          .thresholds(thresholds('green', [1000, 'orange'])),
      )
      .withPanel(
        stat(
          'Tunnels not exported',
          'Tunnels beyond metrics.maxTunnelSeries: no per-tunnel series, so no per-tunnel alert.',
        )
          .withTarget(query('max(samon_metrics_tunnel_series_dropped)'))
          .unit('short')
          .thresholds(thresholds('green', [1, 'orange'])),
      )

      // -------------------------------------------------------------------------------------------
      .withRow(new RowBuilder('Input'))
      .withPanel(
        timeseries(
          'Observations by kind',
          'Observations appended per second, by source (syslog, snmp, clock, …) and kind.',
        )
          .withTarget(
            query(
              'sum by (source, kind) (rate(samon_observations_total[$__rate_interval]))',
              '{{source}} {{kind}}',
            ),
          )
          .unit('ops'),
      )
      .withPanel(
        bars(
          'Unrecognized lines',
          'kmd/iked/pkid lines no catalog entry matched, by program and tag. A new tag usually means a Junos release with new messages: add a catalog entry.',
        ).withTarget(
          query(
            'sum by (program, tag) (increase(samon_unrecognized_lines_total[$__rate_interval]))',
            '{{program}} {{tag}}',
          ),
        ),
      )
      .withPanel(
        timeseries('Syslog messages', 'Syslog messages received and truncated per second.')
          .withTarget(
            query(
              'sum by (transport) (rate(samon_syslog_messages_received_total[$__rate_interval]))',
              'received {{transport}}',
            ),
          )
          .withTarget(
            query(
              'sum by (transport) (rate(samon_syslog_messages_truncated_total[$__rate_interval]))',
              'truncated {{transport}}',
            ),
          )
          .unit('ops'),
      )
      .withPanel(
        bars(
          'UDP datagrams dropped',
          'Syslog datagrams samon dropped because the event log could not keep up: lost evidence.',
        )
          .withTarget(
            query('sum(increase(samon_syslog_udp_dropped_total[$__rate_interval]))', 'dropped'),
          )
          .overrideByName('dropped', [
            { id: 'color', value: { mode: 'fixed', fixedColor: 'red' } },
          ]),
      )
      .withPanel(
        timeseries('Syslog connections', 'Open TCP and TLS syslog connections.')
          .withTarget(query('sum by (transport) (samon_syslog_connections)', '{{transport}}'))
          .unit('short')
          .decimals(0),
      )
      .withPanel(
        timeseries('Collector queue', 'Records waiting for the event log.')
          .withTarget(query('sum(samon_collector_queued_records)', 'queued'))
          .unit('short'),
      )

      // -------------------------------------------------------------------------------------------
      .withRow(new RowBuilder('Event log and projector'))
      .withPanel(
        timeseries('Log append latency', 'Time to append one batch durably (quantiles).')
          .withTarget(
            query(
              'histogram_quantile(0.5, sum by (le) (rate(samon_log_append_duration_seconds_bucket[$__rate_interval])))',
              'p50',
            ),
          )
          .withTarget(
            query(
              'histogram_quantile(0.99, sum by (le) (rate(samon_log_append_duration_seconds_bucket[$__rate_interval])))',
              'p99',
            ),
          )
          .withTarget(
            query(
              'sum(rate(samon_log_append_duration_seconds_sum[$__rate_interval])) / sum(rate(samon_log_append_duration_seconds_count[$__rate_interval]))',
              'mean',
            ),
          )
          .unit('s'),
      )
      .withPanel(
        bars('Log append failures', 'Appends the event log refused (kept and retried).')
          .withTarget(
            query('sum(increase(samon_log_append_failures_total[$__rate_interval]))', 'failures'),
          )
          .overrideByName('failures', [
            { id: 'color', value: { mode: 'fixed', fixedColor: 'red' } },
          ]),
      )
      .withPanel(
        timeseries(
          'Projector lag (seconds)',
          'Age of the oldest observation not yet folded. Deadline alerts arrive this much late.',
        )
          .withTarget(query('samon_projector_lag_seconds', '{{instance}}'))
          .unit('s')
          .thresholds(thresholds('green', [60, 'orange'], [300, 'red']))
          .thresholdsStyle(
            new common.GraphThresholdsStyleConfigBuilder().mode(
              common.GraphThresholdsStyleMode.Dashed,
            ),
          ),
      )
      .withPanel(
        timeseries(
          'Projector lag (records)',
          'Observations not yet folded (end offsets − positions).',
        )
          .withTarget(query('samon_projector_lag_records', '{{instance}}'))
          .unit('short'),
      )
      .withPanel(
        timeseries(
          'Folded observations and lifecycle events',
          'Observations folded per second, and lifecycle events emitted per second by type.',
        )
          .withTarget(
            query('sum(rate(samon_projector_observations_total[$__rate_interval]))', 'folded'),
          )
          .withTarget(
            query(
              'sum by (type) (rate(samon_lifecycle_events_total[$__rate_interval]))',
              '{{type}}',
            ),
          )
          .unit('ops'),
      )
      .withPanel(
        timeseries('Snapshot age', 'Time since the oldest partition snapshot.')
          .withTarget(query('samon_projector_snapshot_age_seconds', '{{instance}}'))
          .unit('s'),
      )

      // -------------------------------------------------------------------------------------------
      .withRow(new RowBuilder('SNMP'))
      .withPanel(
        bars('SNMP polls by outcome', 'SNMP polls per target, ok and error.').withTarget(
          query(
            'sum by (target, outcome) (increase(samon_snmp_polls_total[$__rate_interval]))',
            '{{target}} {{outcome}}',
          ),
        ),
      )
      .withPanel(
        timeseries('SNMP poll duration (p95)', '95th percentile of a poll, per target.')
          .withTarget(
            query(
              'histogram_quantile(0.95, sum by (target, le) (rate(samon_snmp_poll_duration_seconds_bucket[$__rate_interval])))',
              '{{target}}',
            ),
          )
          .unit('s'),
      )

      // -------------------------------------------------------------------------------------------
      .withRow(new RowBuilder('Process'))
      .withPanel(
        timeseries('CPU', 'CPU seconds per second used by the samon process.')
          .span(8)
          .withTarget(
            query('rate(process_cpu_seconds_total{job="samon"}[$__rate_interval])', '{{instance}}'),
          )
          .unit('percentunit'),
      )
      .withPanel(
        timeseries('Memory', 'Resident memory of the samon process.')
          .span(8)
          .withTarget(query('process_resident_memory_bytes{job="samon"}', '{{instance}}'))
          .unit('bytes'),
      )
      .withPanel(
        timeseries('Event loop lag (p99)', 'Node.js event loop delay, 99th percentile.')
          .span(8)
          .withTarget(query('nodejs_eventloop_lag_p99_seconds{job="samon"}', '{{instance}}'))
          .unit('s'),
      )
      .build()
  );
}
