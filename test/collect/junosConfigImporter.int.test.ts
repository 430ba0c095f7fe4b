import { mkdtempSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  importJunosConfig,
  junosConfigObservation,
} from '../../src/collect/junosConfigImporter.js';
import { watchJunosConfig, type JunosConfigWatcher } from '../../src/collect/junosConfigWatcher.js';
import type { ImportedJunosConfig } from '../../src/collect/junosConfigImporter.js';
import { Observation } from '../../src/domain/observation.js';
import { parseJunosConfig } from '../../src/junos/config/index.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/junos/', import.meta.url));
const HUB = readFileSync(join(FIXTURES, 'srx-hub.conf'), 'utf8');
const NOW = Date.parse('2026-11-27T09:18:51.000Z');

let dir: string;
let file: string;
const watchers: JunosConfigWatcher[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'samon-junos-'));
  file = join(dir, 'srx-hub.conf');
  writeFileSync(file, HUB);
});

afterEach(() => {
  for (const w of watchers.splice(0)) w.close();
  rmSync(dir, { recursive: true, force: true });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(20);
  }
}

describe('importJunosConfig', () => {
  it('reads a file into a valid junos-config observation named after the host name', async () => {
    const { observation, problems, modelHash } = await importJunosConfig(file, { now: () => NOW });
    expect(Observation.parse(observation)).toEqual(observation);
    expect(observation).toMatchObject({
      v: 1,
      kind: 'junos-config',
      router: 'srx-hub1',
      time: '2026-11-27T09:18:51.000Z',
      receivedAt: '2026-11-27T09:18:51.000Z',
      source: 'config',
      raw: `junos-config ${file} sha256:${modelHash}`,
    });
    expect(modelHash).toMatch(/^[0-9a-f]{64}$/);
    expect(observation.data).toEqual(parseJunosConfig(HUB).model);
    expect(problems.map((p) => p.rule)).toEqual(['apply-groups-unexpanded']);
  });

  it('never carries the configuration text or a secret', async () => {
    const imported = await importJunosConfig(file);
    const text = JSON.stringify(imported);
    for (const canary of ['CANARY', '$9$', '$6$', '7f3a', 'ascii-text "'])
      expect(text).not.toContain(canary);
    expect(imported.observation.raw).not.toContain('security');
  });

  it('uses the configured router name first, and the file name when there is neither', () => {
    expect(junosConfigObservation(HUB, file, { router: 'hub-a' }).observation.router).toBe('hub-a');
    const anonymous = junosConfigObservation('security { ike { } }', '/etc/samon/edge-12.conf');
    expect(anonymous.observation.router).toBe('edge-12');
    expect(anonymous.problems).toContainEqual(
      expect.objectContaining({ rule: 'router-name-from-file', severity: 'warning' }),
    );
  });

  it('hashes the model, not the text: a comment changes nothing, a lifetime does', () => {
    const base = junosConfigObservation(HUB, file).modelHash;
    expect(junosConfigObservation(`# reviewed\n${HUB}`, file).modelHash).toBe(base);
    expect(
      junosConfigObservation(HUB.replace('lifetime-seconds 3600', 'lifetime-seconds 1800'), file)
        .modelHash,
    ).not.toBe(base);
  });

  it('rejects when the file cannot be read', async () => {
    await expect(importJunosConfig(join(dir, 'missing.conf'))).rejects.toThrow(/ENOENT/);
  });
});

describe('watchJunosConfig', () => {
  it('reports the first model, then only models that changed', async () => {
    const seen: ImportedJunosConfig[] = [];
    const watcher = watchJunosConfig(file, { debounceMs: 50, onChange: (i) => seen.push(i) });
    watchers.push(watcher);
    await watcher.ready;
    expect(seen).toHaveLength(1);

    writeFileSync(file, `## touched, same model\n${HUB}`);
    await sleep(400);
    expect(seen).toHaveLength(1);

    writeFileSync(file, HUB.replace('lifetime-seconds 3600', 'lifetime-seconds 1800'));
    await until(() => seen.length === 2);
    const changed = seen[1]?.observation.data as {
      ipsecProposals: { lifetimeSeconds: { value: number } }[];
    };
    expect(changed.ipsecProposals[0]?.lifetimeSeconds.value).toBe(1800);
  });

  it('follows a file replaced by rename (editors, scp)', async () => {
    const seen: ImportedJunosConfig[] = [];
    const watcher = watchJunosConfig(file, { debounceMs: 50, onChange: (i) => seen.push(i) });
    watchers.push(watcher);
    await watcher.ready;
    const temp = join(dir, '.srx-hub.conf.tmp');
    writeFileSync(temp, HUB.replace('host-name srx-hub1', 'host-name srx-hub2'));
    renameSync(temp, file);
    await until(() => seen.length === 2);
    expect(seen[1]?.observation.router).toBe('srx-hub2');
  });

  it('reloads on demand (SIGHUP) and keeps the last model when the file is unreadable', async () => {
    const seen: ImportedJunosConfig[] = [];
    const errors: Error[] = [];
    const watcher = watchJunosConfig(file, {
      watchFiles: false,
      onChange: (i) => seen.push(i),
      onError: (e) => errors.push(e),
    });
    watchers.push(watcher);
    await watcher.ready;
    expect(await watcher.reload()).toBeUndefined();

    writeFileSync(file, HUB.replace('keys group14', 'keys group19'));
    const reloaded = await watcher.reload();
    expect(reloaded?.modelHash).not.toBe(seen[0]?.modelHash);
    expect(seen).toHaveLength(2);

    rmSync(file);
    expect(await watcher.reload()).toBeUndefined();
    expect(errors.map((e) => (e as NodeJS.ErrnoException).code)).toEqual(['ENOENT']);

    writeFileSync(file, HUB.replace('keys group14', 'keys group19'));
    expect(await watcher.reload()).toBeUndefined();
    expect(seen).toHaveLength(2);
  });

  it('stops reporting after close', async () => {
    const seen: ImportedJunosConfig[] = [];
    const watcher = watchJunosConfig(file, { debounceMs: 20, onChange: (i) => seen.push(i) });
    await watcher.ready;
    watcher.close();
    writeFileSync(file, HUB.replace('lifetime-seconds 3600', 'lifetime-seconds 900'));
    await sleep(200);
    expect(await watcher.reload()).toBeUndefined();
    expect(seen).toHaveLength(1);
  });
});
