// OIDs, columns and enumerations of the Junos IKE/IPsec MIBs that samon polls (docs/snmp.md).
// Every number here is read from the MIB texts, never guessed:
//   JUNIPER-IPSEC-FLOW-MON-MIB (SRX, LAST-UPDATED 202004290000Z): librenms/librenms
//     mibs/junos/JUNIPER-IPSEC-FLOW-MON-MIB (commit 15f945c0d793e030221194f8f9bf835f70a87b64);
//   JNX-IPSEC-MONITOR-MIB (MX service sets, 2012 and 2016 texts): pgmillon/observium and
//     subrataghosh24online-coder/twentyfouronline mibs/junos/JNX-IPSEC-MONITOR-MIB;
// as summarised, with sources, in shared/design/snmp-model.md.

/** ASN.1 / SMI type codes of a varbind (the numbers net-snmp's ObjectType uses). */
export const SnmpType = {
  Integer: 2,
  OctetString: 4,
  Null: 5,
  Oid: 6,
  IpAddress: 64,
  Counter32: 65,
  Gauge32: 66,
  TimeTicks: 67,
  Opaque: 68,
  Counter64: 70,
  NoSuchObject: 128,
  NoSuchInstance: 129,
  EndOfMibView: 130,
} as const;
export type SnmpTypeCode = (typeof SnmpType)[keyof typeof SnmpType];

export const SNMP_TYPE_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(SnmpType).map(([name, code]) => [code, name]),
);

export type Platform = 'srx' | 'mx';

// --- SNMPv2-MIB scalars -------------------------------------------------------------------

export const SYS_UPTIME = '1.3.6.1.2.1.1.3';
export const SYS_NAME = '1.3.6.1.2.1.1.5';
export const SYS_UPTIME_0 = `${SYS_UPTIME}.0`;
export const SYS_NAME_0 = `${SYS_NAME}.0`;
/** The scalars a poll GETs before walking the tables. */
export const SYSTEM_OIDS: readonly string[] = [SYS_UPTIME_0, SYS_NAME_0];
/** snmpTrapOID.0: the second varbind of every v2c/v3 notification names the trap. */
export const SNMP_TRAP_OID_0 = '1.3.6.1.6.3.1.1.4.1.0';

// --- Roots --------------------------------------------------------------------------------

export const JUNIPER = '1.3.6.1.4.1.2636';
/** jnxIpSecFlowMonMIB ::= { jnxIpSecMibRoot(jnxMibs 52) 1 } */
export const FLOW_MON = `${JUNIPER}.3.52.1`;
/** jnxIpSecMonitorMIB ::= { jnxMibs 22 }; objects under .1 */
export const IPSEC_MONITOR = `${JUNIPER}.3.22`;

// --- Enumerations (textual conventions) ---------------------------------------------------

export type EnumMap = Readonly<Record<number, string>>;

/** RFC 4001 InetAddressType. */
export const InetAddressType: EnumMap = {
  0: 'unknown',
  1: 'ipv4',
  2: 'ipv6',
  3: 'ipv4z',
  4: 'ipv6z',
  16: 'dns',
};
export const INET_IPV4 = 1;
export const INET_IPV6 = 2;

// Flow-mon TCs (2020 text). JNX-IPSEC-MONITOR-MIB 2016 imports the same TCs.
export const JnxIkePeerType: EnumMap = {
  0: 'unknown',
  1: 'idIpv4Addr',
  2: 'idFqdn',
  3: 'idDn',
  4: 'idUfqdn',
  5: 'idIpv6Addr',
};
export const JnxIkeNegoMode: EnumMap = { 1: 'main', 2: 'aggressive', 3: 'ikev2' };
export const JnxIkeHashAlgo: EnumMap = {
  1: 'md5',
  2: 'sha',
  3: 'sha256',
  4: 'sha384',
  5: 'sha512',
};
export const JnxIkeAuthMethod: EnumMap = {
  1: 'preSharedKey',
  2: 'dssSignature',
  3: 'rsaSignature',
  4: 'rsaEncryption',
  5: 'revRsaEncryption',
  6: 'xauthPreSharedKey',
  7: 'xauthDssSignature',
  8: 'xauthRsaSignature',
  9: 'xauthRsaEncryption',
  10: 'xauthRevRsaEncryption',
  11: 'ecdsa256Signature',
  12: 'ecdsa384Signature',
  13: 'ecdsa521Signature',
};
export const JnxIkePeerRole: EnumMap = { 1: 'initiator', 2: 'responder' };
/** up(1) "negotiation completed", down(2) "being negotiated". */
export const JnxIkeTunStateType: EnumMap = { 1: 'up', 2: 'down' };
/** MX jnxIkeTunNegState: matured(1), notmatured(2). */
export const JnxIkeNegState: EnumMap = { 1: 'matured', 2: 'notmatured' };
export const JnxDiffHellmanGrp: EnumMap = {
  0: 'unknown',
  1: 'modp768',
  2: 'modp1024',
  5: 'modp1536',
  14: 'modp2048',
  15: 'modp3072',
  16: 'modp4096',
  19: 'ecmodp256',
  20: 'ecmodp384',
  21: 'ecmodp521',
  24: 'modp2048s256',
};
export const JnxKeyType: EnumMap = { 0: 'unknown', 1: 'keyIke', 2: 'keyManual' };
export const JnxEncapMode: EnumMap = { 0: 'unknown', 1: 'tunnel', 2: 'transport' };
export const JnxEncryptAlgo: EnumMap = {
  1: 'espDes',
  2: 'esp3des',
  3: 'espNull',
  4: 'espAes128',
  5: 'espAes192',
  6: 'espAes256',
  7: 'espAesGcm128',
  8: 'espAesGcm192',
  9: 'espAesGcm256',
};
export const JnxAuthAlgo: EnumMap = {
  0: 'unknown',
  1: 'hmacMd5',
  2: 'hmacSha',
  3: 'hmacSha256',
  4: 'hmacSha384',
  5: 'hmacSha512',
};
/**
 * JNX-IPSEC-MONITOR-MIB 2012 (LAST-UPDATED 201202102100Z) defines its own JnxAuthAlgo, shifted
 * by one against flow-mon: which numbering an MS-MPC agent emits is unknown (snmp-model.md §3),
 * so MX rows keep the raw integer beside the name.
 */
