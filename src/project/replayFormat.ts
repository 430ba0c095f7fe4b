import type { LifecycleEvent } from '../domain/lifecycle.js';
import type { TunnelStateRow } from '../domain/sa/index.js';

// The three outputs of `samon replay` (contracts.md): NDJSON for machines, an aligned table for
// a terminal, and Markdown for a postmortem a person reads. Pure: same events, same bytes.

export type ReplayFormat = 'ndjson' | 'table' | 'markdown';

/** `2026-11-27T02:00:00.000Z` → `2026-11-27 02:00:00.000` (UTC). */
export const humanTime = (iso: string): string => iso.replace('T', ' ').replace(/Z$/, '');
/** Deadlines in details: to the second. */
const shortTime = (iso: unknown): string =>
  typeof iso === 'string' ? humanTime(iso).replace(/\.000$/, '') : '?';

const num = (value: unknown): string => (typeof value === 'number' ? `${value}` : '?');
/** A data field as text (fields are strings or numbers; anything else is shown as `?`). */
const str = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? `${value}`
    : '?';
const duration = (seconds: unknown): string => {
  if (typeof seconds !== 'number') return '?';
  const s = Math.round(seconds);
  if (Math.abs(s) < 120) return `${seconds} s`;
  const h = Math.floor(Math.abs(s) / 3600);
  const m = Math.floor((Math.abs(s) % 3600) / 60);
  const sign = s < 0 ? '-' : '';
  return h ? `${sign}${h} h ${m} min` : `${sign}${m} min ${Math.abs(s) % 60} s`;
};

const TITLES: Record<LifecycleEvent['type'], string> = {
  TunnelDiscovered: 'tunnel discovered',
  TunnelUp: 'tunnel up',
  TunnelDown: 'tunnel down',
  IkeSaEstablished: 'IKE SA established',
  IkeSaRekeyed: 'IKE SA rekeyed',
  IkeSaExpired: 'IKE SA expired',
  IpsecSaEstablished: 'IPsec SA established',
  IpsecSaRekeyed: 'IPsec SA rekeyed',
  IpsecSaRekeyOverdue: 'IPsec rekey overdue',
  IpsecSaExpired: 'IPsec SA expired',
  NegotiationFailed: 'negotiation failed',
  CertificateCheckFailed: 'certificate check failed',
  InvalidSpiDetected: 'invalid SPI',
  InvalidSpiRecovered: 'invalid SPI recovered',
  RouterSilent: 'router silent',
  RouterResumed: 'router resumed',
  RouterRebooted: 'router rebooted',
  ConfigChanged: 'configuration changed',
};

const endpoint = (value: unknown): string => {
  if (typeof value !== 'object' || value === null) return '?';
  const e = value as { ip?: unknown; port?: unknown };
  return typeof e.port === 'number' ? `${String(e.ip)}:${e.port}` : String(e.ip);
};

const lifetime = (d: Record<string, unknown>): string =>
  `lifetime ${num(d['lifetimeSeconds'])} s${d['lifetimeAssumed'] === true ? ' (assumed: Junos default)' : ''}`;

