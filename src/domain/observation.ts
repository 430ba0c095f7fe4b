import { z } from 'zod';
import { Reason } from './reason.js';
import { Spi } from './spi.js';
import { IsoTime } from './time.js';

// Observation: what a collector saw, with the raw evidence (contracts.md, "Observation").
// Schemas are loose objects: a newer producer may add fields, and an older consumer keeps them.

export const OBSERVATION_VERSION = 1 as const;

export const Role = z.enum(['initiator', 'responder']);
export type Role = z.infer<typeof Role>;

export const Direction = z.enum(['inbound', 'outbound']);
export type Direction = z.infer<typeof Direction>;

export const IkeVersion = z.union([z.literal(1), z.literal(2)]);
export type IkeVersion = z.infer<typeof IkeVersion>;

export const Endpoint = z.looseObject({
  ip: z.string(),
  port: z.number().int().min(0).max(65535).optional(),
});
export type Endpoint = z.infer<typeof Endpoint>;

export const Source = z.enum(['syslog', 'snmp', 'config', 'clock']);
export type Source = z.infer<typeof Source>;

const ikeFields = {
  ikeVersion: IkeVersion.optional(),
  vpn: z.string().optional(),
  gateway: z.string().optional(),
  local: Endpoint.optional(),
  remote: Endpoint.optional(),
  localIkeId: z.string().optional(),
  remoteIkeId: z.string().optional(),
  vrId: z.string().optional(),
  role: Role.optional(),
};

const failureFields = { reason: Reason, reasonText: z.string().optional() };

const tunnelFields = {
  vpn: z.string().optional(),
  peer: z.string().optional(),
  localIp: z.string().optional(),
  gateway: z.string().optional(),
  tunnelId: z.string().optional(),
  tunnelInterface: z.string().optional(),
  remoteTunnelIp: z.string().optional(),
  localIkeId: z.string().optional(),
  remoteIkeId: z.string().optional(),
  vrId: z.string().optional(),
  trafficSelector: z.string().optional(),
  saType: z.string().optional(),
};

/** Where an SNMP row sits: its table, its OID index suffix, and the index parts decoded. */
const snmpRowFields = {
  table: z.string(),
  /** The row's OID index suffix (evidence; never a metric label). */
  index: z.string(),
  /** MX: the service set (jnxSpSvcSetName) the row is indexed by. */
  serviceSet: z.string().optional(),
  /** Remote gateway address from the index, as text (IPv4 dotted, IPv6 RFC 5952). */
  remoteGateway: z.string(),
};

const legacyPhaseFailure = {
  ...failureFields,
  spi: z.string().optional(),
  src: z.string().optional(),
  dst: z.string().optional(),
};

