import { describe, expect, it } from 'vitest';
import type { Observation } from '../../../src/domain/observation.js';
import { evolve, initialState, type RouterState } from '../../../src/domain/sa/index.js';
import { SaMetrics } from '../../../src/serve/metrics/index.js';
import {
  at,
  badSpi,
  certFailed,
  clock,
  config,
  configModel,
  ikeFailed,
  ikeUp,
  phaseFailure,
  saPair,
  saUp,
  T0,
  tunnelDown,
  tunnelUp,
} from '../../domain/support/observations.js';
import { parseExposition, seriesKey, type Exposition, type Sample } from './exposition.js';

// The exporter over states built by folding real observations through the fold (evolve), with
// the lifecycle events fed to it as the projector's onEvents hook would.

interface Folded {
  readonly states: RouterState[];
  readonly metrics: SaMetrics;
}

function fold(
  observations: readonly Observation[],
  options: { maxTunnelSeries?: number; silenceGapSeconds?: number } = {},
): Folded {
  const states = new Map<string, RouterState>();
  const metrics = new SaMetrics({
    states: () => [...states.values()],
    maxTunnelSeries: options.maxTunnelSeries ?? 50_000,
  });
  for (const observation of observations) {
    const state =
      states.get(observation.router) ??
      initialState(observation.router, {
        settings: { silenceGapSeconds: options.silenceGapSeconds ?? 10 * 86_400 },
      });
    const { state: next, events } = evolve(state, observation);
    states.set(observation.router, next);
    metrics.onEvents(events);
  }
  return { states: [...states.values()], metrics };
}

async function scrape(folded: Folded): Promise<{ text: string; parsed: Exposition }> {
  const text = (await folded.metrics.render('')).toString('utf8');
  return { text, parsed: parseExposition(text) };
}

const sec = (t: number): number => (T0 + t * 1000) / 1000;

function series(parsed: Exposition, name: string, labels: Record<string, string> = {}): Sample[] {
  return parsed.samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
}

function value(parsed: Exposition, name: string, labels: Record<string, string>): number {
  const found = series(parsed, name, labels);
  expect(found, `${name} ${JSON.stringify(labels)}`).toHaveLength(1);
  return found[0]!.value;
}

const A = { router: 'srx1', tunnel: 'srx1/vpn-a', vpn: 'vpn-a', peer: '203.0.113.5' };

