import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// Runs the built CLI (`npm test` builds first): `samon lint` as contracts.md describes it.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = 'test/fixtures/junos/';
const run = promisify(execFile);

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function samon(...args: string[]): Promise<Result> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/samon.js', ...args], {
      cwd: ROOT,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const dir = mkdtempSync(join(tmpdir(), 'samon-lint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function temp(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const BAD = `security {
    ike {
        proposal weak {
            authentication-method pre-shared-keys;
            dh-group group2;
            authentication-algorithm md5;
            encryption-algorithm 3des-cbc;
            lifetime-seconds 100;
        }
        policy pol {
            mode aggressive;
            proposals [ weak missing ];
            pre-shared-key ascii-text "CANARY-PSK-7f3a";
        }
        gateway gw {
            ike-policy pol;
            address 192.0.2.2;
            local-address 192.0.2.1;
        }
    }
    ipsec {
        vpn v {
            ike {
                gateway gw;
                ipsec-policy nope;
            }
        }
    }
}
`;

const LINE = /^[^:]+:\d+: (error|warning|info): [a-z0-9-]+: .+$/;

describe('samon lint', () => {
  it('clean files: exit 0, only info lines, in the contract format', async () => {
    const r = await samon('lint', `${FIXTURES}srx-hub.conf`, `${FIXTURES}mx-pe.set`);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toEqual([
      `${FIXTURES}srx-hub.conf:3: info: apply-groups-unexpanded: apply-groups common is not expanded: statements inherited from group common are not checked or monitored; check with \`show configuration | display inheritance\` and lint that output`,
    ]);
    for (const line of lines) expect(line).toMatch(LINE);
  });

  it('errors: exit 1, file:line: severity: rule: message', async () => {
    const file = temp('bad.conf', BAD);
    const r = await samon('lint', file);
    expect(r.code).toBe(1);
    const found = r.stdout
      .trimEnd()
      .split('\n')
      .map((line) => {
        expect(line).toMatch(LINE);
        expect(line.startsWith(`${file}:`)).toBe(true);
        const [lineNo, severity, rule] = line.slice(file.length + 1).split(': ');
        return `${lineNo} ${severity} ${rule}`;
      });
    expect(found).toEqual([
      '5 warning weak-dh-group',
      '6 warning weak-authentication',
      '7 warning weak-encryption',
      '8 error lifetime-out-of-range',
      '11 warning aggressive-mode',
      '12 error undefined-proposal',
      '25 error undefined-policy',
    ]);
    expect(r.stdout).not.toContain('CANARY');
  });

  it('--format json: one object per line with file, line, severity, rule, message', async () => {
    const file = temp(
      'bad.set',
      'set security ike proposal p dh-group group1\nset security ike proposal p lifetime-seconds 90\n',
    );
    const r = await samon('lint', '--format', 'json', file);
    expect(r.code).toBe(1);
    const objects = r.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const o of objects)
      expect(Object.keys(o)).toEqual(['file', 'line', 'severity', 'rule', 'message']);
    expect(objects.map((o) => [o['file'], o['line'], o['severity'], o['rule']])).toEqual([
      [file, 1, 'warning', 'unused-proposal'],
      [file, 1, 'warning', 'weak-dh-group'],
      [file, 1, 'warning', 'weak-encryption'],
      [file, 2, 'error', 'lifetime-out-of-range'],
    ]);
  });

  it('unreadable input: exit 2, reported on stderr, readable files still linted', async () => {
    const r = await samon('lint', join(dir, 'missing.conf'), `${FIXTURES}mx-pe.conf`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot read ${join(dir, 'missing.conf')}: ENOENT`);
    const dirRun = await samon('lint', dir);
    expect(dirRun.code).toBe(2);
  });

  it('no file: usage error, exit 2', async () => {
    expect((await samon('lint')).code).toBe(2);
  });
});

describe('samon lint --pair', () => {
  it('matching ends: exit 0 and the predicted outcome as info lines', async () => {
    const r = await samon(
      'lint',
      '--pair',
      `${FIXTURES}srx-hub.conf`,
      `${FIXTURES}pair/srx-branch7.conf`,
    );
    expect(r.code).toBe(0);
    const outcomes = r.stdout.split('\n').filter((l) => l.includes(': info: pair-outcome: '));
    expect(outcomes).toHaveLength(2);
    expect(outcomes[0]).toMatch(/IPsec SA hard lifetime 1800 s/);
  });

  it('mismatching ends: exit 1 with pair-* errors, in both formats', async () => {
    const branch = temp(
      'branch7.conf',
      readFileSync(join(ROOT, FIXTURES, 'pair/srx-branch7.conf'), 'utf8').replace(
        'keys group14',
        'keys group19',
      ),
    );
    const text = await samon('lint', '--pair', `${FIXTURES}srx-hub.conf`, branch);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(
      /srx-hub\.conf:166: error: pair-pfs-mismatch: when srx-hub1 vpn-branch7 initiates: /,
    );
    const json = await samon(
      'lint',
      '--pair',
      '--format',
      'json',
      `${FIXTURES}srx-hub.conf`,
      branch,
    );
    expect(json.code).toBe(1);
    const rules = json.stdout
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { rule: string }).rule);
    expect(rules).toContain('pair-pfs-mismatch');
    expect(rules).toContain('pair-outcome');
  });

  it('--tunnel chooses the tunnels; a bad --tunnel or a wrong number of files is a usage error', async () => {
    const named = await samon(
      'lint',
      '--pair',
      '--tunnel',
      'vpn-branch9:vpn-hub',
      `${FIXTURES}srx-hub.conf`,
      `${FIXTURES}pair/srx-branch7.conf`,
    );
    expect(named.code).toBe(0);
    expect(named.stdout).toContain('srx-hub1 vpn-branch9 initiates to srx-branch7 vpn-hub');
    expect((await samon('lint', '--pair', `${FIXTURES}srx-hub.conf`)).code).toBe(2);
    expect(
      (
        await samon(
          'lint',
          '--pair',
          '--tunnel',
          'nocolon',
          `${FIXTURES}srx-hub.conf`,
          `${FIXTURES}mx-pe.conf`,
        )
      ).code,
    ).toBe(2);
    expect((await samon('lint', '--tunnel', 'a:b', `${FIXTURES}srx-hub.conf`)).code).toBe(2);
  });
});

describe('secrets', () => {
  it('no canary reaches stdout or stderr, in any format or mode, even for malformed input', async () => {
    const broken = temp(
      'broken.conf',
      'security {\n    ike {\n        policy p {\n            pre-shared-key ascii-text "CANARY-PSK-7f3a\n            pre-shared-key ascii-text $9$CANARYxyz\n        }\n',
    );
    const runs = await Promise.all([
      samon(
        'lint',
        `${FIXTURES}srx-hub.conf`,
        `${FIXTURES}srx-hub.set`,
        `${FIXTURES}mx-pe.conf`,
        `${FIXTURES}mx-pe.set`,
        broken,
      ),
      samon('lint', '--format', 'json', `${FIXTURES}srx-hub.conf`, `${FIXTURES}mx-pe.set`, broken),
      samon('lint', '--pair', `${FIXTURES}srx-hub.conf`, `${FIXTURES}pair/srx-branch7.conf`),
      samon('lint', '--pair', '--format', 'json', broken, `${FIXTURES}mx-pe.conf`),
    ]);
    const broke = runs[0]?.stdout ?? '';
    expect(broke).toMatch(/broken\.conf:\d+: error: parse-/);
    for (const r of runs) {
      for (const canary of ['CANARY', '$9$', '$6$', '7f3a']) {
        expect(r.stdout).not.toContain(canary);
        expect(r.stderr).not.toContain(canary);
      }
    }
  });
});
