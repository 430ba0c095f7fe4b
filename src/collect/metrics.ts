import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { PairMap } from './pairMap.js';

/** Keeps a label's distinct values bounded: past `limit` new values become `other`. */
export class BoundedLabel {
  private readonly seen = new Set<string>();
  constructor(private readonly limit: number) {}
  value(raw: string): string {
    if (this.seen.has(raw)) return raw;
    if (this.seen.size >= this.limit) return 'other';
    this.seen.add(raw);
    return raw;
  }
}

/**
 * Counts kept in plain numbers on the hot path (a labelled `Counter.inc` hashes its labels:
 * ~0.3 µs, as much as a tenth of a line's budget) and handed to the counter when it is read.
 */
class Tally<L extends string> {
  private readonly pending = new Map<string, { labels: Partial<Record<L, string>>; n: number }>();

  constructor(private readonly counter: Counter<L>) {}

  add(key: string, labels: () => Partial<Record<L, string>>, n = 1): void {
    this.entry(key, labels).n += n;
  }

  /** The pending count of `key`, for a caller that keeps it and adds to `n` itself. */
  entry(key: string, labels: () => Partial<Record<L, string>>): { n: number } {
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { labels: labels(), n: 0 };
      this.pending.set(key, entry);
    }
    return entry;
  }

  /** Called by the counter's collect(), before every read (scrape, get()). */
  flush(): void {
    for (const entry of this.pending.values()) {
      if (entry.n > 0) this.counter.inc(entry.labels, entry.n);
      entry.n = 0;
    }
  }
}

/** The collectors' pipeline metrics (docs/metrics.md). */
export class CollectMetrics {
  readonly observations: Counter<'source' | 'kind'>;
  readonly unrecognized: Counter<'program' | 'tag'>;
  readonly received: Counter<'transport'>;
  readonly truncated: Counter<'transport'>;
  readonly udpDropped: Counter;
  readonly appendFailures: Counter;
  readonly appendDuration: Histogram;
  readonly queued: Gauge;
  readonly connections: Gauge<'transport'>;
  private readonly programs = new BoundedLabel(20);
  private readonly tags = new BoundedLabel(200);
  private readonly observationTally: Tally<'source' | 'kind'>;
  private readonly observationEntries = new PairMap<{ n: number }>();
  private readonly receivedTally: Tally<'transport'>;
  private readonly truncatedTally: Tally<'transport'>;
  private readonly udpDroppedTally: Tally<never>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.observations = new Counter({
      name: 'samon_observations_total',
      help: 'Observations appended to the log, by source and kind.',
      labelNames: ['source', 'kind'],
      registers,
      collect: () => this.observationTally.flush(),
    });
    this.unrecognized = new Counter({
      name: 'samon_unrecognized_lines_total',
      help: 'kmd/iked/pkid lines that no catalog entry matched (kept in the log as unrecognized). At most 20 programs and 200 tags; the rest count as "other".',
      labelNames: ['program', 'tag'],
      registers,
    });
    this.received = new Counter({
      name: 'samon_syslog_messages_received_total',
      help: 'Syslog messages received, by transport (udp, tcp, tls).',
      labelNames: ['transport'],
      registers,
      collect: () => this.receivedTally.flush(),
    });
    this.truncated = new Counter({
      name: 'samon_syslog_messages_truncated_total',
      help: 'Syslog messages longer than syslog.maxMessageBytes, kept truncated.',
      labelNames: ['transport'],
      registers,
      collect: () => this.truncatedTally.flush(),
    });
    this.udpDropped = new Counter({
      name: 'samon_syslog_udp_dropped_total',
      help: 'UDP datagrams dropped because the event log could not keep up (its queue was full).',
      registers,
      collect: () => this.udpDroppedTally.flush(),
    });
    this.appendFailures = new Counter({
      name: 'samon_log_append_failures_total',
      help: 'Appends the event log refused; the batch is kept and retried.',
      registers,
    });
    this.appendDuration = new Histogram({
      name: 'samon_log_append_duration_seconds',
      help: 'Time to append one batch to the event log (durable).',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.queued = new Gauge({
      name: 'samon_collector_queued_records',
      help: 'Records waiting to be appended to the event log.',
      registers,
    });
    this.connections = new Gauge({
      name: 'samon_syslog_connections',
      help: 'Open syslog stream connections, by transport.',
      labelNames: ['transport'],
      registers,
    });
    this.observationTally = new Tally(this.observations);
    this.receivedTally = new Tally(this.received);
    this.truncatedTally = new Tally(this.truncated);
    this.udpDroppedTally = new Tally(this.udpDropped);
  }

  /** `n` messages received over a transport. */
  countReceived(transport: string, n = 1): void {
    this.receivedTally.add(transport, () => ({ transport }), n);
  }

  countTruncated(transport: string): void {
    this.truncatedTally.add(transport, () => ({ transport }));
  }

  countObservation(source: string, kind: string): void {
    let entry = this.observationEntries.get(source, kind);
    if (!entry) {
      // Once per (source, kind): the per-line path finds its count without building a key.
      entry = this.observationTally.entry(`${source}\u0000${kind}`, () => ({ source, kind }));
      this.observationEntries.set(source, kind, entry);
    }
    entry.n++;
  }

  countUdpDropped(n = 1): void {
    this.udpDroppedTally.add('', () => ({}), n);
  }

  countUnrecognized(program: string, tag: string | undefined): void {
    this.unrecognized.inc({
      program: this.programs.value(program),
      tag: this.tags.value(tag ?? ''),
    });
  }
}

/**
 * The SNMP collector's metrics (docs/metrics.md), registered only when SNMP targets or the trap
 * receiver are configured. Labels are bounded: `target` (a configured target's name, i.e. a
 * router: the fleet size, like `router` everywhere — a NOC must see which router stopped
 * answering), `platform` (srx, mx), `outcome` (ok, error) and `trap` (the two Junos traps, or
 * `other`).
 */
export class SnmpMetrics {
  readonly polls: Counter<'target' | 'platform' | 'outcome'>;
  readonly pollDuration: Histogram<'target' | 'platform'>;
  readonly decodeErrors: Counter<'platform'>;
  readonly traps: Counter<'trap'>;
  readonly trapsRejected: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.polls = new Counter({
      name: 'samon_snmp_polls_total',
      help: 'SNMP polls, by target (router), platform and outcome (ok, error); the snmp-poll observation says why one failed.',
      labelNames: ['target', 'platform', 'outcome'],
      registers,
    });
    this.pollDuration = new Histogram({
      name: 'samon_snmp_poll_duration_seconds',
      help: 'Duration of one SNMP poll (system scalars and every table of the walk plan), by target (router).',
      labelNames: ['target', 'platform'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.decodeErrors = new Counter({
      name: 'samon_snmp_decode_errors_total',
      help: 'SNMP values or rows that could not be decoded (summarised in the error of their snmp-poll).',
      labelNames: ['platform'],
      registers,
    });
    this.traps = new Counter({
      name: 'samon_snmp_traps_total',
      help: 'SNMP notifications received, by trap (ike-peer-down, ike-peer-ipsec-tunnel-down, other).',
      labelNames: ['trap'],
      registers,
    });
    this.trapsRejected = new Counter({
      name: 'samon_snmp_traps_rejected_total',
      help: 'SNMP notifications refused: unknown community or user, failed authentication, undecodable packet.',
      registers,
    });
  }
}
