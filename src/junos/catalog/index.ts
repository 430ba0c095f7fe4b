export { BUILT_IN_ENTRIES, Catalog, CATALOG_PROGRAMS } from './catalog.js';
export type { CatalogMatch } from './catalog.js';
export { defineEntry, DEFAULT_PROGRAMS, FAILURE_KINDS } from './define.js';
export type { EntrySpec, SdFieldSpec } from './define.js';
export { convert } from './fields.js';
export type { FieldSpec, FieldType } from './fields.js';
export {
  CatalogEntryConfig,
  compileCatalogEntries,
  FIELD_TYPES,
  SYSLOG_KINDS,
} from './operator.js';
export type { CatalogEntryConfigInput, CatalogProblem } from './operator.js';
export { classifyReason, REASON_RULES } from './reasons.js';
export type { ReasonRule } from './reasons.js';
export { OPERATOR_TEXT_LIMIT, unsafePatternReason } from './redos.js';
export type {
  CompiledEntry,
  Evidence,
  FieldValue,
  MessageView,
  ObservationFields,
  SyslogKind,
} from './types.js';