describe('one configured tunnel, up', () => {
  const observations = [
    config({ t: 0, model: configModel([{ vpn: 'vpn-a', ipsecLifetime: 3600 }]) }),
    ikeUp({ t: 10 }),
    ...saPair({ t: 11, in: '0x11111111', out: '0x22222222' }),
  ];

  it('exports exactly these series', async () => {
    const { text } = await scrape(fold(observations));
    const lines = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    const labels = 'router="srx1",tunnel="srx1/vpn-a",vpn="vpn-a",peer="203.0.113.5"';
    // initiator: soft = hard − 135 s; IKE lifetime 3600 s (Junos default via the configuration)
    expect(lines).toEqual([
      `samon_router_last_seen_timestamp_seconds{router="srx1"} ${sec(11)}`,
      'samon_router_silent{router="srx1"} 0',
      'samon_router_reboots_total{router="srx1"} 0',
      'samon_router_tunnels{router="srx1",state="up"} 1',
      'samon_router_tunnels{router="srx1",state="rekeying"} 0',
      'samon_router_tunnels{router="srx1",state="down"} 0',
      'samon_router_tunnels{router="srx1",state="expected-but-absent"} 0',
      'samon_router_tunnels{router="srx1",state="unknown"} 0',
      'samon_router_ipsec_sas{router="srx1",state="live"} 2',
      'samon_router_ipsec_sas{router="srx1",state="overdue"} 0',
      'samon_metrics_tunnel_series_dropped 0',
      `samon_tunnel_up{${labels}} 1`,
      `samon_tunnel_state{${labels},state="up"} 1`,
      `samon_tunnel_state{${labels},state="rekeying"} 0`,
      `samon_tunnel_state{${labels},state="down"} 0`,
      `samon_tunnel_state{${labels},state="expected-but-absent"} 0`,
      `samon_tunnel_state{${labels},state="unknown"} 0`,
      `samon_tunnel_configured{${labels}} 1`,
      `samon_ike_sa_hard_deadline_timestamp_seconds{${labels}} ${sec(10 + 3600)}`,
      `samon_ike_sa_soft_deadline_timestamp_seconds{${labels}} ${sec(10 + 3600 - 135)}`,
      `samon_ike_sa_lifetime_seconds{${labels}} 3600`,
      `samon_ipsec_sa_soft_deadline_timestamp_seconds{${labels},direction="inbound"} ${sec(11 + 3600 - 135)}`,
      `samon_ipsec_sa_soft_deadline_timestamp_seconds{${labels},direction="outbound"} ${sec(11 + 3600 - 135)}`,
      `samon_ipsec_sa_hard_deadline_timestamp_seconds{${labels},direction="inbound"} ${sec(11 + 3600)}`,
      `samon_ipsec_sa_hard_deadline_timestamp_seconds{${labels},direction="outbound"} ${sec(11 + 3600)}`,
      `samon_ipsec_sa_lifetime_seconds{${labels},direction="inbound"} 3600`,
      `samon_ipsec_sa_lifetime_seconds{${labels},direction="outbound"} 3600`,
      `samon_ipsec_sa_lifetime_assumed{${labels},direction="inbound"} 0`,
      `samon_ipsec_sa_lifetime_assumed{${labels},direction="outbound"} 0`,
      `samon_ipsec_sa_rekey_overdue{${labels},direction="inbound"} 0`,
      `samon_ipsec_sa_rekey_overdue{${labels},direction="outbound"} 0`,
    ]);
  });

  it('gives every family one HELP and one TYPE line, before its samples', async () => {
    const { text, parsed } = await scrape(fold(observations));
    expect([...parsed.types.keys()]).toEqual([...parsed.helps.keys()]);
    expect(parsed.types.size).toBe(28);
    const lines = text.split('\n');
    for (const [name, type] of parsed.types) {
      expect(['gauge', 'counter']).toContain(type);
      expect(type === 'counter').toBe(name.endsWith('_total'));
      const typeLine = lines.indexOf(`# TYPE ${name} ${type}`);
      const samples = lines.flatMap((l, i) => (l.startsWith(`${name}{`) ? [i] : []));
      for (const i of samples) expect(i).toBeGreaterThan(typeLine);
      // contiguous: one group per family
      if (samples.length) expect(samples.at(-1)! - samples[0]!).toBe(samples.length - 1);
    }
  });
});

