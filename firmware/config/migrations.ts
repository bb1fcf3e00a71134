// The config file carries a `version`. When a later halld changes the file's shape, it adds
// a migration here from the old version to the next, so files already on boards keep
// working: a file is migrated in memory, step by step, before it is checked. A file without
// `version` is taken as the current version (every file written before the field existed
// is version 1).

/** The config version this halld writes and reads natively. */
export const CONFIG_VERSION = 1;

export interface ConfigMigration {
  from: number;
  /** Takes a file of version `from`, returns it at version `from + 1` (and says so in `version`). */
  migrate(raw: Record<string, unknown>): Record<string, unknown>;
  /** One line for the log, what changed. */
  summary: string;
}

/** Version 1 is the first: nothing to migrate yet. */
export const CONFIG_MIGRATIONS: readonly ConfigMigration[] = [];

export type MigrationResult = { ok: true; raw: Record<string, unknown>; applied: string[] } | { ok: false; message: string };

export function migrateConfig(raw: Record<string, unknown>, migrations: readonly ConfigMigration[] = CONFIG_MIGRATIONS, current = CONFIG_VERSION): MigrationResult {
  const version = raw['version'] ?? current;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) return { ok: false, message: `expected a whole number (this halld reads up to ${current}), found ${JSON.stringify(version)}` };
  if (version > current) return { ok: false, message: `this file is version ${version}, written for a newer halld; this halld reads up to version ${current}` };
  let value = raw;
  const applied: string[] = [];
  for (let v = version; v < current; v++) {
    const step = migrations.find((m) => m.from === v);
    if (!step) return { ok: false, message: `version ${v} files are no longer read by this halld (no migration from ${v} to ${v + 1})` };
    value = step.migrate(structuredClone(value));
    if (value['version'] !== v + 1) return { ok: false, message: `migration from version ${v} did not produce version ${v + 1}` };
    applied.push(`${v} -> ${v + 1}: ${step.summary}`);
  }
  return { ok: true, raw: value, applied };
}
