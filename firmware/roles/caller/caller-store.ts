// The caller's durable settings: the current call, the last calls, the notice, the mode
// (voice / silent), the pause flag and a brightness override. Each is written in the same
// transaction as the ack of the command that changed it, so a restart shows and says what the
// server last asked for.
import type { Statement, Store } from '../../store/store.js';
import type { CallerMode } from '../../../protocol/caller.js';

export const CALLER_MIGRATIONS = [`CREATE TABLE caller_setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);`];

export interface CallRecord {
  ticket: string;
  window: string;
  priority: boolean;
  /** The announcement text (template or the command's own). */
  text: string;
  /** Epoch ms (device's best guess) of the call. */
  at: number;
}

export interface NoticeRecord {
  text: string;
  untilMs?: number;
  at: number;
}

export interface CallerSettings {
  mode: CallerMode;
  current: CallRecord | null;
  history: CallRecord[];
  notice: NoticeRecord | null;
  paused: boolean;
  /** A brightness command's level; null: the day/night schedule. */
  brightness: number | null;
}

type Key = keyof CallerSettings;

export class CallerStore {
  constructor(private readonly store: Store) {}

  async load(defaults: CallerSettings): Promise<CallerSettings> {
    const rows = await this.store.all<{ key: string; value: string }>('SELECT key, value FROM caller_setting');
    const stored = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown])) as Partial<CallerSettings>;
    return { ...defaults, ...stored };
  }

  set<K extends Key>(key: K, value: CallerSettings[K]): Statement {
    return { sql: 'INSERT INTO caller_setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', params: [key, JSON.stringify(value)] };
  }
}
