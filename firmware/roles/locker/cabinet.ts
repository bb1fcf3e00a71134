// The cabinet at run time: its lock boards, its doors, the sensor poll and the one way a door
// is unlocked (unlock(): rate limit, one frame, confirmation by the door sensor).
//
// The poll reads every board's sensors each pollIntervalMs. A door that opens while none of our
// unlocks is being confirmed is door.forced, unless an unlock of ours that was not seen open
// ended within lateOpenWindowMs (unconfirmed-unlocks.ts): then it is that unlock's door.opened
// {late:true}, with its deposit handed out. One that stays open leftOpenAfterMs is
// door.left-open; one that closes is door.closed. A board that stops answering is board.fault
// (from the driver's health), and board.ok when it answers again; the other boards go on.
// At start nothing is pulsed: the only thing the cabinet sends unasked is a status query.
import type { LockBoard, LockBoardHealth, LockState } from '../../../drivers/hal/types.js';
import type { EventData, EventName } from '../../../protocol/contract.js';
import type { LockerContract, LockerState, OpenedBy } from '../../../protocol/locker.js';
import type { Statement } from '../../store/store.js';
import type { RoleContext } from '../role-module.js';
import type { LockerConfig } from './config.js';
import { delay } from './delay.js';
import { doorModel, occupied, type DoorModel } from './door-model.js';
import type { AuditEntry, LockerStore } from './locker-store.js';
import type { CodeResult, PickupShown } from './code-result.js';
import { UnconfirmedUnlocks, type UnconfirmedUnlock } from './unconfirmed-unlocks.js';

export type UnlockOutcome =
  /** `settle` goes into the transaction that records the open (it ends the unlock's unconfirmed record). */
  | { ok: true; waitedMs: number; alreadyOpen: boolean; settle: Statement }
  | { ok: false; code: 'RATE_LIMITED' | 'BOARD' | 'NOT_DETECTED' | 'BUSY'; message: string };

export interface UnlockRequest {
  by: OpenedBy;
  commandId?: string;
  depositId?: string;
  reason?: string;
  signal?: AbortSignal;
  /** Committed with the unlock's own record, before the frame leaves (e.g. the code path's audit row). */
  alongside?: Statement[];
}

interface BoardEntry {
  name: string;
  board: LockBoard | undefined;
  openError: string | undefined;
  /** What the last board.fault / board.ok said (so each change is reported once). */
  reported: 'ok' | 'fault' | undefined;
  offHealth: (() => void) | undefined;
}

export class Cabinet {
  readonly doors = new Map<number, DoorModel>();
  private readonly boards = new Map<string, BoardEntry>();
  private pollTimer: ReturnType<RoleContext['timers']['setInterval']> | undefined;
  private polling = false;
  private stopped = false;
  private readonly changeListeners = new Set<() => void>();
  private readonly closeListeners = new Set<(d: DoorModel) => void>();
  private readonly handedOutListeners = new Set<(depositId: string) => void>();
  private readonly unconfirmed: UnconfirmedUnlocks;
  lockoutUntil = 0;
  pageUrl: string | null = null;
  /** The keypad's entry (a count, never the digits) and its last result; null without a keypad. */
  keypad: { typed: number; last: CodeResult | null } | null = null;
  /** The last pickup tried at the cabinet (not on the page, which gets its own answer). */
  lastPickup: PickupShown | null = null;
  private pickupSeq = 0;

  constructor(
    private readonly ctx: RoleContext<LockerContract>,
    public config: LockerConfig,
    readonly records: LockerStore,
  ) {
    this.unconfirmed = new UnconfirmedUnlocks(ctx.store, () => ctx.clock.bestGuess(), () => this.config.lateOpenWindowMs);
    for (const c of config.doors) this.doors.set(c.door, doorModel(c));
    for (const name of new Set(config.doors.map((d) => d.board))) this.boards.set(name, { name, board: undefined, openError: undefined, reported: undefined, offHealth: undefined });
  }

  /** Loads the durable parts (disabled doors, deposits, lockout), opens the boards that open, starts polling. */
  async start(): Promise<void> {
    const disabled = await this.records.disabledDoors();
    for (const d of this.doors.values()) d.enabled = !disabled.has(d.door);
    for (const dep of await this.records.activeDeposits()) {
      const d = this.doors.get(dep.door);
      if (d) d.depositId = dep.depositId;
    }
    for (const p of await this.records.pendingDropOffs()) {
      const d = this.doors.get(p.door);
      if (d) d.dropOff = { depositId: p.depositId, receiptCode: p.receiptCode };
    }
    this.lockoutUntil = (await this.records.lockout()).until;
    await this.unconfirmed.load();
    await Promise.all([...this.boards.values()].map((b) => this.openBoard(b)));
    await this.poll();
    this.pollTimer = this.ctx.timers.setInterval(() => void this.poll(), this.config.pollIntervalMs);
    this.changed();
  }

