import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '../../src/domain/index.js';
import { evidenceRef, evidenceText } from '../../src/domain/sa/state.js';
import { UnknownTopicError } from '../../src/log/errors.js';
import type { EventLog, LogRecord, ReadOptions } from '../../src/log/port.js';
import { parseObservationId, withEvidenceLines } from '../../src/project/evidence.js';

describe('observation ids in evidence', () => {
  it('parses partition@offset, decimal without leading zeros, and nothing else', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999 }), fc.maxSafeNat(), (partition, offset) => {
        expect(parseObservationId(`${partition}@${offset}`)).toEqual({ partition, offset });
        expect(parseObservationId(`0${partition}@${offset}`)).toBeUndefined();
        expect(parseObservationId(`${partition}@0${offset}`)).toBeUndefined();
        expect(parseObservationId(`${partition}@${offset} `)).toBeUndefined();
      }),
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parseObservationId(text);
        if (parsed) expect(`${parsed.partition}@${parsed.offset}`).toBe(text);
      }),
    );
    expect(parseObservationId('<30>Nov 27 10:00:00 srx1 kmd[1]: KMD_PM_SA_ESTABLISHED')).toBe(
      undefined,
    );
    expect(parseObservationId('3@99999999999999999999')).toBeUndefined();
  });

  it('recognises every id the fold keeps packed, as the fold rebuilds it', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789@x') }), (text) => {
        const ref = evidenceRef(text);
        if (typeof ref === 'number') expect(parseObservationId(evidenceText(ref))).toBeDefined();
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.nat(), (partition, offset) => {
        const ref = evidenceRef(`${partition}@${offset}`);
        expect(typeof ref).toBe('number');
        expect(parseObservationId(evidenceText(ref as number))).toEqual({ partition, offset });
      }),
    );
  });
});

/** An observation log in memory, without readAt (the fallback reads one record per offset). */
function memoryLog(topic: string, partitions: readonly (readonly Buffer[])[]): EventLog {
  const record = (partition: number, offset: number): LogRecord => ({
    topic,
    partition,
    offset,
    key: 'srx1',
    value: partitions[partition]![offset]!,
    headers: {},
    timestamp: 0,
  });
  const unused = () => Promise.reject(new Error('not used'));
  return {
    ensureTopic: unused,
    append: unused,
    subscribe: unused,
    committed: unused,
    close: () => Promise.resolve(),
    partitions: (name) =>
      name === topic
        ? Promise.resolve(
            partitions.map((p, partition) => ({ partition, startOffset: 0, endOffset: p.length })),
          )
        : Promise.reject(new UnknownTopicError(name)),
    async *read(name: string, options: ReadOptions) {
      await Promise.resolve();
      const from =
        typeof options.from === 'object' && 'offset' in options.from ? options.from.offset : 0;
      const records = partitions[options.partition] ?? [];
      for (let o = from; o < records.length && o < from + (options.limit ?? Infinity); o++)
        yield record(options.partition, o);
    },
  };
}

describe('withEvidenceLines', () => {
  const observation = (router: string, raw: string) =>
    Buffer.from(JSON.stringify({ v: 1, kind: 'clock', router, raw }));
  const log = memoryLog('obs', [
    [observation('srx1', 'line a'), Buffer.from('not json')],
    [observation('srx1', 'line b')],
  ]);
  const event: LifecycleEvent = {
    v: 1,
    id: 'srx1:1',
    type: 'TunnelUp',
    at: '2026-11-27T09:00:00.000Z',
    router: 'srx1',
    tunnel: 'srx1/vpn-a',
    inferred: true,
    evidence: ['1@0', 'raw line', '0@1', '0@0', '0@7'],
    data: {},
  };
  const entry = { event, json: JSON.stringify(event) };

  it('puts the lines in place of the ids, and says which ids have none', async () => {
    const [shown] = await withEvidenceLines(log, [entry], { observationsTopic: 'obs' });
    expect(shown?.event.evidence).toEqual([
      'line b',
      'raw line',
      'evidence unavailable: 0@1 (not an observation)',
      'line a',
      'evidence unavailable: 0@7 (not in the observation log)',
    ]);
    expect(shown?.event.evidenceIds).toEqual(['1@0', '0@1', '0@0', '0@7']);
    expect(JSON.parse(shown!.json)).toEqual(shown?.event);
  });

  it('leaves events that cite no id as stored, JSON and all', async () => {
    const plain = { ...event, evidence: ['raw line'] };
    const stored = { event: plain, json: JSON.stringify(plain) };
    const [shown] = await withEvidenceLines(log, [stored], { observationsTopic: 'obs' });
    expect(shown).toBe(stored);
  });
});
