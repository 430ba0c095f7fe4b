import type { LifecycleEvent, LifecycleType } from '../domain/lifecycle.js';
import type { SimTunnelEnd } from './configs/end.js';

// Ground truth: the lifecycle events the simulator caused, in the contracts.md shape, from the
// point of view of each router (tunnel id `ROUTER/VPN`). `inferred` marks what a router never
// logs (deadlines passing): samon has to infer those too.

export const isoOf = (ms: number) => new Date(ms).toISOString();
export const spiHex = (spi: number) => `0x${spi.toString(16).padStart(8, '0')}`;

export function truthEvent<T extends LifecycleType>(
  type: T,
  ms: number,
  end: SimTunnelEnd,
  data: Extract<LifecycleEvent, { type: T }>['data'],
  inferred = false,
): LifecycleEvent {
  return {
    v: 1,
    type,
    at: isoOf(ms),
    router: end.router,
    tunnel: `${end.router}/${end.vpn}`,
    inferred,
    evidence: [],
    data,
  } as LifecycleEvent;
}

/** The CRL check that failed while negotiating `end`'s tunnel. */
export function certificateFailed(
  ms: number,
  end: SimTunnelEnd,
  enforced: boolean,
  check: 'crl-download' | 'revoked' = 'crl-download',
): LifecycleEvent {
  return truthEvent('CertificateCheckFailed', ms, end, { check, enforced });
}
