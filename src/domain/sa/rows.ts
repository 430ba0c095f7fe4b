import type { Endpoint } from '../observation.js';
import { isoTime as isoFromMillis } from './isoTime.js';
import { spiText } from '../spi.js';
import { ikeRole, ikeSource, ikeVersionOfSa, roleName } from './ike.js';
import { hardMs, softMs } from './ipsec.js';
import { LIFETIME_DEFAULT, RouterState, type IpsecSa, type Tunnel } from './state.js';
import { tunnelStatus, type TunnelStatus } from './tunnelState.js';

// `samon replay --state` rows (contracts.md): one per tunnel, sorted by tunnel id. The status
// set is extended with `expected-but-absent`: a configured tunnel with no SA.

export interface IpsecSaRow {
  spi: string;
  softDeadline: string;
  hardDeadline: string;
  establishedAt: string;
  lifetimeSeconds: number;
}

export interface IkeSaRow {
  ikeVersion?: 1 | 2;
  role?: 'initiator' | 'responder';
  local?: Endpoint;
  remote?: Endpoint;
  establishedAt: string;
  hardDeadline: string;
  lifetimeSeconds: number;
  lifetimeAssumed: boolean;
}

export interface TunnelStateRow {
  tunnel: string;
  router: string;
  status: TunnelStatus;
  ike: IkeSaRow | null;
  ipsec: { inbound: IpsecSaRow | null; outbound: IpsecSaRow | null };
  lastEventAt: string | null;
  vpn?: string;
  trafficSelector?: string;
  localGateway?: string;
  remoteGateway?: string;
  aliases?: string[];
  downReason?: string;
  expected?: boolean;
}

function ipsecRow(sa: IpsecSa | null): IpsecSaRow | null {
  if (sa === null) return null;
  return {
    spi: spiText(sa.spi),
    softDeadline: isoFromMillis(softMs(sa)),
    hardDeadline: isoFromMillis(hardMs(sa)),
    establishedAt: isoFromMillis(sa.establishedMs),
    lifetimeSeconds: sa.lifetimeS,
  };
}

function row(state: RouterState, t: Tunnel): TunnelStateRow {
  const ike = t.ike;
  const version = ike ? ikeVersionOfSa(ike) : 0;
  const role = ike ? roleName(ikeRole(ike)) : undefined;
  const out: TunnelStateRow = {
    tunnel: t.id,
    router: state.router,
    status: tunnelStatus(t, state.settings.pairWindowSeconds * 1000),
    ike: ike
      ? {
          ...(version === 1 || version === 2 ? { ikeVersion: version } : {}),
          ...(role ? { role } : {}),
          ...(ike.local ? { local: ike.local } : {}),
          ...(ike.remote ? { remote: ike.remote } : {}),
          establishedAt: isoFromMillis(ike.establishedMs),
          hardDeadline: isoFromMillis(ike.establishedMs + ike.lifetimeS * 1000),
          lifetimeSeconds: ike.lifetimeS,
          lifetimeAssumed: ikeSource(ike) === LIFETIME_DEFAULT,
        }
      : null,
    ipsec: { inbound: ipsecRow(t.inbound), outbound: ipsecRow(t.outbound) },
    lastEventAt: t.lastEventMs >= 0 ? isoFromMillis(t.lastEventMs) : null,
  };
  if (t.vpn !== undefined) out.vpn = t.vpn;
  if (t.ts !== undefined) out.trafficSelector = t.ts;
  if (t.local !== undefined) out.localGateway = t.local;
  if (t.remote !== undefined) out.remoteGateway = t.remote;
  if (t.extra?.aliases?.length) out.aliases = [...t.extra.aliases];
  if (t.extra?.downReason !== undefined && t.status === 2) out.downReason = t.extra.downReason;
  if (t.config !== undefined) out.expected = true;
  return out;
}

/** The `--state` rows of one or several routers, sorted by tunnel id. */
export function stateRows(states: RouterState | Iterable<RouterState>): TunnelStateRow[] {
  const list = states instanceof RouterState ? [states] : [...states];
  const rows: TunnelStateRow[] = [];
  for (const state of list) for (const t of state.tunnels.values()) rows.push(row(state, t));
  return rows.sort((a, b) => (a.tunnel < b.tunnel ? -1 : a.tunnel > b.tunnel ? 1 : 0));
}
