import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentedMetrics } from './documentedMetrics.js';
import { familyOf, parseExposition, type Exposition } from './metrics/exposition.js';
import { everyFamilyLines, HUB_CONFIG, SCENARIO_YAML } from './support/scenario.js';
import { startSamon, type RunningSamon } from './support/samonService.js';

// docs/metrics.md and what samon exports cannot drift apart: `samon run` (collect and project
// roles) is fed a scenario that gives every family a series, and its scrape is compared with
// the documented metric set, both ways.

/** Documented metrics the scenario's samon does not export, and why. */
const NOT_EXPORTED: Readonly<Record<string, string>> = {
  samon_snmp_polls_total: 'registered only when snmp has targets or traps; the scenario has none',
  samon_snmp_poll_duration_seconds: 'the same',
  samon_snmp_decode_errors_total: 'the same',
  samon_snmp_traps_total: 'the same',
  samon_snmp_traps_rejected_total: 'the same',
};

let samon: RunningSamon;
let scrape: Exposition;
const documented = documentedMetrics();
const expected = documented.filter((m) => !(m.name in NOT_EXPORTED));

/** The samon_* families of a scrape that have at least one sample. */
function withSamples(exposition: Exposition): Set<string> {
  return new Set(
    exposition.samples
      .map((s) => familyOf(s.name, exposition.types))
      .filter((name) => name.startsWith('samon_')),
  );
}

beforeAll(async () => {
  samon = await startSamon({ yaml: SCENARIO_YAML, files: { 'srx-hub.conf': HUB_CONFIG } });
  await samon.send(everyFamilyLines());
  const text = await samon.scrapeUntil((t) => {
    const seen = withSamples(parseExposition(t));
    return expected.every((m) => seen.has(m.name));
  });
  scrape = parseExposition(text);
}, 60_000);

afterAll(async () => {
  expect(await samon.stop()).toBe(0);
});

describe('docs/metrics.md and the scrape of samon run', () => {
  it('documents every exported samon_* metric, with its type', () => {
    const exported = [...scrape.types].filter(([name]) => name.startsWith('samon_'));
    const types = new Map(documented.map((m) => [m.name, m.type]));
    for (const [name, type] of exported) {
      expect(types.has(name), `${name} is exported but not in docs/metrics.md`).toBe(true);
      expect(types.get(name), name).toBe(type);
    }
    expect(exported.map(([name]) => name).sort()).toEqual(expected.map((m) => m.name).sort());
  });

  it('exports every documented metric, each with at least one series', () => {
    const seen = withSamples(scrape);
    const missing = expected.map((m) => m.name).filter((name) => !seen.has(name));
    expect(missing).toEqual([]);
  });

  it('lists as not exported only documented metrics that really are absent', () => {
    for (const name of Object.keys(NOT_EXPORTED)) {
      expect(documented.map((m) => m.name)).toContain(name);
      expect(scrape.types.has(name), `${name} is exported now: remove it from NOT_EXPORTED`).toBe(
        false,
      );
    }
  });
});
