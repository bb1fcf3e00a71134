// The kiosk's durable record of what it issued: every ticket (online, offline, re-issued),
// the offline counters per business day, and paused categories. A number is in here — in
// the same transaction as its `ticket.issued` event — before a byte goes to the printer, so
// a power cut can lose a printout but never hand the same number out twice.
import type { Statement, Store } from '../../store/store.js';
import type { SqlValue } from '../../store/sqlite.js';

export const LEDGER_MIGRATIONS = [
  `CREATE TABLE tp_ticket (
     ticket_id TEXT PRIMARY KEY,
     take_id TEXT NOT NULL,
     day TEXT NOT NULL,
     number TEXT NOT NULL,
     category TEXT NOT NULL,
     priority INTEGER NOT NULL,
     appointment TEXT,
     offline INTEGER NOT NULL,
     reissue INTEGER NOT NULL DEFAULT 0,
     waiting INTEGER,
     win TEXT,
     qr_url TEXT,
     issued_at INTEGER NOT NULL,
     printed INTEGER NOT NULL DEFAULT 0
   );
   CREATE UNIQUE INDEX tp_ticket_number ON tp_ticket (day, number) WHERE reissue = 0;
   CREATE TABLE tp_counter (day TEXT NOT NULL, category TEXT NOT NULL, last INTEGER NOT NULL, PRIMARY KEY (day, category));
   CREATE TABLE tp_paused (category TEXT PRIMARY KEY, reason TEXT, at INTEGER NOT NULL);`,
];

/** Tickets older than this are deleted when a new business day starts (the server has them). */
export const KEEP_DAYS = 90;

