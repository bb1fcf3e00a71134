// The device's durable memory: one SQLite file in WAL mode with synchronous=FULL, because
// the records kept here (tickets, ratings, door events, the command journal, the outbox) must
// survive a power cut, not just a crash (WAL+NORMAL may roll a committed transaction back
// after power loss).
//
// This file opens the database and hands out its parts: the group commit (commit-queue.ts),
// the outbox (outbox.ts), the disk's health (store-health.ts), the small tables (records.ts)
// and schema versions (migrations.ts). The command journal's rows are kept by
// firmware/link/command-journal.ts through commit(), get() and all().
import { makePrivateDatabase, makePrivateDir } from '../data-dir/private.js';
import { join } from 'node:path';
import { Sqlite, type Params, type Row } from './sqlite.js';
import { CORE_MIGRATIONS } from './schema.js';
import type { StoreHealth } from './storage-fault.js';
import type { Clock } from '../../drivers/hal/types.js';
import { applyMigrations } from './migrations.js';
import { CommitQueue, type Statement } from './commit-queue.js';
import { Outbox, type NewEvent, type OutboxEvent } from './outbox.js';
import { StoreHealthMonitor, freeBytes, MIN_FREE_BYTES } from './store-health.js';
import * as records from './records.js';

export type { Statement } from './commit-queue.js';
export type { NewEvent, OutboxEvent } from './outbox.js';

export interface StoreOptions {
  /** Outbox bound; beyond it the oldest non-durable events are dropped. */
  maxOutbox?: number;
  /** Stamps rows and events (`now`) and measures uptime (`monotonicMs`): the runtime's injected clock. */
  clock: Clock;
  /** Told after every transaction of the commit queue reaches the disk (one fsync each); tests count with it. */
  onCommit?: () => void;
  /** Told before every call to SQLite's thread on the writing connection (each one a round trip); tests count with it. */
  onWriteTrip?: () => void;
}

export class Store {
  private closed = false;

  private constructor(
    private readonly db: Sqlite,
    /** A second connection for lookups on the command path, which must not queue behind a commit's fsync on `db`. */
    private readonly reader: Sqlite,
    private readonly dataDir: string,
    readonly boot: number,
    private readonly outbox: Outbox,
    private readonly queue: CommitQueue,
    private readonly monitor: StoreHealthMonitor,
    /** The time rows are stamped with (the runtime's clock). */
    readonly now: () => number,
  ) {}

  static async open(dataDir: string, options: StoreOptions): Promise<Store> {
    await makePrivateDir(dataDir);
    await makePrivateDatabase(join(dataDir, 'halld.db'));
    const db = await Sqlite.open(join(dataDir, 'halld.db'));
    if (options.onWriteTrip) db.onCall = options.onWriteTrip;
    // WAL lets readers go on while a transaction commits; FULL makes each commit durable.
    await db.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;');
    const check = await db.get<{ quick_check: string }>('PRAGMA quick_check');
    if (check && check.quick_check !== 'ok') {
      await db.close();
      throw new Error(`database ${dataDir}/halld.db is damaged (${check.quick_check}); move it aside and restart`);
    }
    await db.exec('CREATE TABLE IF NOT EXISTS migrations (owner TEXT PRIMARY KEY, applied INTEGER NOT NULL)');
    await applyMigrations(db, 'core', CORE_MIGRATIONS);
    const boot = Number((await records.getMeta(db, 'boot')) ?? 0) + 1;
    await db.run("INSERT INTO meta (key, value) VALUES ('boot', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [String(boot)]);
    const { clock } = options;
    const startedMono = clock.monotonicMs();
    const now = () => clock.now();
    const outbox = await Outbox.load(db, { boot, bound: options.maxOutbox ?? 100_000, now, uptimeMs: () => clock.monotonicMs() - startedMono });
    const monitor = new StoreHealthMonitor(now);
    // WAL lets this connection read the last committed state while `db` writes and fsyncs.
    const reader = await Sqlite.open(join(dataDir, 'halld.db'));
    await reader.exec('PRAGMA busy_timeout=5000;');
    return new Store(db, reader, dataDir, boot, outbox, new CommitQueue(db, outbox, monitor, options.onCommit), monitor, now);
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
    return this.queue.commit(statements, events);
  }

  get<T extends Row = Row>(sql: string, params: Params = []): Promise<T | undefined> {
    return this.db.get<T>(sql, params);
  }

  all<T extends Row = Row>(sql: string, params: Params = []): Promise<T[]> {
    return this.db.all<T>(sql, params);
  }

  /**
   * A read of at most a few committed rows (by key) that does not wait for a commit in progress (its own connection).
   * It sees what was committed before it started, nothing still queued: callers that need
   * their own pending writes keep them in memory (the dispatcher's recent acks and claims).
   */
  async lookup<T extends Row = Row>(sql: string, params: Params = []): Promise<T | undefined> {
    // all(), not get(): a kept statement left mid-way by get() would hold its read open.
    return (await this.reader.all<T>(sql, params))[0];
  }

  onEvents(listener: (events: OutboxEvent[]) => void): () => void {
    return this.queue.onEvents(listener);
  }

  /** ok, or the storage fault the last write hit (full, read-only, I/O); ok again after a write succeeds. */
  health(): StoreHealth {
    return this.monitor.health;
  }

  onHealthChange(listener: (health: StoreHealth) => void): () => void {
    return this.monitor.onChange(listener);
  }

  /**
   * Finds a full or read-only disk even when idle: the free space of the data dir's file system
   * first (a small write can still land in WAL pages SQLite already owns, so the write alone
   * cannot see a full disk), then one small row through the normal write path.
   */
  async probeWrite(): Promise<StoreHealth> {
    const free = await freeBytes(this.dataDir);
    if (free !== undefined && free < MIN_FREE_BYTES) {
      this.monitor.noteWrite(Object.assign(new Error(`${free} bytes free under ${this.dataDir}, below the ${MIN_FREE_BYTES} a commit may need`), { code: 'ENOSPC' }));
      return this.monitor.health;
    }
    await this.commit([this.setMetaStatement('probe', String(this.now()))]).catch(() => undefined);
    return this.monitor.health;
  }

  // ---- outbox (outbox.ts) ----

  /** Events with seq > afterSeq, oldest first. */
  outboxAfter(afterSeq: number, limit: number): Promise<OutboxEvent[]> {
    return this.outbox.after(afterSeq, limit);
  }

  /** The server stored everything up to `seq`: forget it. */
  acknowledgeUpTo(seq: number): Promise<number> {
    return this.outbox.acknowledgeUpTo(seq);
  }

  outboxStats(): { pending: number; lastSeq: number; dropped: number; bound: number } {
    return this.outbox.stats();
  }

  // ---- role state, meta, audit (records.ts) ----

  saveStateStatement(role: string, data: Record<string, unknown>): Statement {
    return records.saveStateStatement(role, data, this.now());
  }

  loadState(role: string): Promise<Record<string, unknown> | undefined> {
    return records.loadState(this.db, role);
  }

  setMetaStatement(key: string, value: string): Statement {
    return records.setMetaStatement(key, value);
  }

  getMeta(key: string): Promise<string | undefined> {
    return records.getMeta(this.db, key);
  }

  auditStatement(kind: string, detail: Record<string, unknown>): Statement {
    return records.auditStatement(kind, detail, this.now());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // The queue drains everything queued before this (a commit queued meanwhile joins it).
    await this.queue.drain();
    await this.reader.close();
    await this.db.close();
  }
}
