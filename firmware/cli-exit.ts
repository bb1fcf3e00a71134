// How the `halld` command ends on a person's mistake: one line on stderr and the exit status
// that names the kind (exit-codes.ts), no stack trace. Shared by the commander CLI (cli.ts) and
// the daemon's own start (daemon.ts); only these three files exit the process.
import { checkConfigFile, problemLines, ConfigError, type ConfigWarning } from './config/load.js';
import type { DeviceConfig } from './config/schema.js';
import { EXIT_CONFIG, EXIT_DATA_DIR, EXIT_INTERNAL } from './exit-codes.js';

export function fail(message: string, code = EXIT_CONFIG): never {
  process.stderr.write(`halld: ${message}\n`);
  process.exit(code);
}

/** `config check` and `run` share this: every problem one line on stderr, then the exit status that names the kind. */
export async function checkedConfig(file: string): Promise<{ config: DeviceConfig; warnings: ConfigWarning[] }> {
  const result = await checkConfigFile(file);
  if (result.config) return { config: result.config, warnings: result.warnings };
  for (const line of problemLines(file, result.problems)) process.stderr.write(`${line}\n`);
  process.exit(result.problems.some((p) => p.kind === 'config') ? EXIT_CONFIG : EXIT_DATA_DIR);
}

/** A command's error that reached the top: a mistake a person can fix in one line, or a bug with its stack. */
export function exitOnError(err: unknown): never {
  if (err instanceof ConfigError) fail(err.message, err.code === 'CONFIG_INVALID' ? EXIT_CONFIG : EXIT_DATA_DIR);
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE') fail(`port already in use (${e.message}); pick another with --port`);
  process.stderr.write(`halld: internal error: ${e.stack ?? String(err)}\n`);
  process.exit(EXIT_INTERNAL);
}