export const JnxAuthAlgoMx2012: EnumMap = {
  0: 'unknown',
  2: 'hmacMd5',
  3: 'hmacSha',
  4: 'hmacSha256',
};
export const JnxRemotePeerType: EnumMap = { 0: 'unknown', 1: 'static', 2: 'dynamic' };
/** active(1); inactive(2), which the DESCRIPTION calls "down". */
export const JnxPeerStateType: EnumMap = { 1: 'active', 2: 'inactive' };
export const JnxSAType: EnumMap = { 0: 'unknown', 1: 'manual', 2: 'dynamic' };
export const JnxEsnMode: EnumMap = { 0: 'none', 1: 'enable', 2: 'disable' };
export const JnxIkeTunType: EnumMap = { 1: 'regular', 2: 'halink' };
export const SaProtocol: EnumMap = { 1: 'ah', 2: 'esp' };
/** jnxIpSecSaMonState / jnxIpSecSaState. */
export const SaState: EnumMap = { 0: 'unknown', 1: 'active', 2: 'expiring' };
export const MultiSa: EnumMap = { 0: 'disable', 1: 'enable' };

// --- Columns ------------------------------------------------------------------------------

export type Syntax =
  | 'InetAddressType'
  | 'InetAddress'
  | 'InetPortNumber'
  | 'Integer32'
  | 'Unsigned32'
  | 'DisplayString'
  | 'Counter32'
  | 'Counter64'
  | 'TimeInterval'
  | 'Enum';

export interface Column {
  readonly col: number;
  /** MIB object name. */
  readonly name: string;
  readonly syntax: Syntax;
  /** For `Enum` columns: raw integer → name. */
  readonly values?: EnumMap;
  /** Index component (not-accessible): never walked, decoded from the OID suffix. */
  readonly index?: true;
}

const c = (col: number, name: string, syntax: Syntax, values?: EnumMap): Column =>
  values ? { col, name, syntax, values } : { col, name, syntax };
const ix = (col: number, name: string, syntax: Syntax): Column => ({
  col,
  name,
  syntax,
  index: true,
});

/** How a table's row index is laid out after the column number. */
export type IndexShape =
  /** InetAddressType . len . InetAddress . Integer32 */
  | 'gw.tun'
  /** InetAddressType . len . InetAddress . Integer32 . Integer32 */
  | 'gw.tun.sa'
  /** len . service-set name . InetAddressType . len . InetAddress . Integer32 */
  | 'svc.gw.tun'
  /** len . service-set name . InetAddressType . len . InetAddress . Integer32 . Integer32 */
  | 'svc.gw.tun.sa'
  /** JnxPeerStateType . Integer32 */
  | 'state.index'
  /** a scalar group: OIDs end in `.0` */
  | 'scalar';

export interface TableDef {
  readonly name: string;
  /** Entry OID (table OID + `.1`); a column is `${entry}.${col}`, a row `${entry}.${col}.${index}`. */
  readonly entry: string;
  readonly platform: Platform;
  readonly indexShape: IndexShape;
  readonly kind: 'snmp-ike-sa' | 'snmp-ipsec-tunnel' | 'snmp-ipsec-sa' | 'snmp-ike-peer';
  readonly columns: readonly Column[];
}

