import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { LifecycleEvent } from '../../domain/lifecycle.js';
import type { RouterState } from '../../domain/sa/state.js';
import { BodyPool } from './bodyPool.js';
import { ByteWriter } from './byteWriter.js';
import { Capture } from './capture.js';
import type { Scrape } from './families.js';
import { LifecycleCounters } from './lifecycleCounters.js';
import type { MetricsBlock } from './renderMetrics.js';
import { ROUTER_FAMILIES } from './routerFamilies.js';
import { Surveyor } from './survey.js';
import { TUNNEL_FAMILIES, tunnelBytesBound } from './tunnelFamilies.js';
import { TunnelIndex } from './tunnelIndex.js';

export interface SaMetricsOptions {
  /** The router states to export, read at scrape time (the projector's); any order. */
  readonly states: () => Iterable<RouterState>;
  /** Tunnels that get per-tunnel series at most (metrics.maxTunnelSeries). */
  readonly maxTunnelSeries: number;
  /** Longest stretch a render runs before letting the event loop turn (default 10 ms). */
  readonly sliceMs?: number;
}

export interface RenderStats {
  readonly durationMs: number;
  /** The two passes: every tunnel once (aggregates, values, the cap), then the text. */
  readonly surveyMs: number;
  readonly writeMs: number;
  /** CPU time of the process in each pass (wall time stretches on a loaded host). */
  readonly surveyCpuMs: number;
  readonly writeCpuMs: number;
  /** The longest synchronous stretch of the render: how long it held the event loop at once. */
  readonly longestSliceMs: number;
  readonly longestSliceCpuMs: number;
  readonly bytes: number;
  readonly series: number;
  readonly tunnels: number;
  readonly dropped: number;
}

const millis = (cpu: NodeJS.CpuUsage): number => (cpu.user + cpu.system) / 1000;

/** Tunnels rendered between two looks at the clock. */
const RANGE = 2048;
/** Room per router for the router-level series of the tunnel families (unattributed counts). */
const ROUTER_SLACK = 4096;

/** Cuts a render into slices: pauses when the current slice has run for `sliceMs`. */
class Slicer {
  private sliceStart = performance.now();
  private cpuStart = process.cpuUsage();
  longest = 0;
  /** CPU time of the process during the longest slice (a loaded host stretches wall time). */
  longestCpu = 0;

  constructor(private readonly sliceMs: number) {}

  readonly pause = async (): Promise<void> => {
    const elapsed = performance.now() - this.sliceStart;
    if (elapsed < this.sliceMs) return;
    this.end(elapsed);
    await nextTurn();
    this.sliceStart = performance.now();
    this.cpuStart = process.cpuUsage();
  };

  end(elapsed = performance.now() - this.sliceStart): void {
    const cpu = process.cpuUsage(this.cpuStart);
    this.longestCpu = Math.max(this.longestCpu, (cpu.user + cpu.system) / 1000);
    this.longest = Math.max(this.longest, elapsed);
  }
}

/**
 * The fold-derived metrics of docs/metrics.md, rendered at scrape time from the projector's
 * state by a custom text renderer (prom-client's costs ~5 µs per series, too much for 10⁵
 * tunnels), plus counters fed by lifecycle events. The render cuts itself into slices so that
 * a large scrape never holds the event loop for long.
 */
export class SaMetrics implements MetricsBlock {
  private readonly counters = new LifecycleCounters();
  private readonly surveyor = new Surveyor(new TunnelIndex(), this.counters, new Capture());
  private readonly sliceMs: number;
  private inFlight: Promise<Buffer> | undefined;
  private stats: RenderStats | undefined;
  private readonly routerWriter = new ByteWriter(4096);
  private readonly bodies = new BodyPool();

  constructor(private readonly options: SaMetricsOptions) {
    this.sliceMs = options.sliceMs ?? 10;
  }

  /** The projector's onEvents hook. */
  onEvents(events: readonly LifecycleEvent[]): void {
    this.counters.observe(events);
  }

  get lastRender(): RenderStats | undefined {
    return this.stats;
  }

  /** `head` (the registry's text) followed by these families; concurrent scrapes share a render. */
  render(head: string): Promise<Buffer> {
    this.inFlight ??= this.renderNow(head).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async renderNow(head: string): Promise<Buffer> {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const slicer = new Slicer(this.sliceMs);
    const states = [...this.options.states()].sort((a, b) =>
      a.router < b.router ? -1 : a.router > b.router ? 1 : 0,
    );
    const found = await this.surveyor.survey(states, this.options.maxTunnelSeries, slicer.pause);
    const surveyed = performance.now();
    const surveyCpu = process.cpuUsage(cpuStarted);
    const scrape: Scrape = { survey: found, capture: this.surveyor.capture };

    let series = 0;
    const routers = this.routerWriter;
    routers.reset();
    for (const family of ROUTER_FAMILIES) {
      routers.text(family.header);
      series += family.routers?.(found, routers) ?? 0;
    }
    // Written straight into the body's memory, sized from above: nothing is copied.
    let size = Buffer.byteLength(head) + routers.length + tunnelBytesBound(scrape);
    for (const family of TUNNEL_FAMILIES) size += Buffer.byteLength(family.header);
    size += found.routers.length * ROUTER_SLACK;
    // sizing reads every exported tunnel's values, and taking fresh memory can fault it in
    await slicer.pause();
    const memory = this.bodies.take(size);
    const out = new ByteWriter(Buffer.from(memory));
    out.text(head);
    out.bytes(routers.view());
    const n = found.exported;
    for (const family of TUNNEL_FAMILIES) {
      out.text(family.header);
      if (family.tunnels) {
        for (let from = 0; from < n; from += RANGE) {
          series += family.tunnels(scrape, out, from, Math.min(n, from + RANGE));
          await slicer.pause();
        }
      }
      series += family.routers?.(found, out) ?? 0;
    }
    slicer.end();
    let body: Buffer;
    if (out.memory.buffer === memory) {
      body = this.bodies.lend(memory, out.length);
    } else {
      this.bodies.giveBack(memory);
      body = out.view();
    }
    const ended = performance.now();
    const cpu = process.cpuUsage(cpuStarted);
    this.stats = {
      durationMs: ended - started,
      surveyMs: surveyed - started,
      writeMs: ended - surveyed,
      surveyCpuMs: millis(surveyCpu),
      writeCpuMs: millis(cpu) - millis(surveyCpu),
      longestSliceMs: slicer.longest,
      longestSliceCpuMs: slicer.longestCpu,
      bytes: body.length,
      series,
      tunnels: n,
      dropped: found.dropped,
    };
    return body;
  }
}
