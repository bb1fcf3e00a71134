// The command journal: one row per command id (pruned by age and count), the exactly-once guard
// (docs/protocol.md "Commands"). A row is `actuating` while hardware moves, `received` while a
// command with effects outside its transaction runs, and `done` with the stored ack.
//
// What it keeps (docs/protocol.md "Limits"): answers, not echoed data. An ack's
// `data` is kept only while the ack is small (a ping echoes whatever it was sent, and 60 x
// 1 MB pings once grew the database by 175 MB); a larger one is kept as `{ok, dataOmitted}`,
// so a repeated id still answers `dup:true` with the outcome, without the data. The journal
// is pruned by age and count; the in-memory copy of recent answers is bounded in bytes.

import type { Store, Statement } from '../store/store.js';
import type { Row } from '../store/sqlite.js';
import type { Ack, ErrorBody } from '../../protocol/messages.js';

export interface JournalRow {
  id: string;
  role: string;
  name: string;
  state: 'received' | 'actuating' | 'done';
  ack: string | null;
}

/** The journal's rows in the store: read directly, written through the store's commit queue. */
export class CommandJournal {
  constructor(private readonly store: Store) {}

  /** The row of `id` as committed (what is still being committed, the dispatcher holds in memory). */
  async get(id: string): Promise<JournalRow | undefined> {
    const row = await this.store.lookup<Row>('SELECT id, role, name, state, ack FROM journal WHERE id = ?', [id]);
    if (!row) return undefined;
    return {
      id: String(row['id']),
      role: String(row['role']),
      name: String(row['name']),
      state: row['state'] as JournalRow['state'],
      ack: row['ack'] === null ? null : String(row['ack']),
    };
  }

  /** Records that a command is about to run, in a commit of its own (before its effect leaves the transaction). */
  async begin(id: string, role: string, name: string, state: 'received' | 'actuating'): Promise<void> {
    await this.store.commit([
      {
        sql: 'INSERT INTO journal (id, role, name, state, ack, received_at) VALUES (?, ?, ?, ?, NULL, ?) ON CONFLICT(id) DO UPDATE SET state = excluded.state',
        params: [id, role, name, state, this.store.now()],
      },
    ]);
  }

  /** The statement that records a command's final ack; callers add it to the unit that holds the command's effect. */
  finishStatement(id: string, role: string, name: string, ack: string): Statement {
    return finishRowsStatement([{ id, role, name, ack }], this.store.now());
  }

  /** Up to `limit` ids in id order after `after` ('' for the first): how the dispatcher learns which ids the journal holds. */
  async ids(after: string, limit: number): Promise<string[]> {
    const rows = await this.store.all<Row>('SELECT id FROM journal WHERE id > ? ORDER BY id LIMIT ?', [after, limit]);
    return rows.map((r) => String(r['id']));
  }

  /** Rows a previous boot left unfinished; the caller turns them into INDETERMINATE / INTERNAL answers. */
  async unfinished(): Promise<JournalRow[]> {
    const rows = await this.store.all<Row>("SELECT id, role, name, state, ack FROM journal WHERE state != 'done'");
    return rows.map((r) => ({ id: String(r['id']), role: String(r['role']), name: String(r['name']), state: r['state'] as JournalRow['state'], ack: null }));
  }

  /**
   * Turns rows a previous boot left unfinished into final answers, in one commit: `actuating`
   * rows become INDETERMINATE (hardware may have moved; never move it again), `received` rows
   * INTERNAL (nothing ran; the server may retry with a new id). Returns the acks to publish.
   */
  async finishUnfinished(): Promise<string[]> {
    const rows = await this.unfinished();
    if (rows.length === 0) return [];
    const acks = rows.map(unfinishedAck);
    await this.store.commit(rows.map((row, i) => this.finishStatement(row.id, row.role, row.name, acks[i] as string)));
    return acks;
  }

