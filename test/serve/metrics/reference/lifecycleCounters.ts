import type { LifecycleEvent } from '../../../../src/domain/lifecycle.js';
import { escapeLabelValue } from './exposition.js';

// Counters fed by lifecycle events (the projector's onEvents hook). They live in this process
// only: after a restart they start again at 0, which Prometheus' rate() and increase() treat as
// a counter reset. A series appears with its first increment.

/** Per-tunnel counts, and the facts of the last IPsec rekey (the fold keeps neither). */
export class TunnelCounters {
  ipsecRekeysOnTime = 0;
  ipsecRekeysLate = 0;
  ikeRekeys = 0;
  ipsecExpirations = 0;
  ikeExpirations = 0;
  invalidSpiStarted = 0;
  invalidSpiRecovered = 0;
  /** Negotiation failures by their label tail, e.g. `,phase="ike",reason="timed-out"`. */
  failures: Map<string, number> | undefined = undefined;
  lastRekeyMs = Number.NaN;
  lastRekeyLeadSeconds = Number.NaN;

  /** Adds another tunnel's counts (an id that became an alias of this tunnel). */
  absorb(other: TunnelCounters): void {
    this.ipsecRekeysOnTime += other.ipsecRekeysOnTime;
    this.ipsecRekeysLate += other.ipsecRekeysLate;
    this.ikeRekeys += other.ikeRekeys;
    this.ipsecExpirations += other.ipsecExpirations;
    this.ikeExpirations += other.ikeExpirations;
    this.invalidSpiStarted += other.invalidSpiStarted;
    this.invalidSpiRecovered += other.invalidSpiRecovered;
    for (const [tail, count] of other.failures ?? []) this.countFailure(tail, count);
    if (!(other.lastRekeyMs <= this.lastRekeyMs)) {
      this.lastRekeyMs = other.lastRekeyMs;
      this.lastRekeyLeadSeconds = other.lastRekeyLeadSeconds;
    }
  }

  countFailure(tail: string, count = 1): void {
    this.failures ??= new Map();
    this.failures.set(tail, (this.failures.get(tail) ?? 0) + count);
  }
}

export class RouterCounters {
  readonly tunnels = new Map<string, TunnelCounters>();
  /** Failures and invalid-SPI episodes the fold could not attribute to a tunnel. */
  readonly unattributed = new TunnelCounters();
  /** Certificate check failures by label tail, e.g. `,check="crl-download",enforced="true"`. */
  readonly certificates = new Map<string, number>();
  reboots = 0;

  tunnel(id: string): TunnelCounters {
    let counters = this.tunnels.get(id);
    if (counters === undefined) {
      counters = new TunnelCounters();
      this.tunnels.set(id, counters);
    }
    return counters;
  }
}

const tail = (labels: Record<string, string>): string =>
  Object.entries(labels)
    .map(([name, value]) => `,${name}="${escapeLabelValue(value)}"`)
    .join('');

export class LifecycleCounters {
  readonly routers = new Map<string, RouterCounters>();

  router(name: string): RouterCounters {
    let counters = this.routers.get(name);
    if (counters === undefined) {
      counters = new RouterCounters();
      this.routers.set(name, counters);
    }
    return counters;
  }

  observe(events: readonly LifecycleEvent[]): void {
    for (const event of events) this.count(event);
  }

  private count(event: LifecycleEvent): void {
    const router = this.router(event.router);
    const target = () =>
      event.tunnel === undefined ? router.unattributed : router.tunnel(event.tunnel);
    switch (event.type) {
      case 'IpsecSaRekeyed': {
        const counters = target();
        if (event.data.outcome === 'on-time') counters.ipsecRekeysOnTime++;
        else counters.ipsecRekeysLate++;
        const at = Date.parse(event.at);
        if (!(at < counters.lastRekeyMs)) {
          counters.lastRekeyMs = at;
          counters.lastRekeyLeadSeconds = event.data.leadSeconds;
        }
        return;
      }
      case 'IkeSaRekeyed':
        target().ikeRekeys++;
        return;
      case 'IpsecSaExpired':
        target().ipsecExpirations++;
        return;
      case 'IkeSaExpired':
        target().ikeExpirations++;
        return;
      case 'NegotiationFailed':
        target().countFailure(tail({ phase: event.data.phase, reason: event.data.reason }));
        return;
      case 'InvalidSpiDetected':
        target().invalidSpiStarted++;
        return;
      case 'InvalidSpiRecovered':
        target().invalidSpiRecovered++;
        return;
      case 'CertificateCheckFailed': {
        const key = tail({ check: event.data.check, enforced: String(event.data.enforced) });
        router.certificates.set(key, (router.certificates.get(key) ?? 0) + 1);
        return;
      }
      case 'TunnelDiscovered':
      case 'TunnelUp':
      case 'TunnelDown':
      case 'IkeSaEstablished':
      case 'IpsecSaEstablished':
      case 'IpsecSaRekeyOverdue':
      case 'RouterSilent':
      case 'RouterResumed':
      case 'ConfigChanged':
        return;
      case 'RouterRebooted':
        router.reboots++;
        return;
    }
  }
}
