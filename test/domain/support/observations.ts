import type { Observation, ObservationOf } from '../../../src/domain/observation.js';

// Typed builders of observations, with raw lines written after the kmd templates of
// syslog-catalog.md (§2.1, §2.2) so that evidence in events is what a person would see.

export const ROUTER = 'srx1';
/** 2026-11-27T02:00:00.000Z: the time every spec counts from. */
export const T0 = Date.parse('2026-11-27T02:00:00.000Z');
export const iso = (ms: number): string => new Date(ms).toISOString();
/** Time `s` seconds after T0, as an RFC 3339 string. */
export const at = (s: number): string => iso(T0 + s * 1000);

const header = (time: string, router: string, pri = 30, program = 'kmd', tag = '-') =>
  `<${pri}>1 ${time} ${router} ${program} 2412 ${tag} -`;

interface Base {
  readonly t: number;
  readonly router?: string;
}

function base<K extends Observation['kind']>(
  kind: K,
  o: Base,
  raw: string,
  data: ObservationOf<K>['data'],
) {
  return {
    v: 1 as const,
    kind,
    router: o.router ?? ROUTER,
    time: at(o.t),
    source: 'syslog' as const,
    raw,
    data,
  } as ObservationOf<K>;
}

export interface IkeOptions extends Base {
  readonly vpn?: string;
  readonly gateway?: string;
  readonly local?: string;
  readonly remote?: string;
  readonly port?: number;
  readonly role?: 'initiator' | 'responder';
  readonly version?: 1 | 2;
}

export function ikeUp(o: IkeOptions): ObservationOf<'ike-sa-established'> {
  const vpn = o.vpn ?? 'vpn-a';
  const gateway = o.gateway ?? `gw-${vpn}`;
  const local = o.local ?? '10.0.0.1';
  const remote = o.remote ?? '203.0.113.5';
  const port = o.port ?? 500;
  const role = o.role ?? 'initiator';
  const version = o.version ?? 2;
  const Role = role === 'initiator' ? 'Initiator' : 'Responder';
  const raw = `${header(at(o.t), o.router ?? ROUTER)} IKE negotiation successfully completed. IKE Version: ${version}, VPN: ${vpn} Gateway: ${gateway}, Local: ${local}/${port}, Remote: ${remote}/${port}, Local IKE-ID: ${local}, Remote IKE-ID: ${remote}, VR-ID: 0, Role: ${Role}`;
  return base('ike-sa-established', o, raw, {
    ikeVersion: version,
    vpn,
    gateway,
    local: { ip: local, port },
    remote: { ip: remote, port },
    localIkeId: local,
    remoteIkeId: remote,
    vrId: '0',
    role,
  });
}

export interface SaOptions extends Base {
  readonly dir: 'inbound' | 'outbound';
  readonly spi: string;
  readonly local?: string;
  readonly remote?: string;
  readonly ts?: string;
  readonly localId?: string;
  readonly remoteId?: string;
}

export function saUp(o: SaOptions): ObservationOf<'ipsec-sa-established'> {
  const local = o.local ?? '10.0.0.1';
  const remote = o.remote ?? '203.0.113.5';
  const localId = o.localId ?? 'ipv4_subnet(any:0,[0..7]=0.0.0.0/0)';
  const remoteId = o.remoteId ?? 'ipv4_subnet(any:0,[0..7]=0.0.0.0/0)';
  const raw = `${header(at(o.t), o.router ?? ROUTER, 30, 'kmd', 'KMD_PM_SA_ESTABLISHED')} KMD_PM_SA_ESTABLISHED: Local gateway: ${local}, Remote gateway: ${remote}, Local ID: ${localId}, Remote ID: ${remoteId}, Direction: ${o.dir}, SPI: ${o.spi}, AUX-SPI: 0, Mode: Tunnel, Type: dynamic, Traffic-selector: ${o.ts ?? ''} FC Name: `;
  return base('ipsec-sa-established', o, raw, {
    localGateway: local,
    remoteGateway: remote,
    localId,
    remoteId,
    direction: o.dir,
    spi: o.spi,
    auxSpi: '0',
    mode: 'Tunnel',
    type: 'dynamic',
    ...(o.ts ? { trafficSelector: o.ts } : {}),
  });
}

