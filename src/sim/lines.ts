import type { SimTunnelEnd } from './configs/end.js';
import type { SimRecord } from './record.js';

// kmd line templates of syslog-catalog.md §2 (evidence V only), one function per message.

export const proxyId = (subnet: string) => `ipv4_subnet(any:0,[0..7]=${subnet})`;
const role = (e: SimTunnelEnd, initiating: boolean) => (initiating ? 'Initiator' : 'Responder');
export const tunnelIdOf = (e: SimTunnelEnd) => 131072 + e.unit;

function ikeTail(e: SimTunnelEnd, remoteIdKnown: boolean): string {
  return `IKE Version: ${e.ikeVersion}, VPN: ${e.vpn} Gateway: ${e.gateway}, Local: ${e.localAddress}/500, Remote: ${e.remoteAddress}/500, Local IKE-ID: ${e.localAddress}, Remote IKE-ID: ${remoteIdKnown ? e.remoteAddress : 'Not-Available'}, VR-ID: 0`;
}

export function ikeCompleted(ms: number, e: SimTunnelEnd, initiating: boolean): SimRecord {
  return {
    ms,
    router: e.router,
    program: 'kmd',
    severity: 6,
    text: `IKE negotiation successfully completed. ${ikeTail(e, true)}, Role: ${role(e, initiating)}`,
  };
}

export function ikeFailed(
  ms: number,
  e: SimTunnelEnd,
  initiating: boolean,
  reason: string,
): SimRecord {
  return {
    ms,
    router: e.router,
    program: 'kmd',
    severity: 3,
    text: `IKE negotiation failed with error: ${reason}. ${ikeTail(e, false)}, Role: ${role(e, initiating)}`,
  };
}

/** Phase 2 failed (the verbatim IKEv2 form has no Role). */
export function ipsecFailed(ms: number, e: SimTunnelEnd, reason: string): SimRecord {
  return {
    ms,
    router: e.router,
    program: 'kmd',
    severity: 3,
    text: `IPSec negotiation failed with error: ${reason}. ${ikeTail(e, true)}`,
  };
}

export function saEstablished(
  ms: number,
  e: SimTunnelEnd,
  direction: 'inbound' | 'outbound',
  spi: number,
): SimRecord {
  const hex = `0x${spi.toString(16).padStart(8, '0')}`;
  return {
    ms,
    router: e.router,
    program: 'kmd',
    severity: 6,
    tag: 'KMD_PM_SA_ESTABLISHED',
    text: `Local gateway: ${e.localAddress}, Remote gateway: ${e.remoteAddress}, Local ID: ${proxyId(e.localSubnet)}, Remote ID: ${proxyId(e.remoteSubnet)}, Direction: ${direction}, SPI: ${hex}, AUX-SPI: 0, Mode: Tunnel, Type: dynamic, Traffic-selector:  FC Name: `,
    sd: [
      ['local-address', e.localAddress],
      ['remote-address', e.remoteAddress],
      ['local-initiator', proxyId(e.localSubnet)],
      ['remote-responder', proxyId(e.remoteSubnet)],
      ['argument1', direction],
      ['index1', String(spi)], // decimal, as Junos writes it
      ['index2', '0'],
      ['mode', 'Tunnel'],
      ['type', 'dynamic'],
      ['traffic-selector-name', ''],
      ['first-forwarding-class', ''],
    ],
  };
}

export function vpnUp(ms: number, e: SimTunnelEnd): SimRecord {
  return vpnAlarm(ms, e, 'up');
}

/** The one reason text seen in public (syslog-catalog.md §2.1). */
export const CONFIG_DELETED_TEXT =
  'Tunnel configuration is deleted. Corresponding IKE/IPSec SAs are deleted';

export function vpnDownDeleted(ms: number, e: SimTunnelEnd): SimRecord {
  return vpnAlarm(ms, e, 'down', CONFIG_DELETED_TEXT);
}

function vpnAlarm(ms: number, e: SimTunnelEnd, state: 'up' | 'down', reason?: string): SimRecord {
  return {
    ms,
    router: e.router,
    program: 'kmd',
    severity: 6,
    tag: state === 'up' ? 'KMD_VPN_UP_ALARM_USER' : 'KMD_VPN_DOWN_ALARM_USER',
    text: `VPN ${e.vpn} from ${e.remoteAddress} is ${state}. Local-ip: ${e.localAddress}, gateway name: ${e.gateway}, vpn name: ${e.vpn}, tunnel-id: ${tunnelIdOf(e)}, local tunnel-if: st0.${e.unit}, remote tunnel-ip: Not-Available, Local IKE-ID: ${e.localAddress}, Remote IKE-ID: ${e.remoteAddress}, AAA username: Not-Applicable, VR id: 0, Traffic-selector: , Traffic-selector local ID: ${proxyId(e.localSubnet)}, Traffic-selector remote ID: ${proxyId(e.remoteSubnet)}, SA Type: Static${reason === undefined ? '' : `, Reason: ${reason}`}`,
  };
}