// jnxIkeTunnelMonTable (.52.1.1.2): one row per IKE (phase-1) SA. Col 4 is the address and col 5
// its type, the reverse of the IPsec tunnel table.
export const jnxIkeTunnelMonTable: TableDef = {
  name: 'jnxIkeTunnelMonTable',
  entry: `${FLOW_MON}.1.2.1`,
  platform: 'srx',
  indexShape: 'gw.tun',
  kind: 'snmp-ike-sa',
  columns: [
    ix(1, 'jnxIkeTunMonRemoteGwAddrType', 'InetAddressType'),
    ix(2, 'jnxIkeTunMonRemoteGwAddr', 'InetAddress'),
    ix(3, 'jnxIkeTunMonIndex', 'Integer32'),
    c(4, 'jnxIkeTunMonLocalGwAddr', 'InetAddress'),
    c(5, 'jnxIkeTunMonLocalGwAddrType', 'Enum', InetAddressType),
    c(6, 'jnxIkeTunMonState', 'Enum', JnxIkeTunStateType),
    c(7, 'jnxIkeTunMonInitiatorCookie', 'DisplayString'),
    c(8, 'jnxIkeTunMonResponderCookie', 'DisplayString'),
    c(9, 'jnxIkeTunMonLocalRole', 'Enum', JnxIkePeerRole),
    c(10, 'jnxIkeTunMonLocalIdType', 'Enum', JnxIkePeerType),
    c(11, 'jnxIkeTunMonLocalIdValue', 'DisplayString'),
    c(12, 'jnxIkeTunMonLocalCertName', 'DisplayString'),
    c(13, 'jnxIkeTunMonRemoteIdType', 'Enum', JnxIkePeerType),
    c(14, 'jnxIkeTunMonRemoteIdValue', 'DisplayString'),
    c(15, 'jnxIkeTunMonNegoMode', 'Enum', JnxIkeNegoMode),
    c(16, 'jnxIkeTunMonDiffHellmanGrp', 'Enum', JnxDiffHellmanGrp),
    c(17, 'jnxIkeTunMonEncryptAlgo', 'Enum', JnxEncryptAlgo),
    c(18, 'jnxIkeTunMonHashAlgo', 'Enum', JnxIkeHashAlgo),
    c(19, 'jnxIkeTunMonAuthMethod', 'Enum', JnxIkeAuthMethod),
    c(20, 'jnxIkeTunMonLifeTime', 'Integer32'),
    c(21, 'jnxIkeTunMonActiveTime', 'TimeInterval'),
    c(22, 'jnxIkeTunMonInOctets', 'Counter64'),
    c(23, 'jnxIkeTunMonInPkts', 'Counter32'),
    c(24, 'jnxIkeTunMonOutOctets', 'Counter64'),
    c(25, 'jnxIkeTunMonOutPkts', 'Counter32'),
    c(26, 'jnxIkeTunMonXAuthUserId', 'DisplayString'),
    c(27, 'jnxIkeTunMonDPDDownCount', 'Counter32'),
    c(28, 'jnxIkeTunMonInitiatorIkev2IPSecSaRekeyRequestOut', 'Counter64'),
    c(29, 'jnxIkeTunMonInitiatorIkev2IPSecSaRekeyResponseIn', 'Counter64'),
    c(30, 'jnxIkeTunMonInitiatorIkev2IPSecSaRekeyNoProposalChosenIn', 'Counter64'),
    c(31, 'jnxIkeTunMonInitiatorIkev2IPSecSaRekeyInvalidKeIn', 'Counter64'),
    c(32, 'jnxIkeTunMonInitiatorIkev2IPSecSaRekeyTsUnacceptableIn', 'Counter64'),
    c(33, 'jnxIkeTunMonInitiatorIkev2IPSecSaRekeyResVerifySaFail', 'Counter64'),
    c(34, 'jnxIkeTunMonInitiatorIkev2IPSecSaRekeyResVerifyDhGroupFail', 'Counter64'),
    c(35, 'jnxIkeTunMonInitiatorIkev2IPSecSaRekeyResVerifyTsFail', 'Counter64'),
    c(36, 'jnxIkeTunMonInitiatorIkev2IPSecSaRekeyResDhComputeKeyFail', 'Counter64'),
    c(37, 'jnxIkeTunMonResponderIkev2IPSecSaRekeyRequestIn', 'Counter64'),
    c(38, 'jnxIkeTunMonResponderIkev2IPSecSaRekeyResponseOut', 'Counter64'),
    c(39, 'jnxIkeTunMonResponderIkev2IPSecSaRekeyNoProposalChosenOut', 'Counter64'),
    c(40, 'jnxIkeTunMonResponderIkev2IPSecSaRekeyInvalidKeOut', 'Counter64'),
    c(41, 'jnxIkeTunMonResponderIkev2IPSecSaRekeyTsUnacceptableOut', 'Counter64'),
    c(42, 'jnxIkeTunMonResponderIkev2IPSecSaRekeyResDhComputeKeyFail', 'Counter64'),
    c(43, 'jnxIkeTunMonGwName', 'DisplayString'),
    c(44, 'jnxIkeTunMonTunType', 'Enum', JnxIkeTunType),
  ],
};

// jnxIpSecTunnelMonTable (.52.1.2.2): one row per phase-2 tunnel. Columns 24 and 25 are not defined.
export const jnxIpSecTunnelMonTable: TableDef = {
  name: 'jnxIpSecTunnelMonTable',
  entry: `${FLOW_MON}.2.2.1`,
  platform: 'srx',
  indexShape: 'gw.tun',
  kind: 'snmp-ipsec-tunnel',
  columns: [
    ix(1, 'jnxIpSecTunMonRemoteGwAddrType', 'InetAddressType'),
    ix(2, 'jnxIpSecTunMonRemoteGwAddr', 'InetAddress'),
    ix(3, 'jnxIpSecTunMonIndex', 'Integer32'),
    c(4, 'jnxIpSecTunMonLocalGwAddrType', 'Enum', InetAddressType),
    c(5, 'jnxIpSecTunMonLocalGwAddr', 'InetAddress'),
    c(6, 'jnxIpSecTunMonLocalProxyId', 'DisplayString'),
    c(7, 'jnxIpSecTunMonRemoteProxyId', 'DisplayString'),
    c(8, 'jnxIpSecTunMonKeyType', 'Enum', JnxKeyType),
    c(9, 'jnxIpSecTunMonRemotePeerType', 'Enum', JnxRemotePeerType),
    c(10, 'jnxIpSecTunMonOutEncryptedBytes', 'Counter64'),
    c(11, 'jnxIpSecTunMonOutEncryptedPkts', 'Counter64'),
    c(12, 'jnxIpSecTunMonInDecryptedBytes', 'Counter64'),
    c(13, 'jnxIpSecTunMonInDecryptedPkts', 'Counter64'),
    c(14, 'jnxIpSecTunMonAHInBytes', 'Counter64'),
    c(15, 'jnxIpSecTunMonAHInPkts', 'Counter64'),
    c(16, 'jnxIpSecTunMonAHOutBytes', 'Counter64'),
    c(17, 'jnxIpSecTunMonAHOutPkts', 'Counter64'),
    c(18, 'jnxIpSecTunMonReplayDropPkts', 'Counter64'),
    c(19, 'jnxIpSecTunMonAhAuthFails', 'Counter64'),
    c(20, 'jnxIpSecTunMonEspAuthFails', 'Counter64'),
    c(21, 'jnxIpSecTunMonDecryptFails', 'Counter64'),
    c(22, 'jnxIpSecTunMonBadHeaders', 'Counter64'),
    c(23, 'jnxIpSecTunMonBadTrailers', 'Counter64'),
    c(26, 'jnxIpSecTunMonDroppedPkts', 'Counter64'),
    c(27, 'jnxIpSecTunMonVpnName', 'DisplayString'),
    c(28, 'jnxIpSecTunMonTsName', 'DisplayString'),
    c(29, 'jnxIpSecTunMonMultiSa', 'Enum', MultiSa),
    c(30, 'jnxIpSecTunMonInvalidSpi', 'Counter64'),
    c(31, 'jnxIpSecTunMonTsCheckFail', 'Counter64'),
    c(32, 'jnxIpSecTunMonDiscarded', 'Counter64'),
    c(33, 'jnxIpSecTunMonTunType', 'Enum', JnxIkeTunType),
  ],
};

