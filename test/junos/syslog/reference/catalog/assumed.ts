import type { EntrySpec } from './define.js';

// ASSUMED ENTRIES — NO PUBLIC SOURCE. syslog-catalog.md §2.3/§6 found no syslog line at all
// for certificate/CRL failures (pkid) or for invalid SPIs, yet samon must turn them into
// `certificate-check-failed` and `invalid-spi` observations. The texts below are guesses in
// Junos' English style, invented here; no Juniper message tag is invented, so they match on
// a phrase anywhere in a pkid/kmd message (case-insensitive), only after every documented
// entry has failed. When a lab capture shows the real lines, correct the `contains` phrase
// and the labels here (or add an operator entry in the config: docs/syslog.md), change
// `evidence` to what the capture proves, and add the capture to test/fixtures/syslog.

export const ASSUMED: readonly EntrySpec[] = [
  {
    id: 'assumed-pkid-crl-download-failed',
    evidence: 'assumed',
    kind: 'certificate-check-failed',
    programs: ['pkid'],
    // Assumed text: "Failed to download CRL for CA profile <profile> from <url>"
    contains: 'failed to download crl',
    textAs: 'reasonText',
    fields: [{ label: 'CA profile', key: 'caProfile', as: 'token' }, { label: 'from' }],
    set: { check: 'crl-download' },
    source: 'assumed: no public pkid line (syslog-catalog.md §6.3)',
  },
  {
    id: 'assumed-pkid-certificate-revoked',
    evidence: 'assumed',
    kind: 'certificate-check-failed',
    programs: ['pkid'],
    // Assumed text: "Certificate <subject> of CA profile <profile> has been revoked"
    contains: 'has been revoked',
    textAs: 'reasonText',
    fields: [{ label: 'CA profile', key: 'caProfile', as: 'token' }, { label: 'has been revoked' }],
    set: { check: 'revoked' },
    source: 'assumed: no public pkid line (syslog-catalog.md §6.3)',
  },
  {
    id: 'assumed-pkid-certificate-expired',
    evidence: 'assumed',
    kind: 'certificate-check-failed',
    programs: ['pkid'],
    // Assumed text: "Certificate <subject> of CA profile <profile> has expired"
    contains: 'has expired',
    textAs: 'reasonText',
    fields: [{ label: 'CA profile', key: 'caProfile', as: 'token' }, { label: 'has expired' }],
    set: { check: 'expired' },
    source: 'assumed: no public pkid line (syslog-catalog.md §6.3)',
  },
  {
    id: 'assumed-pkid-certificate-validation-failed',
    evidence: 'assumed',
    kind: 'certificate-check-failed',
    programs: ['pkid'],
    // Assumed text: "Certificate validation failed for CA profile <profile>: <reason>"
    contains: 'certificate validation failed',
    textAs: 'reasonText',
    fields: [{ label: 'CA profile', key: 'caProfile', as: 'token' }],
    set: { check: 'other' },
    source: 'assumed: no public pkid line (syslog-catalog.md §6.3)',
  },
  {
    id: 'assumed-kmd-invalid-spi',
    evidence: 'assumed',
    kind: 'invalid-spi',
    programs: ['kmd', 'iked'],
    // Assumed text: "Received ESP packet with invalid SPI 0x<spi> from <peer>"; the only public
    // evidence is the CLI counter `No SA for incoming SPI` and `respond-bad-spi` (§2.3).
    contains: 'invalid spi',
    fields: [
      { label: 'invalid SPI', key: 'spi', as: 'spi' },
      { label: 'from', key: 'peer', as: 'token' },
    ],
    source: 'assumed: no public syslog line (syslog-catalog.md §6.2)',
  },
];
