import { z } from 'zod';
import { ObservationData } from '../../domain/observation.js';
import { finishFields, FAILURE_KINDS } from './define.js';
import { convert, type FieldType } from './fields.js';
import { OPERATOR_PATTERN_LIMIT, OPERATOR_TEXT_LIMIT, unsafePatternReason } from './redos.js';
import type { CompiledEntry, ObservationFields, SyslogKind } from './types.js';

// Operator catalog entries (config `syslog.catalog`): a regex on the message text whose named
// groups become data fields, for messages the built-in catalog does not know yet. Tried
// before the built-in entries, so an operator can also correct one. docs/syslog.md.

export const SYSLOG_KINDS = [
  'ike-sa-established',
  'ike-negotiation-failed',
  'ipsec-negotiation-failed',
  'ipsec-sa-established',
  'tunnel-up',
  'tunnel-down',
  'dpd-peer-dead',
  'traffic-selector-mismatch',
  'phase1-failure',
  'phase2-failure',
  'config-applied',
  'certificate-check-failed',
  'invalid-spi',
] as const satisfies readonly SyslogKind[];

export const FIELD_TYPES = [
  'text',
  'token',
  'int',
  'spi',
  'spiDecimal',
  'endpoint',
  'lower',
  'ikeVersion',
  'ikeId',
  'role',
  'direction',
] as const satisfies readonly FieldType[];

const NAMED_GROUP = /\(\?<([A-Za-z_$][\w$]*)>/g;

function groupNames(pattern: string): string[] {
  return [...pattern.matchAll(NAMED_GROUP)].map((m) => m[1] ?? '');
}

/** Data fields a kind cannot do without (`reason` is filled in by classification). */
function requiredFields(kind: SyslogKind): string[] {
  const shape = ObservationData[kind].shape as Record<string, z.ZodType>;
  return Object.keys(shape).filter(
    (key) =>
      !(FAILURE_KINDS.has(kind) && key === 'reason') && !shape[key]!.safeParse(undefined).success,
  );
}

export const CatalogEntryConfig = z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - (at most 64)'),
    /** Programs the entry applies to (lowercase, as in `kmd[123]:`). */
    programs: z
      .array(z.string().regex(/^[a-z0-9._-]{1,64}$/, 'a lowercase program name'))
      .min(1)
      .default(['kmd', 'iked', 'pkid']),
    /** Only lines with this Junos tag; without it the pattern runs on every line of the programs. */
    tag: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]{0,127}$/, 'an uppercase Junos tag such as KMD_VPN_UP_ALARM_USER')
      .optional(),
    /** Regex on the message text after the tag; named groups become data fields. */
    pattern: z.string().min(1).max(OPERATOR_PATTERN_LIMIT),
    flags: z.enum(['', 'i']).default(''),
    kind: z.enum(SYSLOG_KINDS),
    /** Constant data fields, e.g. { check: crl-download }. */
    set: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
    /** Conversion per named group (default text). */
    convert: z.record(z.string(), z.enum(FIELD_TYPES)).default({}),
  })
  .superRefine((entry, ctx) => {
    const unsafe = unsafePatternReason(entry.pattern);
    if (unsafe) {
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: `refused: ${unsafe}` });
      return;
    }
    try {
      new RegExp(entry.pattern, entry.flags);
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: (error as Error).message });
      return;
    }
    const groups = groupNames(entry.pattern);
    const provided = new Set([...groups, ...Object.keys(entry.set)]);
    for (const key of requiredFields(entry.kind)) {
      if (!provided.has(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['pattern'],
          message: `kind ${entry.kind} needs a field ${key}: add a named group (?<${key}>…) or set.${key}`,
        });
      }
    }
    for (const key of Object.keys(entry.convert)) {
      if (!groups.includes(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['convert', key],
          message: `no named group ${key} in pattern`,
        });
      }
    }
    const shape = ObservationData[entry.kind].shape as Record<string, z.ZodType | undefined>;
    for (const [key, value] of Object.entries(entry.set)) {
      const check = shape[key]?.safeParse(value);
      if (check && !check.success) {
        ctx.addIssue({
          code: 'custom',
          path: ['set', key],
          message: check.error.issues[0]?.message ?? 'invalid value',
        });
      }
    }
  });

export type CatalogEntryConfigInput = z.input<typeof CatalogEntryConfig>;
export type CatalogEntryConfig = z.output<typeof CatalogEntryConfig>;

export interface CatalogProblem {
  /** Path inside the list, starting with the entry's index: [2, 'pattern']. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

function compileOne(config: CatalogEntryConfig): CompiledEntry {
  const regex = new RegExp(config.pattern, config.flags);
  const set = Object.entries(config.set);
  const conversions = config.convert as Readonly<Record<string, FieldType>>;
  const kind = config.kind;
  const schema = ObservationData[kind];
  const required = requiredFields(kind);
  return {
    id: config.id,
    evidence: 'operator',
    kind,
    programs: config.programs,
    ...(config.tag !== undefined && { tag: config.tag }),
    match(view) {
      const text =
        view.text.length > OPERATOR_TEXT_LIMIT
          ? view.text.slice(0, OPERATOR_TEXT_LIMIT)
          : view.text;
      const found = regex.exec(text);
      if (!found) return undefined;
      const out: ObservationFields = {};
      for (const [key, value] of set) out[key] = value;
      for (const [name, value] of Object.entries(found.groups ?? {})) {
        if (value === undefined) continue;
        const converted = convert(value.trim(), conversions[name] ?? 'text');
        if (converted !== undefined) out[name] = converted;
      }
      const fields = finishFields(kind, out, required);
      return fields && schema.safeParse(fields).success ? fields : undefined;
    },
  };
}

/** Validates and compiles operator entries; every problem is reported, with its path. */
export function compileCatalogEntries(list: unknown): {
  entries: CompiledEntry[];
  problems: CatalogProblem[];
} {
  const parsed = z.array(CatalogEntryConfig).safeParse(list ?? []);
  if (!parsed.success) {
    return {
      entries: [],
      problems: parsed.error.issues.map((issue) => ({
        path: issue.path.filter((p): p is string | number => typeof p !== 'symbol'),
        message: issue.message,
      })),
    };
  }
  const ids = new Set<string>();
  const problems: CatalogProblem[] = [];
  parsed.data.forEach((entry, index) => {
    if (ids.has(entry.id))
      problems.push({ path: [index, 'id'], message: `duplicate id ${entry.id}` });
    ids.add(entry.id);
  });
  return { entries: problems.length ? [] : parsed.data.map(compileOne), problems };
}
