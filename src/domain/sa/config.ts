// What the fold reads from an imported Junos configuration (the `data` of a `junos-config`
// observation, built by src/junos/config). The domain keeps its own structural view so that the
// dependency arrow points inward; JunosConfigModel satisfies it. The data arrives untyped
// (`junos-config` data is a loose object), so it is read defensively: evolve never throws.

export interface LifetimeView {
  readonly value: number;
  /** The Junos default applies (not configured). */
  readonly assumed: boolean;
}

export interface ExpectedTunnelView {
  readonly vpn: string;
  readonly gateway?: string;
  readonly remoteAddress?: string;
  readonly localAddress?: string;
  readonly trafficSelector?: string;
  readonly bindInterface?: string;
  readonly ikeVersion?: { readonly value: 1 | 2; readonly assumed: boolean };
  readonly ikeLifetimeSeconds?: LifetimeView;
  readonly ipsecLifetimeSeconds?: LifetimeView;
  readonly respondBadSpi?: boolean;
  readonly caProfile?: string;
  readonly crlEnforced?: boolean;
}

export interface CaProfileView {
  readonly name: string;
  readonly revocationCheck?: 'crl' | 'disabled';
  readonly disableOnDownloadFailure?: boolean;
}

export interface ConfigView {
  readonly hostName?: string;
  readonly tunnels: readonly ExpectedTunnelView[];
  readonly caProfiles: readonly CaProfileView[];
  /** The whole model as imported, for change summaries (proposals, policies). */
  readonly model: Readonly<Record<string, unknown>>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

// Every tunnel of a fleet repeats the same few lifetimes and versions: one frozen object per
// value, shared (a pure memo, bounded), instead of three small objects per configured tunnel.
const SHARED_LIFETIMES = new Map<number, LifetimeView>();

function lifetime(value: unknown): LifetimeView | undefined {
  if (!isRecord(value)) return undefined;
  const seconds = value['value'];
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) return undefined;
  const rounded = Math.round(seconds);
  const assumed = value['assumed'] === true;
  const key = rounded * 2 + (assumed ? 1 : 0);
  const known = SHARED_LIFETIMES.get(key);
  if (known) return known;
  const view = Object.freeze({ value: rounded, assumed });
  if (SHARED_LIFETIMES.size < 4096) SHARED_LIFETIMES.set(key, view);
  return view;
}

const IKE_VERSIONS = [
  Object.freeze({ value: 1, assumed: false }),
  Object.freeze({ value: 1, assumed: true }),
  Object.freeze({ value: 2, assumed: false }),
  Object.freeze({ value: 2, assumed: true }),
] as const;

function ikeVersion(value: unknown): ExpectedTunnelView['ikeVersion'] {
  if (!isRecord(value)) return undefined;
  const version = value['value'];
  if (version !== 1 && version !== 2) return undefined;
  return IKE_VERSIONS[(version - 1) * 2 + (value['assumed'] === true ? 1 : 0)];
}

const TEXT_KEYS = [
  'gateway',
  'remoteAddress',
  'localAddress',
  'trafficSelector',
  'bindInterface',
  'caProfile',
] as const;
const FLAG_KEYS = ['respondBadSpi', 'crlEnforced'] as const;

const isLifetime = (value: unknown): boolean =>
  isRecord(value) &&
  typeof value['value'] === 'number' &&
  Number.isInteger(value['value']) &&
  value['value'] > 0 &&
  typeof value['assumed'] === 'boolean';

/**
 * Whether the record already reads as its view (every field the view keeps is absent or of the
 * form the view gives it), as samon's own import always does: the view is then the record
 * itself, which the configuration keeps anyway, and a configured tunnel costs no second object.
 */
function readsAsView(value: Record<string, unknown>): boolean {
  for (const key of TEXT_KEYS) {
    const v = value[key];
    if (v !== undefined && (typeof v !== 'string' || v === '')) return false;
  }
  for (const key of FLAG_KEYS) {
    const v = value[key];
    if (v !== undefined && typeof v !== 'boolean') return false;
  }
  const version = value['ikeVersion'];
  if (
    version !== undefined &&
    !(
      isRecord(version) &&
      (version['value'] === 1 || version['value'] === 2) &&
      typeof version['assumed'] === 'boolean'
    )
  )
    return false;
  const ike = value['ikeLifetimeSeconds'];
  const ipsec = value['ipsecLifetimeSeconds'];
  return (ike === undefined || isLifetime(ike)) && (ipsec === undefined || isLifetime(ipsec));
}

function tunnel(value: unknown): ExpectedTunnelView | undefined {
  if (!isRecord(value)) return undefined;
  const vpn = text(value['vpn']);
  if (vpn === undefined) return undefined;
  if (readsAsView(value)) return value as unknown as ExpectedTunnelView;
  const view: {
    -readonly [K in keyof ExpectedTunnelView]: ExpectedTunnelView[K];
  } = { vpn };
  const put = <K extends keyof ExpectedTunnelView>(key: K, v: ExpectedTunnelView[K]) => {
    if (v !== undefined) view[key] = v;
  };
  put('gateway', text(value['gateway']));
  put('remoteAddress', text(value['remoteAddress']));
  put('localAddress', text(value['localAddress']));
  put('trafficSelector', text(value['trafficSelector']));
  put('bindInterface', text(value['bindInterface']));
  put('ikeVersion', ikeVersion(value['ikeVersion']));
  put('ikeLifetimeSeconds', lifetime(value['ikeLifetimeSeconds']));
  put('ipsecLifetimeSeconds', lifetime(value['ipsecLifetimeSeconds']));
  if (typeof value['respondBadSpi'] === 'boolean') view.respondBadSpi = value['respondBadSpi'];
  put('caProfile', text(value['caProfile']));
  if (typeof value['crlEnforced'] === 'boolean') view.crlEnforced = value['crlEnforced'];
  return view;
}

