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

/**
 * Walks several subtrees (the columns of one table, or one whole subtree) side by side: each
 * GETBULK asks for the next rows of every column not yet finished, so a table of R rows takes
 * about R / repetitions round trips whatever its column count — walking column after column
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
  for (;;) {
    const active = columns.filter((c) => !c.done);
    if (active.length === 0) break;
    if (++requests > MAX_REQUESTS) {
      throw new WalkError(`the agent did not end the walk within ${MAX_REQUESTS} requests`);
    }
    const repetitions = Math.max(
      1,
      Math.min(maxRepetitions, Math.floor(MAX_VARBINDS_PER_REQUEST / active.length)),
    );
    const answer = await bulk(
      session,
      active.map((c) => c.next),
      repetitions,
    );
    for (let i = 0; i < active.length; i++) {
      const column = active[i]!;
      const got = answer[i] ?? [];
      if (got.length === 0) {
        // Trimmed to nothing for this column: an agent gives at least one varbind per column
        // in an answer that is not an error, so this is not progress.
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
