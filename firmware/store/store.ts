// The device's durable memory: one SQLite file in WAL mode with synchronous=FULL, because
// the records kept here (tickets, ratings, door events, the command journal, the outbox) must
// survive a power cut, not just a crash (WAL+NORMAL may roll a committed transaction back
// after power loss).
//
// Writes are group-committed: every unit of work queued while a transaction is being written
// joins the next transaction, so one fsync covers many units. Each unit runs inside its own
// SAVEPOINT, so one failing unit is rolled back and rejected without taking its neighbours
// down. A unit's events get their `seq` only after its statements succeeded, in commit order.
import { statfs } from 'node:fs/promises';
import { makePrivateDatabase, makePrivateDir } from '../data-dir/private.js';
import { join } from 'node:path';
import { Sqlite, type Params, type Row } from './sqlite.js';
import { CORE_MIGRATIONS } from './schema.js';
import { newId } from '../../protocol/ids.js';
import { storageFault, type StoreHealth } from './storage-fault.js';
import type { Clock } from '../../drivers/hal/types.js';

export interface Statement {
  sql: string;
  params?: Params;
}

export interface NewEvent {
  role: string;
  name: string;
  data: Record<string, unknown>;
  /** Durable events (tickets, ratings, door events) are never dropped by the outbox bound. */
  durable: boolean;
}

export interface OutboxEvent {
  seq: number;
  id: string;
  role: string;
  name: string;
  durable: boolean;
  boot: number;
  up: number;
  ts: number;
  /** JSON text of the event's data. */
  data: string;
}

export interface JournalRow {
  id: string;
  role: string;
  name: string;
  state: 'received' | 'actuating' | 'done';
  ack: string | null;
}

export interface StoreOptions {
  /** Outbox bound; beyond it the oldest non-durable events are dropped. */
  maxOutbox?: number;
  /** Stamps rows and events (`now`) and measures uptime (`monotonicMs`): the runtime's injected clock. */
  clock: Clock;
}

interface Unit {
  statements: Statement[];
  events: NewEvent[];
  resolve: (events: OutboxEvent[]) => void;
  reject: (err: unknown) => void;
}

const OUTBOX_INSERT_HEAD = 'INSERT INTO outbox (seq, id, role, name, durable, boot, up, ts, data) VALUES';
const OUTBOX_ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?)';
/** Rows per INSERT: 9 parameters each, well under SQLite's 32,766-parameter limit. */
const INSERT_CHUNK = 500;

export class Store {
  readonly boot: number;
  private pending: Unit[] = [];
  private committing = false;
  /** The running flush, so close() can wait for it instead of polling. */
  private flushing: Promise<void> = Promise.resolve();
  private lastSeq: number;
  private outboxCount: number;
  private droppedCount: number;
  private readonly listeners = new Set<(events: OutboxEvent[]) => void>();
  private closed = false;
  private healthNow: StoreHealth = { ok: true };
  private readonly healthListeners = new Set<(health: StoreHealth) => void>();

  private constructor(
    private readonly db: Sqlite,
    private readonly dataDir: string,
    state: { boot: number; lastSeq: number; outboxCount: number; dropped: number },
    private readonly maxOutbox: number,
    private readonly now: () => number,
    private readonly uptimeMs: () => number,
  ) {
    this.boot = state.boot;
    this.lastSeq = state.lastSeq;
    this.outboxCount = state.outboxCount;
    this.droppedCount = state.dropped;
  }

