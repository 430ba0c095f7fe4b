import { parseJunosConfig, type ExpectedTunnel } from '../junos/config/index.js';
import type { SimPlatform, SimTunnelEnd } from './configs/end.js';
import { mxConfig } from './configs/mx.js';
import { srxConfig } from './configs/srx.js';
import type { Random } from './random.js';

// The simulated fleet: routers on a ring, each tunnel joining a router to its next one (and the
// one after, from four routers on), so every tunnel has two ends that point at each other. The
// configuration text is generated first and parsed back with samon's own parser: lifetimes and
// names come from the model, as they would for a real router.
//
// Several tunnels between the same two routers each get a gateway address pair of their own, as
// on a real network (an MX service set's own local-gateway, an SRX gateway's local-address):
// kmd's SA lines name gateways and proxy IDs, not the VPN, so identical pairs could not be told
// apart from the lines alone.

export type SyslogForm = 'bsd' | 'rfc5424-sd' | 'rfc5424';

export interface SimRouter {
  readonly name: string;
  readonly platform: SimPlatform;
  readonly address: string;
  /** Local addresses of the router's tunnels, `address` first; more with `tunnelsPerPair`. */
  readonly addresses: readonly string[];
  readonly form: SyslogForm;
  readonly pid: number;
  /** `junos@2636.1.1.1.2.N` platform suffix for structured data. */
  readonly productId: number;
  readonly configText: string;
  readonly ends: SimTunnelEnd[];
}

export interface SimTunnel {
  /** `INITIATOR-ROUTER/VPN`: the tunnel's name in the simulator's own output. */
  readonly id: string;
  readonly index: number;
  readonly initiator: SimTunnelEnd;
  readonly responder: SimTunnelEnd;
  /** Effective lifetimes per end, from the parsed configurations (defaults applied). */
  readonly lifetimes: {
    readonly initiator: { readonly ike: number; readonly ipsec: number };
    readonly responder: { readonly ike: number; readonly ipsec: number };
  };
}

export interface SimFleet {
  readonly routers: SimRouter[];
  readonly tunnels: SimTunnel[];
}

/** How a scenario changes a tunnel's configuration before the text is written. */
export type ConfigTweak = (pair: { initiator: Draft; responder: Draft }) => void;
export type Draft = { -readonly [K in keyof SimTunnelEnd]: SimTunnelEnd[K] };

const CITIES = ['par', 'lyo', 'fra', 'ams', 'mad', 'mil', 'ber', 'vie', 'waw', 'lis', 'dub', 'osl'];
const FORMS: readonly SyslogForm[] = ['bsd', 'rfc5424-sd', 'rfc5424'];
const SRX_PRODUCTS = [129, 135, 137, 164];

export interface FleetOptions {
  readonly routers: number;
  readonly random: Random;
  /** Config tweak for tunnel `index`, if a scenario owns it. */
  readonly tweak?: (index: number) => ConfigTweak | undefined;
  /**
   * How many next routers on the ring each router has a tunnel to (default 2, from four routers
   * on); below half the ring, every tunnel has a peer pair of its own.
   */
  readonly neighbours?: number;
  /**
   * Tunnels between each pair of neighbouring routers (default 1). Tunnel k of a pair runs
   * between the two routers' k-th addresses, so every tunnel has its own gateway address pair.
   */
  readonly tunnelsPerPair?: number;
  /** Prepended to every host name: several fleets (or runs) can share one samon or Kafka log. */
  readonly hostPrefix?: string;
  /** `A.B`: addresses A.B.1.N (SRX) and A.B.2.N (MX) instead of the documentation ranges. */
  readonly addressPrefix?: string;
}