// jnxIpSecSaMonTable (.52.1.2.3): one row per SPI pair, "active and expiring".
export const jnxIpSecSaMonTable: TableDef = {
  name: 'jnxIpSecSaMonTable',
  entry: `${FLOW_MON}.2.3.1`,
  platform: 'srx',
  indexShape: 'gw.tun.sa',
  kind: 'snmp-ipsec-sa',
  columns: [
    ix(1, 'jnxIpSecSaMonIndex', 'Integer32'),
    c(2, 'jnxIpSecSaMonProtocol', 'Enum', SaProtocol),
    c(3, 'jnxIpSecSaMonInSpi', 'Unsigned32'),
    c(4, 'jnxIpSecSaMonOutSpi', 'Unsigned32'),
    c(5, 'jnxIpSecSaMonType', 'Enum', JnxSAType),
    c(6, 'jnxIpSecSaMonEncapMode', 'Enum', JnxEncapMode),
    c(7, 'jnxIpSecSaMonLifeSize', 'Integer32'),
    c(8, 'jnxIpSecSaMonLifeTime', 'Integer32'),
    c(9, 'jnxIpSecSaMonActiveTime', 'TimeInterval'),
    c(10, 'jnxIpSecSaMonLifeSizeThreshold', 'Integer32'),
    c(11, 'jnxIpSecSaMonLifeTimeThreshold', 'Integer32'),
    c(12, 'jnxIpSecSaMonEncryptAlgo', 'Enum', JnxEncryptAlgo),
    c(13, 'jnxIpSecSaMonAuthAlgo', 'Enum', JnxAuthAlgo),
    c(14, 'jnxIpSecSaMonState', 'Enum', SaState),
    c(15, 'jnxIpSecSaMonFcName', 'DisplayString'),
    c(16, 'jnxIpSecSaMonEsnMode', 'Enum', JnxEsnMode),
  ],
};

