// `halld run`'s command line read without commander, for the shape every start of a board
// has (the systemd unit's `halld run --config <file>`): commander and the CLI's other
// commands cost a start ~30 ms before the birth (docs/performance.md). Anything this does not
// read with certainty is left to commander, which answers it exactly as before: help, a
// mistake, an option `run` does not have, an option given twice, a value that starts with '-'.
import { LOG_FORMATS, LOG_LEVELS, type LogFormat } from './log-choices.js';

export interface RunOptions {
  config: string;
  log?: LogFormat;
  logLevel?: string;
}

const FLAG_NAMES: Readonly<Record<string, keyof RunOptions>> = { '-c': 'config', '--config': 'config', '--log': 'log', '--log-level': 'logLevel' };

const ALLOWED: Readonly<Record<keyof RunOptions, (value: string) => boolean>> = {
  config: (v) => v !== '',
  log: (v) => (LOG_FORMATS as readonly string[]).includes(v),
  logLevel: (v) => (LOG_LEVELS as readonly string[]).includes(v),
};

/**
 * `run`'s options when `args` (argv after node and the script) is `run` followed only by
 * -c/--config, --log and --log-level, each at most once, each with an allowed value given as
 * `--flag value` or `--flag=value`, and a config among them; undefined otherwise.
 */
export function plainRunOptions(args: readonly string[]): RunOptions | undefined {
  if (args[0] !== 'run') return undefined;
  const found: Partial<Record<keyof RunOptions, string>> = {};
  for (let i = 1; i < args.length; i++) {
    const arg = args[i] as string;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = FLAG_NAMES[eq > 0 ? arg.slice(0, eq) : arg];
    if (name === undefined || found[name] !== undefined) return undefined;
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value.startsWith('-') || !ALLOWED[name](value)) return undefined;
    found[name] = value;
  }
  if (found.config === undefined) return undefined;
  return {
    config: found.config,
    ...(found.log !== undefined ? { log: found.log as LogFormat } : {}),
    ...(found.logLevel !== undefined ? { logLevel: found.logLevel } : {}),
  };
}
