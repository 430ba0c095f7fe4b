import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.js';
import { CliExit } from './exit.js';
import { packageVersion } from './version.js';

/** Builds the `samon` program. Each command lives in ./commands and registers itself. */
export function buildProgram(): Command {
  const program = new Command()
    .name('samon')
    .description('Event-sourced monitor of IPsec security associations on Juniper Junos routers')
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program);
  return program;
}

/** Runs the CLI and returns the exit status (contracts.md: 0 ok, 1 runtime failure, 2 usage/config). */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CliExit) {
      if (error.message) process.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof CommanderError) {
      // Help and version exit 0; a usage error exits 2 (commander already printed it).
      return error.exitCode === 0 ? 0 : 2;
    }
    process.stderr.write(
      `samon: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}
