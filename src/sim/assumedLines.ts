import { ASSUMED } from '../junos/catalog/assumed.js';
import { KMD_TAGGED } from '../junos/catalog/kmd-tagged.js';
import type { SimTunnelEnd } from './configs/end.js';
import type { SimRecord } from './record.js';

// Lines with no public Junos text (pkid CRL/certificate failures, invalid SPI: syslog-catalog.md
// §6): the simulator writes the texts src/junos/catalog/assumed.ts assumes, and checks here that
// each still carries its entry's phrase. Messages known only by a parser's anchors
// (KMD_DPD_PEER_DOWN, KMD_VPN_TS_MISMATCH: evidence R in kmd-tagged.ts) are completed around
// those anchors here too, and checked to carry the entry's tag and every label in order.
// Correcting the catalog after a lab capture means correcting the template below; the checks
// keep the two from drifting apart silently.

const TEMPLATES = {
  'assumed-pkid-crl-download-failed': (ca: string, url: string) =>
    `Failed to download CRL for CA profile ${ca} from ${url}`,
  'assumed-pkid-certificate-revoked': (ca: string, subject: string) =>
    `Certificate ${subject} of CA profile ${ca} has been revoked`,
  'assumed-kmd-invalid-spi': (spi: string, peer: string) =>
    `Received ESP packet with invalid SPI ${spi} from ${peer}`,
} as const;

const ANCHORED = {
  'kmd-dpd-peer-down': (peer: string) => `DPD detected peer ${peer} is dead`,
  // Only "vpn name:" and "Peer Proposed traffic-selector local-ip" are known; the rest is a guess.
  'kmd-vpn-ts-mismatch': (vpn: string, local: string, remote: string) =>
    `Traffic-selector mismatch, vpn name: ${vpn}, Peer Proposed traffic-selector local-ip: ${local}, Peer Proposed traffic-selector remote-ip: ${remote}`,
} as const;

/** The tag, and the text with every label of the catalog entry, in order. */
function anchored(id: keyof typeof ANCHORED, text: string): { tag: string; text: string } {
  const entry = KMD_TAGGED.find((e) => e.id === id);
  if (!entry?.tag) throw new Error(`catalog entry ${id} is gone: update src/sim/assumedLines.ts`);
  let from = 0;
  for (const { label } of entry.fields ?? []) {
    const at = text.indexOf(label, from);
    if (at < 0)
      throw new Error(
        `anchored line ${id} lost the label "${label}": update src/sim/assumedLines.ts`,
      );
    from = at + label.length;
  }
  return { tag: entry.tag, text };
}

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

/** kmd on the router that lost its SAs: a packet arrived for an SPI it has no SA for. */
export function invalidSpi(ms: number, router: string, spi: string, peer: string): SimRecord {
  return {
    ms,
    router,
    program: 'kmd',
    severity: 3,
    text: assumed('assumed-kmd-invalid-spi', TEMPLATES['assumed-kmd-invalid-spi'](spi, peer)),
  };
}

/** `KMD_DPD_PEER_DOWN` on the end whose dead-peer detection gave up on its peer. */
export function dpdPeerDown(ms: number, e: SimTunnelEnd): SimRecord {
  return {
    ms,
    router: e.router,
    program: 'kmd',
    severity: 3,
    ...anchored('kmd-dpd-peer-down', ANCHORED['kmd-dpd-peer-down'](e.remoteAddress)),
  };
}

/** `KMD_VPN_TS_MISMATCH` on the responder: the peer proposed selectors it is not configured for. */
export function tsMismatch(
  ms: number,
  e: SimTunnelEnd,
  proposedLocal: string,
  proposedRemote: string,
): SimRecord {
  return {
    ms,
    router: e.router,
    program: 'kmd',
    severity: 3,
    ...anchored(
      'kmd-vpn-ts-mismatch',
      ANCHORED['kmd-vpn-ts-mismatch'](e.vpn, proposedLocal, proposedRemote),
    ),
  };
}
