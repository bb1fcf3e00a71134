// Schema versions: each owner (`core`, or a role by its name) has an ordered list of migrations,
// applied once each in one transaction; a database written by newer firmware is refused.
import type { Sqlite } from './sqlite.js';

export async function applyMigrations(db: Sqlite, owner: string, migrations: string[]): Promise<void> {
  const row = await db.get<{ applied: number }>('SELECT applied FROM migrations WHERE owner = ?', [owner]);
  const applied = Number(row?.applied ?? 0);
  if (applied > migrations.length) {
    throw new Error(`database schema for "${owner}" is newer (${applied}) than this firmware knows (${migrations.length}); refusing to run an older firmware on it`);
  }
  if (applied === migrations.length) return;
  await db.run('BEGIN IMMEDIATE');
  try {
    for (const sql of migrations.slice(applied)) await db.exec(sql);
    await db.run('INSERT INTO migrations (owner, applied) VALUES (?, ?) ON CONFLICT(owner) DO UPDATE SET applied = excluded.applied', [
      owner,
      migrations.length,
    ]);
    await db.run('COMMIT');
  } catch (err) {
    await db.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
