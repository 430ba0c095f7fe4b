import { clockObservation, type Observation } from '../../src/domain/index.js';
import { createSyslogParser } from '../../src/junos/syslog/index.js';

// A small, reproducible fleet history as kmd would log it (syslog-catalog.md templates):
// IKE and IPsec SAs established, hourly rekeys, a tunnel that stops rekeying, failures,
// and clock ticks. Deterministic for a seed: the same seed gives the same observations.

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

const two = (n: number) => String(n).padStart(2, '0');

/** A BSD syslog stamp (`Nov 27 08:00:05`, day space-padded) of `ms`, in UTC. */
export function bsdTime(ms: number): string {
  const d = new Date(ms);
  const month = [
    'Jan',
    'Feb',
    'Mar',
    'Apr',
    'May',
    'Jun',
    'Jul',
    'Aug',
    'Sep',
    'Oct',
    'Nov',
    'Dec',
  ][d.getUTCMonth()];
  return `${month} ${String(d.getUTCDate()).padStart(2, ' ')} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

export interface FleetOptions {
  readonly routers: number;
  readonly tunnelsPerRouter: number;
  readonly hours: number;
  readonly seed: number;
  readonly startMs?: number;
}

/** Observations in time order (per router and overall). */
export function syntheticFleet(options: FleetOptions): Observation[] {
  const random = rng(options.seed);
  const parse = createSyslogParser({ year: 2026 });
  const start = options.startMs ?? Date.parse('2026-11-27T00:00:00.000Z');
  const lines: { ms: number; router: string; line?: string }[] = [];
  let spi = 0x1000_0000;
  for (let r = 0; r < options.routers; r++) {
    const router = `srx-${r + 1}`;
    const local = `192.0.2.${r + 1}`;
    for (let t = 0; t < options.tunnelsPerRouter; t++) {
      const vpn = `vpn-${r + 1}-${t + 1}`;
      const remote = `198.51.100.${t + 1}`;
      const stopsAfterHours = t === 0 && r === 0 ? 1 : Number.POSITIVE_INFINITY;
      for (let h = 0; h < options.hours && h <= stopsAfterHours; h++) {
        const ms = start + h * 3_600_000 + Math.floor(random() * 60_000);
        const prefix = `<30>${bsdTime(ms)} ${router} kmd[1555]:`;
        lines.push({
          ms,
          router,
          line: `${prefix} IKE negotiation successfully completed. IKE Version: 2, VPN: ${vpn} Gateway: gw-${t + 1}, Local: ${local}/500, Remote: ${remote}/500, Local IKE-ID: ${local}, Remote IKE-ID: ${remote}, VR-ID: 0, Role: Initiator`,
        });
        for (const direction of ['inbound', 'outbound']) {
          spi++;
          lines.push({
            ms: ms + 1000,
            router,
            line: `${prefix.replace(bsdTime(ms), bsdTime(ms + 1000))} KMD_PM_SA_ESTABLISHED: Local gateway: ${local}, Remote gateway: ${remote}, Local ID: ipv4_subnet(any:0,[0..7]=10.${r}.${t}.0/24), Remote ID: ipv4_subnet(any:0,[0..7]=10.200.${t}.0/24), Direction: ${direction}, SPI: 0x${spi.toString(16)}, AUX-SPI: 0, Mode: Tunnel, Type: dynamic, Traffic-selector:  FC Name: `,
          });
        }
        if (random() < 0.15) {
          const failMs = ms + 20_000;
          lines.push({
            ms: failMs,
            router,
            line: `<27>${bsdTime(failMs)} ${router} kmd[1555]: IKE negotiation failed with error: ${random() < 0.5 ? 'Timed out' : 'Authentication failed'}. IKE Version: 2, VPN: ${vpn} Gateway: gw-${t + 1}, Local: ${local}/500, Remote: ${remote}/500, Local IKE-ID: ${local}, Remote IKE-ID: Not-Available, VR-ID: 0, Role: Initiator`,
          });
        }
      }
    }
    for (let m = 0; m <= options.hours * 60; m += 5)
      lines.push({ ms: start + m * 60_000 + 30_000, router });
  }
  lines.sort((a, b) => a.ms - b.ms || a.router.localeCompare(b.router));
  return lines.map(({ ms, router, line }) => {
    if (line) return parse(line, { referenceTime: ms });
    return clockObservation(router, new Date(ms).toISOString());
  });
}
