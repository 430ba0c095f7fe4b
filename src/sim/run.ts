import { writeFile } from 'node:fs/promises';
import type { ConfigVersion } from './configHistory.js';
import type { Destination } from './destination.js';
import type { Simulation } from './simulate.js';
import { openWriter } from './writers.js';

// Plays a simulation into its destination: all at once (`speed` 0), or paced so that `speed`
// virtual seconds pass per real second. The clock and the sleep are injected.

export interface RunOptions {
  readonly destination: Destination;
  readonly speed: number;
  readonly truthFile?: string;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly onProgress?: (sent: number, total: number, virtualMs: number) => void;
  readonly signal?: AbortSignal;
  /** Called with each configuration committed during the run, when its virtual time comes. */
  readonly onConfig?: (version: ConfigVersion) => Promise<void>;
  /** Called once the pace's real start is fixed: virtual = start + (now − startReal) × speed. */
  readonly onStart?: (startReal: number) => void;
}

export async function runSimulation(sim: Simulation, options: RunOptions): Promise<number> {
  if (options.truthFile !== undefined) {
    const body = [sim.header, ...sim.truth].map((e) => JSON.stringify(e)).join('\n');
    await writeFile(options.truthFile, `${body}\n`);
  }
  const writer = await openWriter(options.destination);
  const total = sim.lines.length;
  const startVirtual = Date.parse(sim.header.simulation.start);
  const startReal = options.now();
  options.onStart?.(startReal);
  let sent = 0;
  let lastReport = -1;
  const versions = options.onConfig ? sim.configVersions : [];
  let nextVersion = 0;
  const pace = async (ms: number) => {
    if (options.speed <= 0) return;
    const due = startReal + (ms - startVirtual) / options.speed;
    const wait = due - options.now();
    if (wait > 0) await options.sleep(wait);
  };
  try {
    for (const { ms, line } of sim.lines) {
      if (options.signal?.aborted) break;
      // A commit goes before the lines of its moment: samon should know the new configuration
      // when the SAs it governs are logged.
      while (nextVersion < versions.length && versions[nextVersion]!.ms <= ms) {
        const version = versions[nextVersion++]!;
        await pace(version.ms);
        await options.onConfig!(version);
      }
      await pace(ms);
      await writer.write(line);
      sent++;
      const bucket = Math.floor((sent * 10) / Math.max(1, total));
      if (bucket !== lastReport) {
        lastReport = bucket;
        options.onProgress?.(sent, total, ms);
      }
    }
  } finally {
    await writer.close();
  }
  return sent;
}