  stop(): void {
    this.stopped = true;
    this.ctx.timers.clearInterval(this.pollTimer);
    for (const d of this.doors.values()) this.ctx.timers.clearTimeout(d.leftOpenTimer);
    for (const b of this.boards.values()) b.offHealth?.();
  }

  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Called with the deposit a late-seen open handed out (its overdue timer goes). */
  onHandedOut(listener: (depositId: string) => void): () => void {
    this.handedOutListeners.add(listener);
    return () => this.handedOutListeners.delete(listener);
  }

  /** Called with the door each time the poll sees it close. */
  onClose(listener: (d: DoorModel) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  changed(): void {
    this.ctx.link.setState(this.state() as unknown as Record<string, unknown>);
    for (const l of this.changeListeners) l();
  }

  door(door: number): DoorModel | undefined {
    return this.doors.get(door);
  }

  /** Why a door cannot be used now, or undefined. */
  fault(d: DoorModel): string | undefined {
    const b = this.boards.get(d.board);
    if (!b?.board) return `board ${d.board} not open: ${b?.openError ?? 'unknown'}`;
    const h = b.board.health();
    if (h.state === 'fault') return `board ${d.board} ${h.code ?? 'fault'}: ${h.detail ?? ''}`.trim();
    if (d.lock > b.board.locks) return `board ${d.board} has locks 1-${b.board.locks}, not ${d.lock}`;
    return undefined;
  }

  state(): LockerState {
    return {
      doors: [...this.doors.values()].map((d) => ({
        door: d.door,
        size: d.size,
        enabled: d.enabled,
        open: d.open ?? null,
        occupied: occupied(d),
        fault: this.fault(d) ?? null,
        depositId: d.depositId ?? null,
      })),
      lockoutUntil: this.lockoutUntil > this.ctx.clock.bestGuess() ? this.lockoutUntil : null,
      boards: Object.fromEntries([...this.boards.values()].map((b) => [b.name, b.board ? { ok: b.board.health().ok, state: b.board.health().state } : { ok: false, state: 'not-open' }])),
      page: this.pageUrl,
      keypad: this.keypad ? { typed: this.keypad.typed } : null,
    };
  }

  /** A pickup tried at the cabinet came to `result`: its page shows it. */
  showPickup(via: PickupShown['via'], result: PickupShown['result']): void {
    this.pickupSeq += 1;
    this.lastPickup = { seq: this.pickupSeq, via, result };
    this.changed();
  }

  /** Emits an event with its audit row (and any other statements) in one transaction. */
  emit<N extends EventName<LockerContract>>(name: N, data: EventData<LockerContract, N>, audit: AuditEntry, extra: Statement[] = []): Promise<void> {
    return this.ctx.link.emit(name, data, { statements: [this.records.auditStatement(audit), ...extra] }).then(
      () => undefined,
      (err: unknown) => this.ctx.log.error({ err: (err as Error).message, event: name }, 'locker event not stored'),
    );
  }

  /** Several events (each with its audit row) and statements in one transaction: all or none. */
  emitTogether(events: Array<{ [N in EventName<LockerContract>]: { name: N; data: EventData<LockerContract, N>; audit: AuditEntry } }[EventName<LockerContract>]>, extra: Statement[] = []): Promise<void> {
    return this.ctx.store
      .commit(
        [...events.map((e) => this.records.auditStatement(e.audit)), ...extra],
        events.map((e) => ({ role: 'locker', name: e.name, data: e.data as Record<string, unknown>, durable: true })),
      )
      .then(
        () => undefined,
        (err: unknown) => this.ctx.log.error({ err: (err as Error).message, events: events.map((e) => e.name) }, 'locker events not stored'),
      );
  }

  /**
   * Unlocks one door and waits for its sensor: one unlock frame at most, never resent.
   * On NOT_DETECTED the door.open-not-detected event is already stored.
   */
  async unlock(d: DoorModel, req: UnlockRequest): Promise<UnlockOutcome> {
    const b = this.boards.get(d.board)?.board;
    // A faulted board gets no unlock: a board whose replies are lost may still hear and pulse, and the outcome would be unknowable.
    const fault = this.fault(d);
    if (!b || fault !== undefined) return { ok: false, code: 'BOARD', message: fault ?? `board ${d.board} not open` };
    if (d.expecting) return { ok: false, code: 'BUSY', message: `door ${d.door} is already being opened` };
    const now = this.ctx.clock.monotonicMs();
    const { maxOpens, windowMs } = this.config.openRateLimit;
    d.recentOpens = d.recentOpens.filter((at) => now - at < windowMs);
    if (d.recentOpens.length >= maxOpens)
      return { ok: false, code: 'RATE_LIMITED', message: `door ${d.door} was opened ${d.recentOpens.length} times within ${windowMs} ms (limit ${maxOpens}); try again later` };
    d.recentOpens.push(now);
    d.expecting = true;
    // What the sensor said before the pulse: an open door is pulsed anyway (a broken sensor cable must not keep an item locked in).
    const alreadyOpen = d.open === true;
    try {
      await this.unconfirmed.sending(
        { door: d.door, by: req.by, ...(req.commandId !== undefined ? { commandId: req.commandId } : {}), ...(req.depositId !== undefined ? { depositId: req.depositId } : {}), ...(req.reason !== undefined ? { reason: req.reason } : {}) },
        req.alongside,
      );
      const sent = await b.open(d.lock);
      if (!sent.ok && !sent.sent) {
        await this.unconfirmed.notSent(d.door);
        return { ok: false, code: 'BOARD', message: `board ${d.board} lock ${d.lock}: ${sent.code} ${sent.message}` };
      }
      for (;;) {
        const s = await b.status(d.lock);
        if (s.ok && s.value.open) {
          this.sawOpen(d, s.value);
          return { ok: true, waitedMs: Math.round(this.ctx.clock.monotonicMs() - now), alreadyOpen, settle: this.unconfirmed.settled(d.door) };
        }
        const waited = this.ctx.clock.monotonicMs() - now;
        if (waited >= this.config.openConfirmMs || this.stopped || req.signal?.aborted === true) {
          await this.emit(
            'door.open-not-detected',
            {
              door: d.door,
              by: req.by,
              waitedMs: Math.round(waited),
              boardAck: sent.ok,
              ...(req.commandId !== undefined ? { commandId: req.commandId } : {}),
              ...(req.depositId !== undefined ? { depositId: req.depositId } : {}),
            },
            { who: req.by, what: 'open-not-detected', door: d.door, ...(req.commandId !== undefined ? { commandId: req.commandId } : {}), detail: { boardAck: sent.ok } },
          );
          return { ok: false, code: 'NOT_DETECTED', message: `door ${d.door} was not seen open within ${this.config.openConfirmMs} ms${sent.ok ? '' : ` (board: ${sent.code})`}` };
        }
        await delay(this.ctx.timers, this.config.confirmPollMs, req.signal);
      }
    } finally {
      d.expecting = false;
      this.changed();
    }
  }

  private sawOpen(d: DoorModel, s: LockState): void {
    if (d.open !== true) {
      d.open = true;
      d.openedAtMs = this.ctx.clock.monotonicMs();
      this.armLeftOpen(d);
    }
    if (s.itemPresent !== undefined) d.itemPresent = s.itemPresent;
  }

  private armLeftOpen(d: DoorModel): void {
    this.ctx.timers.clearTimeout(d.leftOpenTimer);
    const openedAt = d.openedAtMs;
    d.leftOpenTimer = this.ctx.timers.setTimeout(() => {
      d.leftOpenTimer = undefined;
      if (d.open !== true || d.openedAtMs !== openedAt) return;
      const openMs = Math.round(this.ctx.clock.monotonicMs() - openedAt);
      void this.emit('door.left-open', { door: d.door, openMs }, { who: 'device', what: 'left-open', door: d.door, detail: { openMs } });
    }, this.config.leftOpenAfterMs);
  }

  private async openBoard(b: BoardEntry): Promise<void> {
    if (b.board) return;
    try {
      const board = await this.ctx.hal.lockBoard(b.name);
      b.board = board;
      b.openError = undefined;
      b.offHealth = board.onHealth((h) => this.boardHealth(b, h));
    } catch (err) {
      b.openError = (err as Error).message;
      if (b.reported !== 'fault') {
        b.reported = 'fault';
        await this.emit('board.fault', { board: b.name, code: 'OPEN_FAILED', detail: b.openError }, { who: 'device', what: 'board-fault', detail: { board: b.name, code: 'OPEN_FAILED' } });
      }
    }
  }

  private boardHealth(b: BoardEntry, h: LockBoardHealth): void {
    if (h.state === 'fault' && b.reported !== 'fault') {
      b.reported = 'fault';
      void this.emit('board.fault', { board: b.name, code: h.code ?? 'UNKNOWN', detail: h.detail ?? '' }, { who: 'device', what: 'board-fault', detail: { board: b.name, code: h.code } });
    } else if (h.state === 'ok' && b.reported === 'fault') {
      b.reported = 'ok';
      void this.emit('board.ok', { board: b.name }, { who: 'device', what: 'board-ok', detail: { board: b.name } });
    } else if (h.state === 'ok') b.reported = 'ok';
    this.changed();
  }

  /** One pass over every board; a pass still running makes the next tick skip. */
  async poll(): Promise<void> {
    if (this.polling || this.stopped) return;
    this.polling = true;
    try {
      let changed = false;
      for (const b of this.boards.values()) {
        if (!b.board) await this.openBoard(b);
        if (!b.board || this.stopped) continue;
        const all = await b.board.statusAll();
        if (!all.ok) continue;
        for (const d of this.doors.values()) {
          if (d.board !== b.name) continue;
          const s = all.value[d.lock - 1];
          if (s && this.observe(d, s)) changed = true;
        }
      }
      if (changed) this.changed();
    } finally {
      this.polling = false;
    }
  }

  /** Applies one sensor reading; true when something shown changed. */
  private observe(d: DoorModel, s: LockState): boolean {
    const itemChanged = s.itemPresent !== undefined && s.itemPresent !== d.itemPresent;
    if (s.itemPresent !== undefined) d.itemPresent = s.itemPresent;
    // While our unlock is being confirmed, the opener owns the door's transition.
    if (d.expecting || s.open === d.open) return itemChanged;
    const first = d.open === undefined;
    if (s.open) {
      d.open = true;
      d.openedAtMs = this.ctx.clock.monotonicMs();
      this.armLeftOpen(d);
      const late = this.unconfirmed.claim(d.door);
      if (late) void this.lateOpened(d, late);
      // Open at start is not a tamper we saw; any later open without an unlock is.
      else if (!first) void this.emit('door.forced', { door: d.door }, { who: 'device', what: 'forced', door: d.door });
    } else {
      const wasOpen = d.open === true;
      d.open = false;
      this.ctx.timers.clearTimeout(d.leftOpenTimer);
      d.leftOpenTimer = undefined;
      if (wasOpen) {
        const openMs = Math.round(this.ctx.clock.monotonicMs() - d.openedAtMs);
        void this.emit('door.closed', { door: d.door, openMs }, { who: 'device', what: 'closed', door: d.door, detail: { openMs } });
        for (const l of this.closeListeners) l(d);
      }
    }
    return true;
  }

  /** The door of an unlock that ended unconfirmed is seen open within the window: that unlock opened it. */
  private async lateOpened(d: DoorModel, u: UnconfirmedUnlock): Promise<void> {
    const ids = { ...(u.commandId !== undefined ? { commandId: u.commandId } : {}), ...(u.depositId !== undefined ? { depositId: u.depositId } : {}) };
    const detail = { late: true, ...(u.depositId !== undefined ? { depositId: u.depositId } : {}) };
    const audit = { who: u.by, door: d.door, ...(u.commandId !== undefined ? { commandId: u.commandId } : {}), detail };
    const events: Parameters<Cabinet['emitTogether']>[0] = [
      { name: 'door.opened', data: { door: d.door, by: u.by, ...ids, ...(u.reason !== undefined ? { reason: u.reason } : {}), late: true }, audit: { ...audit, what: 'opened' } },
    ];
    const statements = [this.unconfirmed.settled(d.door)];
    // Its deposit is handed out as by an open seen in time, if nothing else ended it meanwhile.
    const depositId = u.depositId !== undefined && d.depositId === u.depositId ? u.depositId : undefined;
    if (depositId !== undefined) {
      events.push({ name: 'item.picked-up', data: { door: d.door, depositId, by: u.by, offline: !this.ctx.link.connected, ...(u.commandId !== undefined ? { commandId: u.commandId } : {}), late: true }, audit: { ...audit, what: 'picked-up' } });
      statements.push(this.records.endStatement(depositId, 'picked-up'));
      d.depositId = undefined;
      for (const l of this.handedOutListeners) l(depositId);
    }
    await this.emitTogether(events, statements);
    this.changed();
  }

  /** Every board answers a status query now (diag: bus scan). */
  async scan(): Promise<Array<{ board: string; ok: boolean; detail: string }>> {
    const out: Array<{ board: string; ok: boolean; detail: string }> = [];
    for (const b of this.boards.values()) {
      if (!b.board) await this.openBoard(b);
      if (!b.board) {
        out.push({ board: b.name, ok: false, detail: `not open: ${b.openError ?? 'unknown'}` });
        continue;
      }
      const r = await b.board.statusAll();
      out.push({ board: b.name, ok: r.ok, detail: r.ok ? `${r.value.length} locks answered` : `${r.code}: ${r.message}` });
    }
    return out;
  }
}
