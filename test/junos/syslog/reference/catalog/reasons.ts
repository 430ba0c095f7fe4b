import type { Reason } from '../../../../../src/domain/reason.js';

// Failure text → the closed reason list of contracts.md. Data, tried in order: the first rule
// whose substrings all occur (case-insensitive) wins, so the more specific rules come first
// (a revoked certificate is `certificate-invalid` even if the text also says "timed out").
// Texts seen on devices (syslog-catalog.md): "Timed out", "Authentication failed", "Peer
// proposed traffic-selectors are not in configured range", "Tunnel configuration is deleted.
// Corresponding IKE/IPSec SAs are deleted". The others come from the IKE vocabulary
// (RFC 7296 notify names) and the CLI "Tunnel events" strings (syslog-catalog.md §2.4).

export interface ReasonRule {
  readonly reason: Reason;
  /** Lowercase substrings that must all occur in the text. */
  readonly all: readonly string[];
}

const rules = (reason: Reason, ...alternatives: (string | string[])[]): ReasonRule[] =>
  alternatives.map((a) => ({ reason, all: typeof a === 'string' ? [a] : a }));

export const REASON_RULES: readonly ReasonRule[] = [
  ...rules(
    'crl-unavailable',
    ['crl', 'download'],
    ['crl', 'unavailable'],
    ['crl', 'not available'],
    ['crl', 'fetch'],
    ['crl', 'retriev'],
  ),
  ...rules('certificate-invalid', 'certificate', 'revoked', 'x.509', 'x509'),
  ...rules(
    'config-deleted',
    'configuration is deleted',
    'configuration was deleted',
    'configuration changed',
    'config deleted',
  ),
  ...rules(
    'cleared-by-operator',
    'user cleared',
    'cleared by user',
    'cleared by operator',
    'cleared from cli',
    'cleared by cli',
  ),
  ...rules('dpd-peer-dead', 'dpd', 'dead peer', 'peer is dead'),
  ...rules(
    'traffic-selector-mismatch',
    'traffic-selector',
    'traffic selector',
    'ts_unacceptable',
    'ts unacceptable',
    'proxy-id',
    'proxy id',
    'proxy_id',
  ),
  ...rules(
    'no-proposal-chosen',
    'no proposal chosen',
    'no_proposal_chosen',
    'no acceptable proposal',
    'proposal mismatch',
  ),
  ...rules(
    'authentication-failed',
    'authentication failed',
    'authentication_failed',
    'auth failed',
  ),
  ...rules('invalid-ke', 'invalid ke', 'invalid_ke', 'invalid key exchange'),
  ...rules('invalid-id', 'invalid id', 'invalid_id', 'id mismatch'),
  ...rules('invalid-spi', 'invalid spi', 'invalid_spi', 'bad spi', 'no sa for incoming spi'),
  ...rules(
    'peer-deleted',
    'peer deleted',
    'deleted by peer',
    'delete payload',
    'delete notification',
  ),
  ...rules('lifetime-expired', 'lifetime expired', 'lifetime expir', 'hard lifetime', 'sa expired'),
  ...rules('timed-out', 'timed out', 'timeout', 'time out', 'no response from peer'),
];

// Failure texts repeat (a few reasons, many tunnels): remember the recent ones.
const cache = new Map<string, Reason>();
const CACHE_LIMIT = 1024;

/** The reason for a failure text; `unknown` when no rule matches (keep the text verbatim). */
export function classifyReason(text: string | undefined): Reason {
  if (!text) return 'unknown';
  const known = cache.get(text);
  if (known !== undefined) return known;
  const lower = text.toLowerCase();
  let reason: Reason = 'unknown';
  for (const rule of REASON_RULES) {
    if (rule.all.every((part) => lower.includes(part))) {
      reason = rule.reason;
      break;
    }
  }
  if (text.length <= 256) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(text, reason);
  }
  return reason;
}