/** Both directions of one negotiation, inbound first, as kmd logs them. */
export function saPair(
  o: Omit<SaOptions, 'dir' | 'spi'> & { readonly in: string; readonly out: string },
) {
  return [saUp({ ...o, dir: 'inbound', spi: o.in }), saUp({ ...o, dir: 'outbound', spi: o.out })];
}

export interface TunnelOptions extends Base {
  readonly vpn?: string;
  readonly peer?: string;
  readonly local?: string;
  readonly gateway?: string;
  readonly ts?: string;
  readonly tunnelId?: string;
  readonly iface?: string;
}

function tunnelFields(o: TunnelOptions) {
  const vpn = o.vpn ?? 'vpn-a';
  return {
    vpn,
    peer: o.peer ?? '203.0.113.5',
    localIp: o.local ?? '10.0.0.1',
    gateway: o.gateway ?? `gw-${vpn}`,
    tunnelId: o.tunnelId ?? '131073',
    tunnelInterface: o.iface ?? 'st0.1',
    ...(o.ts ? { trafficSelector: o.ts } : {}),
  };
}

function vpnAlarm(o: TunnelOptions, state: 'up' | 'down', reason?: string): string {
  const f = tunnelFields(o);
  const tag = state === 'up' ? 'KMD_VPN_UP_ALARM_USER' : 'KMD_VPN_DOWN_ALARM_USER';
  return `${header(at(o.t), o.router ?? ROUTER, 30, 'kmd', tag)} ${tag}: VPN ${f.vpn} from ${f.peer} is ${state}. Local-ip: ${f.localIp}, gateway name: ${f.gateway}, vpn name: ${f.vpn}, tunnel-id: ${f.tunnelId}, local tunnel-if: ${f.tunnelInterface}, remote tunnel-ip: Not-Available, Local IKE-ID: ${f.localIp}, Remote IKE-ID: ${f.peer}, AAA username: Not-Applicable, VR id: 0, Traffic-selector: ${o.ts ?? ''}, Traffic-selector local ID: ipv4_subnet(any:0,[0..7]=0.0.0.0/0), Traffic-selector remote ID: ipv4_subnet(any:0,[0..7]=0.0.0.0/0), SA Type: Static${reason ? `, Reason: ${reason}` : ''}`;
}

export function tunnelUp(o: TunnelOptions): ObservationOf<'tunnel-up'> {
  return base('tunnel-up', o, vpnAlarm(o, 'up'), { ...tunnelFields(o), saType: 'Static' });
}

export function tunnelDown(
  o: TunnelOptions & {
    readonly reason?: ObservationOf<'tunnel-down'>['data']['reason'];
    readonly reasonText?: string;
  },
): ObservationOf<'tunnel-down'> {
  const reasonText =
    o.reasonText ?? 'Tunnel configuration is deleted. Corresponding IKE/IPSec SAs are deleted';
  return base('tunnel-down', o, vpnAlarm(o, 'down', reasonText), {
    ...tunnelFields(o),
    saType: 'Static',
    reason: o.reason ?? 'config-deleted',
    reasonText,
  });
}

export interface FailureOptions extends IkeOptions {
  readonly reason: ObservationOf<'ike-negotiation-failed'>['data']['reason'];
  readonly reasonText: string;
}

export function ikeFailed(o: FailureOptions): ObservationOf<'ike-negotiation-failed'> {
  const up = ikeUp(o);
  const d = up.data;
  const raw = `${header(at(o.t), o.router ?? ROUTER, 27)} IKE negotiation failed with error: ${o.reasonText}. IKE Version: ${d.ikeVersion}, VPN: ${d.vpn} Gateway: ${d.gateway}, Local: ${d.local?.ip}/500, Remote: ${d.remote?.ip}/500, Local IKE-ID: ${d.local?.ip}, Remote IKE-ID: Not-Available, VR-ID: 0, Role: ${o.role === 'responder' ? 'Responder' : 'Initiator'}`;
  const { remoteIkeId: _notAvailable, ...fields } = d; // the line says Not-Available
  return base('ike-negotiation-failed', o, raw, {
    ...fields,
    reason: o.reason,
    reasonText: o.reasonText,
  });
}