  /** Drops finished rows older than `olderThanMs`, then all but the newest `keepAtMost`. */
  async prune(olderThanMs: number, keepAtMost: number): Promise<void> {
    const cutoff = this.store.now() - olderThanMs;
    await this.store.commit([
      { sql: "DELETE FROM journal WHERE received_at < ? AND state = 'done'", params: [cutoff] },
      { sql: "DELETE FROM journal WHERE state = 'done' AND id IN (SELECT id FROM journal ORDER BY received_at DESC LIMIT -1 OFFSET ?)", params: [keepAtMost] },
    ]);
  }
}

/** A command's final answer, as a journal row. */
export interface FinishedRow {
  id: string;
  role: string;
  name: string;
  ack: string;
}

/** One statement that records the final acks of `rows` (at most 100: five parameters each, under SQLite's 999). */
export function finishRowsStatement(rows: FinishedRow[], now: number): Statement {
  return {
    sql: `INSERT INTO journal (id, role, name, state, ack, received_at) VALUES ${rows.map(() => "(?, ?, ?, 'done', ?, ?)").join(', ')}
          ON CONFLICT(id) DO UPDATE SET state = 'done', ack = excluded.ack`,
    params: rows.flatMap((r) => [r.id, r.role, r.name, r.ack, now]),
  };
}

/** The answer for a row that has no result: hardware may have moved (INDETERMINATE), or nothing ran. */
export function unfinishedAck(row: JournalRow): string {
  const command = `${row.role}/${row.name}`;
  const error: ErrorBody =
    row.state === 'actuating'
      ? { code: 'INDETERMINATE', message: `${command} was interrupted while running (device restart or storage fault); its effect is unknown and it will not run again` }
      : { code: 'INTERNAL', message: `${command} was interrupted before it ran (device restart or storage fault); nothing was done` };
  return JSON.stringify({ v: 1, id: row.id, ok: false, error } satisfies Ack);
}

export interface JournalLimits {
  /** A final ack longer than this (UTF-16 code units of its JSON) is stored without its data. */
  ackMaxBytes: number;
  /** Finished rows older than this are pruned (start, then every PRUNE_EVERY journaled answers). */
  maxAgeMs: number;
  /** At most this many finished rows are kept (the newest). */
  maxRows: number;
}

export const DEFAULT_JOURNAL_LIMITS: JournalLimits = { ackMaxBytes: 4096, maxAgeMs: 86_400_000, maxRows: 50_000 };
/** Prune once per this many journaled answers: cheap (indexed deletes), and bounds growth between prunes. */
export const PRUNE_EVERY = 100;
const RECENT_MAX_ENTRIES = 2_000;
const RECENT_MAX_BYTES = 256 * 1024;

/** The ack as the journal keeps it: unchanged when small, else without `data` (or with a cut message). */
export function storedAck(ackJson: string, maxBytes: number): string {
  if (ackJson.length <= maxBytes) return ackJson;
  const ack = JSON.parse(ackJson) as Record<string, unknown>;
  const { data: _data, ...rest } = ack;
  if (ack['ok'] === true) return JSON.stringify({ ...rest, dataOmitted: true });
  const error = ack['error'] as { code: string; message: string } | undefined;
  const kept = { ...rest, ...(error ? { error: { code: error.code, message: error.message.slice(0, Math.max(64, maxBytes - 256)) } } : {}) };
  return JSON.stringify(kept);
}

/** Recent answers by id, so duplicates of fast commands need no disk read; bounded in count and bytes. */
export class RecentAcks {
  private readonly byId = new Map<string, string>();
  private bytes = 0;

  get(id: string): string | undefined {
    return this.byId.get(id);
  }

  set(id: string, ackJson: string): void {
    const old = this.byId.get(id);
    if (old !== undefined) {
      this.byId.delete(id);
      this.bytes -= old.length;
    }
    this.byId.set(id, ackJson);
    this.bytes += ackJson.length;
    while (this.byId.size > RECENT_MAX_ENTRIES || this.bytes > RECENT_MAX_BYTES) {
      const oldest = this.byId.entries().next().value;
      if (oldest === undefined) break;
      this.byId.delete(oldest[0]);
      this.bytes -= oldest[1].length;
    }
  }

  get size(): number {
    return this.byId.size;
  }

  /** UTF-16 code units held (what the strings cost in memory, give or take V8's headers). */
  get heldBytes(): number {
    return this.bytes;
  }
}
