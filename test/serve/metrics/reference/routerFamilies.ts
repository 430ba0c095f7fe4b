import { CLOSE, family, head, open, tailOf, tails, type Family } from './families.js';
import { TUNNEL_STATES } from './tunnelFacts.js';

// The per-router families of docs/metrics.md (never capped: one series set per router), and
// the exporter's own gauge of what the cap left out.

const SA_STATES = ['live', 'overdue'] as const;

function perRouterStates(
  name: string,
  help: string,
  states: readonly string[],
  count: (router: { tunnels: number[]; live: number; overdue: number }, k: number) => number,
): Family {
  const start = head(name);
  const stateTails = tails('state', states);
  return family(name, 'gauge', help, {
    routers(survey, w) {
      for (const router of survey.routers) {
        for (let k = 0; k < states.length; k++) {
          open(w, start, router.label, stateTails[k]!);
          w.value(count(router, k));
        }
      }
      return survey.routers.length * states.length;
    },
  });
}

const lastSeen = head('samon_router_last_seen_timestamp_seconds');
const silent = head('samon_router_silent');
const certificates = head('samon_certificate_check_failures_total');
const reboots = head('samon_router_reboots_total');
const dropped = Buffer.from('samon_metrics_tunnel_series_dropped ');

export const ROUTER_FAMILIES: readonly Family[] = [
  family(
    'samon_router_last_seen_timestamp_seconds',
    'gauge',
    "Time of the router's last observation, clock ticks and configuration imports excepted (Unix seconds).",
    {
      routers(survey, w) {
        let n = 0;
        for (const router of survey.routers) {
          if (Number.isNaN(router.state.lastSeenMs)) continue;
          open(w, lastSeen, router.label, CLOSE);
          w.millisAsSeconds(router.state.lastSeenMs);
          n++;
        }
        return n;
      },
    },
  ),
  family(
    'samon_router_silent',
    'gauge',
    'Router silent: 1 while it has sent nothing for longer than projection.routerSilenceSeconds.',
    {
      routers(survey, w) {
        for (const router of survey.routers) {
          open(w, silent, router.label, CLOSE);
          w.flag(router.state.silent);
        }
        return survey.routers.length;
      },
    },
  ),
  family(
    'samon_router_reboots_total',
    'counter',
    'Reboots seen: SNMP sysUpTime went back (counted since this samon started).',
    {
      routers(survey, w) {
        for (const router of survey.routers) {
          open(w, reboots, router.label, CLOSE);
          w.value(router.counters?.reboots ?? 0);
        }
        return survey.routers.length;
      },
    },
  ),
  perRouterStates(
    'samon_router_tunnels',
    'Tunnels by state (every tunnel, not capped by metrics.maxTunnelSeries).',
    TUNNEL_STATES,
    (router, k) => router.tunnels[k]!,
  ),
  perRouterStates(
    'samon_router_ipsec_sas',
    'Current IPsec SAs by state: live (not overdue) and overdue; their sum is every current SA.',
    SA_STATES,
    (router, k) => (k === 0 ? router.live : router.overdue),
  ),
  family(
    'samon_certificate_check_failures_total',
    'counter',
    'Certificate and CRL check failures by check and whether the failure is enforced.',
    {
      routers(survey, w) {
        let n = 0;
        for (const router of survey.routers) {
          for (const [tail, count] of router.counters?.certificates ?? []) {
            open(w, certificates, router.label, tailOf(tail));
            w.value(count);
            n++;
          }
        }
        return n;
      },
    },
  ),
  family(
    'samon_metrics_tunnel_series_dropped',
    'gauge',
    'Tunnels not exported per tunnel because of metrics.maxTunnelSeries.',
    {
      routers(survey, w) {
        w.reserve(dropped.length + 32);
        w.bytes(dropped);
        w.value(survey.dropped);
        return 1;
      },
    },
  ),
];
