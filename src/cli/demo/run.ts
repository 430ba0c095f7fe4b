import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Counter } from 'prom-client';
import type { Config } from '../../config/index.js';
import { openWriter, type LineWriter } from '../../sim/writers.js';
import type { RunningServices, ServiceHooks } from '../services.js';
import {
  DEMO_DEFAULTS,
  DEMO_FAILURES,
  DEMO_LIFETIME_SECONDS,
  DemoTraffic,
  type DemoOptions,
} from './traffic.js';

// `samon run --demo`: samon on a log of its own, and in the same process a simulated fleet
// sending syslog to samon's TCP listener in real time, its configurations imported.

/**
 * The fleet has been up this long when samon starts; that history is sent at once. Six
 * minutes: every tunnel has negotiated (≤ 2.5 min in) and missed rekeys have run out.
 */
export const BACKFILL_SECONDS = 360;
const PROGRESS_EVERY_MS = 15_000;
const REPO = resolve(import.meta.dirname, '..', '..', '..');

export interface DemoRunOptions {
  /** Directory of the demo's log and router configurations; emptied of them at start. */
  readonly dir: string;
  readonly seed?: number;
  readonly now?: () => number;
  /** Where the banner goes (stderr). */
  readonly print?: (text: string) => void;
}

/** The demo as hooks around `runServices`. */
export function demoHooks(options: DemoRunOptions): ServiceHooks {
  const now = options.now ?? Date.now;
  const print = options.print ?? ((text: string) => process.stderr.write(text));
  const dir = resolve(options.dir);
  const startMs = Math.floor(now() / 1000) * 1000 - BACKFILL_SECONDS * 1000;
  const settings: DemoOptions = { ...DEMO_DEFAULTS, seed: options.seed ?? 1, startMs };
  let traffic: DemoTraffic | undefined;
  let sending = false;

  return {
    // The configurations were in force when the routers came up: imported "now", they would
    // date the router's state after the history that follows, and every deadline of that
    // history would look passed. A later re-import (an edited file, SIGHUP) is dated now.
    importTime: () => (sending ? now() : startMs),
    configure(config) {
      traffic = new DemoTraffic(settings);
      const files = prepareDirectory(dir, traffic);
      return demoConfig(config, dir, files);
    },
    async started(running) {
      if (!traffic) throw new Error('demo: configure was not called');
      sending = true;
      return startFleet(running, traffic, dir, print, now);
    },
  };
}

/** Removes what an earlier demo left (its log, snapshots, configurations) and writes the configurations. */
function prepareDirectory(dir: string, traffic: DemoTraffic): string[] {
  mkdirSync(dir, { recursive: true });
  for (const name of ['samon.db', 'samon-snapshots.db'])
    for (const suffix of ['', '-wal', '-shm', '-journal'])
      rmSync(join(dir, name + suffix), { force: true });
  const routers = join(dir, 'routers');
  rmSync(routers, { recursive: true, force: true });
  mkdirSync(routers);
  // Which tunnel plays what, both ends named as samon names them.
  const tunnels = traffic.fleet.tunnels.map((t) => ({
    id: t.id,
    scenario: traffic.scenarioOf(t.index),
    ends: [t.initiator, t.responder].map((e) => `${e.router}/${e.vpn}`),
  }));
  writeFileSync(join(dir, 'tunnels.json'), `${JSON.stringify(tunnels, null, 1)}\n`);
  return traffic.fleet.routers.map((r) => {
    const path = join(routers, `${r.name}.conf`);
    writeFileSync(path, r.configText);
    return path;
  });
}

/** The operator's configuration with the demo's own log, files and a TCP listener. */
export function demoConfig(config: Config, dir: string, files: readonly string[]): Config {
  return {
    ...config,
    log: {
      ...config.log,
      kind: 'sqlite',
      sqlite: { ...config.log.sqlite, path: join(dir, 'samon.db') },
    },
    junos: { files: files.map((path) => ({ path })) },
    syslog: { ...config.syslog, tcp: { ...config.syslog.tcp, enabled: true } },
  };
}