export function buildFleet(options: FleetOptions): SimFleet {
  const { random } = options;
  const n = Math.max(2, options.routers);
  const perPair = options.tunnelsPerPair ?? 1;
  if (!Number.isInteger(perPair) || perPair < 1)
    throw new Error(`tunnelsPerPair ${perPair}: expected an integer ≥ 1`);
  if (perPair > 1 && 10 + n * perPair > 255)
    throw new Error(
      `${n} routers × ${perPair} tunnels per pair: more addresses than one /24 holds (at most ${Math.floor(245 / n)} per pair)`,
    );
  const skeleton = Array.from({ length: n }, (_, i) => {
    const platform: SimPlatform = i % 4 === 3 ? 'mx' : 'srx';
    const city = CITIES[i % CITIES.length]!;
    const name = `${options.hostPrefix ?? ''}${platform === 'mx' ? 'mx-pe' : 'srx'}-${city}-${String(i + 1).padStart(2, '0')}`;
    const net =
      options.addressPrefix !== undefined
        ? `${options.addressPrefix}.${platform === 'mx' ? 2 : 1}`
        : platform === 'mx'
          ? '203.0.113'
          : '198.51.100';
    const addresses = Array.from({ length: perPair }, (_, k) => `${net}.${10 + i + k * n}`);
    return {
      name,
      platform,
      address: addresses[0]!,
      addresses,
      form: random.pick(FORMS),
      pid: random.int(1200, 9800),
      productId: platform === 'mx' ? 25 : random.pick(SRX_PRODUCTS),
      ends: [] as Draft[],
    };
  });
  const pairs: [number, number, number][] = [];
  for (let i = 0; i < n; i++) {
    const neighbours = options.neighbours ?? (n >= 4 ? 2 : 1);
    for (let step = 1; step <= neighbours; step++) {
      const j = (i + step) % n;
      if (n === 2 && i === 1) continue; // two routers: one tunnel
      if (skeleton[i]!.platform === 'mx' && skeleton[j]!.platform === 'mx') continue;
      for (let k = 0; k < perPair; k++) pairs.push([i, j, k]);
    }
  }
  const drafts: { initiator: Draft; responder: Draft }[] = [];
  pairs.forEach(([i, j, slot], index) => {
    // MX ends only respond (establish-tunnels is global there).
    const [ini, res] =
      skeleton[i]!.platform === 'mx' ? [skeleton[j]!, skeleton[i]!] : [skeleton[i]!, skeleton[j]!];
    const ikeVersion = random.pick([1, 2] as const);
    const ipsecLifetime = random.pick([1800, 3600, undefined, 7200]);
    // IKE outlives IPsec, so the IKE SA is renewed with each phase-2 rekey before it expires.
    const ikeLifetime = random.pick([
      28800,
      86400,
      ...((ipsecLifetime ?? 28800) <= 3600 ? [undefined] : []),
    ]);
    const respIpsec =
      ikeVersion === 1 && random.next() < 0.3 && ipsecLifetime !== undefined
        ? ipsecLifetime / 2
        : ipsecLifetime;
    const tag = String(index + 1).padStart(3, '0');
    const base = {
      ikeVersion,
      ikeLifetime,
      ikeEncryption: 'aes-256-cbc',
      ipsecEncryption: random.pick(['aes-256-cbc', 'aes-256-gcm', 'aes-128-gcm']),
      authentication: 'psk' as const,
      crlFailOpen: false,
    };
    const end = (
      me: (typeof skeleton)[number],
      peer: (typeof skeleton)[number],
      role: 'initiator' | 'responder',
      k: number,
    ): Draft => {
      const vpn = me.platform === 'mx' ? `ss-${peer.name}-${tag}` : `vpn-${peer.name}-${tag}`;
      return {
        ...base,
        router: me.name,
        platform: me.platform,
        vpn,
        gateway: me.platform === 'mx' ? `rule-${peer.name}-${tag}` : `gw-${peer.name}-${tag}`,
        unit: me.ends.length + 1,
        role,
        localAddress: me.addresses[slot]!,
        remoteAddress: peer.addresses[slot]!,
        localSubnet: `10.${k}.${index % 250}.0/24`,
        remoteSubnet: `10.${k === 1 ? 2 : 1}.${index % 250}.0/24`,
        ipsecLifetime: role === 'initiator' ? ipsecLifetime : respIpsec,
      };
    };
    const pair = {
      initiator: end(ini, res, 'initiator', 1),
      responder: end(res, ini, 'responder', 2),
    };
    options.tweak?.(index)?.(pair);
    ini.ends.push(pair.initiator);
    res.ends.push(pair.responder);
    drafts.push(pair);
  });
  const routers: SimRouter[] = skeleton.map((r) => ({
    ...r,
    configText:
      r.platform === 'mx'
        ? mxConfig(r.name, r.addresses, r.ends)
        : srxConfig(r.name, r.addresses, r.ends),
  }));
  const models = new Map(routers.map((r) => [r.name, parseJunosConfig(r.configText).model]));
  const expected = (e: SimTunnelEnd): ExpectedTunnel => {
    const found = models.get(e.router)?.tunnels.find((t) => t.vpn === e.vpn);
    if (!found) throw new Error(`simulator config for ${e.router} lost VPN ${e.vpn}`);
    return found;
  };
  const tunnels = drafts.map(({ initiator, responder }, index): SimTunnel => {
    const i = expected(initiator);
    const r = expected(responder);
    return {
      id: `${initiator.router}/${initiator.vpn}`,
      index,
      initiator,
      responder,
      lifetimes: {
        initiator: { ike: i.ikeLifetimeSeconds.value, ipsec: i.ipsecLifetimeSeconds.value },
        responder: { ike: r.ikeLifetimeSeconds.value, ipsec: r.ipsecLifetimeSeconds.value },
      },
    };
  });
  return { routers, tunnels };
}
