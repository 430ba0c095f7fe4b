import { z } from 'zod';

/** An SPI as contracts.md prints it: `0x` and 8 lowercase hex digits. */
export const Spi = z.string().regex(/^0x[0-9a-f]{8}$/);
export type Spi = z.infer<typeof Spi>;

const HEX = /^(?:0x)?([0-9a-fA-F]{1,8})$/;
const DEC = /^[0-9]{1,10}$/;

/**
 * Normalises an SPI from any form a source uses: hex with or without `0x` (BSD text,
 * CLI output) or decimal (structured-data `index1`). Returns undefined when the text is
 * not a 32-bit SPI.
 */
export function normalizeSpi(text: string, form: 'hex' | 'decimal' = 'hex'): Spi | undefined {
  const trimmed = text.trim();
  let value: number;
  if (form === 'decimal') {
    if (!DEC.test(trimmed)) return undefined;
    value = Number(trimmed);
  } else {
    const match = HEX.exec(trimmed);
    if (!match?.[1]) return undefined;
    value = Number.parseInt(match[1], 16);
  }
  if (!Number.isSafeInteger(value) || value < 0 || value > 0xffffffff) return undefined;
  return `0x${value.toString(16).padStart(8, '0')}`;
}