export const ObservationData = {
  'ike-sa-established': z.looseObject(ikeFields),
  'ike-negotiation-failed': z.looseObject({ ...ikeFields, ...failureFields }),
  'ipsec-negotiation-failed': z.looseObject({ ...ikeFields, ...failureFields }),
  'ipsec-sa-established': z.looseObject({
    localGateway: z.string().optional(),
    remoteGateway: z.string().optional(),
    localId: z.string().optional(),
    remoteId: z.string().optional(),
    direction: Direction,
    spi: Spi,
    auxSpi: z.string().optional(),
    mode: z.string().optional(),
    type: z.string().optional(),
    trafficSelector: z.string().optional(),
  }),
  'tunnel-up': z.looseObject(tunnelFields),
  'tunnel-down': z.looseObject({ ...tunnelFields, ...failureFields }),
  'dpd-peer-dead': z.looseObject({ peer: z.string().optional() }),
  'traffic-selector-mismatch': z.looseObject({
    vpn: z.string().optional(),
    peer: z.string().optional(),
  }),
  'phase1-failure': z.looseObject(legacyPhaseFailure),
  'phase2-failure': z.looseObject(legacyPhaseFailure),
  'config-applied': z.looseObject({}),
  'certificate-check-failed': z.looseObject({
    caProfile: z.string().optional(),
    check: z.enum(['crl-download', 'revoked', 'expired', 'other']),
    reasonText: z.string().optional(),
  }),
  'invalid-spi': z.looseObject({
    spi: Spi.optional(),
    peer: z.string().optional(),
    count: z.number().int().nonnegative().optional(),
  }),
  unrecognized: z.looseObject({ program: z.string(), tag: z.string().optional() }),
  ignored: z.looseObject({ program: z.string().optional() }),
  // SNMP rows (snmp-model.md): one observation per row of a walked table, decoded. `time` is the
  // poll's time, shared by every row of one poll and by the `snmp-poll` that closes it.
  'snmp-system': z.looseObject({
    /** sysUpTime.0 in seconds (TimeTicks / 100): a smaller value than expected means a reboot. */
    sysUpTimeSeconds: z.number().nonnegative(),
    sysName: z.string().optional(),
  }),
  'snmp-ike-sa': z.looseObject({
    ...snmpRowFields,
    /** jnxIkeTunMonIndex / jnxIkeTunIndex. */
    ikeIndex: z.number().int(),
    localGateway: z.string().optional(),
    /** SRX up(1)/down(2); MX matured(1)/notmatured(2): `up` when negotiation completed. */
    state: z.enum(['up', 'down', 'unknown']),
    stateRaw: z.number().int().optional(),
    role: Role.optional(),
    ikeVersion: IkeVersion.optional(),
    negoModeRaw: z.number().int().optional(),
    initiatorCookie: z.string().optional(),
    responderCookie: z.string().optional(),
    localIkeId: z.string().optional(),
    remoteIkeId: z.string().optional(),
    /** IKE gateway name (SRX jnxIkeTunMonGwName, 2019+ MIB). */
    gateway: z.string().optional(),
    lifetimeSeconds: z.number().int().nonnegative().optional(),
    /** Age of the SA: ActiveTime (TimeInterval, 1/100 s) / 100. */
    activeSeconds: z.number().nonnegative().optional(),
  }),
  'snmp-ipsec-tunnel': z.looseObject({
    ...snmpRowFields,
    tunnelIndex: z.number().int(),
    localGateway: z.string().optional(),
    localProxyId: z.string().optional(),
    remoteProxyId: z.string().optional(),
    /** SRX `security ipsec vpn` name (jnxIpSecTunMonVpnName); MX: the service set. */
    vpn: z.string().optional(),
    trafficSelector: z.string().optional(),
    /** MX `services ipsec-vpn rule` and term. */
    rule: z.string().optional(),
    term: z.string().optional(),
    /** Counter64 values as decimal strings (they can exceed 2^53). */
    counters: z.record(z.string(), z.string()).optional(),
  }),
  'snmp-ipsec-sa': z.looseObject({
    ...snmpRowFields,
    tunnelIndex: z.number().int(),
    saIndex: z.number().int(),
    inSpi: Spi,
    outSpi: Spi,
    state: z.enum(['active', 'expiring', 'unknown']),
    stateRaw: z.number().int().optional(),
    lifetimeSeconds: z.number().int().nonnegative().optional(),
    lifetimeThresholdSeconds: z.number().int().nonnegative().optional(),
    lifeSizeKb: z.number().int().nonnegative().optional(),
    activeSeconds: z.number().nonnegative().optional(),
    protocol: z.enum(['ah', 'esp']).optional(),
    encryptAlgo: z.string().optional(),
    encryptAlgoRaw: z.number().int().optional(),
    authAlgo: z.string().optional(),
    authAlgoRaw: z.number().int().optional(),
  }),
  /** One row of jnxIkePeerStatsTable: per-peer IKE failure counters. */
  'snmp-ike-peer': z.looseObject({
    ...snmpRowFields,
    peerIndex: z.number().int(),
    state: z.enum(['active', 'inactive', 'unknown']),
    localGateway: z.string().optional(),
    gateway: z.string().optional(),
    /** MIB column name (without the jnxIkePeerStats prefix) → Counter64 as a decimal string. */
    counters: z.record(z.string(), z.string()),
  }),
  /** Global scalar counters (jnxIpSecGlobalStats, jnxIkeGlobalStats): name → decimal string. */
  'snmp-counters': z.looseObject({ counters: z.record(z.string(), z.string()) }),
  'snmp-poll': z.looseObject({
    target: z.string(),
    ok: z.boolean(),
    durationMs: z.number().nonnegative(),
    rows: z.number().int().nonnegative(),
    error: z.string().optional(),
    platform: z.enum(['srx', 'mx']).optional(),
    /** Tables walked completely in this poll (a vanished row means something only for these). */
    tables: z.array(z.string()).optional(),
  }),
  'snmp-trap': z.looseObject({
    trap: z.string(),
    varbinds: z.array(
      z.looseObject({ oid: z.string(), type: z.string().optional(), value: z.unknown() }),
    ),
    // Decoded jnxIkeNotificationObj varbinds (JUNIPER-IPSEC-FLOW-MON-MIB), when present.
    remoteGateway: z.string().optional(),
    localGateway: z.string().optional(),
    remotePort: z.number().int().min(0).max(65535).optional(),
    localPort: z.number().int().min(0).max(65535).optional(),
    routingInstance: z.string().optional(),
    /** IKE gateway name (jnxIkeTrapPeerGwName). */
    gateway: z.string().optional(),
    /** jnxIkePeerIPSecTunnelDown only: VPN, traffic-selector name, local and remote TS. */
    vpn: z.string().optional(),
    trafficSelector: z.string().optional(),
    localTs: z.string().optional(),
    remoteTs: z.string().optional(),
    remoteIkeId: z.string().optional(),
    localIkeId: z.string().optional(),
  }),
  // The parsed model of one router's configuration, secrets removed (src/junos/config).
  'junos-config': z.looseObject({}),
  // What the other routers' configurations say of the tunnels towards this router (the IKEv1
  // "shorter lifetime wins" rule), joined by the config importer: peerKey(local, remote) →
  // the peer's configured lifetimes.
  'junos-peers': z.looseObject({
    peers: z.record(
      z.string(),
      z.looseObject({
        ikeLifetimeSeconds: z.number().positive().optional(),
        ipsecLifetimeSeconds: z.number().positive().optional(),
      }),
    ),
  }),
  clock: z.looseObject({}),
} as const;

