import type { AnalyzedConfig } from '../analyze.js';
import { compareFindings, type Finding, type Severity } from '../finding.js';
import type { ResolvedTunnel } from '../resolve.js';
import { matchTunnels, tunnelLabel, type TunnelPair, type TunnelSelection } from './match.js';
import {
  describeIke,
  describeIpsec,
  predict,
  softLifetimes,
  type Prediction,
} from './negotiate.js';

// `samon lint --pair A B`: the two ends of each tunnel, each tried as initiator, reported in
// the finding format: failures as errors or warnings, the predicted outcome as info lines.

export type { TunnelSelection } from './match.js';

interface End {
  readonly config: AnalyzedConfig;
  readonly tunnel: ResolvedTunnel;
  readonly name: string;
}

function finding(end: End, severity: Severity, rule: string, message: string): Finding {
  return { file: end.config.file, line: end.tunnel.line, severity, rule, message };
}

function canInitiate(t: ResolvedTunnel): boolean {
  return t.tunnel.roleHint !== 'responder';
}

function outcome(initiator: End, responder: End, p: Prediction): string {
  const parts = [`when ${initiator.name} initiates to ${responder.name}:`];
  const ike = p.ike;
  if (ike !== undefined) {
    parts.push(
      `IKEv${ike.version}${ike.mode === undefined ? '' : ` ${ike.mode} mode`}, IKE proposal ${ike.initiator.name}${ike.responder.name === ike.initiator.name ? '' : `/${ike.responder.name}`} (${describeIke(ike.initiator)}),`,
      ike.initiatorLifetime === ike.responderLifetime
        ? `IKE SA lifetime ${ike.initiatorLifetime} s${ike.version === 1 ? ' (IKEv1: the shorter of the two)' : ''};`
        : `IKE SA lifetime ${ike.initiatorLifetime} s on ${initiator.name}, ${ike.responderLifetime} s on ${responder.name} (IKEv2: each its own);`,
    );
  }
  const ipsec = p.ipsec;
  if (ipsec !== undefined) {
    const soft = softLifetimes(ipsec);
    parts.push(
      `IPsec proposal ${ipsec.initiator.name}${ipsec.responder.name === ipsec.initiator.name ? '' : `/${ipsec.responder.name}`} (${describeIpsec(ipsec.initiator)}), PFS ${ipsec.pfsGroup ?? 'none'},`,
      ipsec.initiatorLifetime === ipsec.responderLifetime
        ? `IPsec SA hard lifetime ${ipsec.initiatorLifetime} s (soft: ${soft.initiator} s on the initiator, ${soft.responder} s on the responder).`
        : `IPsec SA hard lifetime ${ipsec.initiatorLifetime} s on ${initiator.name} (soft ${soft.initiator} s), ${ipsec.responderLifetime} s on ${responder.name} (soft ${soft.responder} s).`,
    );
  }
  if (p.unpredictable !== undefined) parts.push(`not predicted further: ${p.unpredictable}.`);
  else if (p.failures.some((f) => f.severity === 'error'))
    parts.push('the tunnel is not established.');
  else if (ipsec !== undefined) parts.push('the tunnel comes up.');
  return parts.join(' ');
}

function checkOnePair(a: End, b: End): Finding[] {
  const out: Finding[] = [];
  const directions: [End, End][] = [];
  if (canInitiate(a.tunnel)) directions.push([a, b]);
  if (canInitiate(b.tunnel)) directions.push([b, a]);
  if (directions.length === 0) {
    out.push(
      finding(
        a,
        'error',
        'pair-no-initiator',
        `neither ${a.name} nor ${b.name} can initiate (dynamic peer or responder-only on both ends): the tunnel never comes up. Give one end the other's static address and let it initiate.`,
      ),
    );
    return out;
  }
  for (const [initiator, responder] of directions) {
    const prediction = predict(initiator.tunnel, responder.tunnel, {
      initiator: initiator.name,
      responder: responder.name,
    });
    for (const failure of prediction.failures) {
      out.push(
        finding(
          initiator,
          failure.severity,
          failure.rule,
          `when ${initiator.name} initiates: ${failure.message}`,
        ),
      );
    }
    out.push(finding(initiator, 'info', 'pair-outcome', outcome(initiator, responder, prediction)));
  }
  return out;
}

function endName(config: AnalyzedConfig, t: ResolvedTunnel): string {
  const router = config.model.hostName ?? config.file;
  return `${router} ${tunnelLabel(t)}`;
}

/** Predicts the negotiation between the tunnels of two configurations. */
export function pairJunosConfigs(
  a: AnalyzedConfig,
  b: AnalyzedConfig,
  selections: readonly TunnelSelection[] = [],
): Finding[] {
  const { pairs, unknown } = matchTunnels(a, b, selections);
  const out: Finding[] = [];
  for (const u of unknown) {
    const config = u.side === 'a' ? a : b;
    out.push({
      file: config.file,
      line: 0,
      severity: 'error',
      rule: 'pair-unknown-tunnel',
      message: `--tunnel names ${u.name}, but ${config.file} has no tunnel of that name (known: ${config.tunnels.map(tunnelLabel).join(', ') || 'none'}).`,
    });
  }
  if (pairs.length === 0 && unknown.length === 0) {
    out.push({
      file: a.file,
      line: 0,
      severity: 'error',
      rule: 'pair-no-matching-tunnels',
      message: `no tunnel of ${a.file} and ${b.file} point at each other (remote gateway address of one = local address of the other), so nothing can be compared. Name the two tunnels with --tunnel A-VPN:B-VPN.`,
    });
  }
  for (const pair of pairs satisfies readonly TunnelPair[]) {
    out.push(
      ...checkOnePair(
        { config: a, tunnel: pair.a, name: endName(a, pair.a) },
        { config: b, tunnel: pair.b, name: endName(b, pair.b) },
      ),
    );
  }
  return out.sort(compareFindings);
}
