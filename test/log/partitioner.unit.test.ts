import fc from 'fast-check';
import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { murmur2, murmur2Utf8, partitionForKey } from '../../src/log/partitioner.js';

const kafkajsPartition = (key: string, count: number): number =>
  Partitioners.DefaultPartitioner()({
    topic: 't',
    partitionMetadata: Array.from({ length: count }, (_, partitionId) => ({
      partitionId,
      leader: 0,
      replicas: [0],
      isr: [0],
      partitionErrorCode: 0,
      offlineReplicas: [],
    })),
    message: { key, value: null },
  });

describe('partitionForKey', () => {
  it('matches the Java client murmur2 on known vectors', () => {
    // From Kafka's UtilsTest.testMurmur2 (Java int results).
    expect(murmur2(Buffer.from('21'))).toBe(-973932308);
    expect(murmur2(Buffer.from('foobar'))).toBe(-790332482);
    expect(murmur2(Buffer.from('a-little-bit-long-string'))).toBe(-985981536);
    expect(murmur2(Buffer.from('a-little-bit-longer-string'))).toBe(-1486304829);
    expect(murmur2(Buffer.from('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'))).toBe(
      -58897971,
    );
    expect(murmur2(Buffer.from([97, 98, 99]))).toBe(479470107);
  });

  it('picks the same partition as kafkajs DefaultPartitioner for any key', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        fc.integer({ min: 1, max: 64 }),
        (key, count) => {
          expect(partitionForKey(key, count)).toBe(kafkajsPartition(key, count));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('hashes a string as murmur2 of its UTF-8 bytes, ASCII or not', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary-ascii' }), fc.string({ unit: 'binary' })),
        (key) => {
          expect(murmur2Utf8(key)).toBe(murmur2(Buffer.from(key, 'utf8')));
        },
      ),
      { numRuns: 2_000 },
    );
    expect(murmur2Utf8('21')).toBe(-973932308);
    expect(murmur2Utf8('a-little-bit-longer-string')).toBe(-1486304829);
    expect(murmur2Utf8('\u007f\u0080')).toBe(murmur2(Buffer.from('\u007f\u0080', 'utf8')));
  });

  it('is stable and in range', () => {
    expect(partitionForKey('srx1', 12)).toBe(partitionForKey('srx1', 12));
    for (let i = 0; i < 1_000; i++) {
      const p = partitionForKey(`router-${i}`, 7);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(7);
    }
  });
});