export type ObservationKind = keyof typeof ObservationData;
export const OBSERVATION_KINDS = Object.keys(ObservationData) as ObservationKind[];

const envelope = {
  v: z.literal(OBSERVATION_VERSION),
  router: z.string().min(1),
  time: IsoTime,
  receivedAt: IsoTime.optional(),
  source: Source,
  raw: z.string(),
  /** Collector's address for the sender of the line (extension: helps find a misnamed router). */
  sender: z.string().optional(),
  /**
   * Stable id of the observation in its log, e.g. `partition@offset` (extension). Inferred
   * lifecycle events cite it as evidence instead of the raw line, so state stays small.
   */
  id: z.string().optional(),
};

function variant<K extends ObservationKind>(kind: K) {
  return z.looseObject({ ...envelope, kind: z.literal(kind), data: ObservationData[kind] });
}

export const Observation = z.discriminatedUnion('kind', [
  variant('ike-sa-established'),
  variant('ike-negotiation-failed'),
  variant('ipsec-negotiation-failed'),
  variant('ipsec-sa-established'),
  variant('tunnel-up'),
  variant('tunnel-down'),
  variant('dpd-peer-dead'),
  variant('traffic-selector-mismatch'),
  variant('phase1-failure'),
  variant('phase2-failure'),
  variant('config-applied'),
  variant('certificate-check-failed'),
  variant('invalid-spi'),
  variant('unrecognized'),
  variant('ignored'),
  variant('snmp-system'),
  variant('snmp-ike-sa'),
  variant('snmp-ipsec-tunnel'),
  variant('snmp-ipsec-sa'),
  variant('snmp-ike-peer'),
  variant('snmp-counters'),
  variant('snmp-poll'),
  variant('snmp-trap'),
  variant('junos-config'),
  variant('junos-peers'),
  variant('clock'),
]);
export type Observation = z.infer<typeof Observation>;

/** The observation of one kind, narrowed. */
export type ObservationOf<K extends ObservationKind> = Extract<Observation, { kind: K }>;

/**
 * A `clock` observation: time passing for `router` at `time` (RFC 3339), received then too. The
 * fold gets time only from observations, so whoever has no line to give it one sends this.
 */
export function clockObservation(router: string, time: string): ObservationOf<'clock'> {
  return {
    v: 1,
    kind: 'clock',
    router,
    time,
    receivedAt: time,
    source: 'clock',
    raw: '',
    data: {},
  };
}
