import type { Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import snmp from 'net-snmp';
import type { Logger } from 'pino';
import type { SnmpUserConfig } from '../../config/schema.js';
import type { ObservationOf } from '../../domain/index.js';
import { decodeTrap, describeTrap } from '../../junos/snmp/decode.js';
import { SNMP_TRAP_OID_0 } from '../../junos/snmp/oids.js';
import { usmUser, type SnmpVarbind } from './session.js';

export interface TrapReceiverOptions {
  readonly address: string;
  readonly port: number;
  readonly communities: readonly string[];
  readonly users: readonly SnmpUserConfig[];
  /** Configured targets: a trap from a target's address carries that target's name. */
  readonly targets: readonly { readonly name: string; readonly address: string }[];
  readonly logger: Logger;
  readonly now?: () => number;
  readonly onTrap: (observation: ObservationOf<'snmp-trap'>) => void;
  /** A notification refused (unknown community or user, bad digest, undecodable). */
  readonly onRejected?: () => void;
}

export interface RunningTrapReceiver {
  /** `udp://ADDRESS:PORT` */
  readonly listening: string;
  close(): Promise<void>;
}

const TRAP_V1 = 164;
const SYS_UPTIME_0 = '1.3.6.1.2.1.1.3.0';

interface Pdu {
  type: number;
  varbinds?: SnmpVarbind[];
  enterprise?: string;
  generic?: number;
  specific?: number;
  upTime?: number;
}

/** An SNMPv1 Trap-PDU's varbinds as the v2 form has them (RFC 3584 §3.1). */
function v2Varbinds(pdu: Pdu): SnmpVarbind[] {
  const varbinds = pdu.varbinds ?? [];
  if (pdu.type !== TRAP_V1) return varbinds;
  const generic = pdu.generic ?? 6;
  const trapOid =
    generic < 0 || generic > 5
      ? `${pdu.enterprise ?? ''}.0.${pdu.specific ?? 0}`
      : `1.3.6.1.6.3.1.1.5.${generic + 1}`;
  return [
    { oid: SYS_UPTIME_0, type: snmp.ObjectType.TimeTicks, value: pdu.upTime ?? 0 },
    { oid: SNMP_TRAP_OID_0, type: snmp.ObjectType.OID, value: trapOid },
    ...varbinds,
  ];
}

/** The part of net-snmp's Receiver used here (@types/net-snmp types it as `any`). */
interface Receiver {
  getAuthorizer(): { addCommunity(community: string): void; addUser(user: snmp.User): void };
  close(callback: () => void): void;
  listener?: { sockets?: Record<string, Socket> };
}

/** `::ffff:192.0.2.1` → `192.0.2.1`: a dual-stack socket's view of an IPv4 sender. */
function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && !isIPv6(address.slice(7)) ? address.slice(7) : address;
}

/**
 * Receives SNMPv2c/v3 notifications (and v1 traps) with net-snmp, each one an `snmp-trap`
 * observation. Only the configured communities and users are accepted. The router of a trap is
 * the configured target whose address sent it; a sender that is no target is named by its
 * address (docs/snmp-collector.md).
 */
export async function startTrapReceiver(
  options: TrapReceiverOptions,
): Promise<RunningTrapReceiver> {
  const now = options.now ?? Date.now;
  const byAddress = new Map<string, string>();
  for (const t of options.targets) byAddress.set(plainAddress(t.address), t.name);
  const log = options.logger;
  let bound: ((error?: Error) => void) | undefined;
  let rejectedLogged = 0;

  const receiver = (snmp.createReceiver as (...args: unknown[]) => Receiver)(
    {
      port: options.port,
      address: options.address,
      transport: isIPv6(options.address) ? 'udp6' : 'udp4',
      disableAuthorization: false,
      includeAuthentication: false,
    },
    (error: Error | null, notification?: { pdu: Pdu; rinfo: { address: string } }) => {
      if (error) {
        if (bound) {
          bound(error);
          return;
        }
        options.onRejected?.();
        // A flood of refused packets must not flood the log: the first ones say who sends them.
        if (rejectedLogged++ < 10) {
          const sender = (error as { rinfo?: { address?: string } }).rinfo?.address;
          log.warn(
            { sender, reason: error.name },
            'SNMP notification refused (unknown community or user, failed authentication, or undecodable)',
          );
        }
        return;
      }
      if (!notification) return;
      const receivedMs = now();
      const sender = plainAddress(notification.rinfo.address);
      const varbinds = v2Varbinds(notification.pdu);
      const errors: { oid: string; message: string }[] = [];
      const data = decodeTrap(varbinds, errors);
      if (errors.length) log.debug({ sender, errors }, 'SNMP notification partly decoded');
      const at = new Date(receivedMs).toISOString();
      options.onTrap({
        v: 1,
        kind: 'snmp-trap',
        router: byAddress.get(sender) ?? sender,
        time: at,
        receivedAt: at,
        source: 'snmp',
        sender,
        raw: describeTrap(data),
        data,
      });
    },
  );
  const authorizer = receiver.getAuthorizer();
  for (const community of options.communities) authorizer.addCommunity(community);
  for (const user of options.users) authorizer.addUser(usmUser(user));

  // net-snmp binds without telling when it is done; its sockets are internal but stable.
  const sockets = Object.values(receiver.listener?.sockets ?? {});
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve, reject) => {
          bound = (error) => (error ? reject(error) : resolve());
          socket.once('listening', () => resolve());
        }),
    ),
  ).finally(() => {
    bound = undefined;
  });
  const address = sockets[0]?.address();
  const port = address?.port ?? options.port;
  return {
    listening: `udp://${options.address}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        receiver.close(() => resolve());
      }),
  };
}
