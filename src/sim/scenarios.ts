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
  'dpd-dead-peer',
  'traffic-selector-mismatch',
  'router-reboot',
  'router-reboot-respond-bad-spi',
  'lifetime-change',
  'tunnel-deleted',
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
  'dpd-dead-peer': {
    description:
      'the path to the responder breaks: the initiator’s DPD declares it dead, deletes the SAs and retries until the path is back',
    // Down for 8 minutes (two failed retries, too few for IpsecNegotiationFailing).
    alerts: ['IpsecTunnelDown'],
    tweak: ({ initiator }) => {
      initiator.deadPeerDetection = true;
    },
  },
  'traffic-selector-mismatch': {
    description:
      'the responder protects another subnet: phase 1 succeeds, every phase 2 is refused by the responder, never up',
    alerts: ['IpsecNegotiationFailing', 'IpsecTunnelDown', 'IpsecTunnelExpectedButAbsent'],
    tweak: ({ initiator, responder }) => {
      const [a, b, c] = responder.localSubnet.split('.');
      responder.localSubnet = `${a}.${b}.${String((Number(c) + 100) % 250)}.0/24`;
      initiator.proxyIdentity = true;
      responder.proxyIdentity = true;
    },
  },
  'router-reboot': {
    description:
      'the responder’s router loses its SAs (reboot); the initiator keeps sending on the old SPIs: invalid SPIs until its next rekey',
    alerts: ['IpsecInvalidSpiBlackhole', 'IpsecTunnelDown'],
  },
  'router-reboot-respond-bad-spi': {
    description:
      'the same with respond-bad-spi on the rebooted end: the peer is told and renegotiates within seconds',
    alerts: [],
    tweak: ({ responder }) => {
      responder.respondBadSpi = true;
    },
  },
  'lifetime-change': {
    description:
      'a commit halves the IPsec lifetime on both ends: the SAs in place keep theirs, the next ones use the new one',
    alerts: [],
  },
  'tunnel-deleted': {
    description:
      'the tunnel is deleted from both configurations: KMD_VPN_DOWN_ALARM_USER … configuration is deleted, then nothing',
    alerts: [],
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
