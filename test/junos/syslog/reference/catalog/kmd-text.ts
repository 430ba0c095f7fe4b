import type { FieldSpec } from './fields.js';
import type { EntrySpec } from './define.js';

// Untagged kmd free text (syslog-catalog.md §2.2; RFC 5424 MSGID `-`), dispatched on the text
// the message starts with.

const SOURCE_V = 'elastic/integrations test-system.log and issue #6837; fabferri/az-pattern';
const SOURCE_CEZAR = 'SRX kmd parser (Cezar) anchors';

/** `IKE Version: 2, VPN: x Gateway: y, Local: ip/port, …, VR-ID: 5, Role: Initiator`. */
const IKE_FIELDS: readonly FieldSpec[] = [
  { label: 'IKE Version:', key: 'ikeVersion', as: 'ikeVersion' },
  { label: 'VPN:', key: 'vpn', as: 'token' },
  { label: 'Gateway:', key: 'gateway', as: 'token' },
  { label: 'Local:', key: 'local', as: 'endpoint' },
  { label: 'Remote:', key: 'remote', as: 'endpoint' },
  { label: 'Local IKE-ID:', key: 'localIkeId', as: 'ikeId' },
  { label: 'Remote IKE-ID:', key: 'remoteIkeId', as: 'ikeId' },
  { label: 'VR-ID:', key: 'vrId', as: 'token' },
  { label: 'Role:', key: 'role', as: 'role' },
];

export const KMD_TEXT: readonly EntrySpec[] = [
  {
    id: 'kmd-ike-negotiation-completed',
    evidence: 'V',
    kind: 'ike-sa-established',
    prefix: 'IKE negotiation successfully completed',
    fields: IKE_FIELDS,
    source: SOURCE_V,
  },
  {
    id: 'kmd-ike-negotiation-failed',
    evidence: 'V',
    kind: 'ike-negotiation-failed',
    prefix: 'IKE negotiation failed with error:',
    fields: [{ label: 'IKE negotiation failed with error:', key: 'reasonText' }, ...IKE_FIELDS],
    source: SOURCE_V,
  },
  {
    id: 'kmd-ipsec-negotiation-failed',
    evidence: 'V',
    kind: 'ipsec-negotiation-failed',
    prefix: 'IPSec negotiation failed with error:',
    fields: [{ label: 'IPSec negotiation failed with error:', key: 'reasonText' }, ...IKE_FIELDS],
    source: SOURCE_V,
  },
  {
    id: 'kmd-config-download',
    evidence: 'V',
    kind: 'config-applied',
    prefix: 'Config download:',
    fields: [{ label: 'Processed', key: 'processed', as: 'text' }, { label: 'messages' }],
    source: 'fabferri/az-pattern overlay article',
  },
  {
    id: 'kmd-config-download-time',
    evidence: 'V',
    kind: 'config-applied',
    prefix: 'Config download time:',
    fields: [{ label: 'Config download time:', key: 'seconds', as: 'int' }, { label: 'seconds' }],
    source: 'fabferri/az-pattern overlay article',
  },
  {
    id: 'kmd-ike-phase1-policy-lookup-failed',
    evidence: 'R',
    kind: 'phase1-failure',
    prefix: 'IKE Phase-1:',
    requires: 'Policy lookup failed',
    fields: [{ label: 'IKE Phase-1:', key: 'reasonText' }],
    source: 'cfiske/logparse regex `IKE Phase-1: \\S+ Policy lookup failed`',
  },
  {
    id: 'kmd-phase1-done',
    evidence: 'R',
    kind: 'ike-sa-established',
    prefix: 'Phase-1 [',
    requires: '] done',
    fields: [
      { label: 'Phase-1 [', key: 'role', as: 'role' },
      { label: 'for local=', key: 'local', as: 'quicksecEndpoint' },
      { label: 'remote=', key: 'remote', as: 'quicksecEndpoint' },
      // The same line may go on with the Phase-2 part (the parser searches both in one line).
      { label: 'Phase-2 [' },
    ],
    source: SOURCE_CEZAR,
  },
  {
    id: 'kmd-ike-phase2-ts-failed-to-match',
    evidence: 'R',
    kind: 'traffic-selector-mismatch',
    prefix: 'IKE Phase-2:',
    requires: 'Failed to match',
    fields: [
      { label: '[p2_remote_proxy_id=' },
      { label: 'local ip:', key: 'localIp', as: 'token' },
      { label: 'remote peer ip:', key: 'peer', as: 'token' },
    ],
    source: SOURCE_CEZAR,
  },
  {
    id: 'kmd-ike-phase2-negotiations-failed',
    evidence: 'R',
    kind: 'phase2-failure',
    prefix: 'IKE Phase-2:',
    requires: 'Negotiations failed',
    fields: [
      { label: 'IKE Phase-2:', key: 'reasonText' },
      { label: 'Local gateway:', key: 'src', as: 'token' },
      { label: 'Remote gateway:', key: 'dst', as: 'token' },
    ],
    source: SOURCE_CEZAR,
  },
];
