// What the fold remembers of a router's SNMP polls (snmp-model.md §8): which rows it saw, so
// that the next poll can tell a new SA from a known one and a vanished row from a present one.
// Plain JSON (a snapshot stores it as it is); absent for routers that are never polled.

/** One phase-2 tunnel row, keyed by `serviceSet|remoteGateway|tunnelIndex`. */
export interface SnmpTunnelMemo {
  /** Id of the tunnel the row resolved to (an alias is followed on use). */
  tunnel: string;
  /** Time of the last poll that showed the row. */
  seenMs: number;
  /** SPIs (signed 32-bit) of the tunnel's SA rows in the last complete poll. */
  spis: number[];
  /** SPIs seen so far in the poll at `nextMs` (the poll in progress). */
  next: number[];
  nextMs: number;
  /** jnxIpSecTunMonInvalidSpi at the last poll (decimal string; Counter64). */
  invalidSpi?: string;
}

/** One IKE SA row, keyed by `serviceSet|remoteGateway|ikeIndex`. */
export interface SnmpIkeMemo {
  /** When it was established: poll time − ActiveTime. */
  establishedMs: number;
  seenMs: number;
}

/** Per-peer failure counters at the last poll, keyed by `remoteGateway|localGateway`. */
export interface SnmpPeerMemo {
  seenMs: number;
  counters: Record<string, string>;
}

export interface SnmpMemory {
  /** Boot time the last `snmp-system` implied (poll time − sysUpTime); null before one. */
  bootMs: number | null;
  tunnels: Record<string, SnmpTunnelMemo>;
  ike: Record<string, SnmpIkeMemo>;
  peers: Record<string, SnmpPeerMemo>;
}

export function emptySnmpMemory(): SnmpMemory {
  return { bootMs: null, tunnels: {}, ike: {}, peers: {} };
}
