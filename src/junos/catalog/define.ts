import { classifyReason } from './reasons.js';
import type { FastMatcher } from './fast.js';
import { compileFieldScanner, convert, type FieldSpec, type FieldType } from './fields.js';
import type {
  CompiledEntry,
  Evidence,
  FieldValue,
  MessageView,
  ObservationFields,
  SyslogKind,
} from './types.js';

/** A structured-data parameter mapped to a data field. */
export interface SdFieldSpec {
  readonly key: string;
  readonly as?: FieldType;
}

/**
 * One known message, as plain data. Dispatch: `tag` (the Junos TAG or RFC 5424 MSGID),
 * else `prefix` (the text an untagged message starts with; an entry may have both), else
 * `contains` (fallback for assumed texts, case-insensitive, anywhere in the message).
 */
export interface EntrySpec {
  readonly id: string;
  readonly evidence: Evidence;
  readonly kind: SyslogKind;
  /** Default: kmd and iked (iked replaces kmd with the junos-ike package). */
  readonly programs?: readonly string[];
  readonly tag?: string;
  readonly prefix?: string;
  readonly contains?: string;
  /** A substring the text must contain as well (tells apart messages sharing a prefix). */
  readonly requires?: string;
  /** Label-based extraction from the English text, in the order the labels appear. */
  readonly fields?: readonly FieldSpec[];
  /** Structured-data parameters; they win over the text when both are present. */
  readonly sd?: Readonly<Record<string, SdFieldSpec>>;
  /** The whole message text (trimmed) goes to this field, e.g. `reasonText`. */
  readonly textAs?: string;
  /** Constant fields. */
  readonly set?: Readonly<ObservationFields>;
  /** Fields without which the line is not this message (it then stays `unrecognized`). */
  readonly required?: readonly string[];
  /** Where the text comes from (syslog-catalog.md source), for people. */
  readonly source: string;
  /**
   * A hand-written extractor for the usual layout of this message (fast.ts), tried before
   * the generic one; it must give the same fields, or undefined to let the generic one run.
   */
  readonly fast?: FastMatcher;
}

export const DEFAULT_PROGRAMS: readonly string[] = ['kmd', 'iked'];

/** Kinds whose data carries `reason` (required) and `reasonText`. */
export const FAILURE_KINDS: ReadonlySet<SyslogKind> = new Set<SyslogKind>([
  'ike-negotiation-failed',
  'ipsec-negotiation-failed',
  'tunnel-down',
  'phase1-failure',
  'phase2-failure',
]);

/** Fills `reason` from `reasonText` for failure kinds; checks required fields. */
export function finishFields(
  kind: SyslogKind,
  fields: ObservationFields,
  required: readonly string[],
): ObservationFields | undefined {
  if (FAILURE_KINDS.has(kind) && fields.reason === undefined) {
    const text = fields.reasonText;
    fields.reason = classifyReason(typeof text === 'string' ? text : undefined);
  }
  for (const key of required) if (fields[key] === undefined) return undefined;
  return fields;
}

/** `useFast: false` compiles the generic extractor only (the differential test compares both). */
export function defineEntry(spec: EntrySpec, useFast = true): CompiledEntry {
  const scanner = spec.fields?.length ? compileFieldScanner(spec.fields) : undefined;
  // Flat arrays: this runs for every line, no destructuring or iterator objects.
  const sdNames = spec.sd ? Object.keys(spec.sd) : [];
  const sdNeedles = sdNames.map((name) => ` ${name}="`);
  const sdKeys = sdNames.map((name) => spec.sd![name]!.key);
  const sdTypes = sdNames.map((name) => spec.sd![name]!.as ?? 'text');
  const setKeys = spec.set ? Object.keys(spec.set) : [];
  const setValues = setKeys.map((key) => spec.set![key]!);
  const required = spec.required ?? [];
  const { requires, textAs, kind } = spec;
  const failure = FAILURE_KINDS.has(kind);
  const fast = useFast ? spec.fast : undefined;
  return {
    id: spec.id,
    evidence: spec.evidence,
    kind,
    programs: spec.programs ?? DEFAULT_PROGRAMS,
    ...(spec.tag !== undefined && { tag: spec.tag }),
    ...(spec.prefix !== undefined && { prefix: spec.prefix }),
    ...(spec.contains !== undefined && { contains: spec.contains }),
    match(view: MessageView) {
      if (fast !== undefined) {
        const found = fast(view);
        if (found !== undefined) return found;
      }
      const text = view.text;
      if (requires !== undefined && !text.includes(requires)) return undefined;
      const out: ObservationFields = {};
      for (let i = 0; i < setKeys.length; i++) out[setKeys[i]!] = setValues[i]!;
      if (textAs !== undefined) {
        const whole = text.trim();
        if (whole) out[textAs] = whole;
      }
      if (scanner !== undefined && text.length > 0) scanner(text, out);
      const sd = view.sd;
      if (sd !== undefined) {
        for (let i = 0; i < sdNames.length; i++) {
          const raw = sd.value(sdNeedles[i]!);
          if (raw === undefined) continue;
          const value: FieldValue | undefined = convert(raw, sdTypes[i]);
          if (value !== undefined) out[sdKeys[i]!] = value;
        }
      }
      if (failure && out.reason === undefined) {
        const reasonText = out.reasonText;
        out.reason = classifyReason(typeof reasonText === 'string' ? reasonText : undefined);
      }
      for (let i = 0; i < required.length; i++)
        if (out[required[i]!] === undefined) return undefined;
      return out;
    },
  };
}