async function startFleet(
  running: RunningServices,
  traffic: DemoTraffic,
  dir: string,
  print: (text: string) => void,
  now: () => number,
): Promise<() => Promise<void>> {
  const { logger, url } = running;
  const log = logger.child({ component: 'demo' });
  const tcp = running.collector?.listening.find((l) => l.startsWith('tcp://'));
  const match = tcp === undefined ? null : /^tcp:\/\/(.+):(\d+)$/.exec(tcp);
  if (!match) throw new Error('demo: samon has no TCP syslog listener to send to');
  const host = match[1] === '0.0.0.0' || match[1] === '::' ? '127.0.0.1' : match[1]!;
  const writer = await openWriter({ kind: 'tcp', host, port: Number(match[2]) });
  writeMonitoringFiles(dir, url);
  print(banner(traffic, dir, url, `tcp://${host}:${match[2]}`));

  const abort = new AbortController();
  let sent = 0;
  const sending = send(traffic, writer, abort.signal, now, (n) => (sent += n)).catch(
    (error: unknown) => {
      log.error({ err: error }, 'demo: the simulated fleet stopped sending; samon keeps running');
    },
  );
  const progress = setInterval(() => {
    void summary(running, sent).then(
      // The numbers stay in the message alone: a person reads them, and pretty logs would list
      // every field again under it.
      (text) => logger.info(text),
      (error: unknown) => log.warn({ err: error }, 'demo: no summary'),
    );
  }, PROGRESS_EVERY_MS);
  progress.unref();

  return async () => {
    clearInterval(progress);
    abort.abort();
    await sending;
    await writer.close().catch(() => undefined);
    log.info({ sent }, `demo: simulated fleet stopped after ${sent} lines`);
  };
}

/** Sends each line when its time comes (never before: samon's clock must not lag its input). */
async function send(
  traffic: DemoTraffic,
  writer: LineWriter,
  signal: AbortSignal,
  now: () => number,
  onSent: (n: number) => void,
): Promise<void> {
  while (!signal.aborted) {
    const due = traffic.take(now() + 1);
    for (const { line } of due) await writer.write(line);
    onSent(due.length);
    const wait = traffic.nextMs() - now();
    if (wait > 0) await sleep(Math.min(wait, 1000), undefined, { signal }).catch(() => undefined);
  }
}

async function summary(running: RunningServices, sent: number): Promise<string> {
  const rows = running.projection?.directory.rows() ?? [];
  const status = (s: string) => rows.filter((r) => r.status === s).length;
  const metric = running.registry.getSingleMetric('samon_lifecycle_events_total') as
    Counter | undefined;
  const values = metric ? (await metric.get()).values : [];
  const events = (type: string) =>
    values.filter((v) => v.labels.type === type).reduce((sum, v) => sum + v.value, 0);
  const fields = {
    ends: rows.length,
    up: status('up') + status('rekeying'),
    down: status('down'),
    absent: status('expected-but-absent'),
    rekeys: events('IpsecSaRekeyed'),
    invalidSpi: events('InvalidSpiDetected'),
    negotiationFailures: events('NegotiationFailed'),
    certificateFailures: events('CertificateCheckFailed'),
    overdue: events('IpsecSaRekeyOverdue'),
    expired: events('IpsecSaExpired'),
  };
  return (
    `demo: ${fields.ends} tunnel ends — ${fields.up} up, ${fields.down} down, ` +
    `${fields.absent} configured but absent; ${fields.rekeys} IPsec SA rekeys; failures: ` +
    `${fields.negotiationFailures} negotiation, ${fields.certificateFailures} certificate, ` +
    `${fields.invalidSpi} invalid SPI, ` +
    `${fields.overdue} SAs overdue, ${fields.expired} expired; ${sent} syslog lines sent`
  );
}

/**
 * deploy/'s Prometheus and Grafana files name their hosts as in a compose network; beside the
 * demo, copies point at this samon and at a Prometheus on the same host.
 */
