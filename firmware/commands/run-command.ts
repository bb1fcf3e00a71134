// The `run` command as commander knows it: for `halld run --help` and for every run line that
// run-argv.ts leaves to commander (a test holds the two readings of a line together).
import { Option, type Command } from 'commander';
import { LOG_FORMATS, LOG_LEVELS } from '../log-choices.js';
import type { RunOptions } from '../run-argv.js';

export function addRunCommand(program: Command, action: (opts: RunOptions) => Promise<void>): Command {
  return program
    .command('run')
    .description('run this device as its config file describes (checks it exactly as `config check` does first)')
    .requiredOption('-c, --config <file>', 'device config (JSON)')
    .addOption(new Option('--log <format>', 'log format (default: pretty on a terminal, json otherwise)').choices([...LOG_FORMATS]))
    .addOption(new Option('--log-level <level>', 'log level (overrides HALLD_LOG and log.level in the config)').choices([...LOG_LEVELS]))
    .action(action);
}
