import { describe, expect, it } from 'vitest';
import { snmpModel } from '../../../src/sim/snmp/state.js';
import { answerBulk, answerGet } from '../../../src/sim/snmp/agent.js';
import { compareIds, routerVarbinds } from '../../../src/sim/snmp/varbinds.js';
import { run } from '../helpers.js';

describe('router varbinds', () => {
  const sim = run(['steady', 'router-reboot', 'crl-enforced'], 4, 8, 4 * 3600);
  const model = snmpModel(sim);

  it('are in strictly increasing OID order for every router, SRX and MX, at any time', () => {
    for (let t = model.startMs; t <= model.endMs; t += 1800_000) {
      for (const router of model.routers) {
        const list = routerVarbinds(model.viewAt(router, t));
        for (let i = 1; i < list.length; i++)
          expect(compareIds(list[i - 1]!.ids, list[i]!.ids), list[i]!.oid).toBeLessThan(0);
        for (const vb of list) expect(vb.ids.join('.')).toBe(vb.oid);
      }
    }
  });

  it('GETBULK walks the list from any OID; GET answers exact OIDs only', () => {
    const list = routerVarbinds(model.viewAt(model.routers[0]!, model.endMs - 1000));
    const walked = [];
    let from = '1.3.6.1';
    for (;;) {
      const page = answerBulk(list, [from], 0, 7);
      const inside = page.filter((v) => v.type !== 130);
      walked.push(...inside);
      if (inside.length < page.length || inside.length === 0) break;
      from = inside.at(-1)!.oid;
    }
    expect(walked.map((v) => v.oid)).toEqual(list.map((v) => v.oid));
    const [a, b] = answerGet(list, [list[3]!.oid, `${list[3]!.oid}.9`]);
    expect(a!.oid).toBe(list[3]!.oid);
    expect(b!.type).toBe(129);
    // Non-repeaters once, then each repeater row by row.
    const mixed = answerBulk(list, ['1.3.6.1', list[0]!.oid, list[5]!.oid], 1, 2);
    expect(mixed.map((v) => v.oid)).toEqual([
      list[0]!.oid,
      list[1]!.oid,
      list[6]!.oid,
      list[2]!.oid,
      list[7]!.oid,
    ]);
  });
});
