import type { Observation, ObservationKind, ObservationOf } from '../../domain/index.js';
import {
  decodeGlobalCounters,
  decodeSystem,
  decodeTable,
  describeCounters,
  describeSystem,
} from '../../junos/snmp/decode.js';
import { SYSTEM_OIDS, walkPlan, type Platform, type WalkTable } from '../../junos/snmp/oids.js';
import {
  describeSnmpError,
  openSession,
  targetSecrets,
  type SnmpFailure,
  type SnmpSession,
  type SnmpTarget,
  type SnmpVarbind,
} from './session.js';
import { get, walkSubtrees, WalkError } from './walk.js';

type DataOf<K extends ObservationKind> = ObservationOf<K>['data'];
type DecodeErrors = { oid: string; message: string }[];

/** A decoded row, before the envelope: what the decoder gives for each row of a table. */
export interface DecodedRow {
  readonly kind: ObservationKind;
  readonly data: unknown;
  readonly raw: string;
}

/** The decoding functions of src/junos/snmp (injectable, so the I/O here is tested on its own). */
export interface SnmpDecoder {
  decodeSystem(
    varbinds: readonly SnmpVarbind[],
    errors: DecodeErrors,
  ): DataOf<'snmp-system'> | undefined;
  decodeTable(
    platform: Platform,
    table: WalkTable,
    varbinds: readonly SnmpVarbind[],
  ): { observations: readonly DecodedRow[]; errors: DecodeErrors };
  decodeGlobalCounters(
    varbinds: readonly SnmpVarbind[],
    errors: DecodeErrors,
  ): DataOf<'snmp-counters'>;
}

export const junosDecoder: SnmpDecoder = { decodeSystem, decodeTable, decodeGlobalCounters };

export interface PollDeps {
  /** Default: the Junos decoder (src/junos/snmp/decode.ts). */
  readonly decoder?: SnmpDecoder;
  /** Epoch milliseconds (the poll's `time` and every `receivedAt`). */
  readonly now?: () => number;
  readonly plan?: (platform: Platform) => readonly WalkTable[];
  readonly openSession?: (target: SnmpTarget) => SnmpSession;
  /** Aborting closes the session: the poll ends at once, failed ("abandoned"). */
  readonly signal?: AbortSignal;
}

export interface PollOutcome {
  /** `snmp-system`, the rows, `snmp-counters`, then one `snmp-poll`. */
  readonly observations: Observation[];
  readonly ok: boolean;
  readonly failure?: SnmpFailure;
  readonly durationMs: number;
  readonly rows: number;
  readonly decodeErrors: number;
}

/** `address:port`, IPv6 in brackets: the `target` of `snmp-poll` (no credential in it). */
export function targetAddress(target: Pick<SnmpTarget, 'address' | 'port'>): string {
  return target.address.includes(':')
    ? `[${target.address}]:${target.port}`
    : `${target.address}:${target.port}`;
}

function envelope<K extends ObservationKind>(
  kind: K,
  router: string,
  time: string,
  receivedAt: string,
  raw: string,
  data: unknown,
): ObservationOf<K> {
  return { v: 1, kind, router, time, receivedAt, source: 'snmp', raw, data } as ObservationOf<K>;
}

const closed = new WeakSet<SnmpSession>();

/** A net-snmp session throws when closed twice (the abort and the end of the poll both close). */
function closeOnce(session: SnmpSession): void {
  if (closed.has(session)) return;
  closed.add(session);
  try {
    session.close();
  } catch {
    // already closed by net-snmp after a socket error
  }
}

const MAX_ERRORS_SHOWN = 3;
/** Decode errors kept in one `snmp-poll` (a broken agent must not make it huge). */
export const MAX_DECODE_ERRORS_KEPT = 100;

function decodeErrorSummary(errors: readonly { oid: string; message: string }[]): string {
  const shown = errors
    .slice(0, MAX_ERRORS_SHOWN)
    .map((e) => `${e.oid}: ${e.message}`)
    .join('; ');
  const more =
    errors.length > MAX_ERRORS_SHOWN ? `; and ${errors.length - MAX_ERRORS_SHOWN} more` : '';
  return `${errors.length} value${errors.length === 1 ? '' : 's'} not decoded (${shown}${more})`;
}