export function ipsecFailed(
  o: Omit<FailureOptions, 'role'>,
): ObservationOf<'ipsec-negotiation-failed'> {
  const d = ikeUp(o).data;
  const raw = `${header(at(o.t), o.router ?? ROUTER, 27)} IPSec negotiation failed with error: ${o.reasonText}. IKE Version: ${d.ikeVersion}, VPN: ${d.vpn} Gateway: ${d.gateway}, Local: ${d.local?.ip}/500, Remote: ${d.remote?.ip}/500, Local IKE-ID: ${d.local?.ip}, Remote IKE-ID: ${d.remote?.ip}, VR-ID: 0`;
  const { role: _role, ...rest } = d;
  return base('ipsec-negotiation-failed', o, raw, {
    ...rest,
    reason: o.reason,
    reasonText: o.reasonText,
  });
}

export function phaseFailure(
  phase: 1 | 2,
  o: Base & {
    readonly reason: ObservationOf<'phase1-failure'>['data']['reason'];
    readonly reasonText: string;
    readonly src: string;
    readonly dst: string;
  },
): ObservationOf<'phase1-failure'> | ObservationOf<'phase2-failure'> {
  const tag = `KMD_VPN_PV_PHASE${phase}`;
  const raw = `${header(at(o.t), o.router ?? ROUTER, 27, 'kmd', tag)} ${tag}: IKE Phase-${phase} Failure: ${o.reasonText} [spi=0, src_ip=${o.src}, dst_ip=${o.dst}]`;
  const data = { reason: o.reason, reasonText: o.reasonText, spi: '0', src: o.src, dst: o.dst };
  return phase === 1 ? base('phase1-failure', o, raw, data) : base('phase2-failure', o, raw, data);
}

export function tsMismatch(o: Base & { readonly vpn: string; readonly peer: string }) {
  const raw = `${header(at(o.t), o.router ?? ROUTER, 27, 'kmd', 'KMD_VPN_TS_MISMATCH')} KMD_VPN_TS_MISMATCH: Traffic-selator mismatch, vpn name: ${o.vpn}, Peer Proposed traffic-selector local-ip: ipv4(10.9.0.0-10.9.0.255), remote peer ip: ${o.peer}`;
  return base('traffic-selector-mismatch', o, raw, { vpn: o.vpn, peer: o.peer });
}

export function dpdDead(o: Base & { readonly peer: string }) {
  const raw = `${header(at(o.t), o.router ?? ROUTER, 27, 'kmd', 'KMD_DPD_PEER_DOWN')} KMD_DPD_PEER_DOWN: DPD detected peer ${o.peer} is dead`;
  return base('dpd-peer-dead', o, raw, { peer: o.peer });
}

const CERT_TEXT = {
  'crl-download': (ca: string) =>
    `Failed to download CRL for CA profile ${ca} from http://crl.example.net/corp.crl`,
  revoked: (ca: string) => `Certificate CN=peer.example.net of CA profile ${ca} has been revoked`,
  expired: (ca: string) => `Certificate CN=peer.example.net of CA profile ${ca} has expired`,
  other: (ca: string) => `Certificate validation failed for CA profile ${ca}: signature mismatch`,
} as const;

/** pkid lines in the assumed wording of src/junos/catalog/assumed.ts (no public sample exists). */
export function certFailed(
  o: Base & {
    readonly caProfile?: string;
    readonly check: ObservationOf<'certificate-check-failed'>['data']['check'];
    readonly reasonText?: string;
  },
) {
  const text = CERT_TEXT[o.check](o.caProfile ?? 'unknown-ca');
  const raw = `${header(at(o.t), o.router ?? ROUTER, 27, 'pkid')} ${text}`;
  return base('certificate-check-failed', o, raw, {
    ...(o.caProfile ? { caProfile: o.caProfile } : {}),
    check: o.check,
    reasonText: o.reasonText ?? text,
  });
}