/** jnxIkePeerStatsTable counters, columns 16–75 (all Counter64, UNITS "Messages"). */
const PEER_STATS_COUNTERS: readonly (readonly [number, string])[] = [
  [16, 'IkeSaInitiatorIkev2SaInitRequestOut'],
  [17, 'IkeSaInitiatorIkev2SaInitResponseIn'],
  [18, 'IkeSaInitiatorIkev2SaInitResInvalidIkeSpi'],
  [19, 'IkeSaInitiatorIkev2SaInitInvalidKePayloadIn'],
  [20, 'IkeSaInitiatorIkev2SaInitNoProposalChosenIn'],
  [21, 'IkeSaInitiatorIkev2SaInitResVerifySaFail'],
  [22, 'IkeSaInitiatorIkev2SaInitResIkeSaFillFail'],
  [23, 'IkeSaInitiatorIkev2SaInitResVerifyDhGroupFail'],
  [24, 'IkeSaInitiatorIkev2SaInitCookieRequestIn'],
  [25, 'IkeSaInitiatorIkev2SaInitCookieResponseOut'],
  [26, 'IkeSaInitiatorIkev2SaInitResDhComputeKeyFail'],
  [27, 'IkeSaResponderIkev2SaInitRequestIn'],
  [28, 'IkeSaResponderIkev2SaInitResponseOut'],
  [29, 'IkeSaResponderIkev2SaInitNoProposalChosenOut'],
  [30, 'IkeSaResponderIkev2SaInitInvalidKePayloadOut'],
  [31, 'IkeSaResponderIkev2SaInitResInvalidDhGroupConf'],
  [32, 'IkeSaResponderIkev2SaInitResDhGenKeyFail'],
  [33, 'IkeSaResponderIkev2SaInitResGetCAsFail'],
  [34, 'IkeSaResponderIkev2SaInitResGetVidFail'],
  [35, 'IkeSaResponderIkev2SaInitResDhComputeKeyFail'],
  [36, 'IkeSaResponderIkev2SaInitCookieRequestOut'],
  [37, 'IkeSaResponderIkev2SaInitCookieResponseIn'],
  [38, 'IkeSaInitiatorIkev2AuthRequestOut'],
  [39, 'IkeSaInitiatorIkev2AuthResponseIn'],
  [40, 'IkeSaInitiatorIkev2AuthNoProposalChosenIn'],
  [41, 'IkeSaInitiatorIkev2AuthTsUnacceptableIn'],
  [42, 'IkeSaInitiatorIkev2AuthAuthenticationFailedIn'],
  [43, 'IkeSaResponderIkev2AuthRequestIn'],
  [44, 'IkeSaResponderIkev2AuthResponseOut'],
  [45, 'IkeSaResponderIkev2AuthAuthenticationFailedOut'],
  [46, 'IkeSaResponderIkev2AuthNoProposalChosenOut'],
  [47, 'IkeSaResponderIkev2AuthTsUnacceptableOut'],
  [48, 'IkeSaInitiatorIkev2IkeSaRekeyRequestOut'],
  [49, 'IkeSaInitiatorIkev2IkeSaRekeyResponseIn'],
  [50, 'IkeSaInitiatorIkev2IkeSaRekeyNoProposalChosenIn'],
  [51, 'IkeSaInitiatorIkev2IkeSaRekeyInvalidKeIn'],
  [52, 'IkeSaInitiatorIkev2IkeSaRekeyResVerifySaFail'],
  [53, 'IkeSaInitiatorIkev2IkeSaRekeyResFillIkeSaFail'],
  [54, 'IkeSaInitiatorIkev2IkeSaRekeyResVerifyDhGroupFail'],
  [55, 'IkeSaInitiatorIkev2IkeSaRekeyResDhComputeKeyFail'],
  [56, 'IkeSaResponderIkev2IkeSaRekeyRequestIn'],
  [57, 'IkeSaResponderIkev2IkeSaRekeyResponseOut'],
  [58, 'IkeSaResponderIkev2IkeSaRekeyNoProposalChosenOut'],
  [59, 'IkeSaResponderIkev2IkeSaRekeyInvalidKeOut'],
  [60, 'IkeSaResponderIkev2IkeSaRekeyResDhComputeKeyFail'],
  [61, 'IkeSaInitiatorIkev2IPSecSaRekeyRequestOut'],
  [62, 'IkeSaInitiatorIkev2IPSecSaRekeyResponseIn'],
  [63, 'IkeSaInitiatorIkev2IPSecSaRekeyNoProposalChosenIn'],
  [64, 'IkeSaInitiatorIkev2IPSecSaRekeyInvalidKeIn'],
  [65, 'IkeSaInitiatorIkev2IPSecSaRekeyTsUnacceptableIn'],
  [66, 'IkeSaInitiatorIkev2IPSecSaRekeyResVerifySaFail'],
  [67, 'IkeSaInitiatorIkev2IPSecSaRekeyResVerifyDhGrpFail'],
  [68, 'IkeSaInitiatorIkev2IPSecSaRekeyResVerifyTsFail'],
  [69, 'IkeSaInitiatorIkev2IPSecSaRekeyResDhCompKeyFail'],
  [70, 'IkeSaResponderIkev2IPSecSaRekeyRequestIn'],
  [71, 'IkeSaResponderIkev2IPSecSaRekeyResponseOut'],
  [72, 'IkeSaResponderIkev2IPSecSaRekeyNoPropChosenOut'],
  [73, 'IkeSaResponderIkev2IPSecSaRekeyInvalidKeOut'],
  [74, 'IkeSaResponderIkev2IPSecSaRekeyTsUnacceptableOut'],
  [75, 'IkeSaResponderIkev2IPSecSaRekeyResDhCompKeyFail'],
];

/** Prefix of every jnxIkePeerStatsTable object; `snmp-ike-peer` counters are keyed without it. */
export const PEER_STATS_PREFIX = 'jnxIkePeerStats';

// jnxIkePeerStatsTable (.52.1.1.6): per-peer IKEv2 message counters. INDEX { State, Index }, both
// read-only columns too; the state is part of the index, so a peer going inactive moves its row.
export const jnxIkePeerStatsTable: TableDef = {
  name: 'jnxIkePeerStatsTable',
  entry: `${FLOW_MON}.1.6.1`,
  platform: 'srx',
  indexShape: 'state.index',
  kind: 'snmp-ike-peer',
  columns: [
    c(1, 'jnxIkePeerStatsState', 'Enum', JnxPeerStateType),
    c(2, 'jnxIkePeerStatsIndex', 'Integer32'),
    c(3, 'jnxIkePeerStatsRemoteGwAddrType', 'Enum', InetAddressType),
    c(4, 'jnxIkePeerStatsRemoteGwAddr', 'InetAddress'),
    c(5, 'jnxIkePeerStatsRemotePort', 'InetPortNumber'),
    c(6, 'jnxIkePeerStatsLocalGwAddrType', 'Enum', InetAddressType),
    c(7, 'jnxIkePeerStatsLocalGwAddr', 'InetAddress'),
    c(8, 'jnxIkePeerStatsLocalPort', 'InetPortNumber'),
    c(9, 'jnxIkePeerStatsRoutingInstance', 'DisplayString'),
    c(10, 'jnxIkePeerStatsRemoteIdType', 'Enum', JnxIkePeerType),
    c(11, 'jnxIkePeerStatsRemoteIdValue', 'DisplayString'),
    c(12, 'jnxIkePeerStatsLocalIdType', 'Enum', JnxIkePeerType),
    c(13, 'jnxIkePeerStatsLocalIdValue', 'DisplayString'),
    c(14, 'jnxIkePeerStatsAAAUserName', 'DisplayString'),
    c(15, 'jnxIkePeerStatsGwName', 'DisplayString'),
    ...PEER_STATS_COUNTERS.map(([col, n]) => c(col, `${PEER_STATS_PREFIX}${n}`, 'Counter64')),
    c(76, 'jnxIkePeerStatsTunType', 'Enum', JnxIkeTunType),
  ],
};