/**
 * One poll of one target: sysUpTime and sysName, then the platform's walk plan table by table
 * (GETBULK, only the listed columns), decoded. Never throws: a failed poll still ends with its
 * `snmp-poll` (ok false, the reason in `error`), after the rows of the tables it walked in full.
 */
export async function pollTarget(target: SnmpTarget, deps: PollDeps): Promise<PollOutcome> {
  const now = deps.now ?? Date.now;
  const plan = (deps.plan ?? walkPlan)(target.platform);
  const decoder = deps.decoder ?? junosDecoder;
  const started = now();
  const time = new Date(started).toISOString();
  const router = target.name;
  const observations: Observation[] = [];
  const tables: string[] = [];
  const decodeErrors: DecodeErrors = [];
  const counterVarbinds: SnmpVarbind[] = [];
  let countersWalked = false;
  let rows = 0;
  let failure: { failure: SnmpFailure; text: string } | undefined;
  let socketError: unknown;
  let session: SnmpSession | undefined;
  let onAbort: (() => void) | undefined;
  const received = () => new Date(now()).toISOString();
  try {
    const opened = (deps.openSession ?? openSession)(target);
    session = opened;
    opened.on('error', (error) => {
      socketError = error;
    });
    onAbort = () => closeOnce(opened);
    if (deps.signal?.aborted) closeOnce(opened);
    deps.signal?.addEventListener('abort', onAbort, { once: true });
    const system = await get(session, [...SYSTEM_OIDS]);
    const systemData = decoder.decodeSystem(system, decodeErrors);
    if (systemData) {
      observations.push(
        envelope('snmp-system', router, time, received(), describeSystem(systemData), systemData),
      );
    } else {
      decodeErrors.push({ oid: SYSTEM_OIDS[0] ?? 'sysUpTime.0', message: 'no sysUpTime.0' });
    }
    for (const table of plan) {
      const prefixes = table.columns ? table.columns.map((c) => `${table.oid}.${c}`) : [table.oid];
      const { varbinds } = await walkSubtrees(session, prefixes, target.maxRepetitions);
      tables.push(table.name);
      if (!table.columns) {
        countersWalked = true;
        counterVarbinds.push(...varbinds);
        continue;
      }
      const decoded = decoder.decodeTable(target.platform, table, varbinds);
      const at = received();
      for (const row of decoded.observations) {
        observations.push(envelope(row.kind, router, time, at, row.raw, row.data));
        rows++;
      }
      decodeErrors.push(...decoded.errors);
    }
  } catch (error) {
    failure = deps.signal?.aborted
      ? { failure: 'internal', text: 'abandoned: samon is stopping' }
      : error instanceof WalkError
        ? { failure: 'malformed', text: error.message }
        : describeSnmpError(socketError ?? error, targetSecrets(target), target.version);
  } finally {
    if (onAbort) deps.signal?.removeEventListener('abort', onAbort);
    if (session) closeOnce(session);
  }
  const counters = countersWalked
    ? decoder.decodeGlobalCounters(counterVarbinds, decodeErrors)
    : undefined;
  if (counters && Object.keys(counters.counters).length > 0) {
    const data = counters;
    observations.push(
      envelope(
        'snmp-counters',
        router,
        time,
        received(),
        describeCounters(data, 'globalStats'),
        data,
      ),
    );
  }
  const durationMs = Math.max(0, now() - started);
  const ok = failure === undefined;
  const errorText = [
    failure?.text,
    decodeErrors.length ? decodeErrorSummary(decodeErrors) : undefined,
  ]
    .filter(Boolean)
    .join('; ');
  const data: DataOf<'snmp-poll'> = {
    target: targetAddress(target),
    ok,
    durationMs,
    rows,
    ...(errorText ? { error: errorText } : {}),
    platform: target.platform,
    tables,
    // Extension: every decode error (up to a bound), the evidence of what an agent got wrong.
    ...(decodeErrors.length ? { decodeErrors: decodeErrors.slice(0, MAX_DECODE_ERRORS_KEPT) } : {}),
  };
  const raw = `snmp-poll ${router} ${data.target} ${ok ? 'ok' : 'failed'} ${durationMs}ms rows=${rows}${errorText ? ` error=${errorText}` : ''}`;
  observations.push(envelope('snmp-poll', router, time, received(), raw, data));
  return {
    observations,
    ok,
    ...(failure ? { failure: failure.failure } : {}),
    durationMs,
    rows,
    decodeErrors: decodeErrors.length,
  };
}
