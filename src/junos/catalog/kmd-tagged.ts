import type { FieldSpec } from './fields.js';
import type { EntrySpec } from './define.js';
import { fastSaEstablished, fastTunnel } from './fast.js';

// Tagged kmd messages (syslog-catalog.md §2.1). Templates are the BSD/standard text; only
// KMD_PM_SA_ESTABLISHED has public structured-data parameter names.

const SOURCE_FABFERRI = 'fabferri/az-pattern vSRX lines (syslog-catalog.md §5)';
const SOURCE_10_3 = 'Junos 10.3 System Log Messages Reference, KMD chapter';

/** `KMD_VPN_UP_ALARM_USER` / `…_DOWN_…`: `VPN <vpn> from <peer> is up. Local-ip: …`. */
const tunnelFields = (state: 'up' | 'down'): FieldSpec[] => [
  { label: 'VPN', key: 'vpn', as: 'token' },
  { label: 'from', key: 'peer', as: 'token' },
  { label: `is ${state}` },
  { label: 'Local-ip:', key: 'localIp', as: 'token' },
  { label: 'gateway name:', key: 'gateway', as: 'token' },
  { label: 'vpn name:', key: 'vpn', as: 'token' },
  { label: 'tunnel-id:', key: 'tunnelId', as: 'token' },
  { label: 'local tunnel-if:', key: 'tunnelInterface', as: 'token' },
  // Seen byte-reversed on vSRX (2.1.168.192 for 192.168.1.2): kept as printed.
  { label: 'remote tunnel-ip:', key: 'remoteTunnelIp', as: 'token' },
  { label: 'Local IKE-ID:', key: 'localIkeId', as: 'ikeId' },
  { label: 'Remote IKE-ID:', key: 'remoteIkeId', as: 'ikeId' },
  { label: 'AAA username:' },
  { label: 'VR id:', key: 'vrId', as: 'token' },
  { label: 'Traffic-selector:', key: 'trafficSelector', as: 'text' },
  { label: 'Traffic-selector local ID:' },
  { label: 'Traffic-selector remote ID:' },
  { label: 'SA Type:', key: 'saType', as: 'token' },
  ...(state === 'down' ? [{ label: 'Reason:', key: 'reasonText', as: 'text' as const }] : []),
];

const legacyPhase = (phase: 1 | 2): FieldSpec[] => [
  { label: `IKE Phase-${phase} Failure:`, key: 'reasonText', as: 'text' },
  { label: '[spi=', key: 'spi', as: 'token' },
  { label: 'src_ip=', key: 'src', as: 'token' },
  { label: 'dst_ip=', key: 'dst', as: 'token' },
  { label: ']' },
];

