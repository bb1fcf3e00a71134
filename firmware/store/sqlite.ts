// A small promise layer over sqlite3's callback API. sqlite3 runs statements on libuv's
// thread pool; everything here goes through one connection in order, so callers see the
// same ordering they wrote.
//
// Statements that run again and again (the command path's BEGIN, journal row and COMMIT) are
// prepared once and kept: sqlite3's run()/all() otherwise build and compile a new statement on
// every call, which was the device's largest CPU cost per sys/ping. The first use of a text
// runs it the ordinary way (so its errors reach the caller as always) and prepares the kept
// copy beside it; a text that fails to prepare is never kept.
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

/** At most this many kept statements per connection; texts beyond it run the ordinary way. */
const MAX_KEPT = 128;
/** Multi-row INSERTs vary with their row count: texts with more parameters than this are not kept. */
const MAX_KEPT_PARAMS = 16;

export class Sqlite {
  private readonly kept = new Map<string, sqlite3.Statement>();
  /** Told before every call that goes to SQLite's thread (run, get, all, exec): how tests count round trips. */
  onCall: () => void = () => undefined;
  private readonly preparing = new Map<string, Promise<void>>();

  private constructor(private readonly db: sqlite3.Database, readonly path: string) {}

  /** The kept statement for `sql`, or undefined (then it starts preparing one for next time). */
  private keptStatement(sql: string, params: Params): sqlite3.Statement | undefined {
    const st = this.kept.get(sql);
    if (st || params.length > MAX_KEPT_PARAMS || this.preparing.has(sql) || this.kept.size + this.preparing.size >= MAX_KEPT) return st;
    let prepared!: sqlite3.Statement;
    const ready = new Promise<void>((resolve) => {
      prepared = this.db.prepare(sql, (err) => {
        this.preparing.delete(sql);
        if (err) prepared.finalize(() => resolve());
        else {
          this.kept.set(sql, prepared);
          resolve();
        }
      });
    });
    this.preparing.set(sql, ready);
    return undefined;
  }

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
    this.onCall();
    return new Promise((resolve, reject) => {
      const done = function (this: sqlite3.RunResult, err: Error | null) {
        if (err) reject(wrap(err, sql));
        else resolve({ changes: this.changes, lastID: this.lastID });
      };
      const st = this.keptStatement(sql, params);
      if (st) st.run(params, done);
      else this.db.run(sql, params, done);
    });
  }

  get<T extends Row = Row>(sql: string, params: Params = []): Promise<T | undefined> {
    this.onCall();
    return new Promise((resolve, reject) => {
      this.db.get(sql, params, (err: Error | null, row: T | undefined) => (err ? reject(wrap(err, sql)) : resolve(row)));
    });
  }

  all<T extends Row = Row>(sql: string, params: Params = []): Promise<T[]> {
    this.onCall();
    return new Promise((resolve, reject) => {
      const done = (err: Error | null, rows: T[]) => (err ? reject(wrap(err, sql)) : resolve(rows));
      const st = this.keptStatement(sql, params);
      if (st) st.all(params, done);
      else this.db.all(sql, params, done);
    });
  }

  exec(sql: string): Promise<void> {
    this.onCall();
    return new Promise((resolve, reject) => {
      this.db.exec(sql, (err) => (err ? reject(wrap(err, sql)) : resolve()));
    });
  }

  async close(): Promise<void> {
    // Kept statements hold the connection open: finalize them first (and those still preparing).
    await Promise.all([...this.preparing.values()]);
    await Promise.all([...this.kept.values()].map((st) => new Promise<void>((resolve) => st.finalize(() => resolve()))));
    this.kept.clear();
    return new Promise((resolve, reject) => {
      this.db.close((err) => (err ? reject(wrap(err, 'close')) : resolve()));
    });
  }
}
