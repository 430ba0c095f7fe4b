import type { Observation, ObservationOf } from '../../../src/domain/observation.js';
import { at, ROUTER } from './observations.js';

// Builders of SNMP polls as the collector appends them (contracts.md: `snmp-system`, the rows
// in walk-plan order — tunnels, IKE SAs, SA rows, peers — then one `snmp-poll`), all at the
// poll's time. Raw texts follow the decoder's one-line row form.

export interface SaRowSpec {
  readonly index: number;
  readonly in: string;
  readonly out: string;
  readonly activeSeconds: number;
  readonly lifetime?: number;
  readonly state?: 'active' | 'expiring';
}

export interface TunnelRowSpec {
  readonly vpn?: string;
  readonly remote?: string;
  readonly local?: string;
  readonly index?: number;
  readonly ts?: string;
  readonly invalidSpi?: string;
  readonly sas?: readonly SaRowSpec[];
}

export interface IkeRowSpec {
  readonly remote?: string;
  readonly local?: string;
  readonly index?: number;
  readonly activeSeconds: number;
  readonly lifetime?: number;
  readonly role?: 'initiator' | 'responder';
  readonly gateway?: string;
}

export interface PeerRowSpec {
  readonly remote?: string;
  readonly local?: string;
  readonly counters: Record<string, string>;
}

export interface PollSpec {
  readonly t: number;
  readonly router?: string;
  readonly uptime?: number;
  readonly tunnels?: readonly TunnelRowSpec[];
  readonly ike?: readonly IkeRowSpec[];
  readonly peers?: readonly PeerRowSpec[];
  readonly ok?: boolean;
  readonly tables?: readonly string[];
}

const REMOTE = '203.0.113.5';
const LOCAL = '10.0.0.1';
const TABLES = [
  'jnxIpSecTunnelMonTable',
  'jnxIkeTunnelMonTable',
  'jnxIpSecSaMonTable',
  'jnxIkePeerStatsTable',
];

function obs<K extends Observation['kind']>(
  kind: K,
  t: number,
  router: string | undefined,
  raw: string,
  data: ObservationOf<K>['data'],
): ObservationOf<K> {
  return {
    v: 1,
    kind,
    router: router ?? ROUTER,
    time: at(t),
    source: 'snmp',
    raw,
    data,
  } as ObservationOf<K>;
}

const idx = (remote: string, n: number) => `1.4.${remote}.${n}`;

/** One whole poll: its observations in the order the collector appends them. */
export function poll(spec: PollSpec): Observation[] {
  const { t, router } = spec;
  const out: Observation[] = [];
  if (spec.uptime !== undefined)
    out.push(
      obs('snmp-system', t, router, `sysUpTime.0 = ${spec.uptime * 100}`, {
        sysUpTimeSeconds: spec.uptime,
      }),
    );
  const tunnels = spec.tunnels ?? [];
  tunnels.forEach((tr, k) => {
    const remote = tr.remote ?? REMOTE;
    const n = tr.index ?? 131073 + k;
    const index = idx(remote, n);
    out.push(
      obs(
        'snmp-ipsec-tunnel',
        t,
        router,
        `jnxIpSecTunnelMonTable ${index} vpnName=${tr.vpn ?? ''} invalidSpi=${tr.invalidSpi ?? ''}`,
        {
          table: 'jnxIpSecTunnelMonTable',
          index,
          remoteGateway: remote,
          tunnelIndex: n,
          localGateway: tr.local ?? LOCAL,
          ...(tr.vpn !== undefined ? { vpn: tr.vpn } : {}),
          ...(tr.ts !== undefined ? { trafficSelector: tr.ts } : {}),
          ...(tr.invalidSpi !== undefined ? { counters: { invalidSpi: tr.invalidSpi } } : {}),
        },
      ),
    );
  });
  (spec.ike ?? []).forEach((ir) => {
    const remote = ir.remote ?? REMOTE;
    const index = idx(remote, ir.index ?? 1);
    out.push(
      obs(
        'snmp-ike-sa',
        t,
        router,
        `jnxIkeTunnelMonTable ${index} state=up(1) activeTime=${ir.activeSeconds * 100}`,
        {
          table: 'jnxIkeTunnelMonTable',
          index,
          remoteGateway: remote,
          ikeIndex: ir.index ?? 1,
          localGateway: ir.local ?? LOCAL,
          state: 'up',
          role: ir.role ?? 'initiator',
          ikeVersion: 2,
          lifetimeSeconds: ir.lifetime ?? 3600,
          activeSeconds: ir.activeSeconds,
          ...(ir.gateway !== undefined ? { gateway: ir.gateway } : {}),
        },
      ),
    );
  });
  tunnels.forEach((tr, k) => {
    const remote = tr.remote ?? REMOTE;
    const n = tr.index ?? 131073 + k;
    for (const sa of tr.sas ?? []) {
      const index = `${idx(remote, n)}.${sa.index}`;
      const state = sa.state ?? 'active';
      out.push(
        obs(
          'snmp-ipsec-sa',
          t,
          router,
          `jnxIpSecSaMonTable ${index} inSpi=${sa.in} outSpi=${sa.out} state=${state} activeTime=${sa.activeSeconds * 100}`,
          {
            table: 'jnxIpSecSaMonTable',
            index,
            remoteGateway: remote,
            tunnelIndex: n,
            saIndex: sa.index,
            inSpi: sa.in,
            outSpi: sa.out,
            state,
            lifetimeSeconds: sa.lifetime ?? 3600,
            activeSeconds: sa.activeSeconds,
          },
        ),
      );
    }
  });
  (spec.peers ?? []).forEach((pr, k) => {
    const remote = pr.remote ?? REMOTE;
    out.push(
      obs(
        'snmp-ike-peer',
        t,
        router,
        `jnxIkePeerStatsTable 1.${k + 1} ${Object.entries(pr.counters)
          .map(([n, v]) => `${n}=${v}`)
          .join(' ')}`,
        {
          table: 'jnxIkePeerStatsTable',
          index: `1.${k + 1}`,
          remoteGateway: remote,
          peerIndex: k + 1,
          state: 'active',
          localGateway: pr.local ?? LOCAL,
          counters: pr.counters,
        },
      ),
    );
  });
  const rows = out.length;
  const ok = spec.ok ?? true;
  out.push(
    obs('snmp-poll', t, router, `snmp poll ${router ?? ROUTER} ok=${ok}`, {
      target: router ?? ROUTER,
      ok,
      durationMs: 40,
      rows,
      platform: 'srx',
      tables: [...(spec.tables ?? (ok ? TABLES : []))],
      ...(ok ? {} : { error: 'timeout' }),
    }),
  );
  return out;
}

export function trap(
  t: number,
  kind: 'ike-peer-down' | 'ike-peer-ipsec-tunnel-down',
  fields: Record<string, string>,
  router?: string,
): ObservationOf<'snmp-trap'> {
  return obs(
    'snmp-trap',
    t,
    router,
    `trap ${kind} ${Object.entries(fields)
      .map(([n, v]) => `${n}=${v}`)
      .join(' ')}`,
    { trap: kind, varbinds: [], ...fields },
  );
}
