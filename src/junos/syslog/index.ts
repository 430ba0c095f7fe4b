import type { Observation } from '../../domain/observation.js';
import type { CompiledEntry } from '../catalog/types.js';

export type { CompiledEntry } from '../catalog/types.js';

export interface SyslogParserOptions {
  /** Year for year-less (RFC 3164 / `show log`) timestamps; default: inferred from the context. */
  readonly year?: number;
  /** Zone of zone-less timestamps: an IANA name (`Europe/Paris`) or an offset (`+01:00`). Default UTC. */
  readonly timezone?: string;
  /** Operator catalog entries, tried before the built-in ones (see compileCatalogEntries). */
  readonly extraEntries?: readonly CompiledEntry[];
}

export interface ParseContext {
  /** Collector's clock when the line arrived (RFC 3339); copied to the observation. */
  readonly receivedAt?: string;
  /** Epoch ms used to infer the year of year-less timestamps (file mtime, receive time). */
  readonly referenceTime?: number;
  /** Address of the sender, copied to the observation. */
  readonly sender?: string;
}

/** Turns one syslog line (without its newline) into an observation. Never throws. */
export type SyslogParser = (line: string | Uint8Array, context?: ParseContext) => Observation;

export function createSyslogParser(_options: SyslogParserOptions = {}): SyslogParser {
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  return (line, context = {}) => {
    const raw = typeof line === 'string' ? line : decoder.decode(line);
    return {
      v: 1,
      kind: 'unrecognized',
      router: context.sender ?? '-',
      time: context.receivedAt ?? '1970-01-01T00:00:00.000Z',
      source: 'syslog',
      raw,
      data: { program: '' },
    };
  };
}
