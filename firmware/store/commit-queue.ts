// Group commit: every unit of work queued while a transaction is being written joins the next
// transaction, so one fsync covers many units. Each unit runs inside its own SAVEPOINT, so one
// failing unit is rolled back and rejected without taking its neighbours down. A unit's events
// get their `seq` only after its statements succeeded, in commit order.
//
// A batch first goes to SQLite in one trip: BEGIN, every statement (its parameters written in as
// literals, sql-literal.ts), the outbox rows and COMMIT in one exec(). Each awaited statement is
// otherwise a trip to libuv's thread pool and back through a busy event loop (a rating's
// transaction was six). Should anything in that trip fail, it is rolled back whole and the batch
// is written the careful way below, statement by statement, where a unit's own error is rolled
// back alone; a fault of the storage fails the batch either way.
import type { Sqlite, Params } from './sqlite.js';
import type { NewEvent, Outbox, OutboxEvent } from './outbox.js';
import type { StoreHealthMonitor } from './store-health.js';
import { storageFault } from './storage-fault.js';
import { inlineParams } from './sql-literal.js';

export interface Statement {
  sql: string;
  params?: Params;
}

interface Unit {
  statements: Statement[];
  events: NewEvent[];
  resolve: (events: OutboxEvent[]) => void;
  reject: (err: unknown) => void;
}

export class CommitQueue {
  private pending: Unit[] = [];
  private committing = false;
  /** The running flush, so drain() can wait for it instead of polling. */
  private flushing: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<(events: OutboxEvent[]) => void>();

  constructor(
    private readonly db: Sqlite,
    private readonly outbox: Outbox,
    private readonly health: StoreHealthMonitor,
    /** Told after every durable commit (one fsync each): how tests count what a command costs. */
    private readonly onCommit: () => void = () => undefined,
  ) {}

  commit(statements: Statement[], events: NewEvent[]): Promise<OutboxEvent[]> {
    return new Promise((resolve, reject) => {
      this.pending.push({ statements, events, resolve, reject });
      if (!this.committing) this.flushing = this.flushBatches();
    });
  }

  /** Called with every committed unit's events, after the commit reached the disk. */
  onEvents(listener: (events: OutboxEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once everything queued so far (and whatever joins it meanwhile) is written. */
  drain(): Promise<void> {
    return this.flushing.catch(() => undefined);
  }

  private tell(published: OutboxEvent[]): void {
    for (const l of this.listeners) l(published);
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
    if (!(await this.writeInOneTrip(batch))) await this.writeCarefully(batch);
  }

  /** True when the batch is settled (committed, or failed by the storage); false: nothing was written. */
  private async writeInOneTrip(batch: Unit[]): Promise<boolean> {
    const before = this.outbox.counters();
    const script = ['BEGIN IMMEDIATE'];
    const inline = (statements: readonly Statement[]): boolean => {
      for (const s of statements) {
        const sql = inlineParams(s.sql, s.params ?? []);
        if (sql === undefined) return false;
        script.push(sql);
      }
      return true;
    };
    for (const unit of batch) if (!inline(unit.statements)) return false;
    const results = new Map<Unit, OutboxEvent[]>();
    const rows: OutboxEvent[] = [];
    for (const unit of batch) {
      const stored = unit.events.map((e) => this.outbox.stage(e));
      rows.push(...stored);
      results.set(unit, stored);
    }
    const outboxStatements = this.outbox.writeStatements(rows, before.lastSeq);
    if (outboxStatements === undefined || !inline(outboxStatements)) {
      this.outbox.restore(before);
      return false;
    }
    script.push('COMMIT');
    // Counted before the trip: the publisher's connection may see the rows as soon as SQLite
    // commits them, before this call returns (a failure below restores the count).
    this.outbox.noteWritten(rows.length);
    try {
      // The newline before each `;`: a statement that ends in a `--` comment must not comment it out.
      await this.db.exec(script.join('\n;\n'));
    } catch (err) {
      await this.db.run('ROLLBACK').catch(() => undefined);
      this.outbox.restore(before);
      if (!storageFault(err)) return false;
      this.health.noteWrite(err);
      for (const unit of batch) unit.reject(err);
      return true;
    }
    this.onCommit();
    this.settle(batch, results, new Map());
    return true;
  }

  private async writeCarefully(batch: Unit[]): Promise<void> {
    const results = new Map<Unit, OutboxEvent[]>();
    const failed = new Map<Unit, unknown>();
    const before = this.outbox.counters();
    try {
      await this.db.run('BEGIN IMMEDIATE');
      // Statements first, each unit in its own savepoint (only units that have statements:
      // a savepoint costs two round trips to the SQLite thread). A unit alone in its batch
      // needs none: its failure rolls the whole transaction back, which holds nothing else.
      const alone = batch.length === 1 ? batch[0] : undefined;
      if (alone && alone.statements.length > 0) {
        try {
          for (const s of alone.statements) await this.db.run(s.sql, s.params ?? []);
        } catch (err) {
          if (storageFault(err)) throw err;
          await this.db.run('ROLLBACK');
          alone.reject(err);
          return;
        }
      }
      for (const unit of alone ? [] : batch) {
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
      // Then every surviving unit's events, seq in queue order.
      const rows: OutboxEvent[] = [];
      for (const unit of batch) {
        if (failed.has(unit)) continue;
        const stored = unit.events.map((e) => this.outbox.stage(e));
        rows.push(...stored);
        results.set(unit, stored);
      }
      await this.outbox.write(rows, before.lastSeq);
      await this.db.run('COMMIT');
      this.onCommit();
    } catch (err) {
      this.outbox.restore(before);
      await this.db.run('ROLLBACK').catch(() => undefined);
      this.health.noteWrite(err);
      for (const unit of batch) unit.reject(err);
      return;
    }
    this.settle(batch, results, failed);
  }

  /** After the commit: each unit's answer, the store's health, then the listeners. */
  private settle(batch: Unit[], results: Map<Unit, OutboxEvent[]>, failed: Map<Unit, unknown>): void {
    if (batch.some((u) => u.statements.length > 0 || u.events.length > 0)) this.health.noteWrite(undefined);
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
    // Told once the units' own continuations have run (a tick runs after the promise jobs the
    // resolves above started): what waited for the commit (a page's answer, a command's ack)
    // goes out before the outbox publisher reads the new rows.
    if (published.length > 0) process.nextTick(() => this.tell(published));
  }
}
