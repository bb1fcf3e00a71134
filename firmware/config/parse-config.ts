// parseConfig for tests, benches and the demo: synchronous, so it checks against every role's
// manifest (roles/index.ts) instead of loading the named ones as `halld run` does (load.ts).
import { dirname, resolve } from 'node:path';
import type { DeviceConfig } from './schema.js';
import { checkParsed, ConfigError, problemLines } from './load.js';
import { ROLE_MODULES } from '../roles/index.js';

/** Validates a parsed config, fills defaults, resolves relative paths against `file`'s folder. */
export function parseConfig(raw: unknown, file = 'config'): DeviceConfig {
  const base = file === 'config' ? process.cwd() : dirname(resolve(file));
  const result = checkParsed(raw, base, ROLE_MODULES);
  if (!result.config) throw new ConfigError(problemLines(file, result.problems), result.problems);
  return result.config;
}
