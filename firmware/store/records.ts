// Statements for the runtime's small tables (role state, meta, audit), which a caller adds to
// the unit that holds the change they belong to, and their reads.
import type { Sqlite } from './sqlite.js';
import type { Statement } from './commit-queue.js';

export function saveStateStatement(role: string, data: Record<string, unknown>, ts: number): Statement {
  return {
    sql: 'INSERT INTO role_state (role, data, ts) VALUES (?, ?, ?) ON CONFLICT(role) DO UPDATE SET data = excluded.data, ts = excluded.ts',
    params: [role, JSON.stringify(data), ts],
  };
}

export async function loadState(db: Sqlite, role: string): Promise<Record<string, unknown> | undefined> {
  const row = await db.get<{ data: string }>('SELECT data FROM role_state WHERE role = ?', [role]);
  return row ? (JSON.parse(row.data) as Record<string, unknown>) : undefined;
}

export function setMetaStatement(key: string, value: string): Statement {
  return { sql: 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value', params: [key, value] };
}

export async function getMeta(db: Sqlite, key: string): Promise<string | undefined> {
  return (await db.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', [key]))?.value;
}

export function auditStatement(kind: string, detail: Record<string, unknown>, ts: number): Statement {
  return { sql: 'INSERT INTO audit (ts, kind, detail) VALUES (?, ?, ?)', params: [ts, kind, JSON.stringify(detail)] };
}