describe('a router with tunnels in every state', () => {
  // Lifetimes 3600 s everywhere, so a few hours cover rekeys, overdue SAs and expiries.
  const model = configModel(
    ['a', 'b', 'c', 'd', 'e', 'f'].map((x, i) => ({
      vpn: `vpn-${x}`,
      remote: `203.0.113.${i + 1}`,
      ipsecLifetime: 3600,
      respondBadSpi: x === 'f',
    })),
  );
  const pair = (vpn: string, remote: string, t: number, spis: [string, string]) => [
    ikeUp({ t, vpn, remote }),
    ...saPair({ t, remote, in: spis[0], out: spis[1] }),
  ];
  const observations: Observation[] = [
    // g: unconfigured, default lifetime 28 800 s, expires with no successor
    ...pair('vpn-g', '203.0.113.7', -30_000, ['0x71000001', '0x71000002']),
    config({ t: 0, model }),
    // a: up, IKE and both IPsec directions rekeyed on time
    ...pair('vpn-a', '203.0.113.1', 600, ['0xa1000001', '0xa1000002']),
    ikeUp({ t: 3000, vpn: 'vpn-a', remote: '203.0.113.1' }),
    ...saPair({ t: 3400, remote: '203.0.113.1', in: '0xa2000001', out: '0xa2000002' }),
    // b: rekeying, only the inbound direction on the new generation yet
    ...pair('vpn-b', '203.0.113.2', 600, ['0xb1000001', '0xb1000002']),
    saUp({ t: 3400, remote: '203.0.113.2', dir: 'inbound', spi: '0xb2000001' }),
    // c: down after a failure
    tunnelUp({ t: 700, vpn: 'vpn-c', peer: '203.0.113.3' }),
    ikeFailed({
      t: 800,
      vpn: 'vpn-c',
      remote: '203.0.113.3',
      reason: 'timed-out',
      reasonText: 'Timed out',
    }),
    tunnelDown({ t: 810, vpn: 'vpn-c', peer: '203.0.113.3', reason: 'timed-out' }),
    // d: configured, never seen: expected-but-absent
    // e: SAs from t=0, not rekeyed: overdue at 3600 − 135 + 60 s
    ...pair('vpn-e', '203.0.113.5', 0, ['0xe1000001', '0xe1000002']),
    // f: an invalid-SPI episode with respond-bad-spi
    ...pair('vpn-f', '203.0.113.6', 600, ['0xf1000001', '0xf1000002']),
    badSpi({ t: 3500, spi: '0xdeadbeef', peer: '203.0.113.6', count: 7 }),
    // not attributable to a tunnel
    phaseFailure(1, {
      t: 3510,
      reason: 'unknown',
      reasonText: 'Policy lookup failed',
      src: '10.9.9.9',
      dst: '198.18.0.1',
    }),
    certFailed({ t: 3520, check: 'crl-download', caProfile: 'Root-CA' }),
    clock({ t: 3560 }),
  ];
  const tunnel = (x: string, i: number) => ({
    router: 'srx1',
    tunnel: `srx1/vpn-${x}`,
    vpn: `vpn-${x}`,
    peer: `203.0.113.${i}`,
  });

  it('puts each tunnel in its state; rekeying counts as up', async () => {
    const { parsed } = await scrape(fold(observations));
    const expected: Record<string, string> = {
      a: 'up',
      b: 'rekeying',
      c: 'down',
      d: 'expected-but-absent',
      e: 'up',
      f: 'up',
      g: 'down',
    };
    Object.entries(expected).forEach(([x, state], i) => {
      const labels = tunnel(x, i + 1);
      for (const s of series(parsed, 'samon_tunnel_state', labels))
        expect(s.value, `${x} ${s.labels.state}`).toBe(s.labels.state === state ? 1 : 0);
      expect(series(parsed, 'samon_tunnel_state', labels)).toHaveLength(5);
      expect(value(parsed, 'samon_tunnel_up', labels), x).toBe(
        state === 'up' || state === 'rekeying' ? 1 : 0,
      );
      expect(value(parsed, 'samon_tunnel_configured', labels)).toBe(x === 'g' ? 0 : 1);
    });
    const counts: Record<string, number> = Object.fromEntries(
      series(parsed, 'samon_router_tunnels').map((s) => [s.labels.state ?? '', s.value]),
    );
    expect(counts).toEqual({
      up: 3,
      rekeying: 1,
      down: 2,
      'expected-but-absent': 1,
      unknown: 0,
    });
  });

  it('reads deadlines from the current SA of each direction and overdue from the fold', async () => {
    const { parsed } = await scrape(fold(observations));
    const b = tunnel('b', 2);
    const hard = (direction: string) =>
      value(parsed, 'samon_ipsec_sa_hard_deadline_timestamp_seconds', { ...b, direction });
    expect(hard('inbound')).toBe(sec(3400 + 3600));
    expect(hard('outbound')).toBe(sec(600 + 3600));
    const e = tunnel('e', 5);
    for (const direction of ['inbound', 'outbound']) {
      expect(value(parsed, 'samon_ipsec_sa_rekey_overdue', { ...e, direction })).toBe(1);
      expect(value(parsed, 'samon_ipsec_sa_rekey_overdue', { ...b, direction })).toBe(0);
    }
    expect(value(parsed, 'samon_router_ipsec_sas', { router: 'srx1', state: 'overdue' })).toBe(2);
    // a, b, f: 2 each; e's 2 are overdue; c and g have none
    expect(value(parsed, 'samon_router_ipsec_sas', { router: 'srx1', state: 'live' })).toBe(6);
    // g's SAs expired: no deadline series for a direction without a current SA
    expect(
      series(parsed, 'samon_ipsec_sa_hard_deadline_timestamp_seconds', tunnel('g', 7)),
    ).toEqual([]);
  });

  it('counts lifecycle events per tunnel, and what has no tunnel per router', async () => {
    const { parsed } = await scrape(fold(observations));
    const a = tunnel('a', 1);
    expect(series(parsed, 'samon_ipsec_sa_rekeys_total', a).map(seriesKey)).toEqual([
      seriesKey({ name: 'samon_ipsec_sa_rekeys_total', labels: { ...a, outcome: 'on-time' } }),
    ]);
    expect(value(parsed, 'samon_ipsec_sa_rekeys_total', { ...a, outcome: 'on-time' })).toBe(2);
    expect(value(parsed, 'samon_ike_sa_rekeys_total', a)).toBe(1);
    expect(value(parsed, 'samon_tunnel_last_rekey_timestamp_seconds', a)).toBe(sec(3400));
    // lead: the replaced SA's hard deadline (600 + 3600) − the time its successor came up
    expect(value(parsed, 'samon_tunnel_last_rekey_lead_seconds', a)).toBe(4200 - 3400);
    const g = tunnel('g', 7);
    expect(value(parsed, 'samon_ipsec_sa_expirations_total', g)).toBe(2);
    expect(value(parsed, 'samon_ike_sa_expirations_total', g)).toBe(1);
    expect(
      value(parsed, 'samon_negotiation_failures_total', {
        ...tunnel('c', 3),
        phase: 'ike',
        reason: 'timed-out',
      }),
    ).toBe(1);
    const unattributed = series(parsed, 'samon_negotiation_failures_total').filter(
      (s) => s.labels.tunnel === undefined,
    );
    expect(unattributed).toEqual([
      {
        name: 'samon_negotiation_failures_total',
        labels: { router: 'srx1', phase: 'ike', reason: 'unknown' },
        value: 1,
      },
    ]);
    expect(series(parsed, 'samon_certificate_check_failures_total')).toEqual([
      {
        name: 'samon_certificate_check_failures_total',
        labels: { router: 'srx1', check: 'crl-download', enforced: 'true' },
        value: 1,
      },
    ]);
    // a counter appears with its first increment: b has neither failed nor expired
    expect(series(parsed, 'samon_negotiation_failures_total', tunnel('b', 2))).toEqual([]);
    expect(series(parsed, 'samon_ipsec_sa_expirations_total', tunnel('b', 2))).toEqual([]);
  });

  it('exports the open invalid-SPI episode: start, and start + 60 s with respond-bad-spi', async () => {
    const { parsed } = await scrape(fold(observations));
    const f = tunnel('f', 6);
    expect(value(parsed, 'samon_invalid_spi_episodes_total', { ...f, outcome: 'started' })).toBe(1);
    expect(value(parsed, 'samon_invalid_spi_episode_start_timestamp_seconds', f)).toBe(sec(3500));
    expect(value(parsed, 'samon_invalid_spi_episode_expected_recovery_timestamp_seconds', f)).toBe(
      sec(3560),
    );
    expect(
      series(parsed, 'samon_invalid_spi_episode_start_timestamp_seconds').map(
        (s) => s.labels.tunnel,
      ),
    ).toEqual(['srx1/vpn-f']);
  });

  it('never puts an SPI in a label', async () => {
    const { parsed } = await scrape(fold(observations));
    const spis = observations.flatMap((o) =>
      'spi' in o.data && typeof o.data.spi === 'string' && /^0x[0-9a-f]{8}$/.test(o.data.spi)
        ? [o.data.spi.slice(2)]
        : [],
    );
    expect(spis.length).toBeGreaterThan(10);
    for (const sample of parsed.samples) {
      for (const [label, text] of Object.entries(sample.labels)) {
        expect(text, `${sample.name} ${label}`).not.toMatch(/0x[0-9a-f]{8}/i);
        for (const spi of spis) expect(text.toLowerCase()).not.toContain(spi);
        expect(['spi', 'cookie', 'index', 'sa']).not.toContain(label);
      }
    }
  });
});

