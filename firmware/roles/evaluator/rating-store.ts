// The evaluator's durable records: the cases it was asked to rate, one rating per case (the
// UNIQUE case_id is the last line of defence against a double count: a second insert fails
// and so does the transaction carrying its event), who sits at the window, the content, and
// the pause flag. Everything a restart needs to carry on where it was.
import type { Statement, Store } from '../../store/store.js';
import type { RatingContent, RatingSubmitted, RequestCommand, StaffCommand } from '../../../protocol/evaluator.js';

export const EVALUATOR_MIGRATIONS = [
  `CREATE TABLE ev_case (
     case_id TEXT PRIMARY KEY,
     request TEXT NOT NULL,
     state TEXT NOT NULL,
     requested_at INTEGER NOT NULL,
     deadline INTEGER NOT NULL
   );
   CREATE TABLE ev_rating (
     rating_id TEXT PRIMARY KEY,
     case_id TEXT NOT NULL UNIQUE,
     event TEXT NOT NULL
   );
   CREATE TABLE ev_setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  // Staff photos fetched from URLs (staff-photos.ts): what the card shows while the hall server is away.
  `CREATE TABLE ev_photo (url TEXT PRIMARY KEY, sha256 TEXT NOT NULL, content_type TEXT NOT NULL, bytes BLOB NOT NULL, fetched_at INTEGER NOT NULL);`,
];

export type CaseState = 'open' | 'rated' | 'expired' | 'cancelled';

export interface OpenCase {
  request: RequestCommand;
  requestedAt: number;
  /** Epoch ms (device's best guess) after which the case expires. */
  deadline: number;
}

export interface PauseState {
  reason: string;
  at: number;
}

export class RatingStore {
  constructor(private readonly store: Store) {}

  async openCase(): Promise<OpenCase | undefined> {
    const row = await this.store.get<{ request: string; requested_at: number; deadline: number }>(
      "SELECT request, requested_at, deadline FROM ev_case WHERE state = 'open' ORDER BY requested_at DESC LIMIT 1",
    );
    return row ? { request: JSON.parse(row.request) as RequestCommand, requestedAt: row.requested_at, deadline: row.deadline } : undefined;
  }

  async rating(caseId: string): Promise<RatingSubmitted | undefined> {
    const row = await this.store.get<{ event: string }>('SELECT event FROM ev_rating WHERE case_id = ?', [caseId]);
    return row ? (JSON.parse(row.event) as RatingSubmitted) : undefined;
  }

  async count(): Promise<number> {
    return (await this.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM ev_rating'))?.n ?? 0;
  }

  openStatement(c: OpenCase): Statement {
    return {
      sql: "INSERT INTO ev_case (case_id, request, state, requested_at, deadline) VALUES (?, ?, 'open', ?, ?) ON CONFLICT (case_id) DO UPDATE SET request = excluded.request, state = 'open', requested_at = excluded.requested_at, deadline = excluded.deadline",
      params: [c.request.caseId, JSON.stringify(c.request), c.requestedAt, c.deadline],
    };
  }

  closeStatement(caseId: string, state: Exclude<CaseState, 'open'>): Statement {
    return { sql: 'UPDATE ev_case SET state = ? WHERE case_id = ?', params: [state, caseId] };
  }

  /** Fails (and takes its transaction down) when the case already has a rating. */
  ratingStatement(event: RatingSubmitted): Statement {
    return { sql: 'INSERT INTO ev_rating (rating_id, case_id, event) VALUES (?, ?, ?)', params: [event.ratingId, event.caseId, JSON.stringify(event)] };
  }

  async setting<T>(key: 'staff' | 'content' | 'paused'): Promise<T | undefined> {
    const row = await this.store.get<{ value: string }>('SELECT value FROM ev_setting WHERE key = ?', [key]);
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  settingStatement(key: 'staff', value: StaffCommand): Statement;
  settingStatement(key: 'content', value: RatingContent): Statement;
  settingStatement(key: 'paused', value: PauseState | null): Statement;
  settingStatement(key: string, value: unknown): Statement {
    if (value === null) return { sql: 'DELETE FROM ev_setting WHERE key = ?', params: [key] };
    return { sql: 'INSERT INTO ev_setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', params: [key, JSON.stringify(value)] };
  }
}
