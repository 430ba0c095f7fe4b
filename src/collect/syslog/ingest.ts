import type { Observation } from '../../domain/index.js';
import { TOPICS } from '../../log/port.js';
import type { AppendRecord } from '../../log/port.js';
import type { LogAppender } from '../appender.js';
import type { CollectMetrics } from '../metrics.js';

export type Transport = 'udp' | 'tcp' | 'tls';

export type LineParser = (
  line: string | Uint8Array,
  context?: { receivedAt?: string; referenceTime?: number; sender?: string },
) => Observation;

/** Observation → log record: keyed by router so one router's observations stay in order. */
export function toRecord(observation: Observation, receivedAtMs: number): AppendRecord {
  return {
    topic: TOPICS.observations,
    key: observation.router,
    value: Buffer.from(JSON.stringify(observation)),
    headers: { kind: observation.kind, source: observation.source },
    timestamp: receivedAtMs,
  };
}

/**
 * Turns received lines into observations in the log. Every line becomes an observation —
 * unrecognized ones included (raw is evidence); nothing is dropped here.
 */
export class SyslogIngest {
  constructor(
    private readonly parse: LineParser,
    private readonly appender: LogAppender,
    private readonly metrics: CollectMetrics,
    private readonly now: () => number = Date.now,
    private readonly onRouterSeen: (router: string) => void = () => {},
  ) {}

  private observe(
    line: Uint8Array,
    sender: string,
    transport: Transport,
    truncated: boolean,
  ): AppendRecord {
    const receivedAtMs = this.now();
    this.metrics.received.inc({ transport });
    if (truncated) this.metrics.truncated.inc({ transport });
    const observation = this.parse(line, {
      receivedAt: new Date(receivedAtMs).toISOString(),
      referenceTime: receivedAtMs,
      sender,
    });
    this.metrics.observations.inc({ source: observation.source, kind: observation.kind });
    if (observation.kind === 'unrecognized') {
      this.metrics.countUnrecognized(observation.data.program, observation.data.tag);
    }
    this.onRouterSeen(observation.router);
    return toRecord(observation, receivedAtMs);
  }

  /** UDP: no back-pressure is possible, so a full queue means a counted drop. */
  datagram(line: Uint8Array, sender: string, truncated: boolean): void {
    if (this.appender.full) {
      this.metrics.received.inc({ transport: 'udp' });
      this.metrics.udpDropped.inc();
      return;
    }
    if (!this.appender.offer(this.observe(line, sender, 'udp', truncated)))
      this.metrics.udpDropped.inc();
  }

  /** Streams: resolves when the log has room again; the caller pauses its socket meanwhile. */
  async stream(
    frames: readonly { line: Uint8Array; truncated: boolean }[],
    sender: string,
    transport: Transport,
  ): Promise<void> {
    const records = frames.map((f) => this.observe(f.line, sender, transport, f.truncated));
    await this.appender.push(records);
  }
}
