// The locker's durable records: deposits (the code's scrypt hash, never a code), the wrong-code
// lockout (so a restart does not hand an attacker fresh tries), disabled doors, and the audit
// table (who did what to which door, when, under which command). Every event the role emits
// goes out in the same transaction as its audit row, so the outbox and the audit never differ.
import type { Statement, Store } from '../../store/store.js';
import type { OpenedBy, ScryptParams } from '../../../protocol/locker.js';
import { UNLOCK_MIGRATION } from './unconfirmed-unlocks.js';
import { IDENTITY_DEPOSIT_MIGRATION } from './identity-deposits.js';

export const LOCKER_MIGRATIONS = [
  `CREATE TABLE lk_deposit (
     deposit_id TEXT PRIMARY KEY,
     door INTEGER NOT NULL,
     kind TEXT NOT NULL,
     code_hash TEXT,
     salt TEXT,
     scrypt TEXT,
     expires_at INTEGER NOT NULL,
     overdue_at INTEGER NOT NULL,
     state TEXT NOT NULL,
     overdue_reported INTEGER NOT NULL DEFAULT 0,
     receipt_code TEXT,
     created_at INTEGER NOT NULL,
     command_id TEXT
   );
   CREATE INDEX lk_deposit_active ON lk_deposit (state, door);
   CREATE TABLE lk_lockout (id INTEGER PRIMARY KEY CHECK (id = 1), tries INTEGER NOT NULL, until INTEGER NOT NULL);
   CREATE TABLE lk_door (door INTEGER PRIMARY KEY, enabled INTEGER NOT NULL);
   CREATE TABLE lk_audit (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     at INTEGER NOT NULL,
     who TEXT NOT NULL,
     what TEXT NOT NULL,
     door INTEGER,
     command_id TEXT,
     detail TEXT
   );`,
  // deposit.unusable is reported once per deposit, across restarts.
  'ALTER TABLE lk_deposit ADD COLUMN unusable_reported INTEGER NOT NULL DEFAULT 0;',
  UNLOCK_MIGRATION,
  IDENTITY_DEPOSIT_MIGRATION,
];

/** 'dropping': a citizen's drop-off door is open and not yet closed (it becomes active on close). */
export type DepositState = 'dropping' | 'active' | 'picked-up' | 'revoked';

export interface DepositRow {
  depositId: string;
  door: number;
  kind: 'certificate' | 'drop-off';
  codeHash: string | null;
  salt: string | null;
  scrypt: ScryptParams | null;
  expiresAt: number;
  overdueAt: number;
  overdueReported: boolean;
  receiptCode: string | null;
  /** deposit.unusable was reported (its code cannot be checked here). */
  unusableReported?: boolean;
}

// A type alias (not an interface) so it satisfies the store's Row index signature.
type RawDeposit = {
  deposit_id: string;
  door: number;
  kind: string;
  code_hash: string | null;
  salt: string | null;
  scrypt: string | null;
  expires_at: number;
  overdue_at: number;
  overdue_reported: number;
  receipt_code: string | null;
  unusable_reported: number;
};

export interface AuditEntry {
  who: OpenedBy | 'server' | 'citizen' | 'device';
  what: string;
  door?: number;
  commandId?: string;
  detail?: Record<string, unknown>;
}

export interface Lockout {
  tries: number;
  /** Epoch ms; 0 when not locked out. */
  until: number;
}

export class LockerStore {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  async activeDeposits(): Promise<DepositRow[]> {
    const rows = await this.store.all<RawDeposit>("SELECT * FROM lk_deposit WHERE state = 'active' ORDER BY created_at");
    return rows.map((r) => ({
      depositId: r.deposit_id,
      door: r.door,
      kind: r.kind === 'drop-off' ? 'drop-off' : 'certificate',
      codeHash: r.code_hash,
      salt: r.salt,
      scrypt: r.scrypt === null ? null : (JSON.parse(r.scrypt) as ScryptParams),
      expiresAt: r.expires_at,
      overdueAt: r.overdue_at,
      overdueReported: r.overdue_reported === 1,
      receiptCode: r.receipt_code,
      unusableReported: r.unusable_reported === 1,
    }));
  }

