import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { forEachLine } from '../../src/cli/commands/parse.js';
import { Observation } from '../../src/domain/observation.js';
import { createSyslogParser } from '../../src/junos/syslog/index.js';
import { MESSAGES } from '../fixtures/syslog/messages.js';
import { render } from '../fixtures/syslog/render.js';
import { REPO_ROOT, runSamon, type SamonRun } from '../support/runSamon.js';
import { SAMON_BIN } from '../support/samonProcess.js';

// Runs the built CLI (`npm test` builds first; by hand: npm run build).
const dir = mkdtempSync(join(tmpdir(), 'samon-parse-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const samon = (args: string[], stdin?: string | Buffer): Promise<SamonRun> =>
  runSamon(args, { stdin });

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const ndjson = (text: string): unknown[] =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown);

const fixtures = MESSAGES.flatMap((m) => render(m).map((r) => ({ m, r })));

describe('samon parse', () => {
  it('prints one observation per line, in order, as the parser makes them', async () => {
    // LF and CRLF endings, a last line without newline.
    const content = fixtures
      .map(({ r }, i) => r.line + (i % 3 === 0 ? '\r\n' : '\n'))
      .join('')
      .replace(/\r?\n$/, '');
    const path = file('fixtures.log', content);
    const run = await samon(['parse', '--year', '2026', path]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = ndjson(run.stdout);
    expect(out).toHaveLength(fixtures.length);
    const parse = createSyslogParser({ year: 2026 });
    out.forEach((o, i) => {
      const { m, r } = fixtures[i]!;
      expect(o).toEqual(JSON.parse(JSON.stringify(parse(r.line))));
      expect(o).toMatchObject({ v: 1, kind: m.kind, raw: r.line, time: r.time, source: 'syslog' });
      expect(o).not.toHaveProperty('receivedAt');
      expect(Observation.safeParse(o).success).toBe(true);
    });
  });

  it('prints the contract field order', async () => {
    const run = await samon(['parse', '--year', '2026', '-'], `${fixtures[0]!.r.line}\n`);
    expect(Object.keys(JSON.parse(run.stdout) as object)).toEqual([
      'v',
      'kind',
      'router',
      'time',
      'source',
      'raw',
      'data',
    ]);
  });

  it('reads stdin with - and with no file, and keeps unrecognized and ignored lines', async () => {
    const input =
      'Aug  3 10:18:44 srx1 kmd[1]: KMD_NEW_THING: x\nAug  3 10:18:44 srx1 sshd[2]: hello\nnot syslog\n';
    for (const args of [['parse', '-'], ['parse']]) {
      const run = await samon(args, input);
      expect(run.code).toBe(0);
      expect(ndjson(run.stdout).map((o) => (o as { kind: string; data: unknown }).data)).toEqual([
        { program: 'kmd', tag: 'KMD_NEW_THING' },
        { program: 'sshd' },
        { program: '' },
      ]);
    }
  });

  it('--stats prints the count per kind to stderr', async () => {
    const path = file('stats.log', `${fixtures.map(({ r }) => r.line).join('\n')}\nnoise\n`);
    const run = await samon(['parse', '--stats', '--year', '2026', path]);
    expect(run.code).toBe(0);
    const counts = new Map<string, number>();
    for (const { m } of fixtures) counts.set(m.kind, (counts.get(m.kind) ?? 0) + 1);
    counts.set('unrecognized', 1);
    const printed = new Map(
      run.stderr
        .trim()
        .split('\n')
        .map((line) => line.trim().split(/\s+/))
        .map(([kind, count]) => [kind, Number(count)] as const),
    );
    expect(printed.get('total')).toBe(fixtures.length + 1);
    printed.delete('total');
    expect(printed).toEqual(counts);
    expect(ndjson(run.stdout)).toHaveLength(fixtures.length + 1);
  });

  it('infers the year of year-less stamps from the file modification time', async () => {
    const path = file(
      'old.log',
      'Dec 31 23:59:58 srx1 kmd[1]: Config download time: 0 seconds\nJan  1 00:00:02 srx1 kmd[1]: Config download time: 0 seconds\n',
    );
    utimesSync(path, new Date('2021-01-01T00:10:00Z'), new Date('2021-01-01T00:10:00Z'));
    const run = await samon(['parse', path]);
    expect(ndjson(run.stdout).map((o) => (o as { time: string }).time)).toEqual([
      '2020-12-31T23:59:58.000Z',
      '2021-01-01T00:00:02.000Z',
    ]);
  });

  it('reads zone-less stamps in --tz', async () => {
    const run = await samon(
      ['parse', '--year', '2026', '--tz', 'Europe/Paris'],
      'Jul  1 10:00:00 srx1 kmd[1]: Config download time: 0 seconds\n',
    );
    expect((JSON.parse(run.stdout) as { time: string }).time).toBe('2026-07-01T08:00:00.000Z');
  });

  it('applies operator catalog entries from --config', async () => {
    const config = file(
      'samon.yaml',
      [
        'syslog:',
        '  catalog:',
        '    - id: crl-refresh',
        '      programs: [pkid]',
        "      pattern: '^CRL refresh for (?<caProfile>\\S+) failed'",
        '      kind: certificate-check-failed',
        '      set: { check: crl-download }',
      ].join('\n'),
    );
    const run = await samon(
      ['parse', '--year', '2026', '--config', config],
      'Jul  1 10:00:00 r1 pkid[5]: CRL refresh for Root-CA failed\n',
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      kind: 'certificate-check-failed',
      data: { check: 'crl-download', caProfile: 'Root-CA' },
    });
  });

  it.each([
    [['parse', join(dir, 'missing.log')], /missing\.log: cannot read \(no such file\)/],
    [['parse', dir], /is a directory/],
    [['parse', '--year', '26', '-'], /--year/],
    [['parse', '--tz', 'Mars/Olympus', '-'], /unknown time zone "Mars\/Olympus"/],
    [['parse', '--config', join(dir, 'nope.yaml'), '-'], /cannot read config file/],
  ])('exits 2 on unusable arguments: %j', async (args, message) => {
    const run = await samon(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('exits 2 and names the entry of an invalid operator pattern', async () => {
    const config = file(
      'bad.yaml',
      "syslog:\n  catalog:\n    - id: x\n      pattern: '(a+)+$'\n      kind: dpd-peer-dead\n",
    );
    const run = await samon(['parse', '--config', config, '-']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/syslog\.catalog\.0\.pattern: refused: nested quantifier/);
  });

  it('keeps the line count of arbitrary bytes, and decodes invalid UTF-8 with replacement', async () => {
    const bytes = Buffer.concat([
      Buffer.from('Aug  3 10:18:44 srx1 kmd[1]: x', 'utf8'),
      Buffer.from([0xff, 0xfe, 0x0d, 0x0a, 0x00, 0x0d, 0x41, 0x0a, 0x0a, 0xc3]),
    ]);
    const run = await samon(['parse', '-'], bytes);
    expect(run.code).toBe(0);
    const raws = ndjson(run.stdout).map((o) => (o as { raw: string }).raw);
    expect(raws).toEqual(['Aug  3 10:18:44 srx1 kmd[1]: x\uFFFD\uFFFD', '\u0000\rA', '', '\uFFFD']);
  });

  it('streams a large file', async () => {
    const line = fixtures[0]!.r.line;
    const count = 100_000;
    const path = file('large.log', `${line}\n`.repeat(count));
    const run = await samon(['parse', '--stats', '--year', '2026', path]);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').length - 1).toBe(count);
    expect(run.stderr).toMatch(new RegExp(`total\\s+${count}`));
  });

  it('stops quietly when the reader goes away', async () => {
    const path = file('big.log', `${fixtures[0]!.r.line}\n`.repeat(200_000));
    const code = await new Promise<number | null>((done) => {
      const child = spawn(process.execPath, [SAMON_BIN, 'parse', path], { cwd: REPO_ROOT });
      child.stdout.once('data', () => child.stdout.destroy());
      child.on('close', done);
    });
    expect(code).toBe(0);
  });
});

describe('line splitting', () => {
  const split = async (chunks: Buffer[]): Promise<string[]> => {
    const lines: string[] = [];
    await forEachLine(
      Readable.from(chunks),
      (line) => lines.push(line),
      () => Promise.resolve(),
      () => false,
    );
    return lines;
  };

  it('preserves the line count of any input, however it is chunked', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.constantFrom('\n', '\r\n', '\r', 'é', '\uFFFD', 'kmd'),
            fc.string({ maxLength: 20 }),
          ),
          { maxLength: 40 },
        ),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 10 }),
        async (parts, sizes) => {
          const bytes = Buffer.from(parts.join(''), 'utf8');
          const chunks: Buffer[] = [];
          for (let at = 0, k = 0; at < bytes.length; k++) {
            const size = sizes[k % sizes.length]!;
            chunks.push(bytes.subarray(at, at + size));
            at += size;
          }
          const text = bytes.toString('utf8');
          const expected =
            text === ''
              ? []
              : text
                  .replace(/\n$/, '')
                  .split('\n')
                  .map((l) => l.replace(/\r$/, ''));
          expect(await split(chunks)).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('preserves the line count end to end through the CLI', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: 'binary', maxLength: 60 }), { minLength: 1, maxLength: 30 }),
        async (lines) => {
          const input = lines.map((l) => l.replace(/[\n]/g, ' ')).join('\n');
          const run = await samon(['parse', '-'], input);
          expect(run.code).toBe(0);
          const expected = input === '' ? 0 : input.replace(/\n$/, '').split('\n').length;
          expect(run.stdout.split('\n').length - 1).toBe(expected);
        },
      ),
      { numRuns: 5 },
    );
  });
});
