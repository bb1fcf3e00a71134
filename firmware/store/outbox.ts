// The outbox: every event waits here, in `seq` order, until the server acknowledges it on
// evt-ack. Events are written inside the commit queue's transaction (so an event and the rows it
// reports commit together); `seq` only ever grows, across restarts and acknowledgements. Beyond
// the bound the oldest non-durable events are dropped; durable ones (tickets, ratings, door
// events) never are.
import type { Sqlite, Row, SqlValue } from './sqlite.js';
import { newId } from '../../protocol/ids.js';

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

/** The outbox's counters, taken before a transaction and put back when it rolls back. */
export interface OutboxCounters {
  lastSeq: number;
  count: number;
  dropped: number;
}

const INSERT_HEAD = 'INSERT INTO outbox (seq, id, role, name, durable, boot, up, ts, data) VALUES';
const ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?)';
/** Rows per INSERT: 9 parameters each, well under SQLite's 32,766-parameter limit. */
const INSERT_CHUNK = 500;

export class Outbox {
  private lastSeq: number;
  private count: number;
  private dropped: number;

  private constructor(
    private readonly db: Sqlite,
    private readonly boot: number,
    counters: OutboxCounters,
    private readonly bound: number,
    private readonly now: () => number,
    private readonly uptimeMs: () => number,
  ) {
    this.lastSeq = counters.lastSeq;
    this.count = counters.count;
    this.dropped = counters.dropped;
  }

  static async load(db: Sqlite, o: { boot: number; bound: number; now: () => number; uptimeMs: () => number }): Promise<Outbox> {
    const meta = async (key: string) => Number((await db.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', [key]))?.value ?? 0);
    const maxRow = await db.get<{ m: number | null; c: number }>('SELECT max(seq) AS m, count(*) AS c FROM outbox');
    const lastSeq = Math.max(await meta('lastSeq'), Number(maxRow?.m ?? 0));
    return new Outbox(db, o.boot, { lastSeq, count: Number(maxRow?.c ?? 0), dropped: await meta('dropped') }, o.bound, o.now, o.uptimeMs);
  }

  counters(): OutboxCounters {
    return { lastSeq: this.lastSeq, count: this.count, dropped: this.dropped };
  }

  /** Puts the counters back after the transaction that moved them rolled back. */
  restore(c: OutboxCounters): void {
    this.lastSeq = c.lastSeq;
    this.count = c.count;
    this.dropped = c.dropped;
  }

  /** The event as it will be stored, with the next seq. */
  stage(e: NewEvent): OutboxEvent {
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

  /** Inside the caller's transaction: staged rows in multi-row INSERTs, the seq watermark, the bound. */
  async write(rows: OutboxEvent[], seqBefore: number): Promise<void> {
    for (const st of this.insertStatements(rows)) await this.db.run(st.sql, st.params);
    this.count += rows.length;
    if (this.lastSeq !== seqBefore) {
      const mark = this.lastSeqStatement();
      await this.db.run(mark.sql, mark.params);
      await this.enforceBound();
    }
  }

  /**
   * What write() runs, as statements for a caller that sends the whole transaction at once
   * (commit-queue.ts), or undefined when the rows would go beyond the bound (dropping needs the
   * DELETE's count, so that transaction takes write()). Call noteWritten() when the trip is sent,
   * restore() if it fails.
   */
  writeStatements(rows: OutboxEvent[], seqBefore: number): { sql: string; params: SqlValue[] }[] | undefined {
    if (rows.length > 0 && this.count + rows.length > this.bound) return undefined;
    return this.lastSeq !== seqBefore ? [...this.insertStatements(rows), this.lastSeqStatement()] : this.insertStatements(rows);
  }

  /** The rows of writeStatements() are on their way to the commit. */
  noteWritten(rows: number): void {
    this.count += rows;
  }

  private insertStatements(rows: OutboxEvent[]): { sql: string; params: SqlValue[] }[] {
    const out: { sql: string; params: SqlValue[] }[] = [];
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      const params = chunk.flatMap((r) => [r.seq, r.id, r.role, r.name, r.durable ? 1 : 0, r.boot, r.up, r.ts, r.data]);
      out.push({ sql: `${INSERT_HEAD} ${chunk.map(() => ROW).join(',')}`, params });
    }
    return out;
  }

  private lastSeqStatement(): { sql: string; params: SqlValue[] } {
    return { sql: "INSERT INTO meta (key, value) VALUES ('lastSeq', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", params: [String(this.lastSeq)] };
  }

  /** Drops the oldest non-durable events beyond the bound; durable ones are never dropped. */
  private async enforceBound(): Promise<void> {
    const excess = this.count - this.bound;
    if (excess <= 0) return;
    const { changes } = await this.db.run('DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE durable = 0 ORDER BY seq LIMIT ?)', [excess]);
    if (changes === 0) return;
    this.count -= changes;
    this.dropped += changes;
    await this.db.run("INSERT INTO meta (key, value) VALUES ('dropped', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [String(this.dropped)]);
  }

  /** Events with seq > afterSeq, oldest first. */
  async after(afterSeq: number, limit: number): Promise<OutboxEvent[]> {
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
    this.count = Math.max(0, this.count - changes);
    return changes;
  }

  stats(): { pending: number; lastSeq: number; dropped: number; bound: number } {
    return { pending: this.count, lastSeq: this.lastSeq, dropped: this.dropped, bound: this.bound };
  }
}