/** One line of human details for an event. */
export function describe(event: LifecycleEvent): string {
  const d = event.data as Record<string, unknown>;
  const parts: string[] = [];
  const add = (text: string | undefined | false) => {
    if (text) parts.push(text);
  };
  switch (event.type) {
    case 'TunnelDiscovered':
      add(d['vpn'] !== undefined && `VPN ${str(d['vpn'])}`);
      add(d['gateway'] !== undefined && `gateway ${str(d['gateway'])}`);
      add(
        (d['localGateway'] !== undefined || d['remoteGateway'] !== undefined) &&
          `${str(d['localGateway'] ?? '?')} → ${str(d['remoteGateway'] ?? '?')}`,
      );
      add(d['trafficSelector'] !== undefined && `traffic selector ${str(d['trafficSelector'])}`);
      add(d['tunnelInterface'] !== undefined && `${str(d['tunnelInterface'])}`);
      add(d['expected'] === true && 'configured');
      add(d['provisional'] === true && 'named by its gateways until its VPN name is seen');
      add(Array.isArray(d['aliases']) && `also known as ${(d['aliases'] as string[]).join(', ')}`);
      break;
    case 'TunnelUp':
      break;
    case 'TunnelDown':
      add(str(d['reason']));
      add(typeof d['reasonText'] === 'string' && `“${d['reasonText']}”`);
      break;
    case 'IkeSaEstablished':
      add(d['ikeVersion'] !== undefined && `IKEv${str(d['ikeVersion'])}`);
      add(typeof d['role'] === 'string' && d['role']);
      add(d['local'] !== undefined && `${endpoint(d['local'])} → ${endpoint(d['remote'])}`);
      add(lifetime(d));
      add(`hard deadline ${shortTime(d['hardDeadline'])}`);
      break;
    case 'IkeSaRekeyed':
      add(`replaces the IKE SA of ${shortTime(d['previousEstablishedAt'])}`);
      add(`${duration(d['leadSeconds'])} before its hard deadline`);
      break;
    case 'IkeSaExpired':
      add(`hard deadline ${shortTime(d['hardDeadline'])} passed with no successor`);
      break;
    case 'IpsecSaEstablished':
      add(`${str(d['direction'])} SPI ${str(d['spi'])}`);
      add(typeof d['role'] === 'string' && d['role']);
      add(lifetime(d));
      add(`soft ${shortTime(d['softDeadline'])}, hard ${shortTime(d['hardDeadline'])}`);
      break;
    case 'IpsecSaRekeyed':
      add(`${str(d['direction'])} ${str(d['oldSpi'])} → ${str(d['newSpi'])}`);
      add(str(d['outcome']));
      add(`${duration(d['leadSeconds'])} before the old hard deadline`);
      break;
    case 'IpsecSaRekeyOverdue':
      add(
        `${str(d['direction'])} SPI ${str(d['spi'])} not replaced by soft deadline ${shortTime(d['softDeadline'])} + grace`,
      );
      add(`expires at ${shortTime(d['hardDeadline'])}`);
      break;
    case 'IpsecSaExpired':
      add(
        `${str(d['direction'])} SPI ${str(d['spi'])} reached its hard deadline with no successor`,
      );
      break;
    case 'NegotiationFailed':
      add(`${d['phase'] === 'ike' ? 'IKE (phase 1)' : 'IPsec (phase 2)'}: ${str(d['reason'])}`);
      add(typeof d['reasonText'] === 'string' && `“${d['reasonText']}”`);
      add(d['ikeVersion'] !== undefined && `IKEv${str(d['ikeVersion'])}`);
      add(typeof d['role'] === 'string' && d['role']);
      break;
    case 'CertificateCheckFailed':
      add(str(d['check']));
      add(typeof d['caProfile'] === 'string' && `CA profile ${d['caProfile']}`);
      add(
        d['enforced'] === true
          ? 'enforced: the tunnel cannot come up'
          : 'not enforced (fails open)',
      );
      add(typeof d['reasonText'] === 'string' && `“${d['reasonText']}”`);
      break;
    case 'InvalidSpiDetected':
      add(typeof d['spi'] === 'string' && `SPI ${d['spi']}`);
      add(typeof d['count'] === 'number' && `${d['count']} packets`);
      add(
        d['respondBadSpi'] === true
          ? 'respond-bad-spi configured'
          : d['respondBadSpi'] === false
            ? 'respond-bad-spi not configured'
            : 'respond-bad-spi unknown (no configuration)',
      );
      break;
    case 'InvalidSpiRecovered':
      add(`after ${duration(d['durationSeconds'])}, via ${str(d['via'])}`);
      break;
    case 'RouterSilent':
      add(
        `nothing received since ${shortTime(d['lastSeenAt'])} (${duration(d['silentSinceSeconds'])})`,
      );
      break;
    case 'RouterResumed':
      add(`after ${duration(d['silentSinceSeconds'])} of silence`);
      break;
    case 'RouterRebooted':
      add(`booted at ${shortTime(d['bootAt'])} (SNMP sysUpTime went back)`);
      break;
    case 'ConfigChanged':
      add(typeof d['summary'] === 'string' ? d['summary'] : 'configuration changed');
      break;
  }
  return parts.join(', ');
}

export const title = (event: LifecycleEvent): string => TITLES[event.type];

// ---- NDJSON

export const ndjson = (items: readonly unknown[]): string =>
  items.map((i) => `${JSON.stringify(i)}\n`).join('');

// ---- table

function align(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) =>
          i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - [...cell].length),
        )
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}

export function eventTable(events: readonly LifecycleEvent[]): string {
  const rows = [['TIME (UTC)', 'TUNNEL', 'EVENT', 'HOW', 'DETAILS']];
  for (const e of events) {
    rows.push([
      humanTime(e.at),
      e.tunnel ?? `${e.router} (router)`,
      e.type,
      e.inferred ? 'inferred' : 'observed',
      describe(e),
    ]);
  }
  return align(rows);
}

const saCell = (sa: TunnelStateRow['ipsec']['inbound']): string =>
  sa ? `${sa.spi} hard ${shortTime(sa.hardDeadline)}` : '-';

export function stateTable(rows: readonly TunnelStateRow[]): string {
  const out = [
    ['TUNNEL', 'STATUS', 'IKE HARD DEADLINE', 'INBOUND', 'OUTBOUND', 'LAST EVENT (UTC)'],
  ];
  for (const r of rows) {
    out.push([
      r.tunnel,
      r.status,
      r.ike ? shortTime(r.ike.hardDeadline) : '-',
      saCell(r.ipsec.inbound),
      saCell(r.ipsec.outbound),
      r.lastEventAt ? humanTime(r.lastEventAt) : '-',
    ]);
  }
  return align(out);
}

export function stateMarkdown(rows: readonly TunnelStateRow[]): string {
  const out = [
    '| tunnel | status | IKE hard deadline | inbound SA | outbound SA | last event (UTC) |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    out.push(
      `| ${r.tunnel} | ${r.status}${r.downReason ? ` (${r.downReason})` : ''} | ${r.ike ? shortTime(r.ike.hardDeadline) : '-'} | ${saCell(r.ipsec.inbound)} | ${saCell(r.ipsec.outbound)} | ${r.lastEventAt ? humanTime(r.lastEventAt) : '-'} |`,
    );
  }
  return `${out.join('\n')}\n`;
}
