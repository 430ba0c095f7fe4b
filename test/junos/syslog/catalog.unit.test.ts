import { describe, expect, it } from 'vitest';
import { Observation } from '../../../src/domain/observation.js';
import { BUILT_IN_ENTRIES, Catalog } from '../../../src/junos/catalog/index.js';
import { createSyslogParser } from '../../../src/junos/syslog/index.js';
import { MESSAGES } from '../../fixtures/syslog/messages.js';
import { HOST, render } from '../../fixtures/syslog/render.js';

const parse = createSyslogParser({ year: 2026 });

describe('the built-in catalog', () => {
  it('has a fixture for every entry', () => {
    const covered = new Set(MESSAGES.map((m) => m.entry));
    const missing = BUILT_IN_ENTRIES.map((e) => e.id).filter((id) => !covered.has(id));
    expect(missing).toEqual([]);
  });

  it('has unique ids and one evidence level per entry', () => {
    const ids = BUILT_IN_ENTRIES.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const entry of BUILT_IN_ENTRIES) {
      expect(['V', 'R', 'D', 'assumed']).toContain(entry.evidence);
    }
  });

  it('marks every entry that no public source backs as assumed, and dispatches them on text only', () => {
    const assumed = BUILT_IN_ENTRIES.filter((e) => e.evidence === 'assumed');
    expect(assumed.map((e) => e.kind).sort()).toEqual([
      'certificate-check-failed',
      'certificate-check-failed',
      'certificate-check-failed',
      'certificate-check-failed',
      'invalid-spi',
    ]);
    for (const entry of assumed) {
      expect(entry.id.startsWith('assumed-')).toBe(true);
      expect(entry.tag).toBeUndefined();
    }
  });

  it('dispatches each fixture to the entry it was written for', () => {
    const catalog = new Catalog();
    for (const m of MESSAGES) {
      const found = catalog.match({
        program: m.program ?? 'kmd',
        tag: m.tag ?? '',
        text: m.text,
        sd: undefined,
      });
      expect(found?.entry.id, m.text).toBe(m.entry);
    }
  });
});

describe.each(MESSAGES.map((m) => [`${m.entry}: ${m.text.slice(0, 50)}`, m] as const))(
  '%s',
  (_name, message) => {
    it.each(render(message).map((r) => [r.form, r] as const))('in %s form', (_form, rendered) => {
      const observation = parse(rendered.line);
      expect(observation.kind).toBe(message.kind);
      expect(observation.router).toBe(HOST);
      expect(observation.time).toBe(rendered.time);
      expect(observation.raw).toBe(rendered.line);
      expect(observation.source).toBe('syslog');
      expect(observation.data).toEqual(rendered.sdOnly ? message.sdData : message.data);
      expect(Observation.safeParse(observation).success).toBe(true);
    });
  },
);
