import type { ConfigTweak } from './fleet.js';

// Scenarios, by name. `steady` is every tunnel no other scenario owns; each failure scenario owns
// a share of the tunnels (tunnel i belongs to scenario i mod (k + 1), 0 = steady), so they
// combine: `--scenario missed-rekey,crl-enforced`.

export const SCENARIOS = [
  'steady',
  'missed-rekey',
  'proposal-mismatch',
  'auth-failure',
  'crl-enforced',
  'crl-fail-open',
  'peer-unreachable',
  'certificate-revoked',
  'responder-rekey',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface ScenarioSpec {
  readonly description: string;
  /** Alert names of deploy/prometheus/rules/samon-alerts.yml the scenario should raise. */
  readonly alerts: readonly string[];
  readonly tweak?: ConfigTweak;
}

// Each tunnel trusts its own partner CA (one CA profile per tunnel), so a pkid line, which names
// only the profile, points at one tunnel.
function certificates(
  pair: Parameters<ConfigTweak>[0],
  crlFailOpen: boolean,
  prefix?: string,
): void {
  const tag = pair.initiator.vpn.slice(pair.initiator.vpn.lastIndexOf('-') + 1);
  const org = prefix ?? (crlFailOpen ? 'partner' : 'corp');
  const caProfile = `${org}-ca-${tag}`;
  const crlUrl = `http://crl.${org}.example/${caProfile}.crl`;
  for (const end of [pair.initiator, pair.responder]) {
    Object.assign(end, { authentication: 'certificate', caProfile, crlUrl, crlFailOpen });
  }
}

export const SCENARIO_SPECS: Record<ScenarioName, ScenarioSpec> = {
  steady: { description: 'every SA rekeyed on time by its initiator', alerts: [] },
  'missed-rekey': {
    description: 'the responder stops answering after the soft deadline: timeouts, then expiry',
    alerts: [
      'IpsecSaRekeyOverdue',
      'IpsecSaHardDeadlineImminent',
      'IpsecSaExpired',
      'IpsecTunnelDown',
      'IpsecNegotiationFailing',
    ],
  },
  'proposal-mismatch': {
    description: 'the ends share no IKE proposal: no-proposal-chosen on both, never up',
    alerts: ['IpsecNegotiationFailing', 'IpsecTunnelExpectedButAbsent'],
    tweak: ({ responder }) => {
      responder.ikeEncryption = 'aes-128-cbc';
    },
  },
  'auth-failure': {
    description: 'pre-shared keys differ: authentication failed on both, never up',
    alerts: ['IpsecNegotiationFailing', 'IpsecTunnelExpectedButAbsent'],
  },
  'crl-enforced': {
    description: 'certificates, CRL unreachable, checking enforced: the tunnel is not established',
    alerts: [
      'IpsecCertificateCheckFailed',
      'IpsecNegotiationFailing',
      'IpsecTunnelExpectedButAbsent',
    ],
    tweak: (pair) => certificates(pair, false),
  },
  'crl-fail-open': {
    description: 'certificates, CRL unreachable, `disable on-download-failure`: up without the CRL',
    alerts: ['IpsecCrlCheckFailOpen'],
    tweak: (pair) => certificates(pair, true),
  },
  'peer-unreachable': {
    description: 'the responder never answers: the initiator times out, never up',
    alerts: ['IpsecNegotiationFailing', 'IpsecTunnelExpectedButAbsent'],
  },
  'responder-rekey': {
    description:
      'one rekey attempt of the initiator times out; the responder rekeys at hard − 90 s',
    alerts: [],
  },
  'certificate-revoked': {
    description: "the initiator's certificate is on the CRL: the responder rejects it, never up",
    alerts: [
      'IpsecCertificateCheckFailed',
      'IpsecNegotiationFailing',
      'IpsecTunnelExpectedButAbsent',
    ],
    tweak: (pair) => certificates(pair, false, 'vendor'),
  },
};

/** Parses `a,b,c`; throws with the list of known names on an unknown one. */
export function parseScenarios(text: string): ScenarioName[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const name of names) {
    if (!(SCENARIOS as readonly string[]).includes(name)) {
      throw new Error(`unknown scenario "${name}" (known: ${SCENARIOS.join(', ')})`);
    }
  }
  return names.length ? [...new Set(names as ScenarioName[])] : ['steady'];
}

/** The scenario owning tunnel `index`. */
export function scenarioOf(index: number, selected: readonly ScenarioName[]): ScenarioName {
  const failures = selected.filter((s) => s !== 'steady');
  if (failures.length === 0) return 'steady';
  const slot = index % (failures.length + 1);
  return slot === 0 ? 'steady' : failures[slot - 1]!;
}
