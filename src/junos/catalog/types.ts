import type { ObservationKind } from '../../domain/observation.js';

/**
 * How sure we are of a catalog entry's text (syslog-catalog.md legend):
 * V = seen in verbatim device lines, R = only a third-party parser's anchors, D = Juniper
 * documentation text, assumed = no public source at all (src/junos/catalog/assumed.ts),
 * operator = added in the configuration file.
 */
export type Evidence = 'V' | 'R' | 'D' | 'assumed' | 'operator';

/** Observation kinds a syslog line can become. */
export type SyslogKind = Exclude<
  ObservationKind,
  | 'snmp-ike-sa'
  | 'snmp-ipsec-tunnel'
  | 'snmp-ipsec-sa'
  | 'snmp-system'
  | 'snmp-ike-peer'
  | 'snmp-counters'
  | 'snmp-poll'
  | 'snmp-trap'
  | 'junos-config'
  | 'junos-peers'
  | 'clock'
  | 'unrecognized'
  | 'ignored'
>;

/** What the observation's data holds after a matcher ran: plain JSON values. */
export type FieldValue = string | number | { ip: string; port?: number };
export type ObservationFields = Record<string, FieldValue>;

/** The message part of a line that a catalog entry sees. */
export interface MessageView {
  /** Lowercase program name without path (`kmd`, `iked`, `pkid`). */
  readonly program: string;
  /** Junos TAG (BSD text, explicit-priority or RFC 5424 MSGID); '' when the line has none. */
  readonly tag: string;
  /** English text after the tag ('' with `brief`). */
  readonly text: string;
  /** Structured-data parameters of the `junos@2636.*` element, or undefined. */
  readonly sd: StructuredParams | undefined;
}

/** Structured-data parameters, read on demand. */
export interface StructuredParams {
  /** Unescaped value of a parameter; `needle` is ` name="` (see sdNeedle). */
  value(needle: string): string | undefined;
}

/**
 * A catalog entry ready to run: `match` returns the observation fields, or undefined when
 * the line is not this message (or lacks a field the kind requires).
 */
export interface CompiledEntry {
  readonly id: string;
  readonly evidence: Evidence;
  readonly kind: SyslogKind;
  /** Programs the entry applies to (lowercase). */
  readonly programs: readonly string[];
  /** Junos tag the entry is dispatched on, when it has one. */
  readonly tag?: string;
  /** Text the message starts with, for untagged messages. */
  readonly prefix?: string;
  /** Text the message contains anywhere (fallback matching, used by assumed entries). */
  readonly contains?: string;
  match(view: MessageView): ObservationFields | undefined;
}
