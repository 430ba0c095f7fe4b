import type { Command } from 'commander';
import { withServiceOptions } from '../context.js';
import { demoHooks } from '../demo/run.js';
import { runServices } from '../services.js';

interface RunOptions {
  config?: string;
  logLevel?: string;
  demo?: boolean;
  demoDir: string;
}

/** `samon run` / `collect` / `project`: the service roles, together or apart. */
export function registerRunCommand(program: Command): void {
  withServiceOptions(
    program
      .command('run')
      .description(
        'run samon: collectors, projector and HTTP in one process, on the embedded log unless Kafka is configured',
      ),
  )
    .option(
      '--demo',
      'with a simulated fleet of 12 routers sending syslog to it in real time, on a log of its own (docs/demo.md)',
    )
    .option(
      '--demo-dir <dir>',
      "the demo's log and router configurations (emptied at start)",
      'data/demo',
    )
    .action((options: RunOptions) =>
      runServices(
        ['collect', 'project'],
        options,
        options.demo ? demoHooks({ dir: options.demoDir }) : {},
      ),
    );
  withServiceOptions(
    program
      .command('collect')
      .description(
        'run the collectors only (syslog listeners, clock), writing to the configured log',
      ),
  ).action((options: { config?: string; logLevel?: string }) => runServices(['collect'], options));
  withServiceOptions(
    program
      .command('project')
      .description('run the projector and the HTTP API only, reading the configured log'),
  ).action((options: { config?: string; logLevel?: string }) => runServices(['project'], options));
}
