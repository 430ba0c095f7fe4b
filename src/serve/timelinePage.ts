import type { LifecycleEvent } from '../domain/index.js';
import type { TunnelStateRow } from '../domain/sa/index.js';
import { isUnavailableEvidence } from '../project/evidence.js';

const escapeHtml = (value: unknown): string =>
  String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const SEVERITY: Partial<Record<LifecycleEvent['type'], string>> = {
  TunnelDown: 'bad',
  IpsecSaExpired: 'bad',
  IkeSaExpired: 'bad',
  NegotiationFailed: 'bad',
  CertificateCheckFailed: 'bad',
  InvalidSpiDetected: 'bad',
  RouterSilent: 'bad',
  RouterRebooted: 'bad',
  IpsecSaRekeyOverdue: 'warn',
  TunnelUp: 'good',
  InvalidSpiRecovered: 'good',
  RouterResumed: 'good',
};

const evidenceLine = (line: string): string =>
  isUnavailableEvidence(line) ? `<span class="gone">${escapeHtml(line)}</span>` : escapeHtml(line);

function details(event: LifecycleEvent): string {
  return Object.entries(event.data)
    .map(
      ([k, v]) =>
        `<span class="k">${escapeHtml(k)}</span>=${escapeHtml(typeof v === 'object' ? JSON.stringify(v) : v)}`,
    )
    .join(' ');
}

function current(row: TunnelStateRow | undefined): string {
  if (!row) return '<p>No current state: this tunnel is not in the projection now.</p>';
  const sa = (dir: 'inbound' | 'outbound') => {
    const s = row.ipsec[dir];
    return s
      ? `<td>${escapeHtml(s.spi)}</td><td>${escapeHtml(s.softDeadline)}</td><td>${escapeHtml(s.hardDeadline)}</td>`
      : '<td colspan="3">none</td>';
  };
  return `<p>Status: <strong class="status-${escapeHtml(row.status)}">${escapeHtml(row.status)}</strong>${
    row.remoteGateway ? ` · peer ${escapeHtml(row.remoteGateway)}` : ''
  }${row.ike ? ` · IKE hard deadline ${escapeHtml(row.ike.hardDeadline)}` : ''}</p>
<table><thead><tr><th>direction</th><th>SPI</th><th>soft deadline</th><th>hard deadline</th></tr></thead>
<tbody><tr><td>inbound</td>${sa('inbound')}</tr><tr><td>outbound</td>${sa('outbound')}</tr></tbody></table>`;
}

/** The postmortem timeline of one tunnel, for people: every event in order with its raw evidence. */
export function renderTimelinePage(
  id: string,
  row: TunnelStateRow | undefined,
  events: readonly LifecycleEvent[],
): string {
  const rows = events
    .map(
      (e) =>
        `<tr class="${SEVERITY[e.type] ?? ''}"><td class="t">${escapeHtml(e.at)}</td><td>${escapeHtml(e.type)}${
          e.inferred
            ? ' <span class="inferred" title="inferred: Junos logs no line for this">inferred</span>'
            : ''
        }</td><td>${details(e)}</td><td>${
          e.evidence.length
            ? `<details><summary>${e.evidence.length} line${e.evidence.length > 1 ? 's' : ''}</summary><pre>${e.evidence.map(evidenceLine).join('\n')}</pre></details>`
            : ''
        }</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>samon · ${escapeHtml(id)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1d2330}
h1{font-size:1.3rem;margin:0 0 .5rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{border-bottom:1px solid #dde1e8;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.t{white-space:nowrap;font-family:ui-monospace,monospace}
tr.bad td:first-child{border-left:4px solid #c62828} tr.warn td:first-child{border-left:4px solid #ef8f00}
tr.good td:first-child{border-left:4px solid #2e7d32}
.inferred{font-size:.75rem;background:#eef;padding:0 .3rem;border-radius:3px}
.k{color:#5a6375} .gone{color:#c62828;font-style:italic} pre{white-space:pre-wrap;font-size:12px;background:#f5f6f8;padding:.4rem}
.status-down,.status-expected-but-absent{color:#c62828}.status-up{color:#2e7d32}.status-rekeying{color:#1565c0}
</style></head><body>
<h1>Tunnel ${escapeHtml(id)}</h1>
${current(row)}
<h2>Timeline (${events.length} event${events.length === 1 ? '' : 's'})</h2>
<table><thead><tr><th>time (UTC)</th><th>event</th><th>details</th><th>evidence</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="4">No lifecycle events in this range.</td></tr>'}
</tbody></table>
<p><a href="/api/tunnels/${encodeURIComponent(id)}/timeline">JSON</a></p>
</body></html>
`;
}
