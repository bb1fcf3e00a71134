// What a citizen does at the cabinet: type (or scan) a pickup code, or drop something off.
// The code is checked here against each deposit's scrypt hash, so pickup works with the server
// unreachable; item.picked-up waits in the outbox until the link is back. Wrong codes count
// toward a lockout that is stored, so a restart gives no fresh tries. One attempt at a time:
// a double tap cannot open a door twice or hand out one deposit twice.
import { randomInt } from 'node:crypto';
import type { DoorSize, LockerContract } from '../../../protocol/locker.js';
import { pickupCodeMatches } from '../../../protocol/locker-code.js';
import { newId } from '../../../protocol/ids.js';
import type { RoleContext } from '../role-module.js';
import type { Cabinet } from './cabinet.js';
import { occupied, type DoorModel } from './door-model.js';
import type { OverdueWatch } from './overdue-watch.js';
import type { DepositRow } from './locker-store.js';

import type { CodeResult } from './code-result.js';
import { depositsOfIdentity } from './identity-deposits.js';

export type { CodeResult } from './code-result.js';

/** Where a code was entered: the touch page, the cabinet keypad, or the QR scanner. */
export type CodeChannel = 'code' | 'keypad' | 'scan' | 'id-card';

export type DropOffResult = { ok: true; door: number; receiptCode: string } | { ok: false; reason: 'no-free-door' | 'not-opened' | 'unavailable'; message: string };

const CODE_RE = /^[A-Za-z0-9-]{4,64}$/;
/** A drop-off is reported overdue if staff have not collected it within a week. */
export const DROP_OFF_OVERDUE_MS = 7 * 86_400_000;

