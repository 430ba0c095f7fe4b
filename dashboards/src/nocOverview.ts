// NOC overview: the fleet at a glance. Everything aggregated across tunnels comes from the
// recording rules (deploy/prometheus/rules/samon-recording.yml) so a refresh stays cheap with
// 100 000 tunnels.
import * as common from '@grafana/grafana-foundation-sdk/common';
import { DashboardBuilder, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

import {
  TAGS,
  UIDS,
  bars,
  organize,
  query,
  samonDashboardsLink,
  stat,
  table,
  tableQuery,
  thresholds,
  timeseries,
  tunnelDataLink,
} from './common.js';

function tunnelsInState(state: string, title: string, color: dashboard.ThresholdsConfigBuilder) {
  return stat(
    title,
    `Tunnels in state \`${state}\` across the fleet (samon_router_tunnels, not capped by metrics.maxTunnelSeries).`,
  )
    .span(4)
    .withTarget(query(`sum(state:samon_router_tunnels:sum{state="${state}"}) or vector(0)`))
    .thresholds(color)
    .unit('short');
}

export function nocOverview(): dashboard.Dashboard {
  return (
    new DashboardBuilder('samon / NOC overview')
      .uid(UIDS.noc)
      .description('IPsec tunnels and SAs of the whole fleet as samon sees them.')
      .tags(TAGS)
      .time({ from: 'now-6h', to: 'now' })
      .refresh('1m')
      .timezone('utc')
      .readonly()
      .link(samonDashboardsLink())

      // -------------------------------------------------------------------------------------------
      .withRow(new RowBuilder('Tunnels'))
      .withPanel(tunnelsInState('up', 'Up', thresholds('green')))
      .withPanel(tunnelsInState('rekeying', 'Rekeying', thresholds('blue')))
      .withPanel(tunnelsInState('down', 'Down', thresholds('green', [1, 'red'])))
      .withPanel(
        tunnelsInState(
          'expected-but-absent',
          'Expected but absent',
          thresholds('green', [1, 'orange']),
        ),
      )
      .withPanel(tunnelsInState('unknown', 'Unknown', thresholds('text')))
      .withPanel(
        stat(
          'SAs overdue for rekey',
          'IPsec SAs past their soft deadline plus the rekey grace with no successor (samon_router_ipsec_sas{state="overdue"}).',
        )
          .withTarget(query('sum(state:samon_router_ipsec_sas:sum{state="overdue"}) or vector(0)'))
          .thresholds(thresholds('green', [1, 'red']))
          .unit('short'),
      )
      .withPanel(
        timeseries(
          'Tunnels by state',
          'Tunnel count per state over time. A healthy rekey shows as a short move from up to rekeying and back.',
        )
          .withTarget(query('state:samon_router_tunnels:sum', '{{state}}'))
          .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
          .height(10)
          .fillOpacity(40)
          .unit('short')
          .decimals(0)
          .overrideByName('up', [{ id: 'color', value: { mode: 'fixed', fixedColor: 'green' } }])
          .overrideByName('rekeying', [
            { id: 'color', value: { mode: 'fixed', fixedColor: 'blue' } },
          ])
          .overrideByName('down', [{ id: 'color', value: { mode: 'fixed', fixedColor: 'red' } }])
          .overrideByName('expected-but-absent', [
            { id: 'color', value: { mode: 'fixed', fixedColor: 'orange' } },
          ])
          .overrideByName('unknown', [
            { id: 'color', value: { mode: 'fixed', fixedColor: 'text' } },
          ]),
      )
      .withPanel(
        table(
          'SAs expiring soonest (no successor yet)',
          'The 25 current IPsec SAs closest to their hard deadline. The current SA is always the newest, so none of these has a successor yet: a healthy SA is replaced at its soft deadline (hard − 135 s initiator, − 90 s responder). Red: less than 75 s left (past soft deadline + grace).',
        )
          .withTarget(
            tableQuery('bottomk(25, samon_ipsec_sa_hard_deadline_timestamp_seconds - time())'),
          )
          .withTransformation(
            organize('Time to hard deadline', ['router', 'tunnel', 'direction', 'vpn', 'peer']),
          )
          .sortBy([
            new common.TableSortByFieldStateBuilder()
              .displayName('Time to hard deadline')
              .desc(false),
          ])
          .overrideByName('Time to hard deadline', [
            { id: 'unit', value: 's' },
            { id: 'custom.cellOptions', value: { type: 'color-background' } },
            {
              id: 'thresholds',
              value: {
                mode: 'absolute',
                steps: [
                  { value: null, color: 'red' },
                  { value: 75, color: 'orange' },
                  { value: 135, color: 'green' },
                ],
              },
            },
          ])
          .overrideByName('tunnel', [{ id: 'links', value: [tunnelDataLink()] }]),
      )

      // -------------------------------------------------------------------------------------------
      .withRow(new RowBuilder('Rekeys and failures'))
      .withPanel(
        timeseries(
          'Negotiation failures by reason',
          'Failed IKE (phase 1) and IPsec (phase 2) negotiations per minute, by phase and reason (closed reason list of samon).',
        )
          .withTarget(
            query(
              'sum by (phase, reason) (router_phase_reason:samon_negotiation_failures:rate5m) * 60',
              '{{phase}} {{reason}}',
            ),
          )
          .unit('short')
          .height(10)
          .axisLabel('failures / min'),
      )
      .withPanel(
        table(
          'Tunnels failing most (last hour)',
          'Tunnels with the most failed negotiations in the last hour, by reason.',
        )
          .withTarget(
            tableQuery(
              'topk(15, sum by (router, tunnel, phase, reason) (increase(samon_negotiation_failures_total[1h])) > 0)',
            ),
          )
          .withTransformation(organize('Failures (1h)', ['router', 'tunnel', 'phase', 'reason']))
          .sortBy([
            new common.TableSortByFieldStateBuilder().displayName('Failures (1h)').desc(true),
          ])
          .overrideByName('Failures (1h)', [{ id: 'decimals', value: 0 }])
          .overrideByName('tunnel', [{ id: 'links', value: [tunnelDataLink()] }]),
      )
      .withPanel(
        timeseries(
          'IPsec rekeys by outcome',
          'IPsec rekeys per minute: on-time (before soft deadline + grace) and late (after it, before the hard deadline).',
        )
          .withTarget(
            query(
              'sum by (outcome) (router_outcome:samon_ipsec_sa_rekeys:rate5m) * 60',
              '{{outcome}}',
            ),
          )
          .unit('short')
          .axisLabel('rekeys / min')
          .overrideByName('late', [{ id: 'color', value: { mode: 'fixed', fixedColor: 'orange' } }])
          .overrideByName('on-time', [
            { id: 'color', value: { mode: 'fixed', fixedColor: 'green' } },
          ]),
      )
      .withPanel(
        bars(
          'SA expirations without successor',
          'IPsec SAs that reached their hard deadline with no successor, per router and hour: each one interrupted traffic.',
        )
          .decimals(1)
          .withTarget(
            query(
              'sum by (router) (router:samon_ipsec_sa_expirations:rate5m) * 3600',
              '{{router}}',
            ),
          ),
      )

      // -------------------------------------------------------------------------------------------
      .withRow(new RowBuilder('Certificates, CRLs and invalid SPIs'))
      .withPanel(
        bars(
          'Certificate / CRL check failures',
          'Certificate and CRL check failures per router and check. enforced="true": the peer was rejected; enforced="false": the CRL could not be downloaded and the check was skipped (fail-open).',
        )
          .span(12)
          .withTarget(
            query(
              'sum by (router, check, enforced) (increase(samon_certificate_check_failures_total[$__rate_interval]))',
              '{{router}} {{check}} enforced={{enforced}}',
            ),
          ),
      )
      .withPanel(
        stat(
          'Enforced certificate failures (1h)',
          'Peers rejected by a certificate or CRL check in the last hour.',
        )
          .span(6)
          .height(8)
          .withTarget(
            query(
              'sum(increase(samon_certificate_check_failures_total{enforced="true"}[1h])) or vector(0)',
            ),
          )
          .thresholds(thresholds('green', [1, 'red']))
          .decimals(0),
      )
      .withPanel(
        stat(
          'Fail-open CRL failures (1h)',
          'CRL downloads that failed in the last hour where the peer was accepted anyway (disable on-download-failure).',
        )
          .span(6)
          .height(8)
          .withTarget(
            query(
              'sum(increase(samon_certificate_check_failures_total{enforced="false"}[1h])) or vector(0)',
            ),
          )
          .thresholds(thresholds('green', [1, 'orange']))
          .decimals(0),
      )
      .withPanel(
        table(
          'Invalid-SPI episodes in progress',
          'Tunnels receiving packets for an SPI they have no SA for. "Overdue by" is positive once the episode is past its expected recovery (start + 60 s with respond-bad-spi, else the hard deadline of the SA in use).',
        )
          .withTarget(tableQuery('time() - samon_invalid_spi_episode_start_timestamp_seconds', 'A'))
          .withTarget(
            tableQuery(
              'time() - samon_invalid_spi_episode_expected_recovery_timestamp_seconds',
              'B',
            ),
          )
          .withTransformation({ id: 'merge', options: {} })
          .withTransformation({
            id: 'organize',
            options: {
              excludeByName: { Time: true, __name__: true, job: true, instance: true },
              renameByName: { 'Value #A': 'Episode age', 'Value #B': 'Overdue by' },
              indexByName: {
                router: 0,
                tunnel: 1,
                vpn: 2,
                peer: 3,
                'Value #A': 4,
                'Value #B': 5,
              },
            },
          })
          .sortBy([new common.TableSortByFieldStateBuilder().displayName('Episode age').desc(true)])
          .overrideByName('Episode age', [{ id: 'unit', value: 's' }])
          .overrideByName('Overdue by', [
            { id: 'unit', value: 's' },
            { id: 'custom.cellOptions', value: { type: 'color-text' } },
            {
              id: 'thresholds',
              value: {
                mode: 'absolute',
                steps: [
                  { value: null, color: 'green' },
                  { value: 0, color: 'red' },
                ],
              },
            },
          ])
          .overrideByName('tunnel', [{ id: 'links', value: [tunnelDataLink()] }]),
      )
      .withPanel(
        timeseries(
          'Invalid-SPI episodes',
          'Invalid-SPI episodes started and recovered per hour, and episodes in progress.',
        )
          .withTarget(
            query(
              'sum by (outcome) (router_outcome:samon_invalid_spi_episodes:rate5m) * 3600',
              '{{outcome}} / h',
            ),
          )
          .withTarget(
            query('sum(router:samon_invalid_spi_episodes_open:count) or vector(0)', 'in progress'),
          )
          .unit('short'),
      )

      // -------------------------------------------------------------------------------------------
      .withRow(new RowBuilder('Routers'))
      .withPanel(
        table(
          'Silent routers',
          'Routers samon has heard nothing from for longer than projection.routerSilenceSeconds. Their tunnels are not being observed.',
        )
          .span(8)
          .withTarget(
            tableQuery(
              '(time() - samon_router_last_seen_timestamp_seconds) and on (router) (samon_router_silent == 1)',
            ),
          )
          .withTransformation(organize('Silent for', ['router']))
          .sortBy([new common.TableSortByFieldStateBuilder().displayName('Silent for').desc(true)])
          .overrideByName('Silent for', [{ id: 'unit', value: 's' }]),
      )
      .withPanel(
        stat('Routers silent', 'Routers currently silent (samon_router_silent).')
          .withTarget(query('sum(samon_router_silent) or vector(0)'))
          .thresholds(thresholds('green', [1, 'orange']))
          .height(10)
          .decimals(0),
      )
      .withPanel(
        timeseries(
          'Time since last observation',
          'Seconds since each router last sent samon a syslog line or answered an SNMP poll.',
        )
          .withTarget(query('time() - samon_router_last_seen_timestamp_seconds', '{{router}}'))
          .unit('s')
          .span(12),
      )
      .withPanel(
        bars('Router reboots', 'Reboots seen per router (SNMP sysUpTime reset).').withTarget(
          query(
            'sum by (router) (increase(samon_router_reboots_total[$__rate_interval]))',
            '{{router}}',
          ),
        ),
      )
      .build()
  );
}