// MX, JNX-IPSEC-MONITOR-MIB: every index starts with the service set name (length-prefixed).
export const jnxIkeTunnelTable: TableDef = {
  name: 'jnxIkeTunnelTable',
  entry: `${IPSEC_MONITOR}.1.2.1.1`,
  platform: 'mx',
  indexShape: 'svc.gw.tun',
  kind: 'snmp-ike-sa',
  columns: [
    ix(1, 'jnxIkeTunIndex', 'Integer32'),
    c(2, 'jnxIkeTunLocalRole', 'Enum', JnxIkePeerRole),
    c(3, 'jnxIkeTunNegState', 'Enum', JnxIkeNegState),
    c(4, 'jnxIkeTunInitiatorCookie', 'DisplayString'),
    c(5, 'jnxIkeTunResponderCookie', 'DisplayString'),
    c(6, 'jnxIkeTunLocalIdType', 'Enum', JnxIkePeerType),
    c(7, 'jnxIkeTunLocalIdValue', 'DisplayString'),
    c(8, 'jnxIkeTunLocalGwAddrType', 'Enum', InetAddressType),
    c(9, 'jnxIkeTunLocalGwAddr', 'InetAddress'),
    c(10, 'jnxIkeTunLocalCertName', 'DisplayString'),
    c(11, 'jnxIkeTunRemoteIdType', 'Enum', JnxIkePeerType),
    c(12, 'jnxIkeTunRemoteIdValue', 'DisplayString'),
    c(13, 'jnxIkeTunRemoteGwAddrType', 'Enum', InetAddressType),
    c(14, 'jnxIkeTunRemoteGwAddr', 'InetAddress'),
    c(15, 'jnxIkeTunNegoMode', 'Enum', JnxIkeNegoMode),
    c(16, 'jnxIkeTunDiffHellmanGrp', 'Enum', JnxDiffHellmanGrp),
    c(17, 'jnxIkeTunEncryptAlgo', 'Enum', JnxEncryptAlgo),
    c(18, 'jnxIkeTunHashAlgo', 'Enum', JnxIkeHashAlgo),
    c(19, 'jnxIkeTunAuthMethod', 'Enum', JnxIkeAuthMethod),
    c(20, 'jnxIkeTunLifeTime', 'Integer32'),
    c(21, 'jnxIkeTunActiveTime', 'TimeInterval'),
    c(22, 'jnxIkeTunInOctets', 'Counter64'),
    c(23, 'jnxIkeTunInPkts', 'Counter32'),
    c(24, 'jnxIkeTunOutOctets', 'Counter64'),
    c(25, 'jnxIkeTunOutPkts', 'Counter32'),
  ],
};

export const jnxIpSecTunnelTable: TableDef = {
  name: 'jnxIpSecTunnelTable',
  entry: `${IPSEC_MONITOR}.1.3.1.1`,
  platform: 'mx',
  indexShape: 'svc.gw.tun',
  kind: 'snmp-ipsec-tunnel',
  columns: [
    ix(1, 'jnxIpSecTunIndex', 'Integer32'),
    c(2, 'jnxIpSecRuleName', 'DisplayString'),
    c(3, 'jnxIpSecTermName', 'DisplayString'),
    c(4, 'jnxIpSecTunLocalGwAddrType', 'Enum', InetAddressType),
    c(5, 'jnxIpSecTunLocalGwAddr', 'InetAddress'),
    c(6, 'jnxIpSecTunRemoteGwAddrType', 'Enum', InetAddressType),
    c(7, 'jnxIpSecTunRemoteGwAddr', 'InetAddress'),
    c(8, 'jnxIpSecTunLocalProxyId', 'DisplayString'),
    c(9, 'jnxIpSecTunRemoteProxyId', 'DisplayString'),
    c(10, 'jnxIpSecTunKeyType', 'Enum', JnxKeyType),
    c(11, 'jnxIpSecRemotePeerType', 'Enum', JnxRemotePeerType),
    c(12, 'jnxIpSecTunMtu', 'Integer32'),
    c(13, 'jnxIpSecTunOutEncryptedBytes', 'Counter64'),
    c(14, 'jnxIpSecTunOutEncryptedPkts', 'Counter64'),
    c(15, 'jnxIpSecTunInDecryptedBytes', 'Counter64'),
    c(16, 'jnxIpSecTunInDecryptedPkts', 'Counter64'),
    c(17, 'jnxIpsSecTunAHInBytes', 'Counter64'),
    c(18, 'jnxIpsSecTunAHInPkts', 'Counter64'),
    c(19, 'jnxIpsSecTunAHOutBytes', 'Counter64'),
    c(20, 'jnxIpsSecTunAHOutPkts', 'Counter64'),
    c(21, 'jnxIpSecTunReplayDropPkts', 'Counter64'),
    c(22, 'jnxIpSecTunAhAuthFails', 'Counter64'),
    c(23, 'jnxIpSecTunEspAuthFails', 'Counter64'),
    c(24, 'jnxIpSecTunDecryptFails', 'Counter64'),
    c(25, 'jnxIpSecTunBadHeaders', 'Counter64'),
    c(26, 'jnxIpSecTunBadTrailers', 'Counter64'),
    c(27, 'jnxIpSecTunDroppedPkts', 'Counter64'),
  ],
};

