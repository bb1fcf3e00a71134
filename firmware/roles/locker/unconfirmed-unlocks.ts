// Unlocks whose door was not seen open: the relay fired (or may have), the sensor did not say so
// in time (the board went silent after the frame, the latch released slowly, the device was
// killed mid-open). Pulsing a lock and seeing its door open are separate facts: a door seen open
// within lateOpenWindowMs of such an unlock is that unlock's door.opened {late:true}, not a
// tamper. Each unlock is recorded before its frame leaves (with whatever the caller must commit
// then), so a restart in between still knows it; a confirmed open settles it in the caller's own
// transaction, and one whose frame never left settles it at once.
import type { Statement, Store } from '../../store/store.js';
import type { OpenedBy } from '../../../protocol/locker.js';

export interface UnconfirmedUnlock {
  door: number;
  by: OpenedBy;
  commandId?: string;
  depositId?: string;
  reason?: string;
  /** Epoch ms (best guess) the frame was sent: the window survives a restart. */
  sentAt: number;
}

type Row = { door: number; by: string; command_id: string | null; deposit_id: string | null; reason: string | null; sent_at: number };

export const UNLOCK_MIGRATION = `CREATE TABLE lk_unlock (
  door INTEGER PRIMARY KEY,
  by TEXT NOT NULL,
  command_id TEXT,
  deposit_id TEXT,
  reason TEXT,
  sent_at INTEGER NOT NULL
);`;

export class UnconfirmedUnlocks {
  private readonly byDoor = new Map<number, UnconfirmedUnlock>();

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly windowMs: () => number,
  ) {}

  /** Loads the unlocks a previous boot left unconfirmed within the window; forgets older ones. */
  async load(): Promise<void> {
    const since = this.now() - this.windowMs();
    await this.store.commit([{ sql: 'DELETE FROM lk_unlock WHERE sent_at < ?', params: [since] }]);
    for (const r of await this.store.all<Row>('SELECT * FROM lk_unlock')) {
      this.byDoor.set(r.door, {
        door: r.door,
        by: r.by as OpenedBy,
        sentAt: r.sent_at,
        ...(r.command_id !== null ? { commandId: r.command_id } : {}),
        ...(r.deposit_id !== null ? { depositId: r.deposit_id } : {}),
        ...(r.reason !== null ? { reason: r.reason } : {}),
      });
    }
  }

  /** Durably notes the unlock about to be sent, with `alongside` in the same transaction. */
  async sending(u: Omit<UnconfirmedUnlock, 'sentAt'>, alongside: Statement[] = []): Promise<void> {
    const entry: UnconfirmedUnlock = { ...u, sentAt: this.now() };
    await this.store.commit([
      {
        sql: 'INSERT INTO lk_unlock (door, by, command_id, deposit_id, reason, sent_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (door) DO UPDATE SET by = excluded.by, command_id = excluded.command_id, deposit_id = excluded.deposit_id, reason = excluded.reason, sent_at = excluded.sent_at',
        params: [u.door, u.by, u.commandId ?? null, u.depositId ?? null, u.reason ?? null, entry.sentAt],
      },
      ...alongside,
    ]);
    this.byDoor.set(u.door, entry);
  }

  /** The door was seen open by its own unlock: forgotten now, deleted with the caller's records. */
  settled(door: number): Statement {
    this.byDoor.delete(door);
    return { sql: 'DELETE FROM lk_unlock WHERE door = ?', params: [door] };
  }

  /** The frame never left (board refused or not answering before it): nothing to wait for. */
  async notSent(door: number): Promise<void> {
    await this.store.commit([this.settled(door)]);
  }

  /** The unlock this door's opening belongs to, if one is unconfirmed and within the window (taken: once). */
  claim(door: number): UnconfirmedUnlock | undefined {
    const u = this.byDoor.get(door);
    if (!u) return undefined;
    this.byDoor.delete(door);
    return this.now() - u.sentAt <= this.windowMs() ? u : undefined;
  }
}
