import type { Socket } from 'node:dgram';
import snmp from 'net-snmp';
import { parseOid } from '../../junos/snmp/index-codec.js';
import { SnmpType } from '../../junos/snmp/oids.js';
import { exactIndex, nextIndex, type SimVarbind } from './varbinds.js';

// One simulated router's SNMP agent: net-snmp's Agent receives, authenticates (v2c community,
// v3 USM authPriv) and answers; the answers come from the router's varbinds, sorted, searched by
// bisection. net-snmp's own MIB tree is not used: its GETNEXT cost grows with the table
// (performance-anchors.md §6; docs/simulator.md "SNMP" has the figures measured here).

export interface SnmpV3User {
  readonly user: string;
  readonly authKey: string;
  readonly privKey: string;
}

export interface SimAgentOptions {
  readonly port: number;
  readonly address?: string;
  readonly community: string;
  readonly v3?: SnmpV3User;
  /** The router's varbinds now (the caller caches; see `cachedSnapshot`). */
  readonly snapshot: () => readonly SimVarbind[];
}

export interface SimAgent {
  readonly port: number;
  readonly requests: () => number;
  /** Varbinds answered so far. */
  readonly varbinds: () => number;
  close(): Promise<void>;
}

interface RequestVarbind {
  oid: string;
}
interface RequestPdu {
  type: number;
  varbinds: RequestVarbind[];
  nonRepeaters: number;
  maxRepetitions: number;
  getResponsePduForRequest(): { varbinds: unknown[] };
}
interface RequestMessage {
  pdu: RequestPdu;
  createResponseForRequest(pdu: unknown): unknown;
}
type Handler = (socket: unknown, message: RequestMessage, rinfo: unknown) => void;
interface AgentInternals {
  getRequest: Handler;
  getNextRequest: Handler;
  getBulkRequest: Handler;
  setRequest: Handler;
  listener: {
    send(message: unknown, rinfo: unknown, socket: unknown): void;
    sockets: Record<string, Socket>;
  };
  getAuthorizer(): {
    addCommunity(community: string): void;
    addUser(user: snmp.User): void;
  };
}

/** RFC 3416 errorStatus notWritable(17): the simulated agents are read-only. */
const NOT_WRITABLE = 17;
/** A response packs at most this many varbinds, whatever maxRepetitions asks (UDP size). */
const MAX_VARBINDS = 1000;

interface OutVarbind {
  oid: string;
  type: number;
  value: unknown;
}

const endOfView = (oid: string): OutVarbind => ({
  oid,
  type: SnmpType.EndOfMibView,
  value: null,
});

function nextOf(list: readonly SimVarbind[], oid: string): { vb: OutVarbind; at: number } {
  const ids = parseOid(oid) ?? [];
  const i = nextIndex(list, ids);
  const hit = list[i];
  return hit ? { vb: hit, at: i } : { vb: endOfView(oid), at: -1 };
}

/** GET: the exact OIDs (noSuchObject outside every table we serve, else noSuchInstance). */
export function answerGet(list: readonly SimVarbind[], oids: readonly string[]): OutVarbind[] {
  return oids.map((oid) => {
    const i = exactIndex(list, parseOid(oid) ?? []);
    if (i >= 0) return list[i]!;
    return { oid, type: SnmpType.NoSuchInstance, value: null };
  });
}

/** GETNEXT and GETBULK (RFC 3416 §4.2.3): non-repeaters once, then the rest row by row. */
export function answerBulk(
  list: readonly SimVarbind[],
  oids: readonly string[],
  nonRepeaters: number,
  maxRepetitions: number,
): OutVarbind[] {
  const out: OutVarbind[] = [];
  const n = Math.max(0, Math.min(nonRepeaters, oids.length));
  for (let i = 0; i < n; i++) out.push(nextOf(list, oids[i]!).vb);
  const repeaters = oids.length - n;
  if (repeaters === 0) return out;
  const cursor = oids.slice(n).map((oid) => nextIndex(list, parseOid(oid) ?? []));
  const last = oids.slice(n);
  const reps = Math.max(0, Math.min(maxRepetitions, Math.floor((MAX_VARBINDS - n) / repeaters)));
  for (let r = 0; r < reps; r++) {
    let allEnded = true;
    for (let k = 0; k < repeaters; k++) {
      const at = cursor[k]!;
      const hit = list[at];
      if (hit) {
        out.push(hit);
        cursor[k] = at + 1;
        last[k] = hit.oid;
        allEnded = false;
      } else out.push(endOfView(last[k]!));
    }
    if (allEnded) break;
  }
  return out;
}