describe('the invalid-SPI expected recovery without respond-bad-spi', () => {
  it('is the hard deadline of the SA in use when the episode started', async () => {
    const folded = fold([
      config({
        t: 0,
        model: configModel([{ vpn: 'vpn-a', ipsecLifetime: 3600, respondBadSpi: false }]),
      }),
      ikeUp({ t: 0 }),
      ...saPair({ t: 0, in: '0x11111111', out: '0x22222222' }),
      badSpi({ t: 600, spi: '0xdeadbeef', peer: '203.0.113.5' }),
    ]);
    const { parsed } = await scrape(folded);
    expect(value(parsed, 'samon_invalid_spi_episode_expected_recovery_timestamp_seconds', A)).toBe(
      sec(3600),
    );
    // recovery: a new pair ends the episode and removes its gauges
    const more = fold([
      config({
        t: 0,
        model: configModel([{ vpn: 'vpn-a', ipsecLifetime: 3600, respondBadSpi: false }]),
      }),
      ikeUp({ t: 0 }),
      ...saPair({ t: 0, in: '0x11111111', out: '0x22222222' }),
      badSpi({ t: 600, spi: '0xdeadbeef', peer: '203.0.113.5' }),
      ...saPair({ t: 900, in: '0x33333333', out: '0x44444444' }),
    ]);
    const after = (await scrape(more)).parsed;
    expect(series(after, 'samon_invalid_spi_episode_start_timestamp_seconds')).toEqual([]);
    expect(value(after, 'samon_invalid_spi_episodes_total', { ...A, outcome: 'recovered' })).toBe(
      1,
    );
  });
});