/** The assumed kmd wording of src/junos/catalog/assumed.ts (syslog-catalog.md §2.3: none public). */
export function badSpi(
  o: Base & { readonly spi?: string; readonly peer?: string; readonly count?: number },
) {
  const raw = `${header(at(o.t), o.router ?? ROUTER, 28)} Received ESP packet with invalid SPI ${o.spi ?? '0x00000000'} from ${o.peer ?? '0.0.0.0'}`;
  return base('invalid-spi', o, raw, {
    ...(o.spi ? { spi: o.spi } : {}),
    ...(o.peer ? { peer: o.peer } : {}),
    ...(o.count !== undefined ? { count: o.count } : {}),
  });
}

export function unrecognized(o: Base & { readonly text?: string }) {
  return base(
    'unrecognized',
    o,
    `${header(at(o.t), o.router ?? ROUTER)} ${o.text ?? 'Config download: Processed 1 - 2 messages'}`,
    {
      program: 'kmd',
    },
  );
}

export function clock(o: Base): ObservationOf<'clock'> {
  return {
    v: 1,
    kind: 'clock',
    router: o.router ?? ROUTER,
    time: at(o.t),
    source: 'clock',
    raw: '',
    data: {},
  };
}

export interface TunnelConfig {
  readonly vpn: string;
  readonly gateway?: string;
  readonly local?: string;
  readonly remote?: string;
  readonly trafficSelector?: string;
  readonly ikeVersion?: 1 | 2;
  readonly ikeLifetime?: number;
  readonly ipsecLifetime?: number;
  readonly respondBadSpi?: boolean;
  readonly caProfile?: string;
  readonly crlEnforced?: boolean;
  readonly ipsecProposal?: string;
}

/** A JunosConfigModel as src/junos/config builds it (the fields the fold reads, and a few more). */
export function configModel(
  tunnels: readonly TunnelConfig[],
  extra: { readonly hostName?: string; readonly caProfiles?: readonly unknown[] } = {},
) {
  return {
    ...(extra.hostName ? { hostName: extra.hostName } : {}),
    platform: 'srx',
    tunnels: tunnels.map((t) => ({
      vpn: t.vpn,
      gateway: t.gateway ?? `gw-${t.vpn}`,
      ...(t.remote !== null ? { remoteAddress: t.remote ?? '203.0.113.5' } : {}),
      localAddress: t.local ?? '10.0.0.1',
      ...(t.trafficSelector ? { trafficSelector: t.trafficSelector } : {}),
      ikeVersion: { value: t.ikeVersion ?? 2, assumed: t.ikeVersion === undefined },
      ikeProposals: ['ike-p1'],
      ipsecProposals: [t.ipsecProposal ?? 'ipsec-p1'],
      ikeLifetimeSeconds: { value: t.ikeLifetime ?? 3600, assumed: t.ikeLifetime === undefined },
      ipsecLifetimeSeconds: {
        value: t.ipsecLifetime ?? 28800,
        assumed: t.ipsecLifetime === undefined,
      },
      respondBadSpi: t.respondBadSpi ?? false,
      ...(t.caProfile ? { caProfile: t.caProfile } : {}),
      crlEnforced: t.crlEnforced ?? true,
    })),
    ikeProposals: [{ name: 'ike-p1', lifetimeSeconds: { value: 3600, assumed: true } }],
    ipsecProposals: [...new Set(tunnels.map((t) => t.ipsecProposal ?? 'ipsec-p1'))].map((name) => {
      const lifetime = tunnels.find((t) => (t.ipsecProposal ?? 'ipsec-p1') === name)?.ipsecLifetime;
      return {
        name,
        lifetimeSeconds: { value: lifetime ?? 28800, assumed: lifetime === undefined },
      };
    }),
    caProfiles: extra.caProfiles ?? [],
    applyGroups: [],
  };
}

export function config(
  o: Base & { readonly model: unknown; readonly file?: string },
): ObservationOf<'junos-config'> {
  return {
    v: 1,
    kind: 'junos-config',
    router: o.router ?? ROUTER,
    time: at(o.t),
    source: 'config',
    raw: `junos-config ${o.file ?? `${o.router ?? ROUTER}.conf`}`,
    data: o.model as Record<string, unknown>,
  };
}
