export { evolve, type Evolution } from './evolve.js';
export { initialState, RouterState, type RouterStateOptions } from './state.js';
export { DEFAULT_SETTINGS, foldSettings, type FoldSettings } from './settings.js';
export { fromSnapshot, toSnapshot, SNAPSHOT_VERSION, type RouterSnapshot } from './snapshot.js';
export { stateRows, type IkeSaRow, type IpsecSaRow, type TunnelStateRow } from './rows.js';
export type { TunnelStatus } from './tunnelState.js';
export { namedTunnelId, provisionalTunnelId } from './identity.js';
export {
  peerIndex,
  peerKey,
  readConfig,
  type ConfigView,
  type ExpectedTunnelView,
  type PeerLifetimes,
} from './config.js';
export { canonicalJson } from './canonical.js';
export { FleetConfigs, PeerJoin } from './fleet.js';
// The read-only surface for readers outside the domain (metrics exporter, API): src/domain/sa/read.ts.
export {
  downReason,
  hasTunnel,
  ikeVersion,
  invalidSpiEpisode,
  ipsecDirection,
  ipsecOverdue,
  ipsecSpiText,
  isConfigured,
  routerTunnels,
  saHardMs,
  saLifetimeAssumed,
  saLifetimeSource,
  saRole,
  saSoftMs,
  tunnelAliases,
  tunnelCount,
  tunnelInterface,
  tunnelStatusOf,
  type IkeSaView,
  type InvalidSpiEpisodeView,
  type IpsecSaView,
  type RouterStateView,
  type TunnelView,
} from './read.js';
export type { LifetimeSource } from './state.js';
