import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  prometheusAvailable,
  startPrometheus,
  type RunningPrometheus,
} from '../support/prometheus.js';
import { samonEnv, startSamon, type RunningSamon } from '../support/samonProcess.js';

// A real Prometheus with samon's rules scrapes a running samon fed over syslog with a scripted
// incident (test/fixtures/incident): a missed rekey, an enforced CRL failure, and a healthy
// rekey beside them. The right alerts must fire and the healthy tunnel must raise none.

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'incident', 'missed-rekey-crl.log');

function incidentLines(nowMs: number): string[] {
  return readFileSync(FIXTURE, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => {
      const space = l.indexOf(' ');
      return { offsetSeconds: Number(l.slice(0, space)), line: l.slice(space + 1) };
    })
    .sort((a, b) => a.offsetSeconds - b.offsetSeconds) // a router logs in time order
    .map(({ offsetSeconds, line }) =>
      line.replace('{TIME}', new Date(nowMs + offsetSeconds * 1000).toISOString()),
    );
}

const needed = prometheusAvailable() || process.env.CI === 'true';
if (!prometheusAvailable()) {
  console.warn(
    '[skip] alert e2e: /usr/bin/prometheus missing (apt-get install prometheus). CI fails instead.',
  );
}

describe.skipIf(!needed)('alerts with a real Prometheus scraping samon during an incident', () => {
  let samon: RunningSamon | undefined;
  let prometheus: RunningPrometheus | undefined;
  afterAll(async () => {
    await prometheus?.stop();
    await samon?.stop();
  });

  it('fires the missed-rekey and enforced-CRL alerts, and nothing for the healthy tunnel', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'samon-alerts-'));
    samon = await startSamon(
      ['run'],
      samonEnv(dir, { SAMON_PROJECTION__CLOCK_INTERVAL_SECONDS: '1' }),
    );
    prometheus = await startPrometheus(new URL(samon.http).host);
    await samon.send(incidentLines(Date.now()));

    const wanted = (alerts: { labels: Record<string, string>; state: string }[]) => ({
      overdue: alerts.find(
        (a) =>
          a.labels.alertname === 'IpsecSaRekeyOverdue' &&
          a.labels.tunnel === 'srx-e2e/vpn-missed' &&
          a.state === 'firing',
      ),
      imminent: alerts.find(
        (a) =>
          a.labels.alertname === 'IpsecSaHardDeadlineImminent' &&
          a.labels.tunnel === 'srx-e2e/vpn-missed' &&
          a.state === 'firing',
      ),
      crl: alerts.find(
        (a) =>
          a.labels.alertname === 'IpsecCertificateCheckFailed' &&
          a.labels.router === 'srx-e2e' &&
          a.labels.check === 'crl-download' &&
          a.state === 'firing',
      ),
    });
    let alerts: { labels: Record<string, string>; state: string }[] = [];
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      alerts = await prometheus.alerts();
      const { overdue, imminent, crl } = wanted(alerts);
      if (overdue && imminent && crl) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const { overdue, imminent, crl } = wanted(alerts);
    expect(overdue?.labels.severity, JSON.stringify(alerts)).toBe('warning');
    // Before the SA expires, not after: the hard deadline is 40 s after the lines were sent.
    expect(imminent?.labels.severity, JSON.stringify(alerts)).toBe('critical');
    expect(crl?.labels.severity, JSON.stringify(alerts)).toBe('critical');
    // Both directions of the missed SA are overdue; the healthy tunnel raises nothing at all.
    const healthy = alerts.filter((a) => a.labels.tunnel === 'srx-e2e/vpn-healthy');
    expect(healthy, JSON.stringify(healthy)).toEqual([]);
    const up = await prometheus.query('samon_tunnel_up{tunnel="srx-e2e/vpn-healthy"}');
    expect(up.map((r) => r.value[1])).toEqual(['1']);
    // samon itself is healthy: nothing about it fires (SamonDown may be pending from before the first scrape).
    expect(
      alerts.filter((a) => a.labels.alertname?.startsWith('Samon') && a.state === 'firing'),
    ).toEqual([]);
  }, 120_000);
});
