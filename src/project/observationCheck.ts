import type { Observation } from '../domain/index.js';
import { REASONS } from '../domain/reason.js';

// The projector checks every record it folds against the Observation schema; on a rebuild that
// zod parse was a third of the decoding. This is a structural check of the common kinds in
// plain code, which says "valid" only for values zod accepts and returns unchanged: its answer
// is then zod's output itself (same keys, same order, same values). Everything else — an
// invalid record, a rare kind, keys in another order than zod would write them — goes to zod,
// which decides and words the error: accept/reject and the messages are zod's in every case.
// test/project/observationCheck.unit.test.ts holds the two to each other.

type Check = (value: unknown) => boolean;

const isString: Check = (v) => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isInt = (v: unknown): v is number => Number.isSafeInteger(v);
const isNonNegative: Check = (v) => isNumber(v) && v >= 0;
const isNonNegativeInt: Check = (v) => isInt(v) && v >= 0;
const isPort: Check = (v) => isInt(v) && v >= 0 && v <= 65535;
const isBoolean: Check = (v) => typeof v === 'boolean';
const SPI = /^0x[0-9a-f]{8}$/;
const isSpi: Check = (v) => typeof v === 'string' && SPI.test(v);
const isIkeVersion: Check = (v) => v === 1 || v === 2;
const oneOf = (values: readonly string[]): Check => {
  const set = new Set(values);
  return (v) => typeof v === 'string' && set.has(v);
};
const isReason = oneOf(REASONS);
const isRole = oneOf(['initiator', 'responder']);
/** zod's `z.iso.datetime({ precision: 3 })` pattern (UTC, milliseconds, calendar-checked). */
const ISO_TIME =
  /^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}(?:Z))$/;
const isIsoTime: Check = (v) => typeof v === 'string' && ISO_TIME.test(v);

/** A plain object as JSON.parse makes it (no `__proto__` key, whose handling differs). */
function isPlain(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.getPrototypeOf(value) === Object.prototype &&
    !Object.hasOwn(value, '__proto__')
  );
}

/** Field → [check, required]: a loose object's shape, in zod's order. */
type Shape = readonly (readonly [field: string, check: Check, required: boolean])[];

/** Values a nested loose object gave in zod's order (set by the last check that reordered). */
let reordered: unknown;

/**
 * A loose object of this shape. zod's output lists the shape's fields first, in shape order, then
 * any others in input order: a value whose keys come otherwise is copied in that order (its
 * nested objects too), and the copy is left in `reordered`. Values are never undefined (JSON has
 * none; zod's handling of them differs by field).
 */
function looseObject(shape: Shape): Check {
  const index = new Map(shape.map(([field], i) => [field, i]));
  const checks = shape.map(([, check]) => check);
  const fields = shape.map(([field]) => field);
  let requiredFields = 0;
  for (const [, , isRequired] of shape) if (isRequired) requiredFields++;
  const requiredAt = shape.map(([, , isRequired]) => isRequired);
  return (value) => {
    if (!isPlain(value)) return false;
    let last = -1;
    let unknownSeen = false;
    let inOrder = true;
    let required = 0;
    let copies: unknown[] | undefined;
    for (const key in value) {
      const v = value[key];
      if (v === undefined) return false;
      const i = index.get(key);
      if (i === undefined) {
        unknownSeen = true;
        continue;
      }
      if (unknownSeen || i < last) inOrder = false;
      last = i;
      reordered = undefined;
      if (!checks[i]!(v)) return false;
      if (reordered !== undefined) (copies ??= new Array<unknown>(shape.length))[i] = reordered;
      if (requiredAt[i]) required++;
    }
    if (required !== requiredFields) return false;
    reordered = undefined;
    if (inOrder && !copies) return true;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      if (Object.hasOwn(value, field)) out[field] = copies?.[i] ?? value[field];
    }
    if (unknownSeen) for (const key in value) if (!index.has(key)) out[key] = value[key];
    reordered = out;
    return true;
  };
}

const opt = (field: string, check: Check) => [field, check, false] as const;
const req = (field: string, check: Check) => [field, check, true] as const;
const optString = (...fields: string[]) => fields.map((f) => opt(f, isString));

const isRecordOfStrings: Check = (value) => {
  if (!isPlain(value)) return false;
  for (const key in value) if (typeof value[key] !== 'string') return false;
  return true;
};
const isStringArray: Check = (value) => Array.isArray(value) && value.every(isString);

const isEndpoint = looseObject([req('ip', isString), opt('port', isPort)]);

const ikeFields: Shape = [
  opt('ikeVersion', isIkeVersion),
  ...optString('vpn', 'gateway'),
  opt('local', isEndpoint),
  opt('remote', isEndpoint),
  ...optString('localIkeId', 'remoteIkeId', 'vrId'),
  opt('role', isRole),
];
const failureFields: Shape = [req('reason', isReason), opt('reasonText', isString)];
/** A shape spread over another: a repeated field keeps its first place and takes the new check. */
function merge(...shapes: Shape[]): Shape {
  const out = new Map<string, readonly [string, Check, boolean]>();
  for (const shape of shapes) for (const entry of shape) out.set(entry[0], entry);
  return [...out.values()];
}
const tunnelFields: Shape = optString(
  'vpn',
  'peer',
  'localIp',
  'gateway',
  'tunnelId',
  'tunnelInterface',
  'remoteTunnelIp',
  'localIkeId',
  'remoteIkeId',
  'vrId',
  'trafficSelector',
  'saType',
);
const snmpRowFields: Shape = [
  req('table', isString),
  req('index', isString),
  opt('serviceSet', isString),
  req('remoteGateway', isString),
];
const legacyPhaseFailure = merge(failureFields, optString('spi', 'src', 'dst'));