/** A snapshot recomputed when the cached one is older than `maxAgeMs` (lazily, per request). */
export function cachedSnapshot(
  compute: () => readonly SimVarbind[],
  now: () => number,
  maxAgeMs: number,
): { snapshot: () => readonly SimVarbind[]; computed: () => number } {
  let cached: readonly SimVarbind[] | undefined;
  let at = Number.NEGATIVE_INFINITY;
  let count = 0;
  return {
    snapshot: () => {
      const t = now();
      if (cached === undefined || t - at >= maxAgeMs) {
        cached = compute();
        at = t;
        count++;
      }
      return cached;
    },
    computed: () => count,
  };
}

export async function startSimAgent(options: SimAgentOptions): Promise<SimAgent> {
  let failed: Error | undefined;
  const agent = snmp.createAgent(
    {
      port: options.port,
      address: options.address ?? '127.0.0.1',
      transport: 'udp4',
      accessControlModelType: snmp.AccessControlModelType.None,
    },
    (error: Error | null) => {
      if (error) failed ??= error;
    },
  ) as AgentInternals;
  const authorizer = agent.getAuthorizer();
  authorizer.addCommunity(options.community);
  if (options.v3) {
    authorizer.addUser({
      name: options.v3.user,
      level: snmp.SecurityLevel.authPriv,
      authProtocol: snmp.AuthProtocols.sha,
      authKey: options.v3.authKey,
      privProtocol: snmp.PrivProtocols.aes,
      privKey: options.v3.privKey,
    });
  }
  let requests = 0;
  let answered = 0;
  const respond = (
    socket: unknown,
    message: RequestMessage,
    rinfo: unknown,
    varbinds: OutVarbind[],
  ) => {
    requests++;
    answered += varbinds.length;
    const pdu = message.pdu.getResponsePduForRequest();
    pdu.varbinds = varbinds;
    agent.listener.send(message.createResponseForRequest(pdu), rinfo, socket);
  };
  const oidsOf = (m: RequestMessage) => m.pdu.varbinds.map((v) => v.oid);
  agent.getRequest = (socket, message, rinfo) =>
    respond(socket, message, rinfo, answerGet(options.snapshot(), oidsOf(message)));
  agent.getNextRequest = (socket, message, rinfo) =>
    respond(socket, message, rinfo, answerBulk(options.snapshot(), oidsOf(message), 0, 1));
  agent.getBulkRequest = (socket, message, rinfo) =>
    respond(
      socket,
      message,
      rinfo,
      answerBulk(
        options.snapshot(),
        oidsOf(message),
        message.pdu.nonRepeaters,
        message.pdu.maxRepetitions,
      ),
    );
  agent.setRequest = (socket, message, rinfo) => {
    requests++;
    const pdu = message.pdu.getResponsePduForRequest() as {
      varbinds: unknown[];
      errorStatus: number;
      errorIndex: number;
    };
    pdu.varbinds = message.pdu.varbinds;
    pdu.errorStatus = NOT_WRITABLE;
    pdu.errorIndex = 1;
    agent.listener.send(message.createResponseForRequest(pdu), rinfo, socket);
  };
  const socket = Object.values(agent.listener.sockets)[0]!;
  await new Promise<void>((resolve, reject) => {
    if (failed) return reject(failed);
    socket.once('listening', () => resolve());
    socket.once('error', reject);
  });
  return {
    port: socket.address().port,
    requests: () => requests,
    varbinds: () => answered,
    close: () =>
      new Promise<void>((resolve) => {
        try {
          socket.close(() => resolve());
        } catch {
          resolve();
        }
      }),
  };
}
