import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spiValue } from '../../../src/domain/sa/emit.js';
import { spiText } from '../../../src/domain/spi.js';

describe('SPIs as the fold keeps and prints them', () => {
  it('spiText prints 0x and 8 lowercase hex digits of the unsigned value, for any 32-bit SPI', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 }), (spi) => {
        const text = spiText(spi);
        expect(text).toBe(`0x${(spi >>> 0).toString(16).padStart(8, '0')}`);
        expect(spiValue(text)).toBe(spi | 0);
      }),
      { numRuns: 5000 },
    );
    expect(spiText(0)).toBe('0x00000000');
    expect(spiText(-1)).toBe('0xffffffff');
    expect(spiText(0x80000000 | 0)).toBe('0x80000000');
  });
});