/** The kinds checked here; any other kind goes to zod. */
const DATA: Partial<Record<Observation['kind'], Check>> = {
  'ike-sa-established': looseObject(ikeFields),
  'ike-negotiation-failed': looseObject(merge(ikeFields, failureFields)),
  'ipsec-negotiation-failed': looseObject(merge(ikeFields, failureFields)),
  'ipsec-sa-established': looseObject([
    ...optString('localGateway', 'remoteGateway', 'localId', 'remoteId'),
    req('direction', oneOf(['inbound', 'outbound'])),
    req('spi', isSpi),
    ...optString('auxSpi', 'mode', 'type', 'trafficSelector'),
  ]),
  'tunnel-up': looseObject(tunnelFields),
  'tunnel-down': looseObject(merge(tunnelFields, failureFields)),
  'dpd-peer-dead': looseObject(optString('peer')),
  'traffic-selector-mismatch': looseObject(optString('vpn', 'peer')),
  'phase1-failure': looseObject(legacyPhaseFailure),
  'phase2-failure': looseObject(legacyPhaseFailure),
  'config-applied': looseObject([]),
  'certificate-check-failed': looseObject([
    opt('caProfile', isString),
    req('check', oneOf(['crl-download', 'revoked', 'expired', 'other'])),
    opt('reasonText', isString),
  ]),
  'invalid-spi': looseObject([
    opt('spi', isSpi),
    opt('peer', isString),
    opt('count', isNonNegativeInt),
  ]),
  unrecognized: looseObject([req('program', isString), opt('tag', isString)]),
  ignored: looseObject([opt('program', isString)]),
  'snmp-system': looseObject([req('sysUpTimeSeconds', isNonNegative), opt('sysName', isString)]),
  'snmp-ike-sa': looseObject([
    ...snmpRowFields,
    req('ikeIndex', isInt),
    opt('localGateway', isString),
    req('state', oneOf(['up', 'down', 'unknown'])),
    opt('stateRaw', isInt),
    opt('role', isRole),
    opt('ikeVersion', isIkeVersion),
    opt('negoModeRaw', isInt),
    ...optString('initiatorCookie', 'responderCookie', 'localIkeId', 'remoteIkeId', 'gateway'),
    opt('lifetimeSeconds', isNonNegativeInt),
    opt('activeSeconds', isNonNegative),
  ]),
  'snmp-ipsec-tunnel': looseObject([
    ...snmpRowFields,
    req('tunnelIndex', isInt),
    ...optString(
      'localGateway',
      'localProxyId',
      'remoteProxyId',
      'vpn',
      'trafficSelector',
      'rule',
      'term',
    ),
    opt('counters', isRecordOfStrings),
  ]),
  'snmp-ipsec-sa': looseObject([
    ...snmpRowFields,
    req('tunnelIndex', isInt),
    req('saIndex', isInt),
    req('inSpi', isSpi),
    req('outSpi', isSpi),
    req('state', oneOf(['active', 'expiring', 'unknown'])),
    opt('stateRaw', isInt),
    opt('lifetimeSeconds', isNonNegativeInt),
    opt('lifetimeThresholdSeconds', isNonNegativeInt),
    opt('lifeSizeKb', isNonNegativeInt),
    opt('activeSeconds', isNonNegative),
    opt('protocol', oneOf(['ah', 'esp'])),
    opt('encryptAlgo', isString),
    opt('encryptAlgoRaw', isInt),
    opt('authAlgo', isString),
    opt('authAlgoRaw', isInt),
  ]),
  'snmp-ike-peer': looseObject([
    ...snmpRowFields,
    req('peerIndex', isInt),
    req('state', oneOf(['active', 'inactive', 'unknown'])),
    ...optString('localGateway', 'gateway'),
    req('counters', isRecordOfStrings),
  ]),
  'snmp-counters': looseObject([req('counters', isRecordOfStrings)]),
  'snmp-poll': looseObject([
    req('target', isString),
    req('ok', isBoolean),
    req('durationMs', isNonNegative),
    req('rows', isNonNegativeInt),
    opt('error', isString),
    opt('platform', oneOf(['srx', 'mx'])),
    opt('tables', isStringArray),
  ]),
  'junos-config': looseObject([]),
  clock: looseObject([]),
};

const KINDS = new Map(Object.entries(DATA));
let currentData: Check = () => false;
const envelope = looseObject([
  req('v', (v) => v === 1),
  req('router', (v) => typeof v === 'string' && v.length > 0),
  req('time', isIsoTime),
  opt('receivedAt', isIsoTime),
  req('source', oneOf(['syslog', 'snmp', 'config', 'clock'])),
  req('raw', isString),
  ...optString('sender', 'id'),
  req('kind', isString),
  req('data', (v) => currentData(v)),
]);

/**
 * The value as an Observation when this check can vouch for it — exactly what
 * `Observation.parse` would return: the value itself, or a copy with zod's key order — else
 * undefined: ask zod.
 */
export function checkedObservation(value: unknown): Observation | undefined {
  if (!isPlain(value)) return undefined;
  const check = typeof value.kind === 'string' ? KINDS.get(value.kind) : undefined;
  if (!check) return undefined;
  currentData = check;
  reordered = undefined;
  if (!envelope(value)) return undefined;
  return (reordered ?? value) as Observation;
}
