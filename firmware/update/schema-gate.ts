// The store schema a release can open. Migrations are forward-only and counted per owner
// (`core` and each role, firmware/store): a release knows N migrations of an owner and opens a
// database where at most N were applied, applying the rest. A database with more applied than
// a release knows was written by a newer release: opening it would need a downgrade, so that
// release is refused before `current` is switched to it. Read-only: the running halld keeps
// the database open and nothing here may change it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_MIGRATIONS } from '../store/schema.js';
import { appliedMigrations } from '../store/db-copy.js';
import { Sqlite } from '../store/sqlite.js';
import { ROLE_MODULES } from '../roles/index.js';

/** Migrations this release carries, by owner: the schema versions it can open are 0..N. */
export function knownSchema(): Record<string, number> {
  const known: Record<string, number> = { core: CORE_MIGRATIONS.length };
  for (const m of ROLE_MODULES) if (m.migrations) known[m.role] = m.migrations.length;
  return known;
}

export interface SchemaVerdict {
  readonly ok: boolean;
  readonly detail: string;
  /** Owners this release would migrate forward: from → to. */
  readonly migrates: Record<string, { from: number; to: number }>;
  readonly applied: Record<string, number>;
  readonly known: Record<string, number>;
}

/** Whether this release can open the data dir's database as it is now. */
export async function checkStoreSchema(dataDir: string, known: Record<string, number> = knownSchema()): Promise<SchemaVerdict> {
  const file = join(dataDir, 'halld.db');
  if (!existsSync(file)) return { ok: true, detail: `no database yet in ${dataDir}: created at the first start`, migrates: {}, applied: {}, known };
  const db = await Sqlite.open(file, 'readonly');
  try {
    const applied = await appliedMigrations(db);
    const newer = Object.entries(applied).filter(([owner, n]) => n > (known[owner] ?? 0));
    const migrates: Record<string, { from: number; to: number }> = {};
    for (const [owner, n] of Object.entries(known)) if ((applied[owner] ?? 0) < n && applied[owner] !== undefined) migrates[owner] = { from: applied[owner] ?? 0, to: n };
    if (newer.length > 0) {
      const what = newer.map(([owner, n]) => `${owner} at version ${n}, this release knows ${known[owner] ?? 0}`).join('; ');
      return { ok: false, detail: `the database was written by a newer release (${what}): opening it would need a downgrade`, migrates, applied, known };
    }
    const forward = Object.entries(migrates).map(([o, m]) => `${o} ${m.from}→${m.to}`);
    return { ok: true, detail: forward.length > 0 ? `opens it, migrating ${forward.join(', ')}` : 'opens it as it is', migrates, applied, known };
  } finally {
    await db.close();
  }
}
