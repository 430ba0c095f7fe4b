import { describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '../../../src/domain/index.js';
import {
  codeBlock,
  codeSpan,
  escapeMarkdown,
  fit,
  renderMarkdown,
  renderTable,
} from '../../../src/project/render/index.js';

const RAW =
  '<30>Nov 27 10:00:01 srx1 kmd[1555]: KMD_PM_SA_ESTABLISHED: Local gateway: 192.0.2.1, Remote gateway: 198.51.100.7, Direction: inbound, SPI: 0x2000aaaa';

const rekeyed: LifecycleEvent = {
  v: 1,
  id: 'srx1:12',
  type: 'IpsecSaRekeyed',
  at: '2026-11-27T10:00:01.000Z',
  router: 'srx1',
  tunnel: 'srx1/vpn-a',
  inferred: false,
  evidence: [RAW],
  data: {
    direction: 'inbound',
    oldSpi: '0x1000aaaa',
    newSpi: '0x2000aaaa',
    leadSeconds: 25_199,
    outcome: 'on-time',
  },
};

const expired: LifecycleEvent = {
  v: 1,
  type: 'IpsecSaExpired',
  at: '2026-11-27T18:00:01.000Z',
  router: 'srx1',
  tunnel: 'srx1/192.0.2.1~198.51.100.7-with-a-very-long-provisional-id',
  inferred: true,
  evidence: [RAW, 'observation srx1:41 with ``` three backticks'],
  data: { direction: 'inbound', spi: '0x2000aaaa' },
};

const configChanged: LifecycleEvent = {
  v: 1,
  type: 'ConfigChanged',
  at: '2026-11-27T11:00:00.000Z',
  router: 'srx1',
  inferred: false,
  evidence: [],
  data: { summary: `IPsec proposal p1 changed | lifetime *28800* → 3600 ${'x'.repeat(200)}` },
};

describe('renderTable', () => {
  it('aligns time, event, how and details under a header', () => {
    const lines = renderTable([rekeyed, expired]).split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toMatch(/^TIME \(UTC\) {15}EVENT {19}HOW {7}DETAILS$/);
    expect(lines[1]).toMatch(
      /^2026-11-27 10:00:01\.000 {2}IpsecSaRekeyed {10}observed {2}inbound 0x1000aaaa → 0x2000aaaa, on-time/,
    );
    expect(lines[2]).toMatch(/^2026-11-27 18:00:01\.000 {2}IpsecSaExpired {10}inferred {2}inbound/);
    const detailsAt = lines[0]!.indexOf('DETAILS');
    expect(lines[1]!.indexOf('inbound')).toBe(detailsAt);
    expect(lines[2]!.indexOf('inbound')).toBe(detailsAt);
  });

  it('fits every line into the width, cutting details and long tunnel ids', () => {
    for (const [width, cut] of [
      [120, 'srx1/192.0.2.1~198.51.100.7…'],
      [80, 'srx1/…'],
    ] as const) {
      const table = renderTable([rekeyed, expired, configChanged], { width, tunnel: true });
      const lines = table.trimEnd().split('\n');
      for (const line of lines) expect([...line].length).toBeLessThanOrEqual(width);
      expect(lines[0]).toMatch(/^TIME \(UTC\)\s+TUNNEL\s+EVENT\s+HOW\s+DETAILS$/);
      expect(lines[3]).toMatch(/…$/);
      expect(lines[2]).toContain(`  ${cut}  IpsecSaExpired`);
      // A router event has no tunnel: its router stands in.
      expect(lines[3]).toMatch(/^2026-11-27 11:00:00\.000 {2}srx1 /);
    }
  });

  it('cuts text with an ellipsis only when it is too long', () => {
    expect(fit('abcdef', 6)).toBe('abcdef');
    expect(fit('abcdef', 4)).toBe('abc…');
    expect(fit('→→→→', 3)).toBe('→→…');
    expect(fit('abc', 0)).toBe('');
  });
});

describe('renderMarkdown', () => {
  const markdown = renderMarkdown([rekeyed, configChanged, expired], {
    tunnel: 'srx1/vpn-a',
    aliases: ['srx1/192.0.2.1~198.51.100.7'],
    from: '2026-11-27T09:00:00.000Z',
    to: '2026-11-27T19:00:00.000Z',
  });
  const lines = markdown.split('\n');

  it('starts with a heading and says what the section covers', () => {
    expect(lines[0]).toBe('## Tunnel `srx1/vpn-a`');
    expect(lines[2]).toContain(
      '3 lifecycle events from 2026-11-27T09:00:00.000Z to 2026-11-27T19:00:00.000Z',
    );
    expect(lines[2]).toContain('Also known as `srx1/192.0.2.1~198.51.100.7`');
    expect(markdown.endsWith('\n')).toBe(true);
    expect(markdown.endsWith('\n\n')).toBe(false);
  });

  it('tabulates every event on one row whose cells cannot break the table', () => {
    const rows = lines.filter((line) => /^\| \d+ \|/.test(line));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(
      /^\| 1 \| 2026-11-27 10:00:01\.000 \| `srx1\/vpn-a` \| IPsec SA rekeyed \| /,
    );
    expect(rows[2]).toContain('IPsec SA expired *(inferred)*');
    // Unescaped pipes split cells: each row has as many as the header.
    const cells = (line: string) => line.replace(/\\\|/g, '').split('|').length;
    for (const row of rows) expect(cells(row)).toBe(cells(lines[4]!));
    expect(rows[1]).toContain('changed \\| lifetime \\*28800\\* → 3600');
  });

  it('puts each event’s evidence in a code block that its content cannot close', () => {
    const evidence = markdown.slice(markdown.indexOf('### Evidence'));
    expect(evidence).toContain(
      `1. 2026-11-27 10:00:01.000, IPsec SA rekeyed:\n\n\`\`\`\n${RAW}\n\`\`\``,
    );
    expect(evidence).toContain(
      '2. 2026-11-27 11:00:00.000, configuration changed:\n\n_No evidence recorded._',
    );
    expect(evidence).toContain(
      `\`\`\`\`\n${RAW}\nobservation srx1:41 with \`\`\` three backticks\n\`\`\`\``,
    );
  });

  it('says so when there is nothing to show', () => {
    const empty = renderMarkdown([], { tunnel: 'srx1/vpn-a' });
    expect(empty).toMatch(/^## Tunnel `srx1\/vpn-a`\n\n0 lifecycle events over the whole log/);
    expect(empty).not.toContain('|');
  });
});

describe('Markdown helpers', () => {
  it('escapes what GitHub Markdown would act on, and flattens whitespace', () => {
    expect(escapeMarkdown('a|b *c* _d_ `e` ~f~ <g> #h\nnext')).toBe(
      'a\\|b \\*c\\* \\_d\\_ \\`e\\` \\~f\\~ \\<g\\> \\#h next',
    );
  });

  it('makes code spans and blocks longer than any backtick run inside', () => {
    expect(codeSpan('plain')).toBe('`plain`');
    expect(codeSpan('a`b')).toBe('`` a`b ``');
    expect(codeBlock(['x'])).toBe('```\nx\n```');
    expect(codeBlock(['````'])).toBe('`````\n````\n`````');
  });
});
