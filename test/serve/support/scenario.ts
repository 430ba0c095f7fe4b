import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  ikeFailed,
  ikeUp,
  saPair,
  T0,
  tunnelDown,
  tunnelUp,
} from '../../domain/support/observations.js';

// Syslog lines (kmd/pkid, RFC 5424) that give every metric family of samon at least one
// series: tunnels up, rekeyed, rekeying, down, expired, failing, in an invalid-SPI episode, a
// CRL download failure, an unrecognized line and an over-long one; plus a Junos configuration
// whose tunnels are expected but never seen. Times are relative to now, so that SAs from nine
// hours ago have expired by the first clock tick and recent ones are current.

export const HUB_CONFIG = readFileSync(
  fileURLToPath(new URL('../../fixtures/junos/srx-hub.conf', import.meta.url)),
  'utf8',
);

/** Seconds after the builders' T0 that are `ago` seconds before now. */
const before = (ago: number): number => (Date.now() - T0) / 1000 - ago;
const iso = (ago: number): string => new Date(Date.now() - ago * 1000).toISOString();

export function everyFamilyLines(): string[] {
  const gateways = (vpn: string, remote: string, ago: number, spis: [string, string]) => [
    ikeUp({ t: before(ago), vpn, remote }).raw,
    ...saPair({ t: before(ago), remote, in: spis[0], out: spis[1] }).map((o) => o.raw),
  ];
  return [
    // expired: default lifetimes (IKE 3600 s, IPsec 28 800 s) long past
    ...gateways('vpn-old', '198.51.100.20', 9 * 3600, ['0x0e000001', '0x0e000002']),
    // up, then IKE and both IPsec directions rekeyed
    ...gateways('vpn-a', '198.51.100.1', 1200, ['0x0a000001', '0x0a000002']),
    ikeUp({ t: before(600), vpn: 'vpn-a', remote: '198.51.100.1' }).raw,
    ...saPair({ t: before(600), remote: '198.51.100.1', in: '0x0a000003', out: '0x0a000004' }).map(
      (o) => o.raw,
    ),
    // rekeying: one direction on the new generation only
    ...gateways('vpn-b', '198.51.100.2', 1200, ['0x0b000001', '0x0b000002']),
    saPair({ t: before(600), remote: '198.51.100.2', in: '0x0b000003', out: '0x0b000004' })[0]!.raw,
    // down after failures
    tunnelUp({ t: before(900), vpn: 'vpn-c', peer: '198.51.100.3' }).raw,
    ikeFailed({
      t: before(800),
      vpn: 'vpn-c',
      remote: '198.51.100.3',
      reason: 'authentication-failed',
      reasonText: 'Authentication failed',
    }).raw,
    tunnelDown({ t: before(790), vpn: 'vpn-c', peer: '198.51.100.3', reason: 'peer-deleted' }).raw,
    // an invalid-SPI episode
    ...gateways('vpn-d', '198.51.100.4', 1200, ['0x0d000001', '0x0d000002']),
    `<28>1 ${iso(300)} srx1 kmd 2412 - - Received ESP packet with invalid SPI 0x5F3A0C11 from 198.51.100.4`,
    // a CRL that cannot be downloaded, a line no catalog entry knows, and an over-long one
    `<27>1 ${iso(200)} srx1 pkid 2413 - - Failed to download CRL for CA profile Root-CA from http://ca.example.net/root.crl`,
    `<30>1 ${iso(100)} srx1 kmd 2412 KMD_SOMETHING_NEW - Something no catalog entry matches`,
    `<30>1 ${iso(90)} srx1 kmd 2412 - - ${'x'.repeat(600)}`,
  ];
}

/** samon configuration for the scenario: the hub's configuration, and a short message limit. */
export const SCENARIO_YAML = [
  'syslog:',
  '  maxMessageBytes: 480',
  'junos:',
  '  files: [{ path: $DIR/srx-hub.conf }]',
].join('\n');