function caProfile(value: unknown): CaProfileView | undefined {
  if (!isRecord(value)) return undefined;
  const name = text(value['name']);
  if (name === undefined) return undefined;
  const check = value['revocationCheck'];
  return {
    name,
    ...(check === 'crl' || check === 'disabled' ? { revocationCheck: check } : {}),
    ...(typeof value['disableOnDownloadFailure'] === 'boolean'
      ? { disableOnDownloadFailure: value['disableOnDownloadFailure'] }
      : {}),
  };
}

const list = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);

/** Reads the model of a `junos-config` observation; undefined when it is not an object. */
export function readConfig(data: unknown): ConfigView | undefined {
  if (!isRecord(data)) return undefined;
  const tunnels: ExpectedTunnelView[] = [];
  const seen = new Set<string>();
  const items = Array.isArray(data['tunnels']) ? data['tunnels'].map(shareSettings) : undefined;
  for (const item of items ?? []) {
    const view = tunnel(item);
    if (!view) continue;
    const key = `${view.vpn}\u0000${view.trafficSelector ?? ''}`;
    if (seen.has(key)) continue; // one tunnel per (VPN, selector): the first definition wins
    seen.add(key);
    tunnels.push(view);
  }
  const caProfiles: CaProfileView[] = [];
  for (const item of list(data['caProfiles'])) {
    const view = caProfile(item);
    if (view) caProfiles.push(view);
  }
  const hostName = text(data['hostName']);
  const model = items ? { ...data, tunnels: items } : data;
  // Every record its own view (samon's import): one array of 500 tunnels a router, not two.
  const same = items?.length === tunnels.length && tunnels.every((t, i) => t === items[i]);
  return {
    ...(hostName ? { hostName } : {}),
    tunnels: same ? (items as ExpectedTunnelView[]) : tunnels,
    caProfiles,
    model,
  };
}

const SHARED_SETTINGS = ['ikeVersion', 'ikeLifetimeSeconds', 'ipsecLifetimeSeconds'] as const;

/**
 * The tunnel record with its version and lifetimes (`{value, assumed}`, the same few in every
 * tunnel of a fleet) replaced by shared frozen equals: a copy that reads and serialises exactly as
 * the record (same keys, same order), which the state keeps as view and model instead of three
 * small objects per configured tunnel. Anything else is returned as it is.
 */
function shareSettings(item: unknown): unknown {
  if (!isRecord(item)) return item;
  let copy: Record<string, unknown> | undefined;
  for (const key of SHARED_SETTINGS) {
    const value = item[key];
    const shared = isRecord(value) ? sharedSetting(key, value) : undefined;
    if (shared === undefined || shared === value) continue;
    copy ??= { ...item };
    copy[key] = shared;
  }
  return copy ?? item;
}

function sharedSetting(
  key: (typeof SHARED_SETTINGS)[number],
  value: Record<string, unknown>,
): LifetimeView | undefined {
  const keys = Object.keys(value);
  if (keys.length !== 2 || keys[0] !== 'value' || keys[1] !== 'assumed') return undefined;
  if (typeof value['assumed'] !== 'boolean') return undefined;
  if (key === 'ikeVersion') return ikeVersion(value);
  return isLifetime(value) ? lifetime(value) : undefined;
}

/**
 * Whether a failed CRL download stops the tunnel. CRL checking is on by default and a download
 * failure fails verification unless `revocation-check crl disable on-download-failure`
 * (junos-ipsec.md, "Certificates and CRLs"); unknown configuration keeps the Junos default.
 */
export function crlDownloadEnforced(
  profile: CaProfileView | undefined,
  tunnel: ExpectedTunnelView | undefined,
): boolean {
  if (profile) {
    if (profile.revocationCheck === 'disabled') return false;
    if (profile.disableOnDownloadFailure !== undefined) return !profile.disableOnDownloadFailure;
  }
  if (tunnel?.crlEnforced !== undefined) return tunnel.crlEnforced;
  return true;
}

/** Lifetimes a peer router's configuration gives for the tunnel towards us (IKEv1 takes the shorter). */
export interface PeerLifetimes {
  readonly ikeLifetimeSeconds?: number;
  readonly ipsecLifetimeSeconds?: number;
}

/** Key of the peer index: our local gateway address and the remote gateway address. */
export const peerKey = (local: string, remote: string): string => `${local}|${remote}`;

/**
 * Builds the fleet-level peer index a router's fold needs for the IKEv1 rule "the shorter
 * lifetime wins" (junos-ipsec.md): for each other router's tunnel A→B, the entry B|A.
 */
export function peerIndex(
  router: string,
  fleet: readonly { readonly router: string; readonly config: unknown }[],
): Record<string, PeerLifetimes> {
  const index: Record<string, PeerLifetimes> = {};
  const ordered = [...fleet].sort((a, b) =>
    a.router < b.router ? -1 : a.router > b.router ? 1 : 0,
  );
  for (const entry of ordered) {
    if (entry.router === router) continue;
    const view = readConfig(entry.config);
    if (!view) continue;
    for (const t of view.tunnels) {
      if (!t.localAddress || !t.remoteAddress) continue;
      const key = peerKey(t.remoteAddress, t.localAddress);
      if (key in index) continue;
      index[key] = {
        ...(t.ikeLifetimeSeconds ? { ikeLifetimeSeconds: t.ikeLifetimeSeconds.value } : {}),
        ...(t.ipsecLifetimeSeconds ? { ipsecLifetimeSeconds: t.ipsecLifetimeSeconds.value } : {}),
      };
    }
  }
  return index;
}
