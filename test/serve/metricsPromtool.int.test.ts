import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExposition } from './metrics/exposition.js';
import { everyFamilyLines, HUB_CONFIG, SCENARIO_YAML } from './support/scenario.js';
import { startSamon, type RunningSamon } from './support/samonService.js';

// A real scrape of `samon run`, with a series in every family, through `promtool check
// metrics` (Debian's prometheus package): Prometheus' own parser and linter.

let samon: RunningSamon;
let text: string;

beforeAll(async () => {
  samon = await startSamon({ yaml: SCENARIO_YAML, files: { 'srx-hub.conf': HUB_CONFIG } });
  await samon.send(everyFamilyLines());
  text = await samon.scrapeUntil(
    (t) =>
      t.includes('samon_invalid_spi_episode_start_timestamp_seconds{') &&
      t.includes('samon_ipsec_sa_expirations_total{') &&
      t.includes('samon_tunnel_last_rekey_lead_seconds{'),
  );
}, 60_000);

afterAll(async () => {
  expect(await samon.stop()).toBe(0);
});

function promtool(input: string): { status: number | null; output: string } {
  const result = spawnSync('promtool', ['check', 'metrics'], { input, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('promtool check metrics on a scrape', () => {
  it('parses the whole scrape and finds no problem with any samon metric', () => {
    expect(parseExposition(text).samples.length).toBeGreaterThan(100);
    const { status, output } = promtool(text);
    // 0: clean; 3: lint problems, allowed only for prom-client's own nodejs_* defaults
    expect([0, 3], output).toContain(status);
    const problems = output.split('\n').filter(Boolean);
    expect(problems.filter((line) => !line.startsWith('nodejs_'))).toEqual([]);
  });

  it('passes without a single remark on the samon_ families alone', () => {
    const samonOnly = text
      .split('\n')
      .filter((line) => /^(# (HELP|TYPE) )?samon_/.test(line))
      .join('\n');
    expect(promtool(`${samonOnly}\n`)).toEqual({ status: 0, output: '' });
  });

  it('rejects what a broken renderer would produce (the check can fail)', () => {
    expect(promtool('# TYPE samon_x gauge\nsamon_x{a="1} 1\n').status).toBe(1);
  });
});
