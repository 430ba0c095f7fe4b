import { z } from 'zod';
import { Direction, Endpoint, IkeVersion, Role } from './observation.js';
import { Reason } from './reason.js';
import { Spi } from './spi.js';
import { IsoTime } from './time.js';

// Lifecycle event: what the projection concluded (contracts.md, "Lifecycle event").

export const LIFECYCLE_VERSION = 1 as const;

const identity = {
  vpn: z.string().optional(),
  gateway: z.string().optional(),
  localGateway: z.string().optional(),
  remoteGateway: z.string().optional(),
  trafficSelector: z.string().optional(),
  tunnelId: z.string().optional(),
  tunnelInterface: z.string().optional(),
  aliases: z.array(z.string()).optional(),
};

export const LifecycleData = {
  TunnelDiscovered: z.looseObject(identity),
  TunnelUp: z.looseObject({}),
  TunnelDown: z.looseObject({ reason: Reason, reasonText: z.string().optional() }),
  IkeSaEstablished: z.looseObject({
    ikeVersion: IkeVersion.optional(),
    role: Role.optional(),
    local: Endpoint.optional(),
    remote: Endpoint.optional(),
    lifetimeSeconds: z.number().int().positive(),
    hardDeadline: IsoTime,
  }),
  IkeSaRekeyed: z.looseObject({ previousEstablishedAt: IsoTime, leadSeconds: z.number() }),
  IkeSaExpired: z.looseObject({ hardDeadline: IsoTime }),
  IpsecSaEstablished: z.looseObject({
    direction: Direction,
    spi: Spi,
    role: Role.optional(),
    lifetimeSeconds: z.number().int().positive(),
    softDeadline: IsoTime,
    hardDeadline: IsoTime,
  }),
  IpsecSaRekeyed: z.looseObject({
    direction: Direction,
    oldSpi: Spi,
    newSpi: Spi,
    leadSeconds: z.number(),
    outcome: z.enum(['on-time', 'late']),
  }),
  IpsecSaRekeyOverdue: z.looseObject({
    direction: Direction,
    spi: Spi,
    softDeadline: IsoTime,
    hardDeadline: IsoTime,
  }),
  IpsecSaExpired: z.looseObject({ direction: Direction, spi: Spi }),
  NegotiationFailed: z.looseObject({
    phase: z.enum(['ike', 'ipsec']),
    reason: Reason,
    reasonText: z.string().optional(),
    ikeVersion: IkeVersion.optional(),
    role: Role.optional(),
  }),
  CertificateCheckFailed: z.looseObject({
    check: z.enum(['crl-download', 'revoked', 'expired', 'other']),
    enforced: z.boolean(),
  }),
  InvalidSpiDetected: z.looseObject({
    spi: Spi.optional(),
    count: z.number().int().nonnegative().optional(),
    respondBadSpi: z.boolean().optional(),
  }),
  InvalidSpiRecovered: z.looseObject({
    durationSeconds: z.number().nonnegative(),
    via: z.enum(['respond-bad-spi', 'rekey', 'unknown']),
  }),
  RouterSilent: z.looseObject({ silentSinceSeconds: z.number().nonnegative() }),
  RouterResumed: z.looseObject({ silentSinceSeconds: z.number().nonnegative() }),
  ConfigChanged: z.looseObject({}),
  /** The router restarted (SNMP sysUpTime went back): every SA it held is gone. */
  RouterRebooted: z.looseObject({
    bootAt: IsoTime,
    previousBootAt: IsoTime.optional(),
  }),
} as const;

export type LifecycleType = keyof typeof LifecycleData;
export const LIFECYCLE_TYPES = Object.keys(LifecycleData) as LifecycleType[];

const envelope = {
  v: z.literal(LIFECYCLE_VERSION),
  /** Deterministic id (extension): the same log replayed gives the same ids. */
  id: z.string().optional(),
  at: IsoTime,
  router: z.string().min(1),
  /** Router events (RouterSilent, RouterResumed, RouterRebooted, ConfigChanged) carry no tunnel. */
  tunnel: z.string().optional(),
  inferred: z.boolean(),
  evidence: z.array(z.string()),
};

function variant<T extends LifecycleType>(type: T) {
  return z.looseObject({ ...envelope, type: z.literal(type), data: LifecycleData[type] });
}

export const LifecycleEvent = z.discriminatedUnion('type', [
  variant('TunnelDiscovered'),
  variant('TunnelUp'),
  variant('TunnelDown'),
  variant('IkeSaEstablished'),
  variant('IkeSaRekeyed'),
  variant('IkeSaExpired'),
  variant('IpsecSaEstablished'),
  variant('IpsecSaRekeyed'),
  variant('IpsecSaRekeyOverdue'),
  variant('IpsecSaExpired'),
  variant('NegotiationFailed'),
  variant('CertificateCheckFailed'),
  variant('InvalidSpiDetected'),
  variant('InvalidSpiRecovered'),
  variant('RouterSilent'),
  variant('RouterResumed'),
  variant('ConfigChanged'),
  variant('RouterRebooted'),
]);
export type LifecycleEvent = z.infer<typeof LifecycleEvent>;
export type LifecycleEventOf<T extends LifecycleType> = Extract<LifecycleEvent, { type: T }>;
