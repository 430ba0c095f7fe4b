import { canonicalJson } from './canonical.js';

// ConfigChanged summary: which proposals, policies, CA profiles and tunnels were added, removed
// or changed between two imports of a router's configuration. New values apply to new SAs only
// (junos-ipsec.md, "Configuration changes"): the summary is what a person needs to connect a
// later behaviour change to the commit.

export interface Changes {
  added?: string[];
  removed?: string[];
  changed?: string[];
}

const SECTIONS = [
  ['ikeProposals', 'IKE proposal'],
  ['ipsecProposals', 'IPsec proposal'],
  ['ikePolicies', 'IKE policy'],
  ['ipsecPolicies', 'IPsec policy'],
  ['caProfiles', 'CA profile'],
  ['tunnels', 'tunnel'],
] as const;

function byName(section: string, value: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!Array.isArray(value)) return out;
  for (const item of value as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const record = item as Record<string, unknown>;
    const name =
      section === 'tunnels'
        ? typeof record['vpn'] === 'string'
          ? typeof record['trafficSelector'] === 'string' && record['trafficSelector'] !== ''
            ? `${record['vpn']}/${record['trafficSelector']}`
            : record['vpn']
          : undefined
        : typeof record['name'] === 'string'
          ? record['name']
          : undefined;
    if (name !== undefined && !out.has(name)) out.set(name, canonicalJson(record));
  }
  return out;
}

export type ConfigChangeSummary = Partial<Record<(typeof SECTIONS)[number][0], Changes>> & {
  summary: string;
};

export function summarizeConfigChange(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): ConfigChangeSummary {
  const result: ConfigChangeSummary = { summary: '' };
  const phrases: string[] = [];
  for (const [section, label] of SECTIONS) {
    const old = byName(section, before[section]);
    const now = byName(section, after[section]);
    const changes: Changes = {};
    const added = [...now.keys()].filter((k) => !old.has(k)).sort();
    const removed = [...old.keys()].filter((k) => !now.has(k)).sort();
    const changed = [...now.keys()].filter((k) => old.has(k) && old.get(k) !== now.get(k)).sort();
    if (added.length) changes.added = added;
    if (removed.length) changes.removed = removed;
    if (changed.length) changes.changed = changed;
    if (added.length || removed.length || changed.length) {
      result[section] = changes;
      for (const [verb, names] of [
        ['added', added],
        ['removed', removed],
        ['changed', changed],
      ] as const) {
        for (const name of names) phrases.push(`${label} ${name} ${verb}`);
      }
    }
  }
  result.summary = phrases.length ? phrases.join('; ') : 'other settings changed';
  return result;
}
