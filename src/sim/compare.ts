import type { LifecycleEvent } from '../domain/lifecycle.js';

// Ground truth against what samon concluded: events match on type, router, tunnel, direction
// and SPIs, with times within a tolerance. Used by the fidelity tests; kept here so a later
// e2e over UDP/TCP/Kafka compares the same way.

export interface Comparison {
  readonly matched: number;
  /** In the truth, not found in samon's events. */
  readonly missing: LifecycleEvent[];
  /** In samon's events (of the compared types), not in the truth. */
  readonly extra: LifecycleEvent[];
}

export interface CompareOptions {
  readonly types: readonly string[];
  readonly toleranceMs: number;
}

function keyOf(e: LifecycleEvent): string {
  const d = e.data as Record<string, unknown>;
  const text = (key: string) => (typeof d[key] === 'string' ? d[key] : '');
  const parts = [
    e.type,
    e.router,
    e.tunnel ?? '',
    text('direction'),
    text('spi'),
    text('oldSpi'),
    text('newSpi'),
  ];
  if (e.type === 'NegotiationFailed') parts.push(String(d['reason']), String(d['role']));
  if (e.type === 'CertificateCheckFailed') parts.push(String(d['check']), String(d['enforced']));
  return parts.join('|');
}

export function compareLifecycle(
  truth: readonly LifecycleEvent[],
  actual: readonly LifecycleEvent[],
  options: CompareOptions,
): Comparison {
  const wanted = new Set(options.types);
  const pool = new Map<string, { ms: number; event: LifecycleEvent; used: boolean }[]>();
  for (const event of actual) {
    if (!wanted.has(event.type)) continue;
    const key = keyOf(event);
    let list = pool.get(key);
    if (!list) pool.set(key, (list = []));
    list.push({ ms: Date.parse(event.at), event, used: false });
  }
  const missing: LifecycleEvent[] = [];
  let matched = 0;
  for (const event of truth) {
    if (!wanted.has(event.type)) continue;
    const ms = Date.parse(event.at);
    const hit = pool
      .get(keyOf(event))
      ?.find((c) => !c.used && Math.abs(c.ms - ms) <= options.toleranceMs);
    if (hit) {
      hit.used = true;
      matched++;
    } else missing.push(event);
  }
  const extra = [...pool.values()]
    .flat()
    .filter((c) => !c.used)
    .map((c) => c.event);
  return { matched, missing, extra };
}
