import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { samonEnv, startSamon, type RunningSamon } from '../support/samonProcess.js';

// `samon run --demo` as a newcomer starts it: within a minute, tunnels up, rekeys and every
// failure of the mix in /api/tunnels and /metrics; overdue and expired SAs only on the tunnels
// whose rekey the simulator withholds (no false alarm from the demo's clock); Ctrl-C exits 0.

const running: RunningSamon[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop('SIGKILL')));
});

interface Row {
  tunnel: string;
  status: string;
}
interface DemoTunnel {
  id: string;
  scenario: string;
  ends: string[];
}

const WAIT_MS = 90_000;

/** `name{labels} value` lines with a value above 0, as label maps. */
function nonZero(metrics: string, name: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const line of metrics.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (!(value > 0)) continue;
    const labels: Record<string, string> = {};
    for (const m of line.matchAll(/(\w+)="([^"]*)"/g)) labels[m[1]!] = m[2]!;
    out.push(labels);
  }
  return out;
}

describe('samon run --demo', () => {
  it(
    'shows tunnels up, rekeys and each failure of the mix within a minute, then stops cleanly on SIGINT',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'samon-demo-'));
      const started = Date.now();
      const s = await startSamon(['run', '--demo', '--demo-dir', dir], samonEnv(dir));
      running.push(s);
      // The banner follows samon's own "running" line.
      for (let i = 0; i < 100 && !s.output().includes('Ctrl-C stops the fleet'); i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(s.output()).toContain(`${s.http}/api/tunnels`);
      expect(s.output()).toContain(`${s.http}/metrics`);
      expect(s.output()).toContain(`${s.http}/timeline/`);
      expect(existsSync(join(dir, 'samon.db'))).toBe(true);
      const tunnels = JSON.parse(readFileSync(join(dir, 'tunnels.json'), 'utf8')) as DemoTunnel[];
      const scenarioOf = new Map(tunnels.flatMap((t) => t.ends.map((e) => [e, t.scenario])));
      const peerGone = tunnels
        .filter((t) => t.scenario === 'missed-rekey' || t.scenario === 'dpd-dead-peer')
        .flatMap((t) => t.ends);

      const want: Record<string, (m: string, rows: Row[]) => boolean> = {
        'tunnels up': (_m, rows) => rows.filter((r) => r.status === 'up').length >= 30,
        'configured but absent': (_m, rows) => rows.some((r) => r.status === 'expected-but-absent'),
        rekeys: (m) => nonZero(m, 'samon_ipsec_sa_rekeys_total').length > 0,
        'proposal mismatch': (m) =>
          nonZero(m, 'samon_negotiation_failures_total').some(
            (l) => l.reason === 'no-proposal-chosen',
          ),
        'authentication failure': (m) =>
          nonZero(m, 'samon_negotiation_failures_total').some(
            (l) => l.reason === 'authentication-failed',
          ),
        'peer unreachable': (m) =>
          nonZero(m, 'samon_negotiation_failures_total').some(
            (l) => l.reason === 'timed-out' && scenarioOf.get(l.tunnel!) === 'peer-unreachable',
          ),
        'responder rekey': (m) =>
          nonZero(m, 'samon_negotiation_failures_total').some(
            (l) => scenarioOf.get(l.tunnel!) === 'responder-rekey',
          ),
        'CRL download failure, enforced': (m) =>
          nonZero(m, 'samon_certificate_check_failures_total').some(
            (l) => l.check === 'crl-download' && l.enforced === 'true',
          ),
        'CRL download failure, fail-open': (m) =>
          nonZero(m, 'samon_certificate_check_failures_total').some(
            (l) => l.check === 'crl-download' && l.enforced === 'false',
          ),
        'revoked certificate': (m) =>
          nonZero(m, 'samon_certificate_check_failures_total').some((l) => l.check === 'revoked'),
        'traffic-selector mismatch': (m) =>
          nonZero(m, 'samon_negotiation_failures_total').some(
            (l) => l.reason === 'traffic-selector-mismatch',
          ),
        'dead peer (DPD)': (m) =>
          nonZero(m, 'samon_negotiation_failures_total').some(
            (l) => scenarioOf.get(l.tunnel!) === 'dpd-dead-peer',
          ),
        'router reboot: invalid SPI': (m) =>
          nonZero(m, 'samon_invalid_spi_episodes_total').some(
            (l) => scenarioOf.get(l.tunnel!) === 'router-reboot',
          ),
        'router reboot with respond-bad-spi: invalid SPI': (m) =>
          nonZero(m, 'samon_invalid_spi_episodes_total').some(
            (l) => scenarioOf.get(l.tunnel!) === 'router-reboot-respond-bad-spi',
          ),
        // The overdue gauge lasts from soft deadline + 60 s to the expiry; the events stay counted.
        'missed rekey: overdue': (m) =>
          nonZero(m, 'samon_lifecycle_events_total').some((l) => l.type === 'IpsecSaRekeyOverdue'),
        'missed rekey: expired': (m) =>
          nonZero(m, 'samon_ipsec_sa_expirations_total').some(
            (l) => scenarioOf.get(l.tunnel!) === 'missed-rekey',
          ),
      };
      const scenarios = new Set(tunnels.map((t) => t.scenario));
      expect(scenarios).toEqual(
        new Set([
          'steady',
          'missed-rekey',
          'responder-rekey',
          'proposal-mismatch',
          'auth-failure',
          'peer-unreachable',
          'crl-enforced',
          'crl-fail-open',
          'certificate-revoked',
          'dpd-dead-peer',
          'traffic-selector-mismatch',
          'router-reboot',
          'router-reboot-respond-bad-spi',
        ]),
      );

      let missing = Object.keys(want);
      let metrics = '';
      let rows: Row[] = [];
      while (Date.now() - started < WAIT_MS) {
        metrics = await (await fetch(`${s.http}/metrics`)).text();
        rows = (await (await fetch(`${s.http}/api/tunnels`)).json()) as Row[];
        missing = Object.entries(want)
          .filter(([, seen]) => !seen(metrics, rows))
          .map(([name]) => name);
        if (missing.length === 0) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      expect(missing, `not shown after ${WAIT_MS / 1000} s`).toEqual([]);
      const shownAfter = (Date.now() - started) / 1000;
      expect(shownAfter).toBeLessThan(60);
      expect(rows.length).toBe(tunnels.length * 2);

      // No false alarm: SAs are overdue or expire only where the peer went away.
      for (const name of [
        'samon_ipsec_sa_rekey_overdue',
        'samon_ipsec_sa_expirations_total',
        'samon_ike_sa_expirations_total',
      ]) {
        const tunnelsWith = nonZero(metrics, name).map((l) => l.tunnel!);
        expect(
          tunnelsWith.filter((t) => !peerGone.includes(t)),
          name,
        ).toEqual([]);
      }

      // And the fleet lives on in real time: a rekey arrives after the history sent at start.
      const rekeys = (m: string) =>
        m
          .split('\n')
          .filter((l) => l.startsWith('samon_ipsec_sa_rekeys_total{'))
          .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
      const before = rekeys(metrics);
      let after = before;
      for (let i = 0; i < 30 && after === before; i++) {
        await new Promise((r) => setTimeout(r, 1000));
        after = rekeys(await (await fetch(`${s.http}/metrics`)).text());
      }
      expect(after).toBeGreaterThan(before);

      expect(await s.stop('SIGINT')).toBe(0);
      expect(s.output()).toContain('simulated fleet stopped');
      expect(s.output()).toContain('stopped cleanly');
    },
    WAIT_MS + 30_000,
  );
});
