export { Reason, REASONS } from './reason.js';
export { IsoTime, isoFromMillis, millisFromIso } from './time.js';
export { Spi, normalizeSpi } from './spi.js';
export {
  clockObservation,
  Direction,
  Endpoint,
  IkeVersion,
  Observation,
  ObservationData,
  OBSERVATION_KINDS,
  OBSERVATION_VERSION,
  Role,
  Source,
} from './observation.js';
export type { ObservationKind, ObservationOf } from './observation.js';
export { LifecycleData, LifecycleEvent, LIFECYCLE_TYPES, LIFECYCLE_VERSION } from './lifecycle.js';
export type { LifecycleEventOf, LifecycleType } from './lifecycle.js';
