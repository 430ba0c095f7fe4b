import { SOFT_LIFETIME_LEAD_SECONDS } from '../defaults.js';
import type { EffectiveIkeProposal, EffectiveIpsecProposal, ResolvedTunnel } from '../resolve.js';

// Predicts one negotiation between an initiator and a responder (junos-ipsec.md): the initiator
// offers its proposals in order, the responder accepts the first one whose attributes are
// identical to one of its own. IKEv1 negotiates authentication method and lifetime (the shorter
// wins); IKEv2 does neither (each end keeps its own).

export interface Failure {
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

export interface ChosenIke {
  readonly version: 1 | 2;
  readonly mode?: string;
  readonly initiator: EffectiveIkeProposal;
  readonly responder: EffectiveIkeProposal;
  readonly initiatorLifetime: number;
  readonly responderLifetime: number;
}

export interface ChosenIpsec {
  readonly initiator: EffectiveIpsecProposal;
  readonly responder: EffectiveIpsecProposal;
  readonly initiatorLifetime: number;
  readonly responderLifetime: number;
  readonly pfsGroup?: string;
}

export interface Prediction {
  readonly failures: readonly Failure[];
  readonly ike?: ChosenIke;
  readonly ipsec?: ChosenIpsec;
  /** Why the outcome cannot be predicted (predefined proposal sets, missing definitions). */
  readonly unpredictable?: string;
}

function ikeKey(p: EffectiveIkeProposal, version: 1 | 2, method: string | undefined): string {
  const base = `${p.encryptionAlgorithm.value}|${p.authenticationAlgorithm.value}|${p.dhGroup ?? '-'}`;
  return version === 1 ? `${base}|${p.authenticationMethod ?? method ?? '-'}` : base;
}

function ipsecKey(p: EffectiveIpsecProposal): string {
  return `${p.protocol ?? '-'}|${p.encryptionAlgorithm.value}|${p.authenticationAlgorithm.value}`;
}

export function describeIke(p: EffectiveIkeProposal): string {
  return [
    p.encryptionAlgorithm.value,
    p.authenticationAlgorithm.value,
    p.dhGroup,
    p.authenticationMethod,
  ]
    .filter((s) => s !== undefined)
    .join(', ');
}

export function describeIpsec(p: EffectiveIpsecProposal): string {
  // GCM authenticates by itself: an unset authentication-algorithm is not used.
  const gcm = p.encryptionAlgorithm.value.endsWith('-gcm') && p.authenticationAlgorithm.assumed;
  return [
    p.protocol,
    p.encryptionAlgorithm.value,
    gcm ? undefined : p.authenticationAlgorithm.value,
  ]
    .filter((s) => s !== undefined)
    .join(', ');
}

function firstMatch<P>(
  offered: readonly P[],
  accepted: readonly P[],
  key: (p: P) => string,
): [P, P] | undefined {
  const byKey = new Map<string, P>();
  for (const p of accepted) if (!byKey.has(key(p))) byKey.set(key(p), p);
  for (const p of offered) {
    const match = byKey.get(key(p));
    if (match !== undefined) return [p, match];
  }
  return undefined;
}

function sortedKeys<P>(items: readonly P[], key: (p: P) => string): string {
  return items.map(key).sort().join('\n');
}

function lastWord(id: string | undefined): string | undefined {
  return id === undefined ? undefined : id.split(' ').pop();
}

export function predict(
  initiator: ResolvedTunnel,
  responder: ResolvedTunnel,
  names: { initiator: string; responder: string },
): Prediction {
  const i = initiator.tunnel;
  const r = responder.tunnel;
  const version = i.ikeVersion.value;
  if (responder.acceptsVersion !== 'both' && responder.acceptsVersion !== version) {
    return {
      failures: [
        {
          rule: 'pair-ike-version-mismatch',
          severity: 'error',
          message: `${names.initiator} starts IKEv${version}${i.ikeVersion.assumed ? ' (no version configured: Junos initiates IKEv1)' : ''} but ${names.responder} accepts only IKEv${responder.acceptsVersion}: the negotiation is rejected. Configure the same IKE version on both ends.`,
        },
      ],
    };
  }
  if (!initiator.ikeProposalsKnown || !responder.ikeProposalsKnown) {
    return {
      failures: [],
      unpredictable:
        'the IKE proposals are not all named and defined on both ends (proposal-set, or a missing proposal)',
    };
  }
  const failures: Failure[] = [];
  const ike = firstMatch(initiator.ikeProposals, responder.ikeProposals, (p) =>
    ikeKey(p, version, undefined),
  );
  if (ike === undefined) {
    const ignoringMethod = firstMatch(initiator.ikeProposals, responder.ikeProposals, (p) =>
      ikeKey(p, 2, undefined),
    );
    if (version === 1 && ignoringMethod !== undefined) {
      return {
        failures: [
          {
            rule: 'pair-authentication-method-mismatch',
            severity: 'error',
            message: `${names.initiator} proposes IKE authentication-method ${ignoringMethod[0].authenticationMethod ?? '(not set)'} but ${names.responder}'s matching proposal ${ignoringMethod[1].name} uses ${ignoringMethod[1].authenticationMethod ?? '(not set)'}: IKEv1 finds no common proposal (no-proposal-chosen). Use the same authentication-method on both ends.`,
          },
        ],
      };
    }
    return {
      failures: [
        {
          rule: 'pair-no-proposal-chosen',
          severity: 'error',
          message: `no IKE proposal of ${names.initiator} (${initiator.ikeProposals.map((p) => `${p.name}: ${describeIke(p)}`).join('; ')}) matches one of ${names.responder} (${responder.ikeProposals.map((p) => `${p.name}: ${describeIke(p)}`).join('; ')}): phase 1 fails with no-proposal-chosen. Give both ends at least one proposal with identical encryption, authentication algorithm and DH group${version === 1 ? ' and authentication method' : ''}.`,
        },
      ],
    };
  }
  const [offered, accepted] = ike;
  let mode: string | undefined;
  if (version === 1) {
    const im = i.ikeMode?.value ?? 'main';
    const rm = r.ikeMode?.value ?? 'main';
    mode = im;
    if (im !== rm) {
      failures.push({
        rule: 'pair-ike-mode-mismatch',
        severity: 'error',
        message: `${names.initiator} uses IKEv1 ${im} mode but ${names.responder} expects ${rm} mode: phase 1 fails. Use the same mode on both ends (main is recommended).`,
      });
    }
  } else if (i.authenticationMethod !== r.authenticationMethod) {
    failures.push({
      rule: 'pair-authentication-method-mismatch',
      severity: 'error',
      message: `${names.initiator} authenticates with ${i.authenticationMethod ?? '(not set)'} but ${names.responder} with ${r.authenticationMethod ?? '(not set)'}: IKEv2 does not negotiate the method, so authentication fails. Use the same authentication-method on both ends.`,
    });
  }
  const shorter = Math.min(offered.lifetimeSeconds.value, accepted.lifetimeSeconds.value);
  const chosenIke: ChosenIke = {
    version,
    ...(mode === undefined ? {} : { mode }),
    initiator: offered,
    responder: accepted,
    initiatorLifetime: version === 1 ? shorter : offered.lifetimeSeconds.value,
    responderLifetime: version === 1 ? shorter : accepted.lifetimeSeconds.value,
  };
  if (failures.length > 0) return { failures, ike: chosenIke };

  const idI = lastWord(i.remoteId);
  const idR = lastWord(r.localId);
  if (idI !== undefined && idR !== undefined && idI !== idR) {
    failures.push({
      rule: 'pair-identity-mismatch',
      severity: 'warning',
      message: `${names.initiator} expects the peer identity ${i.remoteId ?? ''} but ${names.responder} presents ${r.localId ?? ''}: phase 1 would fail authentication (invalid-id). Make remote-id on one end equal local-id on the other.`,
    });
  }

  if (!initiator.ipsecProposalsKnown || !responder.ipsecProposalsKnown) {
    return {
      failures,
      ike: chosenIke,
      unpredictable:
        'the IPsec proposals are not all named and defined on both ends (proposal-set, or a missing proposal)',
    };
  }
  const ipsecList = (t: ResolvedTunnel) =>
    t.ipsecProposals.map((p) => `${p.name}: ${describeIpsec(p)}`).join('; ');
  if (initiator.ipsecProposals.length !== responder.ipsecProposals.length) {
    failures.push({
      rule: 'pair-ipsec-proposal-mismatch',
      severity: 'error',
      message: `the IKE proposals match but ${names.initiator} has ${initiator.ipsecProposals.length} IPsec proposal(s) (${ipsecList(initiator)}) and ${names.responder} has ${responder.ipsecProposals.length} (${ipsecList(responder)}): with a different number of IPsec proposals the tunnel is not established. Configure the same IPsec proposals on both ends.`,
    });
    return { failures, ike: chosenIke };
  }
  if (
    sortedKeys(initiator.ipsecProposals, ipsecKey) !==
    sortedKeys(responder.ipsecProposals, ipsecKey)
  ) {
    failures.push({
      rule: 'pair-ipsec-proposal-mismatch',
      severity: 'error',
      message: `the IKE proposals match but the IPsec proposals differ (${names.initiator}: ${ipsecList(initiator)}; ${names.responder}: ${ipsecList(responder)}): phase 2 fails and the tunnel is not established. Configure identical IPsec proposals (protocol, encryption, authentication) on both ends.`,
    });
    return { failures, ike: chosenIke };
  }
  const ipsec = firstMatch(initiator.ipsecProposals, responder.ipsecProposals, ipsecKey);
  if (ipsec === undefined) return { failures, ike: chosenIke };
  if (i.pfsGroup !== r.pfsGroup) {
    failures.push({
      rule: 'pair-pfs-mismatch',
      severity: 'error',
      message: `${names.initiator} uses perfect-forward-secrecy ${i.pfsGroup ?? 'none'} but ${names.responder} ${r.pfsGroup ?? 'none'}: phase 2 fails (no-proposal-chosen) and the tunnel is not established. Set the same perfect-forward-secrecy keys on both IPsec policies.`,
    });
    return { failures, ike: chosenIke };
  }
  const sa = i.selector;
  const sb = r.selector;
  if (
    sa !== undefined &&
    sb !== undefined &&
    (sa.localIp !== sb.remoteIp || sa.remoteIp !== sb.localIp)
  ) {
    failures.push({
      rule: 'pair-traffic-selector-mismatch',
      severity: 'warning',
      message: `${names.initiator} proposes traffic ${sa.localIp ?? 'any'} → ${sa.remoteIp ?? 'any'} but ${names.responder} is configured for ${sb.remoteIp ?? 'any'} → ${sb.localIp ?? 'any'} (seen from the initiator): phase 2 may fail with traffic-selector-mismatch. Mirror local-ip and remote-ip on the two ends.`,
    });
  }
  const [offeredIpsec, acceptedIpsec] = ipsec;
  const shorterIpsec = Math.min(
    offeredIpsec.lifetimeSeconds.value,
    acceptedIpsec.lifetimeSeconds.value,
  );
  const il = version === 1 ? shorterIpsec : offeredIpsec.lifetimeSeconds.value;
  const rl = version === 1 ? shorterIpsec : acceptedIpsec.lifetimeSeconds.value;
  return {
    failures,
    ike: chosenIke,
    ipsec: {
      initiator: offeredIpsec,
      responder: acceptedIpsec,
      initiatorLifetime: il,
      responderLifetime: rl,
      ...(i.pfsGroup === undefined ? {} : { pfsGroup: i.pfsGroup }),
    },
  };
}

export function softLifetimes(chosen: ChosenIpsec): { initiator: number; responder: number } {
  return {
    initiator: chosen.initiatorLifetime - SOFT_LIFETIME_LEAD_SECONDS.initiator,
    responder: chosen.responderLifetime - SOFT_LIFETIME_LEAD_SECONDS.responder,
  };
}