describe('routers', () => {
  it('says when a router went silent, and when it was last seen', async () => {
    const { parsed } = await scrape(
      fold(
        [
          ikeUp({ t: 0 }),
          ikeUp({ t: 5, router: 'srx2', vpn: 'vpn-z' }),
          clock({ t: 700 }),
          clock({ t: 700, router: 'srx2' }),
          ikeUp({ t: 690, router: 'srx2', vpn: 'vpn-y' }),
        ],
        { silenceGapSeconds: 600 },
      ),
    );
    expect(value(parsed, 'samon_router_silent', { router: 'srx1' })).toBe(1);
    expect(value(parsed, 'samon_router_silent', { router: 'srx2' })).toBe(0);
    expect(value(parsed, 'samon_router_last_seen_timestamp_seconds', { router: 'srx1' })).toBe(
      sec(0),
    );
    expect(value(parsed, 'samon_router_last_seen_timestamp_seconds', { router: 'srx2' })).toBe(
      sec(690),
    );
  });
});

describe('label values', () => {
  it('are escaped as the exposition format requires', async () => {
    const vpn = 'vpn "east" \\ C:\\new\nline';
    const router = 'r"1\\';
    const { text, parsed } = await scrape(
      fold([
        ikeUp({ t: 0, router, vpn }),
        ...saPair({ t: 0, router, in: '0x11111111', out: '0x22222222' }),
      ]),
    );
    expect(text).toContain('vpn="vpn \\"east\\" \\\\ C:\\\\new\\nline"');
    expect(text).toContain('router="r\\"1\\\\"');
    expect(value(parsed, 'samon_tunnel_up', { router, vpn, tunnel: `${router}/${vpn}` })).toBe(1);
    // no raw newline inside a sample line: every line is a comment or starts with a name
    for (const line of text.split('\n').filter(Boolean)) expect(line).toMatch(/^(#|samon_)/);
  });

  it('follow the tunnel when it learns its VPN name (the cached prefix is rebuilt)', async () => {
    const observations: Observation[] = [...saPair({ t: 0, in: '0x11111111', out: '0x22222222' })];
    const folded = fold(observations);
    const before = (await scrape(folded)).parsed;
    expect(series(before, 'samon_tunnel_up').map((s) => s.labels)).toEqual([
      { router: 'srx1', tunnel: 'srx1/10.0.0.1~203.0.113.5', vpn: '', peer: '203.0.113.5' },
    ]);
    const state = folded.states[0]!;
    folded.metrics.onEvents(evolve(state, tunnelUp({ t: 5 })).events);
    const after = (await scrape(folded)).parsed;
    expect(series(after, 'samon_tunnel_up').map((s) => s.labels)).toEqual([A]);
  });
});

describe('counters of a tunnel whose id becomes an alias', () => {
  it('move to the tunnel it was merged into, and keep counting there', async () => {
    const folded = fold([
      ...saPair({ t: 0, in: '0x11111111', out: '0x22222222' }),
      ...saPair({ t: 600, in: '0x33333333', out: '0x44444444' }),
    ]);
    const provisional = {
      router: 'srx1',
      tunnel: 'srx1/10.0.0.1~203.0.113.5',
      vpn: '',
      peer: '203.0.113.5',
    };
    const before = (await scrape(folded)).parsed;
    expect(
      value(before, 'samon_ipsec_sa_rekeys_total', { ...provisional, outcome: 'on-time' }),
    ).toBe(2);
    const state = folded.states[0]!;
    for (const observation of [
      tunnelUp({ t: 700 }),
      ...saPair({ t: 1200, in: '0x55555555', out: '0x66666666' }),
    ])
      folded.metrics.onEvents(evolve(state, observation).events);
    const after = (await scrape(folded)).parsed;
    expect(series(after, 'samon_ipsec_sa_rekeys_total').map((s) => s.labels)).toEqual([
      { ...A, outcome: 'on-time' },
    ]);
    expect(value(after, 'samon_ipsec_sa_rekeys_total', { ...A, outcome: 'on-time' })).toBe(4);
  });
});

describe('metrics.maxTunnelSeries', () => {
  // Eight tunnels: two broken, one rekeying, five up; routers r1 and r2.
  const up = (router: string, vpn: string, i: number) => [
    ikeUp({ t: 0, router, vpn, remote: `198.51.100.${i}` }),
    ...saPair({
      t: 0,
      router,
      remote: `198.51.100.${i}`,
      in: `0x${i}000000${i}`,
      out: `0x${i}000000${i + 1}`,
    }),
  ];
  const observations: Observation[] = [
    ...up('r2', 'vpn-1', 1),
    ...up('r2', 'vpn-2', 2),
    ...up('r1', 'vpn-3', 3),
    ...up('r1', 'vpn-4', 4),
    ...up('r1', 'vpn-5', 5),
    ...up('r1', 'vpn-6', 6),
    ...up('r2', 'vpn-7', 7),
    tunnelDown({
      t: 100,
      router: 'r2',
      vpn: 'vpn-7',
      peer: '198.51.100.7',
      reason: 'dpd-peer-dead',
      reasonText: 'DPD detected peer 198.51.100.7 is dead',
    }),
    ...up('r2', 'vpn-8', 8),
    saUp({ t: 1000, router: 'r1', remote: '198.51.100.6', dir: 'inbound', spi: '0x99999999' }),
    config({ t: 1, router: 'r2', model: configModel([{ vpn: 'vpn-0', remote: '198.51.100.9' }]) }),
  ];
  const exported = async (cap: number) => {
    const { parsed } = await scrape(fold(observations, { maxTunnelSeries: cap }));
    return {
      tunnels: series(parsed, 'samon_tunnel_up').map((s) => s.labels.tunnel),
      dropped: value(parsed, 'samon_metrics_tunnel_series_dropped', {}),
      routerTotal: series(parsed, 'samon_router_tunnels').reduce((n, s) => n + s.value, 0),
      parsed,
    };
  };

  it('keeps broken tunnels first, then rekeying ones, then the rest by router and id', async () => {
    expect(await exported(4)).toMatchObject({
      // broken: r2/vpn-0 (expected-but-absent), r2/vpn-7 (down); rekeying: r1/vpn-6; then r1/vpn-3
      tunnels: ['r1/vpn-3', 'r1/vpn-6', 'r2/vpn-0', 'r2/vpn-7'],
      dropped: 5,
      routerTotal: 9,
    });
    expect(await exported(2)).toMatchObject({
      tunnels: ['r2/vpn-0', 'r2/vpn-7'],
      dropped: 7,
      routerTotal: 9,
    });
  });

  it('drops every per-tunnel series of a left-out tunnel, and nothing at or under the cap', async () => {
    const capped = await exported(1);
    const perTunnel = capped.parsed.samples.filter((s) => s.labels.tunnel !== undefined);
    expect(new Set(perTunnel.map((s) => s.labels.tunnel))).toEqual(new Set(['r2/vpn-0']));
    expect(await exported(9)).toMatchObject({ dropped: 0, routerTotal: 9 });
    expect((await exported(9)).tunnels).toHaveLength(9);
    expect(await exported(0)).toMatchObject({ tunnels: [], dropped: 9, routerTotal: 9 });
  });
});

describe('rendering', () => {
  it('lets the event loop turn during a large render, and shares a render between concurrent scrapes', async () => {
    const spi = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
    const observations: Observation[] = [];
    for (let i = 0; i < 3000; i++) {
      const remote = `198.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      observations.push(
        ikeUp({ t: 0, vpn: `vpn-${i}`, remote }),
        ...saPair({ t: 0, remote, in: spi(i + 1), out: spi(i + 100_000) }),
      );
    }
    const folded = fold(observations);
    const sliced = new SaMetrics({
      states: () => folded.states,
      maxTunnelSeries: 50_000,
      sliceMs: 0,
    });
    let turns = 0;
    const ticking = setInterval(() => turns++, 0);
    const [first, second] = await Promise.all([sliced.render('# head\n'), sliced.render('')]);
    clearInterval(ticking);
    expect(second).toBe(first);
    expect(turns).toBeGreaterThan(0);
    expect(first.toString('utf8').startsWith('# head\n')).toBe(true);
    const parsed = parseExposition(first.toString('utf8'));
    expect(series(parsed, 'samon_tunnel_up')).toHaveLength(3000);
    expect(sliced.lastRender).toMatchObject({ tunnels: 3000, dropped: 0, bytes: first.length });
    expect(sliced.lastRender?.series).toBe(
      parsed.samples.filter((s) => s.name.startsWith('samon_')).length,
    );
    // the same state renders the same bytes
    expect((await sliced.render('# head\n')).equals(first)).toBe(true);
  });
});

describe('times', () => {
  it('are Unix seconds with the milliseconds kept', async () => {
    const { parsed } = await scrape(fold([ikeUp({ t: 0.123 })]));
    expect(at(0.123)).toBe('2026-11-27T02:00:00.123Z');
    expect(value(parsed, 'samon_ike_sa_hard_deadline_timestamp_seconds', {})).toBe(sec(3600.123));
  });
});
