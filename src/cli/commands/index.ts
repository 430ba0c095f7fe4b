import type { Command } from 'commander';

/**
 * Every working command registers here, nowhere else. A command exists once it works:
 * no placeholders (contracts.md lists the full set).
 */
export function registerCommands(_program: Command): void {}