  async pendingDropOffs(): Promise<Array<{ depositId: string; door: number; receiptCode: string }>> {
    const rows = await this.store.all<{ deposit_id: string; door: number; receipt_code: string | null }>("SELECT deposit_id, door, receipt_code FROM lk_deposit WHERE state = 'dropping'");
    return rows.map((r) => ({ depositId: r.deposit_id, door: r.door, receiptCode: r.receipt_code ?? '' }));
  }

  async depositState(depositId: string): Promise<{ state: DepositState; door: number } | undefined> {
    return this.store.get<{ state: DepositState; door: number }>('SELECT state, door FROM lk_deposit WHERE deposit_id = ?', [depositId]);
  }

  async lockout(): Promise<Lockout> {
    return (await this.store.get<{ tries: number; until: number }>('SELECT tries, until FROM lk_lockout WHERE id = 1')) ?? { tries: 0, until: 0 };
  }

  async disabledDoors(): Promise<Set<number>> {
    const rows = await this.store.all<{ door: number }>('SELECT door FROM lk_door WHERE enabled = 0');
    return new Set(rows.map((r) => r.door));
  }

  depositStatement(d: DepositRow, commandId: string | null, state: 'active' | 'dropping' = 'active'): Statement {
    return {
      sql: `INSERT INTO lk_deposit (deposit_id, door, kind, code_hash, salt, scrypt, expires_at, overdue_at, state, receipt_code, created_at, command_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      params: [d.depositId, d.door, d.kind, d.codeHash, d.salt, d.scrypt === null ? null : JSON.stringify(d.scrypt), d.expiresAt, d.overdueAt, state, d.receiptCode, this.now(), commandId],
    };
  }

  /** Ends an active deposit; matches nothing (and changes nothing) when it is no longer active. */
  endStatement(depositId: string, state: 'picked-up' | 'revoked'): Statement {
    return { sql: "UPDATE lk_deposit SET state = ? WHERE deposit_id = ? AND state = 'active'", params: [state, depositId] };
  }

  /** A closed drop-off door: its deposit becomes active. */
  droppedStatement(depositId: string): Statement {
    return { sql: "UPDATE lk_deposit SET state = 'active' WHERE deposit_id = ? AND state = 'dropping'", params: [depositId] };
  }

  /** A drop-off whose door did not open: nothing was left in it. */
  abandonDropOffStatement(depositId: string): Statement {
    return { sql: "UPDATE lk_deposit SET state = 'revoked' WHERE deposit_id = ? AND state = 'dropping'", params: [depositId] };
  }

  unusableStatement(depositId: string): Statement {
    return { sql: 'UPDATE lk_deposit SET unusable_reported = 1 WHERE deposit_id = ?', params: [depositId] };
  }

  overdueStatement(depositId: string): Statement {
    return { sql: 'UPDATE lk_deposit SET overdue_reported = 1 WHERE deposit_id = ?', params: [depositId] };
  }

  lockoutStatement(l: Lockout): Statement {
    return { sql: 'INSERT INTO lk_lockout (id, tries, until) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET tries = excluded.tries, until = excluded.until', params: [l.tries, l.until] };
  }

  doorStatement(door: number, enabled: boolean): Statement {
    return { sql: 'INSERT INTO lk_door (door, enabled) VALUES (?, ?) ON CONFLICT (door) DO UPDATE SET enabled = excluded.enabled', params: [door, enabled ? 1 : 0] };
  }

  auditStatement(e: AuditEntry): Statement {
    return {
      sql: 'INSERT INTO lk_audit (at, who, what, door, command_id, detail) VALUES (?, ?, ?, ?, ?, ?)',
      params: [this.now(), e.who, e.what, e.door ?? null, e.commandId ?? null, e.detail ? JSON.stringify(e.detail) : null],
    };
  }

  /** Writes an audit row on its own, durably (before an unlock frame leaves, for opens without a journaled command). */
  async audit(e: AuditEntry): Promise<void> {
    await this.store.commit([this.auditStatement(e)]);
  }

  async auditRows(): Promise<Array<{ at: number; who: string; what: string; door: number | null; command_id: string | null; detail: string | null }>> {
    return this.store.all('SELECT at, who, what, door, command_id, detail FROM lk_audit ORDER BY seq');
  }
}
