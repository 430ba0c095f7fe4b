// Fold settings live in the state (and its snapshot), never in globals: a replay from a
// snapshot must use the settings the snapshot was taken with.

export interface FoldSettings {
  /** Slack after the soft deadline before a missing rekey is overdue (contracts.md: default 60 s). */
  readonly graceSeconds: number;
  /** A router that sends nothing for longer than this is silent (config: routerSilenceSeconds). */
  readonly silenceGapSeconds: number;
  /** How far back (router time) an exact repeat of an observation is recognised as a duplicate. */
  readonly dedupeWindowSeconds: number;
  /** Hard cap on remembered observations per router, whatever their times (memory bound). */
  readonly dedupeMaxEntries: number;
  /** Inbound and outbound SAs of one negotiation are logged together: within this, one generation. */
  readonly pairWindowSeconds: number;
  /** Junos defaults when nothing better is known (junos-ipsec.md: IKE 3600 s, IPsec 28 800 s). */
  readonly defaultIkeLifetimeSeconds: number;
  readonly defaultIpsecLifetimeSeconds: number;
}

export const DEFAULT_SETTINGS: FoldSettings = Object.freeze({
  graceSeconds: 60,
  silenceGapSeconds: 600,
  dedupeWindowSeconds: 10,
  dedupeMaxEntries: 65_536,
  pairWindowSeconds: 30,
  defaultIkeLifetimeSeconds: 3600,
  defaultIpsecLifetimeSeconds: 28_800,
});

export function foldSettings(overrides: Partial<FoldSettings> = {}): FoldSettings {
  const merged = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof FoldSettings)[]) {
    const value = overrides[key];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) merged[key] = value;
  }
  return Object.freeze(merged);
}
