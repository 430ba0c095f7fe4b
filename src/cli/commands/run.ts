import type { Command } from 'commander';
import { withServiceOptions } from '../context.js';
import { runServices } from '../services.js';

/** `samon run` / `collect` / `project`: the service roles, together or apart. */
export function registerRunCommand(program: Command): void {
  withServiceOptions(
    program
      .command('run')
      .description(
        'run samon: collectors, projector and HTTP in one process, on the embedded log unless Kafka is configured',
      ),
  ).action((options: { config?: string; logLevel?: string }) =>
    runServices(['collect', 'project'], options),
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