function writeMonitoringFiles(dir: string, url: string): void {
  const prometheus = join(REPO, 'deploy', 'prometheus', 'prometheus.yml');
  const datasource = join(REPO, 'deploy', 'grafana', 'provisioning', 'datasources', 'samon.yml');
  if (!existsSync(prometheus) || !existsSync(datasource)) return;
  const target = new URL(url).host;
  const rules = join(REPO, 'deploy', 'prometheus', 'rules');
  writeFileSync(
    join(dir, 'prometheus.yml'),
    readFileSync(prometheus, 'utf8')
      .replace("'samon:9464'", `'${target}'`)
      .replace("'alertmanager:9093'", "'127.0.0.1:9093'")
      .replace(/ - rules\//g, ` - ${rules}/`),
  );
  const provisioning = join(dir, 'grafana', 'provisioning');
  mkdirSync(join(provisioning, 'datasources'), { recursive: true });
  mkdirSync(join(provisioning, 'dashboards'), { recursive: true });
  writeFileSync(
    join(provisioning, 'datasources', 'samon.yml'),
    readFileSync(datasource, 'utf8').replace('http://prometheus:9090', 'http://127.0.0.1:9090'),
  );
  writeFileSync(
    join(provisioning, 'dashboards', 'samon.yml'),
    readFileSync(
      join(REPO, 'deploy', 'grafana', 'provisioning', 'dashboards', 'samon.yml'),
      'utf8',
    ),
  );
}

function banner(traffic: DemoTraffic, dir: string, url: string, syslog: string): string {
  const { routers, tunnels } = traffic.fleet;
  const example =
    tunnels.find((t) => traffic.scenarioOf(t.index) === 'missed-rekey') ?? tunnels[0]!;
  const exampleId = encodeURIComponent(example.id);
  const near = relative(process.cwd(), dir);
  const shown = near === '' ? '.' : near.startsWith('..') ? dir : near;
  const abs = (path: string) => (isAbsolute(path) ? path : `$PWD/${path}`);
  const monitoring = existsSync(join(dir, 'prometheus.yml'))
    ? [
        `  Prometheus  docker run --rm --network host -v "$PWD:$PWD" prom/prometheus --config.file="${abs(shown)}/prometheus.yml"`,
        `              (deploy/prometheus with this samon as target and its alert rules; UI on http://127.0.0.1:9090/alerts)`,
        `  Grafana     docker run --rm --network host -v "${abs(shown)}/grafana/provisioning:/etc/grafana/provisioning" \\`,
        `                -v "$PWD/dashboards:/var/lib/grafana/dashboards" grafana/grafana   (http://127.0.0.1:3000, admin/admin)`,
      ]
    : [];
  return [
    '',
    `samon demo: ${routers.length} simulated Junos routers (SRX and MX), ${tunnels.length} IPsec tunnels, IKE and IPsec lifetimes ${DEMO_LIFETIME_SECONDS} s (a rekey about every 45 s).`,
    `  Two tunnels in three are steady; every third plays a failure, in turn: ${DEMO_FAILURES.join(', ')}.`,
    `  The routers have been up ${BACKFILL_SECONDS / 60} minutes: that syslog goes at once, then lines follow in real time to ${syslog}.`,
    `  Event log ${join(shown, 'samon.db')} (emptied at each demo start), router configurations in ${join(shown, 'routers')}/ (imported),`,
    `  which tunnel plays which scenario: ${join(shown, 'tunnels.json')}.`,
    '',
    `  metrics     ${url}/metrics`,
    `  tunnels     ${url}/api/tunnels                (each tunnel twice: one row per router end)`,
    `  timeline    ${url}/timeline/${exampleId}`,
    `              (a missed rekey; any tunnel id from /api/tunnels works, also as ${url}/api/tunnels/ID/timeline)`,
    `  health      ${url}/healthz   ${url}/readyz`,
    ...monitoring,
    '',
    '  A summary every 15 s below. Ctrl-C stops the fleet and samon. Without the demo: npx samon run',
    '',
    '',
  ].join('\n');
}
