import { simulateTunnel } from '../../sim/engine.js';
import { buildFleet, type ConfigTweak, type SimFleet, type SimRouter } from '../../sim/fleet.js';
import { formatRecord } from '../../sim/format.js';
import { seededRandom } from '../../sim/random.js';
import type { SimRecord } from '../../sim/record.js';
import { SCENARIO_SPECS, type ScenarioName } from '../../sim/scenarios.js';

// The demo's fleet and the syslog it sends, without end: the simulator plays one window of
// virtual time at a time, so memory stays small however long the demo runs. Each window starts
// every tunnel afresh (a first negotiation 5–120 s in); a tunnel hands over from one window to
// the next at that negotiation, which comes well before the old SAs' soft deadline + grace, so
// the seam looks like an ordinary rekey to samon — never an overdue SA or an expiry.

/** Junos's shortest lifetime-seconds, IKE and IPsec (junos-ipsec.md): a rekey every ~45 s. */
export const DEMO_LIFETIME_SECONDS = 180;

/** The failure scenarios of the mix: every third tunnel plays one, in turn; the rest are steady. */
export const DEMO_FAILURES: readonly ScenarioName[] = [
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
];
export const DEMO_SCENARIOS: readonly ScenarioName[] = ['steady', ...DEMO_FAILURES];

export interface DemoOptions {
  readonly routers: number;
  /** Tunnels from each router to its next routers on the ring. */
  readonly neighbours: number;
  /** Tunnels between each two neighbours, each on its own pair of gateway addresses. */
  readonly tunnelsPerPair: number;
  readonly seed: number;
  /** Virtual time of the first window, epoch ms (whole seconds). */
  readonly startMs: number;
  readonly windowSeconds: number;
}

export const DEMO_DEFAULTS = {
  routers: 12,
  neighbours: 5,
  tunnelsPerPair: 5,
  seed: 1,
  windowSeconds: 600,
} as const;

export interface DemoLine {
  readonly ms: number;
  readonly line: string;
}

/** Longer than a first negotiation can come after a window's start (engine: ≤ 120 s + 30 s). */
const HANDOVER_SECONDS = 180;

export class DemoTraffic {
  readonly fleet: SimFleet;
  private readonly routers: Map<string, SimRouter>;
  /** The window whose records are `pending`. */
  private window = 0;
  /** Its records, per tunnel, in time order: queued once the next window says where to stop. */
  private pending: SimRecord[][];
  /** Lines ready to hand out, in time order; every line before `finalBeforeMs` is in it. */
  private queue: SimRecord[] = [];
  private finalBeforeMs: number;

  constructor(private readonly options: DemoOptions) {
    const random = seededRandom(options.seed);
    const shorten: ConfigTweak = ({ initiator, responder }) => {
      for (const end of [initiator, responder]) {
        end.ipsecLifetime = DEMO_LIFETIME_SECONDS;
        end.ikeLifetime = DEMO_LIFETIME_SECONDS;
      }
    };
    this.fleet = buildFleet({
      routers: options.routers,
      random,
      neighbours: options.neighbours,
      tunnelsPerPair: options.tunnelsPerPair,
      tweak: (index) => (pair) => {
        SCENARIO_SPECS[this.scenarioOf(index)].tweak?.(pair);
        shorten(pair);
      },
    });
    this.routers = new Map(this.fleet.routers.map((r) => [r.name, r]));
    this.pending = this.play(0);
    this.finalBeforeMs = options.startMs;
  }

  scenarioOf(index: number): ScenarioName {
    return index % 3 === 2
      ? DEMO_FAILURES[Math.floor(index / 3) % DEMO_FAILURES.length]!
      : 'steady';
  }

  /** Every line with a time before `untilMs` not handed out yet, in time order. */
  take(untilMs: number): DemoLine[] {
    while (this.finalBeforeMs < untilMs) this.advance();
    let n = 0;
    while (n < this.queue.length && this.queue[n]!.ms < untilMs) n++;
    return this.queue
      .splice(0, n)
      .map((r) => ({ ms: r.ms, line: formatRecord(this.routers.get(r.router)!, r) }));
  }

  /** When the next line is due. */
  nextMs(): number {
    while (this.queue.length === 0 || this.queue[0]!.ms >= this.finalBeforeMs) this.advance();
    return this.queue[0]!.ms;
  }

  /**
   * Queues the current window's lines up to each tunnel's handover to the next window. Later
   * windows only add lines from their own start on (+ 5 s), so everything before that is final.
   */
  private advance(): void {
    const next = this.play(this.window + 1);
    this.pending.forEach((records, i) => {
      const handover = next[i]?.[0]?.ms ?? Number.POSITIVE_INFINITY;
      for (const r of records) if (r.ms < handover) this.queue.push(r);
    });
    this.queue.sort((a, b) => a.ms - b.ms);
    this.pending = next;
    this.window++;
    this.finalBeforeMs = this.windowStartMs(this.window);
  }

  private windowStartMs(k: number): number {
    return this.options.startMs + k * this.options.windowSeconds * 1000;
  }

  /** Window `k`: every tunnel's life from its start, long enough to reach the next handover. */
  private play(k: number): SimRecord[][] {
    const from = this.windowStartMs(k);
    const to = from + (this.options.windowSeconds + HANDOVER_SECONDS) * 1000;
    // Each window draws its own SPIs and jitter; the fleet (its configurations) stays the same.
    const random = seededRandom((this.options.seed * 1_000_003 + k) >>> 0);
    let spi = random.int(0x1000_0000, 0x7fff_ffff);
    const nextSpi = () => {
      spi = (spi + random.int(1, 0xffff)) >>> 0 || 0x100;
      return spi;
    };
    return this.fleet.tunnels.map(
      (tunnel) =>
        simulateTunnel(tunnel, this.scenarioOf(tunnel.index), random, from, to, nextSpi).records,
    );
  }
}
