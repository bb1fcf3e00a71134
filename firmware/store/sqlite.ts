// A small promise layer over sqlite3's callback API. sqlite3 runs statements on libuv's
// thread pool; everything here goes through one connection in order, so callers see the
// same ordering they wrote.
import sqlite3 from 'sqlite3';

export type SqlValue = string | number | bigint | null | Buffer;
export type Params = SqlValue[];
export type Row = Record<string, SqlValue>;

export class SqliteError extends Error {
  readonly code: string;
  constructor(message: string, code: string, cause: unknown) {
    super(message, { cause });
    this.name = 'SqliteError';
    this.code = code;
  }
}

function wrap(err: Error & { code?: string }, sql: string): SqliteError {
  return new SqliteError(`${err.message} (in: ${sql.slice(0, 120)})`, err.code ?? 'SQLITE_ERROR', err);
}

export class Sqlite {
  private constructor(private readonly db: sqlite3.Database, readonly path: string) {}

  /** `readonly`: never writes or creates (an update's check of another release's database). */
  static open(path: string, mode: 'readwrite' | 'readonly' = 'readwrite'): Promise<Sqlite> {
    return new Promise((resolve, reject) => {
      const flags = mode === 'readonly' ? sqlite3.OPEN_READONLY : sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE;
      const db = new sqlite3.Database(path, flags, (err) => {
        if (err) reject(new SqliteError(`cannot open database ${path}: ${err.message}`, 'SQLITE_CANTOPEN', err));
        else resolve(new Sqlite(db, path));
      });
    });
  }

  run(sql: string, params: Params = []): Promise<{ changes: number; lastID: number }> {
    return new Promise((resolve, reject) => {
      this.db.run(sql, params, function (this: sqlite3.RunResult, err: Error | null) {
        if (err) reject(wrap(err, sql));
        else resolve({ changes: this.changes, lastID: this.lastID });
      });
    });
  }

  get<T extends Row = Row>(sql: string, params: Params = []): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
      this.db.get(sql, params, (err: Error | null, row: T | undefined) => (err ? reject(wrap(err, sql)) : resolve(row)));
    });
  }

  all<T extends Row = Row>(sql: string, params: Params = []): Promise<T[]> {
    return new Promise((resolve, reject) => {
      this.db.all(sql, params, (err: Error | null, rows: T[]) => (err ? reject(wrap(err, sql)) : resolve(rows)));
    });
  }

  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.db.exec(sql, (err) => (err ? reject(wrap(err, sql)) : resolve()));
    });
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.db.close((err) => (err ? reject(wrap(err, 'close')) : resolve()));
    });
  }
}
