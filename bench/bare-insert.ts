// The floor of a durable write: one INSERT into a bare SQLite file with the store's durability
// (WAL, synchronous=FULL), so one fsync each; sampled by the benchmarks beside their figures.
import { join } from 'node:path';
import sqlite3 from 'sqlite3';

function run(db: sqlite3.Database, sql: string, params: unknown[] = []): Promise<void> {
  return new Promise((resolve, reject) => db.run(sql, params, (err) => (err ? reject(err) : resolve())));
}

/** A bare SQLite file with the store's durability, for one fsync'd insert at a time. */
export async function bareDb(dir: string): Promise<{ insertMs: (i: number) => Promise<number>; close: () => Promise<void> }> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d = new sqlite3.Database(join(dir, 'bare.db'), (err) => (err ? reject(err) : resolve(d)));
  });
  await run(db, 'PRAGMA journal_mode=WAL');
  await run(db, 'PRAGMA synchronous=FULL');
  await run(db, 'CREATE TABLE t (id TEXT PRIMARY KEY, data TEXT)');
  return {
    insertMs: async (i) => {
      const t0 = performance.now();
      await run(db, 'INSERT INTO t (id, data) VALUES (?, ?)', [`r${i}`, JSON.stringify({ caseId: `c${i}`, level: 5 })]);
      return performance.now() - t0;
    },
    close: () => new Promise<void>((r) => db.close(() => r())),
  };
}
