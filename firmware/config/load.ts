// The one config loader behind `halld config check` and `halld run`: everything `run` needs
// before it touches hardware or the network is checked here, and every problem comes back as
// one line naming the file, the field, what was expected and what was found. `run` refuses
// to start with exactly the lines `config check` prints: never a stack trace for a mistake.
import { dirname, resolve } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import type { DeviceConfig } from './schema.js';
import { StrictFileSchema } from './file-schema.js';
import { strictConfigCheck } from './strict-check.js';
import { roleSectionProblems, sectionsOf, withRoleDefaults } from './role-sections.js';
import { loadRoleModules } from '../roles/load-role.js';
import type { RoleModule } from '../roles/role-module.js';
import { readConfigText } from './config-text.js';
import { describeJsonError } from './json-mistakes.js';
import { longStringProblems } from './long-strings.js';
import { configWarnings, type ConfigWarning } from './config-warnings.js';
import { migrateConfig } from './migrations.js';
import { schemaProblems, type ConfigProblem } from './schema-problems.js';
import { valueProblems } from './value-problems.js';
import { dataDirProblem } from '../data-dir/usable.js';

export type { ConfigProblem } from './schema-problems.js';
export { warningLines, type ConfigWarning } from './config-warnings.js';

export class ConfigError extends Error {
  readonly code: 'CONFIG_INVALID' | 'DATA_DIR_UNUSABLE';
  constructor(readonly lines: string[], problems: readonly ConfigProblem[]) {
    super(lines.join('\n'));
    this.name = 'ConfigError';
    this.code = problems.some((p) => p.kind === 'config') ? 'CONFIG_INVALID' : 'DATA_DIR_UNUSABLE';
  }
}

export interface ConfigCheck {
  /** Set when there are no problems. */
  config?: DeviceConfig;
  problems: ConfigProblem[];
  /** What a valid config may do but a hall device rarely should (empty while the file itself has problems). */
  warnings: ConfigWarning[];
  /** Migrations applied in memory ("0 -> 1: ..."), for the log. */
  migrated: string[];
}

export function problemLines(file: string, problems: readonly ConfigProblem[]): string[] {
  return problems.map((p) => (p.field === '' ? `${file}: ${p.message}` : `${file}: field ${p.field}: ${p.message}`));
}

/**
 * Shape, defaults, paths resolved against `base` (the config file's folder), values. No I/O but
 * TLS files. `roles` holds the manifests of (at least) `sys` and every role the file names
 * (rolesToLoad); the file's other sections are checked without any manifest (file-schema.ts).
 */
export function checkParsed(raw: unknown, base: string, roles: readonly RoleModule[]): { config?: DeviceConfig; problems: ConfigProblem[]; migrated: string[]; partial?: DeviceConfig } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { problems: [{ field: '', message: `expected a JSON object ({...}), found ${Array.isArray(raw) ? 'an array' : JSON.stringify(raw)}`, kind: 'config' }], migrated: [] };
  }
  const migration = migrateConfig(raw as Record<string, unknown>);
  if (!migration.ok) return { problems: [{ field: '/version', message: migration.message, kind: 'config' }], migrated: [] };
  const value = withRoleDefaults(Value.Default(StrictFileSchema, structuredClone(migration.raw)) as DeviceConfig, roles);
  const tooLong = longStringProblems(migration.raw);
  const fileProblems = schemaProblems(StrictFileSchema, value, migration.raw, strictConfigCheck());
  // `roles` comes last in the file's schema, so its sections' problems come last, as before.
  const shape = [...fileProblems, ...(fileProblems.some((p) => p.field === '/roles') ? [] : roleSectionProblems(value, migration.raw, roles))];
  // A field too long to quote is said once, by its length.
  const problems = [...tooLong, ...shape.filter((p) => !tooLong.some((l) => l.field === p.field))];
  const clean = (prefix: string) => !problems.some((p) => p.field === prefix || p.field.startsWith(`${prefix}/`));
  if (clean('/dataDir') && typeof value.dataDir === 'string') value.dataDir = resolve(base, value.dataDir);
  if (clean('/broker')) {
    for (const k of ['ca', 'cert', 'key'] as const) {
      const p = value.broker[k];
      if (p !== undefined) value.broker[k] = resolve(base, p);
    }
  }
  if (clean('/update')) {
    value.update.releaseKey = resolve(base, value.update.releaseKey);
    if (value.update.root !== undefined) value.update.root = resolve(base, value.update.root);
  }
  problems.push(...valueProblems(value, clean));
  return problems.length === 0 ? { config: value, problems, migrated: migration.applied } : { problems, migrated: migration.applied, partial: value };
}

/** The roles whose manifests checkParsed needs for `raw`: sys (every device has it) and those its `roles` names. */
export function rolesToLoad(raw: unknown): string[] {
  return ['sys', ...Object.keys(sectionsOf(raw) ?? {})];
}

/** Every check `run` makes before it opens the board or the broker, all problems at once. */
export async function checkConfigFile(file: string): Promise<ConfigCheck> {
  const fileProblem = (message: string): ConfigCheck => ({ problems: [{ field: '', message, kind: 'config' }], warnings: [], migrated: [] });
  const read = await readConfigText(file);
  if ('problem' in read) return fileProblem(read.problem);
  const { text } = read;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return fileProblem(`not valid JSON: ${describeJsonError(text, err as Error)}`);
  }
  const result = checkParsed(raw, dirname(resolve(file)), await loadRoleModules(rolesToLoad(raw)));
  const problems = [...result.problems];
  const value = result.config ?? result.partial;
  const clean = (prefix: string) => !problems.some((p) => p.field === prefix || p.field.startsWith(`${prefix}/`));
  if (value && clean('/dataDir') && typeof value.dataDir === 'string') {
    const why = await dataDirProblem(value.dataDir);
    if (why) problems.push({ field: '/dataDir', message: why, kind: 'data-dir' });
  }
  if (value && clean('/board') && clean('/io') && clean('/roles')) {
    const { deepConfigProblems } = await import('./deep-check.js');
    problems.push(...(await deepConfigProblems(value)));
  }
  // Warnings are about a config that is right in itself (a data dir on another machine does not hide them).
  const warnings = value && !problems.some((p) => p.kind === 'config') ? configWarnings(value) : [];
  return problems.length === 0 && value ? { config: value, problems, warnings, migrated: result.migrated } : { problems, warnings, migrated: result.migrated };
}

/** The config `run` starts with; a ConfigError carrying every problem line otherwise. */
export async function loadConfigFile(file: string): Promise<DeviceConfig> {
  const result = await checkConfigFile(file);
  if (!result.config) throw new ConfigError(problemLines(file, result.problems), result.problems);
  return result.config;
}
