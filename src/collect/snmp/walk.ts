import snmp from 'net-snmp';
import type { SnmpSession, SnmpVarbind } from './session.js';

// SNMP type codes that end a column in a GETBULK answer (RFC 3416 exceptions).
const NO_SUCH_OBJECT = 128;
const NO_SUCH_INSTANCE = 129;
const END_OF_MIB_VIEW = 130;

/**
 * Varbinds per GETBULK request at most (columns × repetitions). An agent trims a GETBULK answer
 * that would not fit its message size (RFC 3416 §4.2.3), so this bounds the work one request
 * asks of a busy router rather than the packet size.
 */
export const MAX_VARBINDS_PER_REQUEST = 500;

/**
 * Columns per GETBULK request at first. Some agents refuse a request of many varbinds with
 * genErr or tooBig instead of trimming the answer (snmpsim does from about 64); a refused
 * request is split in two and retried, down to one column.
 */
export const MAX_COLUMNS_PER_REQUEST = 32;

/** Requests of one walk at most: a guard against an agent that never ends a column. */
const MAX_REQUESTS = 100_000;

export class WalkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WalkError';
  }
}

/** Numeric comparison of two dotted OIDs (string order puts .10 before .9). */
export function compareOids(a: string, b: string): number {
  const x = a.split('.');
  const y = b.split('.');
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = Number(x[i]) - Number(y[i]);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

function within(prefix: string, oid: string): boolean {
  return oid.startsWith(prefix) && oid.charCodeAt(prefix.length) === 46; // '.'
}

function bulk(session: SnmpSession, oids: string[], repetitions: number): Promise<SnmpVarbind[][]> {
  return new Promise((resolve, reject) => {
    session.getBulk(oids, 0, repetitions, (error, varbinds) => {
      if (error) reject(error);
      else resolve(varbinds ?? []);
    });
  });
}

export function get(session: SnmpSession, oids: string[]): Promise<SnmpVarbind[]> {
  return new Promise((resolve, reject) => {
    session.get(oids, (error, varbinds) => {
      if (error) reject(error);
      else resolve(varbinds ?? []);
    });
  });
}

function refusedAsTooMany(error: unknown): boolean {
  if (!(error instanceof snmp.RequestFailedError)) return false;
  const status = (error as { status?: number }).status;
  return status === snmp.ErrorStatus.TooBig || status === snmp.ErrorStatus.GeneralError;
}

/**
 * Walks several subtrees (the columns of one table, or one whole subtree) side by side: each
 * GETBULK asks for the next rows of up to MAX_COLUMNS_PER_REQUEST unfinished columns, so a table
 * of R rows takes about R / repetitions round trips per 32 columns — walking column after column
 * takes at least one round trip per column, and walking the entry subtree fetches the columns
 * the poller does not read. Returns the varbinds of each subtree in agent order, concatenated.
 */
export async function walkSubtrees(
  session: SnmpSession,
  prefixes: readonly string[],
  maxRepetitions: number,
): Promise<{ varbinds: SnmpVarbind[]; requests: number }> {
  const columns = prefixes.map((prefix) => ({
    prefix,
    next: prefix,
    done: false,
    varbinds: [] as SnmpVarbind[],
  }));
  let requests = 0;
  let width = MAX_COLUMNS_PER_REQUEST;
  for (;;) {
    const chunk = columns.filter((c) => !c.done).slice(0, width);
    if (chunk.length === 0) break;
    if (++requests > MAX_REQUESTS) {
      throw new WalkError(`the agent did not end the walk within ${MAX_REQUESTS} requests`);
    }
    const repetitions = Math.max(
      1,
      Math.min(maxRepetitions, Math.floor(MAX_VARBINDS_PER_REQUEST / chunk.length)),
    );
    let answer: SnmpVarbind[][];
    try {
      answer = await bulk(
        session,
        chunk.map((c) => c.next),
        repetitions,
      );
    } catch (error) {
      if (chunk.length > 1 && refusedAsTooMany(error)) {
        width = Math.ceil(chunk.length / 2);
        continue;
      }
      throw error;
    }
    for (let i = 0; i < chunk.length; i++) {
      const column = chunk[i]!;
      const got = answer[i] ?? [];
      if (got.length === 0) {
        // An answer that is not an error has at least one varbind per column asked for.
        throw new WalkError('malformed response: no varbind for a requested column');
      }
      for (const varbind of got) {
        if (
          varbind.type === END_OF_MIB_VIEW ||
          varbind.type === NO_SUCH_OBJECT ||
          varbind.type === NO_SUCH_INSTANCE ||
          !within(column.prefix, varbind.oid)
        ) {
          column.done = true;
          break;
        }
        if (compareOids(varbind.oid, column.next) <= 0) {
          throw new WalkError(
            `malformed response: OID ${varbind.oid} does not follow ${column.next}`,
          );
        }
        column.varbinds.push(varbind);
        column.next = varbind.oid;
      }
    }
  }
  return { varbinds: columns.flatMap((c) => c.varbinds), requests };
}
