import { describe, expect, it } from 'vitest';
import { REASONS } from '../../../src/domain/reason.js';
import { classifyReason, REASON_RULES } from '../../../src/junos/catalog/index.js';

describe('reason classification', () => {
  it.each([
    // Texts seen on devices (syslog-catalog.md).
    ['Timed out', 'timed-out'],
    ['Authentication failed', 'authentication-failed'],
    ['Peer proposed traffic-selectors are not in configured range', 'traffic-selector-mismatch'],
    ['Tunnel configuration is deleted. Corresponding IKE/IPSec SAs are deleted', 'config-deleted'],
    // CLI "Tunnel events" vocabulary and IKE notify names.
    ['Tunnel configuration changed. Corresponding IKE/IPSec SAs are deleted', 'config-deleted'],
    ['User cleared IKE SA from CLI, corresponding IPSec SAs cleared', 'cleared-by-operator'],
    ['No response from peer. Negotiation failed', 'timed-out'],
    ['No proposal chosen', 'no-proposal-chosen'],
    ['NO_PROPOSAL_CHOSEN', 'no-proposal-chosen'],
    ['TS_UNACCEPTABLE', 'traffic-selector-mismatch'],
    ['Proxy ID mismatch', 'traffic-selector-mismatch'],
    ['INVALID_KE_PAYLOAD', 'invalid-ke'],
    ['Invalid ID information', 'invalid-id'],
    ['DPD detected peer 198.51.100.7 is dead', 'dpd-peer-dead'],
    ['Received a delete payload from the peer', 'peer-deleted'],
    ['Invalid SPI 0x1234abcd', 'invalid-spi'],
    ['Hard lifetime expired', 'lifetime-expired'],
    ['Failed to download CRL from http://ca/crl', 'crl-unavailable'],
    ['CRL is not available for CA profile Root-CA', 'crl-unavailable'],
    ['Peer certificate has been revoked', 'certificate-invalid'],
    ['Certificate validation failed: timed out fetching OCSP', 'certificate-invalid'],
    ['Something kmd says that nobody has seen', 'unknown'],
    ['', 'unknown'],
  ])('%j → %s', (text, reason) => {
    expect(classifyReason(text)).toBe(reason);
  });

  it('classifies undefined as unknown', () => {
    expect(classifyReason(undefined)).toBe('unknown');
  });

  it('only produces reasons of the closed list, and every rule is lowercase', () => {
    for (const rule of REASON_RULES) {
      expect(REASONS).toContain(rule.reason);
      for (const part of rule.all) expect(part).toBe(part.toLowerCase());
    }
  });

  it('is case-insensitive', () => {
    expect(classifyReason('TIMED OUT')).toBe('timed-out');
  });
});
