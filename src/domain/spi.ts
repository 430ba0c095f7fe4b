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
  return spiText(value);
}

/** Character codes of the lowercase hex digits. */
const HEX_DIGITS = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const hexDigit = (spi: number, shift: number): number => HEX_DIGITS[(spi >>> shift) & 15]!;

/**
 * Formats a 32-bit SPI (signed as the fold keeps it, or unsigned) the way contracts.md prints it:
 * one string built from its character codes, where toString(16), padStart and a template made
 * three (every IPsec event carries one or two, and every SD-form SA line one).
 */
export const spiText = (spi: number): Spi =>
  String.fromCharCode(
    48,
    120,
    hexDigit(spi, 28),
    hexDigit(spi, 24),
    hexDigit(spi, 20),
    hexDigit(spi, 16),
    hexDigit(spi, 12),
    hexDigit(spi, 8),
    hexDigit(spi, 4),
    hexDigit(spi, 0),
  );
