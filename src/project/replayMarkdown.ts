import type { LifecycleEvent } from '../domain/lifecycle.js';
import type { TunnelStateRow } from '../domain/sa/index.js';
import { describe, humanTime, title } from './replayFormat.js';

// The postmortem document of `samon replay --format markdown`: what went wrong at the top, then
// one section per tunnel with its timeline and the raw lines it was built from, then the
// router-level events. Written for a person; deterministic for a machine.

export interface PostmortemInput {
  readonly events: readonly LifecycleEvent[];
  readonly rows: readonly TunnelStateRow[];
  readonly files: readonly string[];
  readonly lines: number;
  readonly kinds: Readonly<Record<string, number>>;
  readonly fromMs: number | undefined;
  readonly toMs: number | undefined;
}

const iso = (ms: number | undefined) =>
  ms === undefined ? '?' : humanTime(new Date(ms).toISOString());
const clock = (at: string) => humanTime(at).replace(/\.000$/, '');
const cell = (text: string) =>
  text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const code = (text: string) => `\`${text.replace(/`/g, 'ˋ')}\``;

function fenced(lines: readonly string[]): string {
  let longest = 2;
  for (const line of lines)
    for (const run of line.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${lines.join('\n')}\n${fence}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function durationText(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h} h ${m} min` : `${m} min`;
}

interface TunnelStory {
  readonly id: string;
  readonly events: LifecycleEvent[];
  /** What went wrong, in time order. */
  readonly problems: string[];
  readonly counts: {
    downs: number;
    failures: number;
    rekeyIssues: number;
    expiries: number;
    invalidSpi: number;
  };
}

/** Events of one kind at one instant (both directions of an SA pair) are told once. */
function sameMoment(events: readonly LifecycleEvent[], i: number): boolean {
  const prev = events[i - 1];
  const e = events[i]!;
  return prev !== undefined && prev.type === e.type && prev.at === e.at;
}

function story(id: string, events: LifecycleEvent[], when: (at: string) => string): TunnelStory {
  const moments: { ms: number; text: string }[] = [];
  const counts = { downs: 0, failures: 0, rekeyIssues: 0, expiries: 0, invalidSpi: 0 };
  const failures = new Map<string, { n: number; first: string; last: string }>();
  for (const [i, e] of events.entries()) {
    const d = e.data as Record<string, unknown>;
    const ms = Date.parse(e.at);
    switch (e.type) {
      case 'TunnelDown': {
        counts.downs++;
        const up = events.slice(i + 1).find((x) => x.type === 'TunnelUp');
        const back = up
          ? `back up at ${when(up.at)} (after ${durationText(Date.parse(up.at) - ms)})`
          : 'not back up by the end of the replay';
        moments.push({
          ms,
          text: `**down at ${when(e.at)}** (${String(d['reason'])}${e.inferred ? ', inferred' : ''}), ${back}`,
        });
        break;
      }
      case 'NegotiationFailed': {
        counts.failures++;
        const key = `${d['phase'] === 'ike' ? 'IKE' : 'IPsec'} negotiation failed: ${String(d['reason'])}`;
        const seen = failures.get(key);
        if (seen) {
          seen.n++;
          seen.last = e.at;
        } else {
          const entry = { n: 1, first: e.at, last: e.at };
          failures.set(key, entry);
          moments.push({
            ms,
            get text() {
              return entry.n === 1
                ? `${key} at ${when(entry.first)}`
                : `${key} ×${entry.n} (${when(entry.first)} to ${when(entry.last)})`;
            },
          });
        }
        break;
      }
      case 'IpsecSaRekeyOverdue':
        counts.rekeyIssues++;
        if (!sameMoment(events, i))
          moments.push({
            ms,
            text: `rekey overdue at ${when(e.at)} (soft deadline + grace passed)`,
          });
        break;
      case 'IpsecSaRekeyed':
        if (d['outcome'] === 'late') {
          counts.rekeyIssues++;
          if (!sameMoment(events, i)) moments.push({ ms, text: `late rekey at ${when(e.at)}` });
        }
        break;
      case 'IpsecSaExpired':
        counts.expiries++;
        if (!sameMoment(events, i))
          moments.push({ ms, text: `IPsec SAs expired at ${when(e.at)} with no successor` });
        break;
      case 'InvalidSpiDetected': {
        counts.invalidSpi++;
        const end = events.slice(i + 1).find((x) => x.type === 'InvalidSpiRecovered');
        moments.push({
          ms,
          text: end
            ? `invalid SPI from ${when(e.at)}, recovered after ${durationText(Date.parse(end.at) - ms)} via ${String((end.data as Record<string, unknown>)['via'])}`
            : `invalid SPI from ${when(e.at)}, not recovered by the end of the replay`,
        });
        break;
      }
      case 'CertificateCheckFailed':
        moments.push({
          ms,
          text: `certificate check failed at ${when(e.at)} (${String(d['check'])}, ${d['enforced'] === true ? 'enforced' : 'not enforced: fails open'})`,
        });
        break;
      case 'TunnelDiscovered':
      case 'TunnelUp':
      case 'IkeSaEstablished':
      case 'IkeSaRekeyed':
      case 'IkeSaExpired':
      case 'IpsecSaEstablished':
      case 'InvalidSpiRecovered':
      case 'RouterSilent':
      case 'RouterResumed':
      case 'RouterRebooted':
      case 'ConfigChanged':
        break;
    }
  }
  return { id, events, problems: moments.map((m) => m.text), counts };
}

export function postmortem(input: PostmortemInput): string {
  const { events, rows } = input;
  const byTunnel = new Map<string, LifecycleEvent[]>();
  const byRouter = new Map<string, LifecycleEvent[]>();
  for (const e of events) {
    if (e.tunnel !== undefined) {
      const list = byTunnel.get(e.tunnel) ?? [];
      list.push(e);
      byTunnel.set(e.tunnel, list);
    } else {
      const list = byRouter.get(e.router) ?? [];
      list.push(e);
      byRouter.set(e.router, list);
    }
  }
  const rowOf = new Map(rows.map((r) => [r.tunnel, r]));
  const ids = [...new Set([...rows.map((r) => r.tunnel), ...byTunnel.keys()])].sort();
  // Within one day, the summary gives times of day.
  const oneDay =
    input.fromMs !== undefined &&
    input.toMs !== undefined &&
    new Date(input.fromMs).toISOString().slice(0, 10) ===
      new Date(input.toMs).toISOString().slice(0, 10);
  const when = (at: string) => (oneDay ? clock(at).slice(11) : clock(at));
  const stories = ids.map((id) => story(id, byTunnel.get(id) ?? [], when));
  const troubled = stories.filter((s) => s.problems.length > 0);
  const routers = [
    ...new Set([...rows.map((r) => r.router), ...events.map((e) => e.router)]),
  ].sort();
  const unrecognized = (input.kinds['unrecognized'] ?? 0) + (input.kinds['ignored'] ?? 0);

  const out: string[] = [];
  out.push('# IPsec postmortem (samon replay)', '');
  out.push(
    `Replayed ${input.files.map(code).join(', ') || 'no file'}: ${plural(input.lines, 'line')}, ` +
      `${unrecognized} not about IKE/IPsec, from ${iso(input.fromMs)} to ${iso(input.toMs)} UTC; ` +
      `${plural(routers.length, 'router')} (${routers.join(', ') || 'none'}), ${plural(ids.length, 'tunnel')}, ${plural(events.length, 'lifecycle event')}.`,
    '',
    '*Inferred* events are conclusions samon drew from the lines shown with them (Junos logs no line for an expiry or a missed rekey); the others were logged by the router. Times are UTC.',
    '',
  );

  out.push('## Summary', '');
  const routerProblems: string[] = [];
  for (const router of [...byRouter.keys()].sort()) {
    for (const e of byRouter.get(router) ?? []) {
      if (
        e.type === 'RouterSilent' ||
        e.type === 'ConfigChanged' ||
        e.type === 'NegotiationFailed' ||
        e.type === 'CertificateCheckFailed' ||
        e.type === 'InvalidSpiDetected'
      ) {
        routerProblems.push(`Router **${router}**: ${title(e)} at ${when(e.at)} — ${describe(e)}`);
      }
    }
  }
  if (troubled.length === 0 && routerProblems.length === 0) {
    out.push(
      `Nothing went wrong: ${plural(ids.length, 'tunnel')}, no failure, no late or missed rekey, no expiry.`,
      '',
    );
  } else {
    out.push(
      `**${plural(troubled.length, 'tunnel')} had problems**, ${ids.length - troubled.length} ${ids.length - troubled.length === 1 ? 'was' : 'were'} healthy.`,
      '',
    );
    for (const s of troubled) {
      const row = rowOf.get(s.id);
      out.push(`- **${s.id}** (now ${row?.status ?? 'unknown'}): ${s.problems.join('; ')}.`);
    }
    for (const line of routerProblems) out.push(`- ${line}`);
    out.push('');
  }
  out.push(
    '| tunnel | final state | downs | negotiation failures | late or missed rekeys | expired SAs | invalid-SPI episodes |',
  );
  out.push('|---|---|---:|---:|---:|---:|---:|');
  for (const s of stories) {
    const c = s.counts;
    out.push(
      `| ${cell(s.id)} | ${rowOf.get(s.id)?.status ?? 'unknown'} | ${c.downs} | ${c.failures} | ${c.rekeyIssues} | ${c.expiries} | ${c.invalidSpi} |`,
    );
  }
  out.push('');

  for (const s of stories) {
    out.push(`## ${s.id}`, '');
    const row = rowOf.get(s.id);
    if (row) {
      const facts = [
        `Final state: **${row.status}**${row.downReason ? ` (${row.downReason})` : ''}`,
      ];
      if (row.localGateway || row.remoteGateway)
        facts.push(`gateways ${row.localGateway ?? '?'} → ${row.remoteGateway ?? '?'}`);
      if (row.aliases?.length) facts.push(`also known as ${row.aliases.map(code).join(', ')}`);
      if (row.expected) facts.push('configured');
      out.push(`${facts.join('; ')}.`, '');
    }
    if (s.events.length === 0) {
      out.push('No lifecycle event.', '');
      continue;
    }
    out.push('| time (UTC) | event | details |', '|---|---|---|');
    for (const e of s.events) {
      out.push(
        `| ${humanTime(e.at)} | ${title(e)}${e.inferred ? ' *(inferred)*' : ''} | ${cell(describe(e))} |`,
      );
    }
    out.push('');
    const evidence = [...new Set(s.events.flatMap((e) => e.evidence))];
    out.push(
      '<details>',
      `<summary>Evidence: ${plural(evidence.length, 'line')}</summary>`,
      '',
      fenced(evidence),
      '',
      '</details>',
      '',
    );
  }

  if (byRouter.size) {
    out.push('## Router events', '');
    for (const router of [...byRouter.keys()].sort()) {
      const list = byRouter.get(router) ?? [];
      out.push(`### ${router}`, '', '| time (UTC) | event | details |', '|---|---|---|');
      for (const e of list)
        out.push(
          `| ${humanTime(e.at)} | ${title(e)}${e.inferred ? ' *(inferred)*' : ''} | ${cell(describe(e))} |`,
        );
      out.push('');
      const evidence = [...new Set(list.flatMap((e) => e.evidence))];
      if (evidence.length) {
        out.push(
          '<details>',
          `<summary>Evidence: ${plural(evidence.length, 'line')}</summary>`,
          '',
          fenced(evidence),
          '',
          '</details>',
          '',
        );
      }
    }
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
