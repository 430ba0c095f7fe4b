import fc from 'fast-check';
import snmp from 'net-snmp';
import { describe, expect, it } from 'vitest';
import type { SnmpSession, SnmpVarbind } from '../../../src/collect/snmp/session.js';
import { compareOids, walkSubtrees, WalkError } from '../../../src/collect/snmp/walk.js';

// walkSubtrees against an in-memory agent that answers GETBULK as RFC 3416 says (and, if asked,
// refuses requests of too many varbinds with genErr as snmpsim does, or misorders an OID).

const END_OF_MIB_VIEW = 130;
const ENTRY = '1.3.6.1.4.1.2636.3.52.1.2.2.1';

function agent(
  mib: readonly SnmpVarbind[],
  options: { maxVarbindsAsked?: number; backwardsAt?: string } = {},
): SnmpSession & { requests: number } {
  const sorted = [...mib].sort((a, b) => compareOids(a.oid, b.oid));
  const next = (oid: string): SnmpVarbind => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareOids(sorted[mid]!.oid, oid) > 0) hi = mid;
      else lo = mid + 1;
    }
    return sorted[lo] ?? { oid, type: END_OF_MIB_VIEW, value: null };
  };
  const session = {
    requests: 0,
    get: () => {
      throw new Error('not used');
    },
    getBulk(
      oids: string[],
      _nonRepeaters: number,
      repetitions: number,
      callback: (error: Error | null, varbinds?: SnmpVarbind[][]) => void,
    ) {
      session.requests++;
      if (options.maxVarbindsAsked !== undefined && oids.length > options.maxVarbindsAsked) {
        queueMicrotask(() =>
          callback(new snmp.RequestFailedError('genErr', snmp.ErrorStatus.GeneralError)),
        );
        return;
      }
      const answer = oids.map((oid) => {
        const out: SnmpVarbind[] = [];
        let at = oid;
        for (let i = 0; i < repetitions; i++) {
          const v =
            options.backwardsAt && at === options.backwardsAt
              ? { ...next(at), oid: options.backwardsAt }
              : next(at);
          out.push(v);
          if (v.type === END_OF_MIB_VIEW) break;
          at = v.oid;
        }
        return out;
      });
      queueMicrotask(() => callback(null, answer));
    },
    close: () => {},
    on: () => session,
  };
  return session;
}

/** A table: `rows` rows (index suffixes) × the given columns, plus neighbours around it. */
function table(columns: readonly number[], rows: readonly string[]): SnmpVarbind[] {
  const cells = columns.flatMap((c) =>
    rows.map((r) => ({ oid: `${ENTRY}.${c}.${r}`, type: 2, value: c })),
  );
  return [
    { oid: '1.3.6.1.2.1.1.5.0', type: 4, value: 'before' },
    ...cells,
    { oid: '1.3.6.1.4.1.2636.3.52.1.2.3.1.2.1', type: 2, value: 0 },
  ];
}

describe('walkSubtrees', () => {
  it('returns exactly the varbinds of the listed columns, in column then row order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: 80 }), { minLength: 1, maxLength: 70 }),
        fc.uniqueArray(
          fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 200_000 })),
          { maxLength: 30, selector: ([a, b]) => `${a}.${b}` },
        ),
        fc.integer({ min: 1, max: 60 }),
        fc.option(fc.integer({ min: 1, max: 70 })),
        fc.integer({ min: 0, max: 5 }),
        async (present, rowParts, repetitions, limit, skip) => {
          const rows = rowParts.map(([a, b]) => `1.4.203.0.113.${a}.${b}`);
          const mib = table(present, rows);
          // Ask also for columns the agent does not have.
          const asked = [...present.slice(skip), 81, 95].sort((a, b) => a - b);
          const session = agent(mib, limit === null ? {} : { maxVarbindsAsked: limit });
          const { varbinds } = await walkSubtrees(
            session,
            asked.map((c) => `${ENTRY}.${c}`),
            repetitions,
          );
          const expected = asked.flatMap((c) =>
            mib
              .filter((v) => v.oid.startsWith(`${ENTRY}.${c}.`))
              .sort((a, b) => compareOids(a.oid, b.oid)),
          );
          expect(varbinds.map((v) => v.oid)).toEqual(expected.map((v) => v.oid));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('splits a request the agent refuses as too large, down to one column', async () => {
    const columns = Array.from({ length: 76 }, (_, i) => i + 1);
    const session = agent(table(columns, ['1.4.203.0.113.1.131073']), { maxVarbindsAsked: 20 });
    const { varbinds } = await walkSubtrees(
      session,
      columns.map((c) => `${ENTRY}.${c}`),
      25,
    );
    expect(varbinds).toHaveLength(76);
  });

  it('takes few round trips: 76 columns × 100 rows in 32-column requests', async () => {
    const columns = Array.from({ length: 76 }, (_, i) => i + 1);
    const rows = Array.from({ length: 100 }, (_, i) => `1.4.203.0.113.1.${i + 1}`);
    const session = agent(table(columns, rows));
    const { varbinds, requests } = await walkSubtrees(
      session,
      columns.map((c) => `${ENTRY}.${c}`),
      25,
    );
    expect(varbinds).toHaveLength(7_600);
    // Columns 1–32 and 33–64: 15 repetitions a request (500 varbinds), 7 requests each; 65–76:
    // 25 repetitions, 5 requests. Column by column would take 76 × 5 = 380, the entry 304.
    expect(requests).toBe(19);
  });

  it('refuses an answer whose OID does not follow the one asked for', async () => {
    const rows = ['1.4.203.0.113.1.1', '1.4.203.0.113.1.2'];
    const session = agent(table([5], rows), { backwardsAt: `${ENTRY}.5.${rows[0]}` });
    await expect(walkSubtrees(session, [`${ENTRY}.5`], 1)).rejects.toThrow(WalkError);
  });

  it('passes on an agent error it cannot split', async () => {
    const session = agent(table([5], ['1.4.203.0.113.1.1']), { maxVarbindsAsked: 0 });
    await expect(walkSubtrees(session, [`${ENTRY}.5`], 5)).rejects.toBeInstanceOf(
      snmp.RequestFailedError,
    );
  });
});
