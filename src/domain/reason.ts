import { z } from 'zod';

/** The closed list of failure reasons (contracts.md, "Reasons"). `unknown` keeps `reasonText`. */
export const REASONS = [
  'timed-out',
  'authentication-failed',
  'no-proposal-chosen',
  'traffic-selector-mismatch',
  'invalid-id',
  'invalid-ke',
  'certificate-invalid',
  'crl-unavailable',
  'dpd-peer-dead',
  'peer-deleted',
  'config-deleted',
  'cleared-by-operator',
  'invalid-spi',
  'lifetime-expired',
  'unknown',
] as const;

export const Reason = z.enum(REASONS);
export type Reason = z.infer<typeof Reason>;
