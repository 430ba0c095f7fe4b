import { summarizeConfigChange } from '../domain/sa/configChange.js';
import type { LifecycleEvent } from '../domain/lifecycle.js';
import { parseJunosConfig } from '../junos/config/index.js';
import type { SimTunnelEnd } from './configs/end.js';
import { mxConfig } from './configs/mx.js';
import { srxConfig } from './configs/srx.js';
import type { ConfigChange } from './engine.js';
import type { SimFleet, SimRouter, SimTunnel } from './fleet.js';
import { isoOf } from './truth.js';

// Configurations that change during a run (`lifetime-change`, `tunnel-deleted`): both routers of
// the tunnel commit the change at the same moment. Each commit gives a new version of the
// router's whole configuration text, as an operator's file would hold it, and a ConfigChanged in
// the truth (what samon says when it imports the new file).

export interface ConfigVersion {
  /** Virtual time of the commit, epoch ms. */
  readonly ms: number;
  readonly router: string;
  readonly text: string;
}

export function renderConfig(router: SimRouter, ends: readonly SimTunnelEnd[]): string {
  return router.platform === 'mx'
    ? mxConfig(router.name, router.addresses, ends)
    : srxConfig(router.name, router.addresses, ends);
}

export function configHistory(
  fleet: SimFleet,
  changes: readonly { readonly tunnel: SimTunnel; readonly change: ConfigChange }[],
): { versions: ConfigVersion[]; truth: LifecycleEvent[] } {
  const current = new Map(fleet.routers.map((r) => [r.name, { router: r, ends: [...r.ends] }]));
  const texts = new Map(fleet.routers.map((r) => [r.name, r.configText]));
  const versions: ConfigVersion[] = [];
  const truth: LifecycleEvent[] = [];
  const sorted = [...changes].sort((a, b) => a.change.ms - b.change.ms);
  for (let i = 0; i < sorted.length;) {
    const ms = sorted[i]!.change.ms;
    const touched = new Set<string>();
    for (; i < sorted.length && sorted[i]!.change.ms === ms; i++) {
      const { tunnel, change } = sorted[i]!;
      for (const [end, lifetimes] of [
        [tunnel.initiator, tunnel.lifetimes.initiator],
        [tunnel.responder, tunnel.lifetimes.responder],
      ] as const) {
        const router = current.get(end.router)!;
        const at = router.ends.findIndex((e) => e.vpn === end.vpn);
        if (at < 0) continue;
        if (change.kind === 'deleted') router.ends.splice(at, 1);
        else router.ends[at] = { ...router.ends[at]!, ipsecLifetime: lifetimes.ipsec / 2 };
        touched.add(end.router);
      }
    }
    for (const name of [...touched].sort()) {
      const { router, ends } = current.get(name)!;
      const before = texts.get(name)!;
      const text = renderConfig(router, ends);
      texts.set(name, text);
      versions.push({ ms, router: name, text });
      const data = summarizeConfigChange(
        parseJunosConfig(before).model as unknown as Record<string, unknown>,
        parseJunosConfig(text).model as unknown as Record<string, unknown>,
      );
      truth.push({
        v: 1,
        type: 'ConfigChanged',
        at: isoOf(ms),
        router: name,
        inferred: false,
        evidence: [],
        data,
      });
    }
  }
  return { versions, truth };
}
