import { describe, expect, it } from 'vitest';
import type { SimRecord } from '../../src/sim/record.js';
import { SCENARIOS } from '../../src/sim/scenarios.js';
import { observationsOf, run } from './helpers.js';

// certificate-revoked is left out: the pkid test below reads CRL download failures only.
const ALL = SCENARIOS.filter((s) => s !== 'certificate-revoked');

/** The observation kind each simulated message is meant to be. */
function intended(r: SimRecord): string {
  if (r.program === 'pkid') return 'certificate-check-failed';
  if (r.tag === 'KMD_PM_SA_ESTABLISHED') return 'ipsec-sa-established';
  if (r.tag === 'KMD_VPN_UP_ALARM_USER') return 'tunnel-up';
  if (r.tag === 'KMD_VPN_DOWN_ALARM_USER') return 'tunnel-down';
  if (r.tag === 'KMD_DPD_PEER_DOWN') return 'dpd-peer-dead';
  if (r.tag === 'KMD_VPN_TS_MISMATCH') return 'traffic-selector-mismatch';
  if (r.text.startsWith('IPSec negotiation failed')) return 'ipsec-negotiation-failed';
  if (r.text.startsWith('Received ESP packet with invalid SPI')) return 'invalid-spi';
  if (r.text.startsWith('IKE negotiation successfully completed')) return 'ike-sa-established';
  if (r.text.startsWith('IKE negotiation failed')) return 'ike-negotiation-failed';
  return `no intended kind for ${r.tag ?? r.text}`;
}

describe('simulated lines and samon’s parser', () => {
  const sim = run([...ALL], 21, 16, 6 * 3600);
  const observations = observationsOf(sim);

  it('parses every line into its intended kind, for every router and form', () => {
    expect(sim.lines.length).toBeGreaterThan(1000);
    const wrong = observations
      .map((o, i) => ({ o, want: intended(sim.records[i]!), line: sim.lines[i]!.line }))
      .filter(({ o, want }) => o.kind !== want);
    expect(wrong.slice(0, 3)).toEqual([]);
    const kinds = new Set(observations.map((o) => o.kind));
    expect(kinds).toEqual(
      new Set([
        'ike-sa-established',
        'ike-negotiation-failed',
        'ipsec-sa-established',
        'tunnel-up',
        'certificate-check-failed',
        'tunnel-down',
        'dpd-peer-dead',
        'traffic-selector-mismatch',
        'ipsec-negotiation-failed',
        'invalid-spi',
      ]),
    );
  });

  it('keeps router, time, SPI (decimal in structured data) and reason as simulated', () => {
    const forms = new Set<string>();
    observations.forEach((o, i) => {
      const r = sim.records[i]!;
      expect(o.router).toBe(r.router);
      expect(Date.parse(o.time)).toBe(r.ms);
      if (o.kind === 'ipsec-sa-established') {
        expect(o.data.spi).toBe(/SPI: (0x[0-9a-f]{8})/.exec(r.text)![1]);
        if (sim.lines[i]!.line.includes('index1="')) {
          forms.add('sd');
          expect(Number(/index1="(\d+)"/.exec(sim.lines[i]!.line)![1])).toBe(Number(o.data.spi));
        }
      }
      if (o.kind === 'ike-negotiation-failed') {
        expect(['timed-out', 'no-proposal-chosen', 'authentication-failed']).toContain(
          o.data.reason,
        );
      }
    });
    expect(forms).toEqual(new Set(['sd']));
  });

  it('writes the assumed pkid text of src/junos/catalog/assumed.ts', () => {
    const pkid = observations.filter((o) => o.kind === 'certificate-check-failed');
    expect(pkid.length).toBeGreaterThan(0);
    for (const o of pkid) {
      expect(o.data).toMatchObject({ check: 'crl-download' });
      expect(sim.lines.find((l) => l.line === o.raw)?.line).toContain(
        `Failed to download CRL for CA profile ${String((o.data as { caProfile?: string }).caProfile)} from`,
      );
    }
  });
});
