import type { Command } from 'commander';
import { registerLintCommand } from './lint.js';
import { registerParseCommand } from './parse.js';
import { registerPollCommand } from './poll.js';
import { registerReplayCommand } from './replay.js';
import { registerRunCommand } from './run.js';
import { registerSimulateCommand } from './simulate.js';
import { registerTimelineCommand } from './timeline.js';

/**
 * Every working command registers here, nowhere else. A command exists once it works:
 * no placeholders (contracts.md lists the full set).
 */
export function registerCommands(program: Command): void {
  registerLintCommand(program);
  registerParseCommand(program);
  registerPollCommand(program);
  registerReplayCommand(program);
  registerRunCommand(program);
  registerSimulateCommand(program);
  registerTimelineCommand(program);
}