export const KMD_TAGGED: readonly EntrySpec[] = [
  {
    id: 'kmd-pm-sa-established',
    evidence: 'V',
    kind: 'ipsec-sa-established',
    tag: 'KMD_PM_SA_ESTABLISHED',
    fields: [
      { label: 'Local gateway:', key: 'localGateway', as: 'token' },
      { label: 'Remote gateway:', key: 'remoteGateway', as: 'token' },
      { label: 'Local ID:', key: 'localId', as: 'text' },
      { label: 'Remote ID:', key: 'remoteId', as: 'text' },
      { label: 'Direction:', key: 'direction', as: 'direction' },
      { label: 'SPI:', key: 'spi', as: 'spi' },
      { label: 'AUX-SPI:', key: 'auxSpi', as: 'token' },
      { label: 'Mode:', key: 'mode', as: 'token' },
      { label: 'Type:', key: 'type', as: 'token' },
      { label: 'Traffic-selector:', key: 'trafficSelector', as: 'text' },
      { label: 'FC Name:' },
    ],
    sd: {
      'local-address': { key: 'localGateway' },
      'remote-address': { key: 'remoteGateway' },
      'local-initiator': { key: 'localId' },
      'remote-responder': { key: 'remoteId' },
      argument1: { key: 'direction', as: 'direction' },
      // index1 is the SPI in decimal: 3700499780 = 0xdc912544 in the same elastic line.
      index1: { key: 'spi', as: 'spiDecimal' },
      index2: { key: 'auxSpi' },
      mode: { key: 'mode' },
      type: { key: 'type' },
      'traffic-selector-name': { key: 'trafficSelector' },
    },
    required: ['direction', 'spi'],
    source: `elastic/integrations test-system.log (SD); ${SOURCE_FABFERRI} (BSD)`,
    fast: fastSaEstablished,
  },
  {
    id: 'kmd-vpn-up-alarm-user',
    evidence: 'V',
    kind: 'tunnel-up',
    tag: 'KMD_VPN_UP_ALARM_USER',
    fields: tunnelFields('up'),
    source: SOURCE_FABFERRI,
    fast: fastTunnel('up'),
  },
  {
    id: 'kmd-vpn-down-alarm-user',
    evidence: 'V',
    kind: 'tunnel-down',
    tag: 'KMD_VPN_DOWN_ALARM_USER',
    fields: tunnelFields('down'),
    source: SOURCE_FABFERRI,
    fast: fastTunnel('down'),
  },
  {
    id: 'kmd-vpn-pv-phase1',
    evidence: 'R',
    kind: 'phase1-failure',
    tag: 'KMD_VPN_PV_PHASE1',
    prefix: 'IKE Phase-1 Failure:',
    fields: legacyPhase(1),
    source: 'cfiske/logparse regex; SRX kmd parser (Cezar) anchors',
  },
  {
    id: 'kmd-vpn-pv-phase2',
    evidence: 'R',
    kind: 'phase2-failure',
    tag: 'KMD_VPN_PV_PHASE2',
    prefix: 'IKE Phase-2 Failure:',
    fields: legacyPhase(2),
    source: 'SRX kmd parser (Cezar) anchors',
  },
  {
    id: 'kmd-dpd-peer-down',
    evidence: 'R',
    kind: 'dpd-peer-dead',
    tag: 'KMD_DPD_PEER_DOWN',
    fields: [{ label: 'DPD detected peer', key: 'peer', as: 'token' }, { label: 'is dead' }],
    source: 'SRX kmd parser (Cezar) anchors',
  },
  {
    id: 'kmd-vpn-ts-mismatch',
    evidence: 'R',
    kind: 'traffic-selector-mismatch',
    tag: 'KMD_VPN_TS_MISMATCH',
    fields: [
      { label: 'vpn name:', key: 'vpn', as: 'token' },
      { label: 'Peer Proposed traffic-selector local-ip' },
    ],
    source: 'SRX kmd parser (Cezar) anchors',
  },
  {
    id: 'kmd-pm-proposal-protocol-invalid',
    evidence: 'D',
    kind: 'phase2-failure',
    tag: 'KMD_PM_PROPOSAL_PROTOCOL_INVALID',
    textAs: 'reasonText',
    fields: [{ label: 'Protocol', key: 'protocol', as: 'token' }, { label: 'in Phase 2 proposal' }],
    source: SOURCE_10_3,
  },
  {
    id: 'kmd-pm-proto-invalid',
    evidence: 'D',
    kind: 'phase2-failure',
    tag: 'KMD_PM_PROTO_INVALID',
    textAs: 'reasonText',
    fields: [
      { label: 'Invalid protocol', key: 'protocol', as: 'token' },
      { label: 'was negotiated for SA', key: 'sa', as: 'token' },
    ],
    source: SOURCE_10_3,
  },
  {
    id: 'kmd-pm-proto-ipcomp-unsupported',
    evidence: 'D',
    kind: 'phase2-failure',
    tag: 'KMD_PM_PROTO_IPCOMP_UNSUPPORTED',
    textAs: 'reasonText',
    fields: [{ label: 'was negotiated for SA', key: 'sa', as: 'token' }],
    source: SOURCE_10_3,
  },
  {
    id: 'kmd-pm-proto-isakmp-resv-unsupp',
    evidence: 'D',
    kind: 'phase2-failure',
    tag: 'KMD_PM_PROTO_ISAKMP_RESV_UNSUPP',
    textAs: 'reasonText',
    fields: [{ label: 'was negotiated for SA', key: 'sa', as: 'token' }],
    source: SOURCE_10_3,
  },
  // The pool messages of "encryption PICs" (M/T/MX services): a tunnel cannot get its
  // logical interface, so its SA cannot be installed. The *_NO_ENTRY / *_RETURN_FAILED
  // siblings concern returning an interface and are left unrecognized on purpose.
  {
    id: 'kmd-cfg-if-id-pool-not-found',
    evidence: 'D',
    kind: 'phase2-failure',
    tag: 'KMD_CFG_IF_ID_POOL_NOT_FOUND',
    textAs: 'reasonText',
    fields: [{ label: 'from pool', key: 'pool', as: 'token' }],
    source: SOURCE_10_3,
  },
  {
    id: 'kmd-cfg-if-id-pool-no-interface',
    evidence: 'D',
    kind: 'phase2-failure',
    tag: 'KMD_CFG_IF_ID_POOL_NO_INTERFACE',
    textAs: 'reasonText',
    fields: [{ label: 'from pool', key: 'pool', as: 'token' }],
    source: SOURCE_10_3,
  },
];
