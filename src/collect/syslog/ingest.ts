import type { Observation } from '../../domain/index.js';
import { TOPICS } from '../../log/port.js';
import type { AppendRecord, Headers } from '../../log/port.js';
import type { LogAppender } from '../appender.js';
import type { CollectMetrics } from '../metrics.js';
import { PairMap } from '../pairMap.js';

export type Transport = 'udp' | 'tcp' | 'tls';

export type LineParser = (
  line: string | Uint8Array,
  context?: { receivedAt?: string; referenceTime?: number; sender?: string },
) => Observation;

/**
 * One frozen headers object per (kind, source): records share it instead of one each. Looked up
 * by kind, then source (the parser's own strings, whose hashes are kept), not by a key string
 * built per line.
 */
const headersCache = new PairMap<Headers>();
function headersFor(kind: string, source: string): Headers {
  let headers = headersCache.get(kind, source);
  if (!headers) {
    headers = Object.freeze({ kind, source });
    // Kinds and sources are closed lists; the bound only guards against a surprise.
    if (headersCache.size < 1_000) headersCache.set(kind, source, headers);
  }
  return headers;
}

/** Observation → log record: keyed by router so one router's observations stay in order. */
export function toRecord(observation: Observation, receivedAtMs: number): AppendRecord {
  return {
    topic: TOPICS.observations,
    key: observation.router,
    value: Buffer.from(JSON.stringify(observation)),
    headers: headersFor(observation.kind, observation.source),
    timestamp: receivedAtMs,
  };
}

/**
 * Turns received lines into observations in the log. Every line becomes an observation —
 * unrecognized ones included (raw is evidence); nothing is dropped here.
 */
export class SyslogIngest {
  /** The last receive time and its ISO text: lines of the same millisecond share it. */
  private isoMs = Number.NaN;
  private iso = '';

  constructor(
    private readonly parse: LineParser,
    private readonly appender: LogAppender,
    private readonly metrics: CollectMetrics,
    private readonly now: () => number = Date.now,
    private readonly onRouterSeen: (router: string) => void = () => {},
  ) {}

  private receivedAt(ms: number): string {
    if (ms !== this.isoMs) {
      this.isoMs = ms;
      this.iso = new Date(ms).toISOString();
    }
    return this.iso;
  }

  private observe(line: Uint8Array, sender: string, receivedAtMs: number): Observation {
    const observation = this.parse(line, {
      receivedAt: this.receivedAt(receivedAtMs),
      referenceTime: receivedAtMs,
      sender,
    });
    this.metrics.countObservation(observation.source, observation.kind);
    if (observation.kind === 'unrecognized') {
      this.metrics.countUnrecognized(observation.data.program, observation.data.tag);
    }
    this.onRouterSeen(observation.router);
    return observation;
  }

  /** UDP: no back-pressure is possible, so a full queue means a counted drop. */
  datagram(line: Uint8Array, sender: string, truncated: boolean, receivedAtMs?: number): void {
    this.metrics.countReceived('udp');
    if (this.appender.full) {
      this.metrics.countUdpDropped();
      return;
    }
    if (truncated) this.metrics.countTruncated('udp');
    const ms = receivedAtMs ?? this.now();
    const o = this.observe(line, sender, ms);
    // toRecord's record, its value's JSON text handed over as text (encoded once, into the batch).
    const headers = headersFor(o.kind, o.source);
    if (!this.appender.offerText(TOPICS.observations, o.router, JSON.stringify(o), headers, ms))
      this.metrics.countUdpDropped();
  }

  /** UDP datagrams received and dropped before they reached this thread (it was behind). */
  datagramsDropped(count: number): void {
    this.metrics.countReceived('udp', count);
    this.metrics.countUdpDropped(count);
  }

  /** Streams: resolves when the log has room again; the caller pauses its socket meanwhile. */
  async stream(
    frames: readonly { line: Uint8Array; truncated: boolean }[],
    sender: string,
    transport: Transport,
  ): Promise<void> {
    const receivedAtMs = this.now();
    this.metrics.countReceived(transport, frames.length);
    const { appender } = this;
    for (let i = 0; i < frames.length; i++) {
      const frame = frames[i]!;
      if (frame.truncated) this.metrics.countTruncated(transport);
      const o = this.observe(frame.line, sender, receivedAtMs);
      const headers = headersFor(o.kind, o.source);
      appender.pushText(TOPICS.observations, o.router, JSON.stringify(o), headers, receivedAtMs);
    }
    await appender.room();
  }
}