// Col 1 jnxIpSecSaProtocol is not-accessible and not in the INDEX: it cannot be read.
export const jnxIpSecSaTable: TableDef = {
  name: 'jnxIpSecSaTable',
  entry: `${IPSEC_MONITOR}.1.3.2.1`,
  platform: 'mx',
  indexShape: 'svc.gw.tun.sa',
  kind: 'snmp-ipsec-sa',
  columns: [
    ix(2, 'jnxIpSecSaIndex', 'Integer32'),
    c(3, 'jnxIpSecSaInSpi', 'Unsigned32'),
    c(4, 'jnxIpSecSaOutSpi', 'Unsigned32'),
    c(5, 'jnxIpSecSaInAuxSpi', 'Unsigned32'),
    c(6, 'jnxIpSecSaOutAuxSpi', 'Unsigned32'),
    c(7, 'jnxIpSecSaType', 'Enum', JnxSAType),
    c(8, 'jnxIpSecSaEncapMode', 'Enum', JnxEncapMode),
    c(9, 'jnxIpSecSaLifeSize', 'Integer32'),
    c(10, 'jnxIpSecSaLifeTime', 'Integer32'),
    c(11, 'jnxIpSecSaActiveTime', 'TimeInterval'),
    c(12, 'jnxIpSecSaLifeSizeThreshold', 'Integer32'),
    c(13, 'jnxIpSecSaLifeTimeThreshold', 'Integer32'),
    c(14, 'jnxIpSecSaEncryptAlgo', 'Enum', JnxEncryptAlgo),
    c(15, 'jnxIpSecSaAuthAlgo', 'Enum', JnxAuthAlgo),
    c(16, 'jnxIpSecSaState', 'Enum', SaState),
  ],
};

export const TABLES: readonly TableDef[] = [
  jnxIkeTunnelMonTable,
  jnxIpSecTunnelMonTable,
  jnxIpSecSaMonTable,
  jnxIkePeerStatsTable,
  jnxIkeTunnelTable,
  jnxIpSecTunnelTable,
  jnxIpSecSaTable,
];

export function tableByName(name: string): TableDef | undefined {
  return TABLES.find((t) => t.name === name);
}

// --- Global counters (scalars, instance .0) -----------------------------------------------

export interface ScalarDef {
  /** OID of the object (without the `.0` instance). */
  readonly oid: string;
  readonly name: string;
}

/** jnxIpSecGlobalStats (.52.1.2.4.{1..17}), Counter64 scalars. */
export const JNX_IPSEC_GLOBAL_STATS = `${FLOW_MON}.2.4`;
export const ipSecGlobalStats: readonly ScalarDef[] = [
  'OutEncryptedBytes',
  'OutEncryptedPkts',
  'InDecryptedBytes',
  'InDecryptedPkts',
  'AHInBytes',
  'AHInPkts',
  'AHOutBytes',
  'AHOutPkts',
  'ReplayDropPkts',
  'AhAuthFails',
  'EspAuthFails',
  'DecryptFails',
  'BadHeaders',
  'BadTrailers',
  'InvalidSpi',
  'TsCheckFail',
  'Discarded',
].map((n, i) => ({ oid: `${JNX_IPSEC_GLOBAL_STATS}.${i + 1}`, name: `jnxIpSecGlobal${n}` }));

/** jnxIkeGlobalStats (.52.1.1.3): nine groups `.g.n` of IKEv2 Counter64 scalars. */
export const JNX_IKE_GLOBAL_STATS = `${FLOW_MON}.1.3`;
const IKE_GLOBAL_GROUPS: readonly (readonly [string, readonly string[]])[] = [
  [
    'InitiatorIkev2SaInit',
    [
      'RequestOut',
      'ResponseIn',
      'ResInvalidIkeSpi',
      'InvalidKePayloadIn',
      'NoProposalChosenIn',
      'ResVerifySaFail',
      'ResIkeSaFillFail',
      'ResVerifyDhGroupFail',
      'CookieRequestIn',
      'CookieResponseOut',
      'ResDhComputeKeyFail',
    ],
  ],
  [
    'ResponderIkev2SaInit',
    [
      'RequestIn',
      'ResponseOut',
      'NoProposalChosenOut',
      'InvalidKePayloadOut',
      'ResInvalidDhGroupConf',
      'ResDhGenKeyFail',
      'ResGetCAsFail',
      'ResGetVidFail',
      'ResDhComputeKeyFail',
      'CookieRequestOut',
      'CookieResponseIn',
    ],
  ],
  [
    'InitiatorIkev2Auth',
    [
      'RequestOut',
      'ResponseIn',
      'NoProposalChosenIn',
      'TsUnacceptableIn',
      'AuthenticationFailedIn',
    ],
  ],
  [
    'ResponderIkev2Auth',
    [
      'RequestIn',
      'ResponseOut',
      'NoProposalChosenOut',
      'TsUnacceptableOut',
      'AuthenticationFailedOut',
    ],
  ],
  [
    'InitiatorIkev2IkeSaRekey',
    [
      'RequestOut',
      'ResponseIn',
      'NoProposalChosenIn',
      'InvalidKeIn',
      'ResDhComputeKeyFail',
      'ResVerifySaFail',
      'ResFillIkeSaFail',
      'ResVerifyDhGroupFail',
    ],
  ],
  [
    'ResponderIkev2IkeSaRekey',
    ['RequestIn', 'ResponseOut', 'NoProposalChosenOut', 'InvalidKeOut', 'ResDhComputeKeyFail'],
  ],
  [
    'InitiatorIkev2IpsecSaRekey',
    [
      'RequestOut',
      'ResponseIn',
      'NoProposalChosenIn',
      'InvalidKeIn',
      'TsUnacceptableIn',
      'ResVerifySaFail',
      'ResDhComputeKeyFail',
      'ResVerifyDhGroupFail',
      'ResVerifyTsFail',
    ],
  ],
  [
    'ResponderIkev2IpsecSaRekey',
    [
      'RequestIn',
      'ResponseOut',
      'NoProposalChosenOut',
      'InvalidKeOut',
      'TsUnacceptableOut',
      'ResDhComputeKeyFail',
    ],
  ],
  [
    'Ikev2',
    [
      'TotalDiscarded',
      'TotalIdError',
      'TotalIntegrityFail',
      'TotalInvalidSPI',
      'TotalInvalidExchgType',
      'TotalInvalidLength',
      'TotalDisorder',
    ],
  ],
];
export const ikeGlobalStats: readonly ScalarDef[] = IKE_GLOBAL_GROUPS.flatMap(([group, names], g) =>
  names.map((n, i) => ({
    oid: `${JNX_IKE_GLOBAL_STATS}.${g + 1}.${i + 1}`,
    name: `jnxIkeGlobal${group}${n}`,
  })),
);

