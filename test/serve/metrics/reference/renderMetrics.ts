import type { Registry } from 'prom-client';

/** Metrics rendered outside prom-client, appended to the registry's text. */
export interface MetricsBlock {
  render(head: string): Promise<Buffer>;
}

/** The `/metrics` body: the registry's metrics, then the block's (no family in both). */
export async function renderMetrics(
  registry: Registry,
  block?: MetricsBlock,
): Promise<{ contentType: string; body: string | Buffer }> {
  const head = await registry.metrics();
  return { contentType: registry.contentType, body: block ? await block.render(head) : head };
}
