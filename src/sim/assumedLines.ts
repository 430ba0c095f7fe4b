import { ASSUMED } from '../junos/catalog/assumed.js';
import type { SimRecord } from './record.js';

// Lines with no public Junos text (pkid CRL/certificate failures, syslog-catalog.md §6): the
// simulator writes the texts src/junos/catalog/assumed.ts assumes, and checks here that each
// still carries its entry's phrase. Correcting the catalog after a lab capture means correcting
// the template below; the check keeps the two from drifting apart silently.

const TEMPLATES = {
  'assumed-pkid-crl-download-failed': (ca: string, url: string) =>
    `Failed to download CRL for CA profile ${ca} from ${url}`,
  'assumed-pkid-certificate-revoked': (ca: string, subject: string) =>
    `Certificate ${subject} of CA profile ${ca} has been revoked`,
} as const;

type AssumedId = keyof typeof TEMPLATES;

function phraseOf(id: AssumedId): string {
  const entry = ASSUMED.find((e) => e.id === id);
  const phrase = entry && 'contains' in entry ? entry.contains : undefined;
  if (typeof phrase !== 'string')
    throw new Error(`catalog entry ${id} is gone: update src/sim/assumedLines.ts`);
  return phrase.toLowerCase();
}

function assumed(id: AssumedId, text: string): string {
  if (!text.toLowerCase().includes(phraseOf(id))) {
    throw new Error(
      `assumed line ${id} no longer matches its catalog entry: update src/sim/assumedLines.ts`,
    );
  }
  return text;
}

export function crlDownloadFailed(ms: number, router: string, ca: string, url: string): SimRecord {
  return {
    ms,
    router,
    program: 'pkid',
    severity: 3,
    text: assumed(
      'assumed-pkid-crl-download-failed',
      TEMPLATES['assumed-pkid-crl-download-failed'](ca, url),
    ),
  };
}

export function certificateRevoked(
  ms: number,
  router: string,
  ca: string,
  subject: string,
): SimRecord {
  return {
    ms,
    router,
    program: 'pkid',
    severity: 3,
    text: assumed(
      'assumed-pkid-certificate-revoked',
      TEMPLATES['assumed-pkid-certificate-revoked'](ca, subject),
    ),
  };
}