export class PickupDesk {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ctx: RoleContext<LockerContract>,
    private readonly cabinet: Cabinet,
    private readonly overdue: OverdueWatch,
  ) {}

  /** Runs attempts one after another. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  enterCode(raw: string, via: Exclude<CodeChannel, 'id-card'>): Promise<CodeResult> {
    return this.serial(() => this.tryCode(raw.trim(), via));
  }

  /**
   * An ID card laid on the cabinet's reader: the number is checked against the deposits bound
   * to an identity, with the tries and lockout of codes; it is never kept or logged.
   */
  enterCard(idNumber: string): Promise<CodeResult> {
    return this.serial(() => this.tryCode(idNumber, 'id-card'));
  }

  private async tryCode(code: string, via: CodeChannel): Promise<CodeResult> {
    const records = this.cabinet.records;
    const now = this.ctx.clock.bestGuess();
    const lockout = await records.lockout();
    if (lockout.until > now) return { ok: false, reason: 'locked-out', until: lockout.until };
    const match = via === 'id-card' ? await this.findByIdentity(code, now) : CODE_RE.test(code) ? await this.find(code, now) : undefined;
    if (!match) {
      const tries = lockout.tries + 1;
      const max = this.cabinet.config.maxCodeTries;
      const locked = tries >= max;
      const next = locked ? { tries: 0, until: now + this.cabinet.config.lockoutMs } : { tries, until: 0 };
      const rejected = { name: 'code.rejected' as const, data: { via, tries, remaining: Math.max(0, max - tries) }, audit: { who: via, what: 'code-rejected', detail: { tries } } };
      if (locked) {
        // The last wrong try, the lockout and its stored end go together: a power cut cannot leave one without the other.
        await this.cabinet.emitTogether(
          [rejected, { name: 'code.lockout', data: { until: next.until, lockoutMs: this.cabinet.config.lockoutMs, tries }, audit: { who: 'device', what: 'code-lockout', detail: { until: next.until } } }],
          [records.lockoutStatement(next)],
        );
        this.cabinet.lockoutUntil = next.until;
        this.cabinet.changed();
        return { ok: false, reason: 'locked-out', until: next.until };
      }
      await this.cabinet.emitTogether([rejected], [records.lockoutStatement(next)]);
      return { ok: false, reason: 'wrong-code', remaining: max - tries };
    }
    const { door: d, depositId } = match;
    if (lockout.tries > 0) await this.ctx.store.commit([records.lockoutStatement({ tries: 0, until: 0 })]);
    const fault = this.cabinet.fault(d);
    if (fault !== undefined) return { ok: false, reason: 'unavailable', door: d.door, message: fault };
    // Durable before the frame (with the unlock's own record): the audit says an unlock was sent for this deposit.
    const out = await this.cabinet.unlock(d, { by: via, depositId, alongside: [records.auditStatement({ who: via, what: 'unlock', door: d.door, detail: { depositId } })] });
    if (!out.ok) return { ok: false, reason: out.code === 'NOT_DETECTED' ? 'not-opened' : 'unavailable', door: d.door, message: out.message };
    const offline = !this.ctx.link.connected;
    const already = out.alreadyOpen ? { alreadyOpen: true as const } : {};
    await this.cabinet.emitTogether(
      [
        { name: 'door.opened', data: { door: d.door, by: via, depositId, ...already }, audit: { who: via, what: 'opened', door: d.door, detail: { depositId, ...already } } },
        { name: 'item.picked-up', data: { door: d.door, depositId, by: via, offline }, audit: { who: via, what: 'picked-up', door: d.door, detail: { depositId, offline } } },
      ],
      [records.endStatement(depositId, 'picked-up'), out.settle],
    );
    if (d.depositId === depositId) d.depositId = undefined;
    this.overdue.cancel(depositId);
    this.cabinet.changed();
    return { ok: true, door: d.door };
  }

  /**
   * The active, unexpired certificate deposit whose hash the code matches. Each deposit is checked
   * on its own: one whose check fails (parameters node:crypto refuses) is skipped and reported,
   * and never hides the deposits after it.
   */
  private async find(code: string, now: number): Promise<{ door: DoorModel; depositId: string } | undefined> {
    for (const dep of await this.cabinet.records.activeDeposits()) {
      if (dep.kind !== 'certificate' || dep.codeHash === null || dep.salt === null || dep.scrypt === null || dep.expiresAt <= now) continue;
      const d = this.cabinet.door(dep.door);
      if (!d?.enabled) continue;
      let matches: boolean;
      try {
        matches = await pickupCodeMatches(code, { codeHash: dep.codeHash, salt: dep.salt, scrypt: dep.scrypt });
      } catch (err) {
        await this.unusable(dep, err);
        continue;
      }
      if (matches) return { door: d, depositId: dep.depositId };
    }
    return undefined;
  }

  /** Reports a deposit whose code cannot be checked, once (the flag is stored with the event). */
  private async unusable(dep: DepositRow, err: unknown): Promise<void> {
    if (dep.unusableReported === true || this.reportedUnusable.has(dep.depositId) || dep.scrypt === null) return;
    this.reportedUnusable.add(dep.depositId);
    const { N, r, p } = dep.scrypt;
    const reason = `scrypt N=${N} r=${r} p=${p}: ${(err as Error).message}`;
    this.ctx.log.error({ depositId: dep.depositId, door: dep.door, reason }, 'deposit code cannot be checked; skipped');
    await this.cabinet.emit('deposit.unusable', { door: dep.door, depositId: dep.depositId, reason }, { who: 'device', what: 'deposit-unusable', door: dep.door, detail: { depositId: dep.depositId, reason } }, [
      this.cabinet.records.unusableStatement(dep.depositId),
    ]);
  }

  /** Deposits reported unusable in this boot (the stored flag covers the earlier ones). */
  private readonly reportedUnusable = new Set<string>();

  /** The first enabled door holding a deposit bound to this ID number. */
  private async findByIdentity(idNumber: string, now: number): Promise<{ door: DoorModel; depositId: string } | undefined> {
    for (const dep of await depositsOfIdentity(this.ctx.store, idNumber, now)) {
      const d = this.cabinet.door(dep.door);
      if (d?.enabled) return { door: d, depositId: dep.depositId };
    }
    return undefined;
  }

  /** Free doors by size: enabled, answering, closed, empty, not promised to anyone. */
  freeDoors(): Record<DoorSize, number> {
    const counts: Record<DoorSize, number> = { S: 0, M: 0, L: 0, XL: 0 };
    for (const d of this.cabinet.doors.values()) if (this.isFree(d)) counts[d.size] += 1;
    return counts;
  }

  private isFree(d: DoorModel): boolean {
    return d.enabled && d.open === false && !occupied(d) && d.dropOff === undefined && !d.expecting && this.cabinet.fault(d) === undefined;
  }

  dropOff(size: DoorSize): Promise<DropOffResult> {
    return this.serial(() => this.tryDropOff(size));
  }

  private async tryDropOff(size: DoorSize): Promise<DropOffResult> {
    const d = [...this.cabinet.doors.values()].find((x) => x.size === size && this.isFree(x));
    if (!d) return { ok: false, reason: 'no-free-door', message: `no free ${size} door` };
    const records = this.cabinet.records;
    const depositId = newId('drop-');
    const receiptCode = String(randomInt(0, 100_000_000)).padStart(8, '0');
    const now = this.ctx.clock.bestGuess();
    // The pending drop-off is on disk before the frame (with the unlock's own record): a restart with the door open still reports it on close.
    d.dropOff = { depositId, receiptCode };
    const out = await this.cabinet.unlock(d, {
      by: 'drop-off',
      depositId,
      alongside: [
        records.depositStatement({ depositId, door: d.door, kind: 'drop-off', codeHash: null, salt: null, scrypt: null, expiresAt: 0, overdueAt: now + DROP_OFF_OVERDUE_MS, overdueReported: false, receiptCode }, null, 'dropping'),
        records.auditStatement({ who: 'citizen', what: 'unlock', door: d.door, detail: { depositId, dropOff: true } }),
      ],
    });
    if (!out.ok) {
      d.dropOff = undefined;
      await this.ctx.store.commit([records.abandonDropOffStatement(depositId)]);
      return { ok: false, reason: out.code === 'NOT_DETECTED' ? 'not-opened' : 'unavailable', message: out.message };
    }
    await this.cabinet.emit('door.opened', { door: d.door, by: 'drop-off', depositId }, { who: 'citizen', what: 'opened', door: d.door, detail: { depositId } }, [out.settle]);
    return { ok: true, door: d.door, receiptCode };
  }

  /** The cabinet saw a door close: a pending drop-off in it is now an item. */
  async closed(d: DoorModel): Promise<void> {
    const p = d.dropOff;
    if (!p) return;
    d.dropOff = undefined;
    d.depositId = p.depositId;
    const records = this.cabinet.records;
    await this.cabinet.emit(
      'item.dropped-off',
      { door: d.door, depositId: p.depositId, size: d.size, receiptCode: p.receiptCode },
      { who: 'citizen', what: 'dropped-off', door: d.door, detail: { depositId: p.depositId } },
      [records.droppedStatement(p.depositId)],
    );
    this.overdue.schedule({ depositId: p.depositId, door: d.door, overdueAt: this.ctx.clock.bestGuess() + DROP_OFF_OVERDUE_MS });
    this.lastDropOff = { door: d.door, receiptCode: p.receiptCode };
    this.cabinet.changed();
  }

  lastDropOff: { door: number; receiptCode: string } | undefined;
}
