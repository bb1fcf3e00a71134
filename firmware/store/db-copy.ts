// Two things an update needs from the store without opening it as the runtime does (no
// migrations, no boot count): which schema versions the database is at, and a consistent copy
// of it. The copy is SQLite's VACUUM INTO, one read transaction, so it holds every committed
// transaction (those still in the WAL too) and nothing half-written; then it is fsynced.
import { open, rm } from 'node:fs/promises';
import type { Sqlite } from './sqlite.js';

/** Migrations applied per owner (`core` and each role); empty before the first start. */
export async function appliedMigrations(db: Sqlite): Promise<Record<string, number>> {
  const hasTable = await db.get("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'migrations'");
  const rows = hasTable ? await db.all<{ owner: string; applied: number }>('SELECT owner, applied FROM migrations') : [];
  const applied: Record<string, number> = {};
  for (const r of rows) applied[String(r.owner)] = Number(r.applied);
  return applied;
}

/** Writes a consistent copy of `db` to `dest` (which must not exist) and fsyncs it. */
export async function copyDatabase(db: Sqlite, dest: string): Promise<void> {
  await rm(dest, { force: true });
  await db.run('VACUUM INTO ?', [dest]);
  const handle = await open(dest, 'r+');
  try {
    await handle.chmod(0o600);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