function daysBefore(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

export interface LedgerTicket {
  ticketId: string;
  takeId: string;
  day: string;
  number: string;
  category: string;
  priority: boolean;
  appointment: string | null;
  offline: boolean;
  reissue: boolean;
  waiting: number | null;
  window: string | null;
  qrUrl: string | null;
  issuedAt: number;
}

interface TicketRow {
  ticket_id: string;
  take_id: string;
  day: string;
  number: string;
  category: string;
  priority: number;
  appointment: string | null;
  offline: number;
  reissue: number;
  waiting: number | null;
  win: string | null;
  qr_url: string | null;
  issued_at: number;
  [key: string]: SqlValue;
}

/** Printed: 1 yes, 0 not yet (or the device died meanwhile), -1 the printer refused it. */
export type PrintedMark = 1 | 0 | -1;

export class TicketLedger {
  /** Offline counter per category for `day` (last number used). */
  private counters = new Map<string, number>();
  /** Tickets issued (not re-issued) per category for `day`: the kiosk's quota count. */
  private issued = new Map<string, number>();
  private loadedDay = '';
  /** Latest business day any ticket was issued on: the day never goes back (clock set back, no RTC). */
  private latestDay = '';

  private constructor(private readonly store: Store) {}

  static async open(store: Store): Promise<TicketLedger> {
    const ledger = new TicketLedger(store);
    const row = await store.get<{ d: string | null }>('SELECT MAX(day) AS d FROM (SELECT day FROM tp_ticket UNION ALL SELECT day FROM tp_counter)');
    ledger.latestDay = row?.d ?? '';
    return ledger;
  }

  /** The business day to issue on: the clock's, unless the clock says a day before the last one used. */
  effectiveDay(clockDay: string): string {
    return clockDay < this.latestDay ? this.latestDay : clockDay;
  }

  /** Loads the day's counters and counts (once per day change). */
  async useDay(day: string): Promise<void> {
    if (day === this.loadedDay) return;
    await this.store.commit(this.pruneStatements(daysBefore(day, KEEP_DAYS)));
    const counters = await this.store.all<{ category: string; last: number }>('SELECT category, last FROM tp_counter WHERE day = ?', [day]);
    const issued = await this.store.all<{ category: string; n: number }>('SELECT category, COUNT(*) AS n FROM tp_ticket WHERE day = ? AND reissue = 0 GROUP BY category', [day]);
    this.counters = new Map(counters.map((r) => [r.category, r.last]));
    this.issued = new Map(issued.map((r) => [r.category, r.n]));
    this.loadedDay = day;
  }

  get day(): string {
    return this.loadedDay;
  }

  issuedToday(category: string): number {
    return this.issued.get(category) ?? 0;
  }

  issuedCounts(): Record<string, number> {
    return Object.fromEntries(this.issued);
  }

  /** The next offline counter for a category and the statement that claims it. */
  claimOffline(category: string): { counter: number; statement: Statement } {
    const counter = (this.counters.get(category) ?? 0) + 1;
    return {
      counter,
      statement: {
        sql: 'INSERT INTO tp_counter (day, category, last) VALUES (?, ?, ?) ON CONFLICT (day, category) DO UPDATE SET last = excluded.last',
        params: [this.loadedDay, category, counter],
      },
    };
  }

  insertStatement(t: LedgerTicket): Statement {
    return {
      sql: `INSERT INTO tp_ticket (ticket_id, take_id, day, number, category, priority, appointment, offline, reissue, waiting, win, qr_url, issued_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      params: [t.ticketId, t.takeId, t.day, t.number, t.category, t.priority ? 1 : 0, t.appointment, t.offline ? 1 : 0, t.reissue ? 1 : 0, t.waiting, t.window, t.qrUrl, t.issuedAt],
    };
  }

  /** After the transaction with claimOffline/insertStatement committed. */
  committed(t: LedgerTicket, offlineCounter?: number): void {
    if (offlineCounter !== undefined) this.counters.set(t.category, offlineCounter);
    if (!t.reissue && t.day === this.loadedDay) this.issued.set(t.category, this.issuedToday(t.category) + 1);
    if (t.day > this.latestDay) this.latestDay = t.day;
  }

  markPrinted(ticketId: string, mark: PrintedMark): Statement {
    return { sql: 'UPDATE tp_ticket SET printed = ? WHERE ticket_id = ?', params: [mark, ticketId] };
  }

  async lastPrinted(): Promise<LedgerTicket | undefined> {
    const row = await this.store.get<TicketRow>('SELECT * FROM tp_ticket WHERE printed = 1 ORDER BY rowid DESC LIMIT 1');
    return row ? fromRow(row) : undefined;
  }

  async paused(): Promise<Map<string, string>> {
    const rows = await this.store.all<{ category: string; reason: string | null }>('SELECT category, reason FROM tp_paused');
    return new Map(rows.map((r) => [r.category, r.reason ?? '']));
  }

  pauseStatement(category: string, reason: string, at: number): Statement {
    return { sql: 'INSERT INTO tp_paused (category, reason, at) VALUES (?, ?, ?) ON CONFLICT (category) DO UPDATE SET reason = excluded.reason, at = excluded.at', params: [category, reason, at] };
  }

  resumeStatement(category: string): Statement {
    return { sql: 'DELETE FROM tp_paused WHERE category = ?', params: [category] };
  }

  /** Keeps the ledger small on a board that runs for years. */
  pruneStatements(beforeDay: string): Statement[] {
    return [
      { sql: 'DELETE FROM tp_ticket WHERE day < ?', params: [beforeDay] },
      { sql: 'DELETE FROM tp_counter WHERE day < ?', params: [beforeDay] },
    ];
  }
}

function fromRow(r: TicketRow): LedgerTicket {
  return {
    ticketId: r.ticket_id,
    takeId: r.take_id,
    day: r.day,
    number: r.number,
    category: r.category,
    priority: r.priority === 1,
    appointment: r.appointment,
    offline: r.offline === 1,
    reissue: r.reissue === 1,
    waiting: r.waiting,
    window: r.win,
    qrUrl: r.qr_url,
    issuedAt: r.issued_at,
  };
}