export const GLOBAL_SCALARS: readonly ScalarDef[] = [...ipSecGlobalStats, ...ikeGlobalStats];

// --- Notifications ------------------------------------------------------------------------

export const TRAP_IKE_PEER_DOWN = `${FLOW_MON}.0.0.1`;
export const TRAP_IKE_PEER_IPSEC_TUNNEL_DOWN = `${FLOW_MON}.0.0.2`;
export const TRAP_NAMES: Readonly<Record<string, 'ike-peer-down' | 'ike-peer-ipsec-tunnel-down'>> =
  {
    [TRAP_IKE_PEER_DOWN]: 'ike-peer-down',
    [TRAP_IKE_PEER_IPSEC_TUNNEL_DOWN]: 'ike-peer-ipsec-tunnel-down',
  };

/** jnxIkeNotificationObj (.52.1.0.1.N): the varbinds of the two traps. */
export const TRAP_OBJ = `${FLOW_MON}.0.1`;
export const trapObjects: readonly Column[] = [
  c(1, 'jnxIkeTrapPeerRemoteGwAddrType', 'Enum', InetAddressType),
  c(2, 'jnxIkeTrapPeerRemoteGwAddr', 'InetAddress'),
  c(3, 'jnxIkeTrapPeerRemotePort', 'InetPortNumber'),
  c(4, 'jnxIkeTrapPeerLocalGwAddrType', 'Enum', InetAddressType),
  c(5, 'jnxIkeTrapPeerLocalGwAddr', 'InetAddress'),
  c(6, 'jnxIkeTrapPeerLocalPort', 'InetPortNumber'),
  c(7, 'jnxIkeTrapPeerRoutingInstance', 'DisplayString'),
  c(8, 'jnxIkeTrapPeerLocalIdType', 'Enum', JnxIkePeerType),
  c(9, 'jnxIkeTrapPeerLocalIdValue', 'DisplayString'),
  c(10, 'jnxIkeTrapPeerRemoteIdType', 'Enum', JnxIkePeerType),
  c(11, 'jnxIkeTrapPeerRemoteIdValue', 'DisplayString'),
  c(12, 'jnxIkeTrapPeerAAAUserName', 'DisplayString'),
  c(13, 'jnxIkeTrapPeerGwName', 'DisplayString'),
  c(14, 'jnxIkeTrapIpSecTunVpnName', 'DisplayString'),
  c(15, 'jnxIkeTrapIpSecTunTsName', 'DisplayString'),
  c(16, 'jnxIkeTrapIpSecTunLocalTS', 'DisplayString'),
  c(17, 'jnxIkeTrapIpSecTunRemoteTS', 'DisplayString'),
];
/** jnxIkePeerDown carries objects 1–13; jnxIkePeerIPSecTunnelDown 1–17. */
export const TRAP_OBJECT_COUNT: Readonly<Record<string, number>> = {
  [TRAP_IKE_PEER_DOWN]: 13,
  [TRAP_IKE_PEER_IPSEC_TUNNEL_DOWN]: 17,
};

// --- Walk plan ----------------------------------------------------------------------------

export interface WalkTable {
  readonly name: string;
  /** Subtree to walk: a table's entry OID, or a scalar group's OID. */
  readonly oid: string;
  /** Columns to walk one by one under `oid` (absent: walk the whole subtree). */
  readonly columns?: readonly number[];
}

const readable = (t: TableDef): readonly number[] =>
  t.columns.filter((col) => !col.index).map((col) => col.col);

const walkOf = (t: TableDef): WalkTable => ({ name: t.name, oid: t.entry, columns: readable(t) });

// Tunnels first: their rows name the VPN, so the IKE and SA rows that follow in the same poll
// find the tunnel they belong to (the fold resolves identity row by row).
const SRX_PLAN: readonly WalkTable[] = [
  walkOf(jnxIpSecTunnelMonTable),
  walkOf(jnxIkeTunnelMonTable),
  walkOf(jnxIpSecSaMonTable),
  walkOf(jnxIkePeerStatsTable),
  { name: 'jnxIpSecGlobalStats', oid: JNX_IPSEC_GLOBAL_STATS },
  { name: 'jnxIkeGlobalStats', oid: JNX_IKE_GLOBAL_STATS },
];

const MX_PLAN: readonly WalkTable[] = [
  walkOf(jnxIpSecTunnelTable),
  walkOf(jnxIkeTunnelTable),
  walkOf(jnxIpSecSaTable),
];

/** The tables one poll of a router walks, in order: tunnels, IKE, SAs, peers, global counters. */
export function walkPlan(platform: Platform): readonly WalkTable[] {
  return platform === 'srx' ? SRX_PLAN : MX_PLAN;
}