  static async open(dataDir: string, options: StoreOptions): Promise<Store> {
    await makePrivateDir(dataDir);
    await makePrivateDatabase(join(dataDir, 'halld.db'));
    const db = await Sqlite.open(join(dataDir, 'halld.db'));
    // WAL lets readers go on while a transaction commits; FULL makes each commit durable.
    await db.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;');
    const check = await db.get<{ quick_check: string }>('PRAGMA quick_check');
    if (check && check.quick_check !== 'ok') {
      await db.close();
      throw new Error(`database ${dataDir}/halld.db is damaged (${check.quick_check}); move it aside and restart`);
    }
    await db.exec('CREATE TABLE IF NOT EXISTS migrations (owner TEXT PRIMARY KEY, applied INTEGER NOT NULL)');
    await applyMigrations(db, 'core', CORE_MIGRATIONS);
    const meta = async (key: string) => Number((await db.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', [key]))?.value ?? 0);
    const boot = (await meta('boot')) + 1;
    await db.run("INSERT INTO meta (key, value) VALUES ('boot', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [String(boot)]);
    const maxRow = await db.get<{ m: number | null; c: number }>('SELECT max(seq) AS m, count(*) AS c FROM outbox');
    const lastSeq = Math.max(await meta('lastSeq'), Number(maxRow?.m ?? 0));
    const { clock } = options;
    const startedMono = clock.monotonicMs();
    return new Store(
      db,
      dataDir,
      { boot, lastSeq, outboxCount: Number(maxRow?.c ?? 0), dropped: await meta('dropped') },
      options.maxOutbox ?? 100_000,
      () => clock.now(),
      () => clock.monotonicMs() - startedMono,
    );
  }

  /** Applies a role's migrations once each, in order; `owner` keys the role's own schema version. */
  migrate(owner: string, migrations: string[]): Promise<void> {
    return applyMigrations(this.db, owner, migrations);
  }

  /**
   * Writes statements and events in one durable transaction (shared with other units queued
   * meanwhile). Resolves after the commit reached the disk, with the events as stored.
   */
  commit(statements: Statement[], events: NewEvent[] = []): Promise<OutboxEvent[]> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ statements, events, resolve, reject });
      if (!this.committing) void this.flush();
    });
  }

  get<T extends Row = Row>(sql: string, params: Params = []): Promise<T | undefined> {
    return this.db.get<T>(sql, params);
  }

  all<T extends Row = Row>(sql: string, params: Params = []): Promise<T[]> {
    return this.db.all<T>(sql, params);
  }

  onEvents(listener: (events: OutboxEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** ok, or the storage fault the last write hit (full, read-only, I/O); ok again after a write succeeds. */
  health(): StoreHealth {
    return this.healthNow;
  }

  onHealthChange(listener: (health: StoreHealth) => void): () => void {
    this.healthListeners.add(listener);
    return () => this.healthListeners.delete(listener);
  }

  /**
   * Finds a full or read-only disk even when idle: the free space of the data dir's file system
   * first (a small write can still land in WAL pages SQLite already owns, so the write alone
   * cannot see a full disk), then one small row through the normal write path.
   */
  async probeWrite(): Promise<StoreHealth> {
    const free = await freeBytes(this.dataDir);
    if (free !== undefined && free < MIN_FREE_BYTES) {
      this.noteWrite(Object.assign(new Error(`${free} bytes free under ${this.dataDir}, below the ${MIN_FREE_BYTES} a commit may need`), { code: 'ENOSPC' }));
      return this.healthNow;
    }
    await this.commit([this.setMetaStatement('probe', String(this.now()))]).catch(() => undefined);
    return this.healthNow;
  }

  private noteWrite(err: unknown): void {
    const fault = err === undefined ? undefined : storageFault(err);
    if (err !== undefined && !fault) return; // a unit's own failure (a constraint), not the disk's
    const was = this.healthNow;
    if (fault) {
      if (!was.ok && was.reason === fault.reason) return;
      this.healthNow = { ok: false, reason: fault.reason, code: fault.code, detail: (err as Error).message, since: this.now() };
    } else {
      if (was.ok) return;
      this.healthNow = { ok: true };
    }
    for (const l of this.healthListeners) l(this.healthNow);
  }

  private flush(): Promise<void> {
    this.flushing = this.flushBatches();
    return this.flushing;
  }

  private async flushBatches(): Promise<void> {
    this.committing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        await this.writeBatch(batch);
      }
    } finally {
      this.committing = false;
    }
  }

  private async writeBatch(batch: Unit[]): Promise<void> {
    const results = new Map<Unit, OutboxEvent[]>();
    const failed = new Map<Unit, unknown>();
    const seqBefore = this.lastSeq;
    const countBefore = this.outboxCount;
    const droppedBefore = this.droppedCount;
    try {
      await this.db.run('BEGIN IMMEDIATE');
      // Statements first, each unit in its own savepoint (only units that have statements:
      // a savepoint costs two round trips to the SQLite thread).
      for (const unit of batch) {
        if (unit.statements.length === 0) continue;
        await this.db.run('SAVEPOINT unit');
        try {
          for (const s of unit.statements) await this.db.run(s.sql, s.params ?? []);
          await this.db.run('RELEASE unit');
        } catch (err) {
          // A full or failing disk fails the whole batch (SQLite may have rolled the
          // transaction back already); only a unit's own error is rolled back alone.
          if (storageFault(err)) throw err;
          await this.db.run('ROLLBACK TO unit');
          await this.db.run('RELEASE unit');
          failed.set(unit, err);
        }
      }
      // Then every surviving unit's events, seq in queue order, in multi-row INSERTs.
      const rows: OutboxEvent[] = [];
      for (const unit of batch) {
        if (failed.has(unit)) continue;
        const stored = unit.events.map((e) => this.eventRow(e));
        rows.push(...stored);
        results.set(unit, stored);
      }
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        const chunk = rows.slice(i, i + INSERT_CHUNK);
        const params = chunk.flatMap((r) => [r.seq, r.id, r.role, r.name, r.durable ? 1 : 0, r.boot, r.up, r.ts, r.data]);
        await this.db.run(`${OUTBOX_INSERT_HEAD} ${chunk.map(() => OUTBOX_ROW).join(',')}`, params);
      }
      this.outboxCount += rows.length;
      if (this.lastSeq !== seqBefore) {
        await this.db.run("INSERT INTO meta (key, value) VALUES ('lastSeq', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [
          String(this.lastSeq),
        ]);
        await this.enforceBound();
      }
      await this.db.run('COMMIT');
    } catch (err) {
      this.lastSeq = seqBefore;
      this.outboxCount = countBefore;
      this.droppedCount = droppedBefore;
      await this.db.run('ROLLBACK').catch(() => undefined);
      this.noteWrite(err);
      for (const unit of batch) unit.reject(err);
      return;
    }
    if (batch.some((u) => u.statements.length > 0 || u.events.length > 0)) this.noteWrite(undefined);
    const published: OutboxEvent[] = [];
    for (const unit of batch) {
      const err = failed.get(unit);
      if (err !== undefined) unit.reject(err);
      else {
        const events = results.get(unit) ?? [];
        published.push(...events);
        unit.resolve(events);
      }
    }
    if (published.length > 0) for (const l of this.listeners) l(published);
  }

  private eventRow(e: NewEvent): OutboxEvent {
    return {
      seq: ++this.lastSeq,
      id: newId('e'),
      role: e.role,
      name: e.name,
      durable: e.durable,
      boot: this.boot,
      up: Math.max(0, Math.round(this.uptimeMs())),
      ts: this.now(),
      data: JSON.stringify(e.data),
    };
  }

  /** Drops the oldest non-durable events beyond the bound; durable ones are never dropped. */
  private async enforceBound(): Promise<void> {
    const excess = this.outboxCount - this.maxOutbox;
    if (excess <= 0) return;
    const { changes } = await this.db.run(
      'DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE durable = 0 ORDER BY seq LIMIT ?)',
      [excess],
    );
    if (changes === 0) return;
    this.outboxCount -= changes;
    this.droppedCount += changes;
    await this.db.run("INSERT INTO meta (key, value) VALUES ('dropped', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [
      String(this.droppedCount),
    ]);
  }

  // ---- outbox ----

  /** Events with seq > afterSeq, oldest first. */
  async outboxAfter(afterSeq: number, limit: number): Promise<OutboxEvent[]> {
    const rows = await this.db.all<Row>('SELECT * FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?', [afterSeq, limit]);
    return rows.map((r) => ({
      seq: Number(r['seq']),
      id: String(r['id']),
      role: String(r['role']),
      name: String(r['name']),
      durable: Number(r['durable']) === 1,
      boot: Number(r['boot']),
      up: Number(r['up']),
      ts: Number(r['ts']),
      data: String(r['data']),
    }));
  }

  /** The server stored everything up to `seq`: forget it. */
  async acknowledgeUpTo(seq: number): Promise<number> {
    const { changes } = await this.db.run('DELETE FROM outbox WHERE seq <= ?', [seq]);
    this.outboxCount = Math.max(0, this.outboxCount - changes);
    return changes;
  }

  outboxStats(): { pending: number; lastSeq: number; dropped: number; bound: number } {
    return { pending: this.outboxCount, lastSeq: this.lastSeq, dropped: this.droppedCount, bound: this.maxOutbox };
  }

  // ---- command journal ----

  async journalGet(id: string): Promise<JournalRow | undefined> {
    const row = await this.db.get<Row>('SELECT id, role, name, state, ack FROM journal WHERE id = ?', [id]);
    if (!row) return undefined;
    return {
      id: String(row['id']),
      role: String(row['role']),
      name: String(row['name']),
      state: row['state'] as JournalRow['state'],
      ack: row['ack'] === null ? null : String(row['ack']),
    };
  }

  journalBegin(id: string, role: string, name: string, state: 'received' | 'actuating'): Promise<OutboxEvent[]> {
    return this.commit([
      {
        sql: 'INSERT INTO journal (id, role, name, state, ack, received_at) VALUES (?, ?, ?, ?, NULL, ?) ON CONFLICT(id) DO UPDATE SET state = excluded.state',
        params: [id, role, name, state, this.now()],
      },
    ]);
  }

  /** Statements that record a command's final ack; callers add them to the unit that holds the command's effect. */
  journalFinishStatement(id: string, role: string, name: string, ack: string): Statement {
    return {
      sql: `INSERT INTO journal (id, role, name, state, ack, received_at) VALUES (?, ?, ?, 'done', ?, ?)
            ON CONFLICT(id) DO UPDATE SET state = 'done', ack = excluded.ack`,
      params: [id, role, name, ack, this.now()],
    };
  }

  /** Rows a previous boot left unfinished; the caller turns them into INDETERMINATE / INTERNAL answers. */
  async journalUnfinished(): Promise<JournalRow[]> {
    const rows = await this.db.all<Row>("SELECT id, role, name, state, ack FROM journal WHERE state != 'done'");
    return rows.map((r) => ({ id: String(r['id']), role: String(r['role']), name: String(r['name']), state: r['state'] as JournalRow['state'], ack: null }));
  }

  async journalPrune(olderThanMs: number, keepAtMost: number): Promise<number> {
    const cutoff = this.now() - olderThanMs;
    const byAge = await this.db.run("DELETE FROM journal WHERE received_at < ? AND state = 'done'", [cutoff]);
    const byCount = await this.db.run(
      "DELETE FROM journal WHERE state = 'done' AND id IN (SELECT id FROM journal ORDER BY received_at DESC LIMIT -1 OFFSET ?)",
      [keepAtMost],
    );
    return byAge.changes + byCount.changes;
  }

  // ---- role state, meta, audit ----

  saveStateStatement(role: string, data: Record<string, unknown>): Statement {
    return {
      sql: 'INSERT INTO role_state (role, data, ts) VALUES (?, ?, ?) ON CONFLICT(role) DO UPDATE SET data = excluded.data, ts = excluded.ts',
      params: [role, JSON.stringify(data), this.now()],
    };
  }

  async loadState(role: string): Promise<Record<string, unknown> | undefined> {
    const row = await this.db.get<{ data: string }>('SELECT data FROM role_state WHERE role = ?', [role]);
    return row ? (JSON.parse(row.data) as Record<string, unknown>) : undefined;
  }

  setMetaStatement(key: string, value: string): Statement {
    return { sql: 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value', params: [key, value] };
  }

  async getMeta(key: string): Promise<string | undefined> {
    return (await this.db.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', [key]))?.value;
  }

  auditStatement(kind: string, detail: Record<string, unknown>): Statement {
    return { sql: 'INSERT INTO audit (ts, kind, detail) VALUES (?, ?, ?)', params: [this.now(), kind, JSON.stringify(detail)] };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // flush() drains everything queued before it ends (a commit queued meanwhile joins it).
    await this.flushing.catch(() => undefined);
    await this.db.close();
  }
}

/** Below this much free space a commit (pages, WAL frames, their headers) may fail with SQLITE_FULL. */
const MIN_FREE_BYTES = 64 * 1024;

/** Bytes an unprivileged process may still write on the data dir's file system; undefined when it cannot be read. */
async function freeBytes(dir: string): Promise<number | undefined> {
  try {
    const fs = await statfs(dir);
    return fs.bavail * fs.bsize;
  } catch {
    return undefined;
  }
}

async function applyMigrations(db: Sqlite, owner: string, migrations: string[]): Promise<void> {
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
