// The LockBoard (drivers/hal/lock-board.ts) over a shared LockBus, for any protocol family:
// the family's codec (frame-8a80.ts, frame-kerong-cu.ts) says which bytes to send and how to
// read the reply; this file holds the rules the role relies on.
//
// Why unlocks are never retried: neither family's unlock reply can say "not executed" (8a80
// echoes the latch state, Kerong sends a status frame), and a lost or garbled reply says
// nothing about whether the board pulsed the lock. Resending would open the door a second
// time whenever the first pulse worked but its reply was lost. So open() writes one frame and
// reports `sent: true` with the failure: the caller reads status() to learn what happened.
// Status queries have no effect on the board, so they are retried.
import type { LockBoard, LockBoardFailure, LockBoardHealth, LockBoardResult, SerialLockBoardProtocol, LockState, UnlockAck } from '../hal/lock-board.js';
import type { Clock } from '../hal/types.js';
import type { Exchange, LockBoardCodec } from './codec.js';
import { BoardHealth } from './board-health.js';
import { REPLY_TIMEOUT_MS, type BusOutcome, type LockBus } from './lock-bus.js';

/** Status queries are resent this many times after a timeout or bad reply. */
export const DEFAULT_STATUS_RETRIES = 2;

export interface SerialLockBoardOptions {
  name: string;
  protocol: SerialLockBoardProtocol;
  locks: number;
  codec: LockBoardCodec;
  bus: LockBus;
  clock: Pick<Clock, 'monotonicMs'>;
  retries?: number;
  replyTimeoutMs?: number;
  onListenerError?: (part: string, err: unknown) => void;
  /** Called once by close(): the owner of the bus closes it when its last board is gone. */
  release?: () => Promise<void>;
}

export class SerialLockBoard implements LockBoard {
  readonly name: string;
  readonly protocol: SerialLockBoardProtocol;
  readonly locks: number;
  private readonly healthState: BoardHealth;
  private readonly retries: number;
  private readonly timeoutMs: number;
  private closed = false;

  constructor(private readonly options: SerialLockBoardOptions) {
    this.name = options.name;
    this.protocol = options.protocol;
    this.locks = options.locks;
    this.retries = options.retries ?? DEFAULT_STATUS_RETRIES;
    this.timeoutMs = options.replyTimeoutMs ?? REPLY_TIMEOUT_MS;
    this.healthState = new BoardHealth(`lock board ${options.name}`, options.clock, options.onListenerError);
  }

  open(lock: number): Promise<LockBoardResult<UnlockAck>> {
    const refused = this.refuse(lock);
    if (refused) return Promise.resolve(refused);
    return this.options.bus.exclusive(async () => {
      if (this.closed) return this.closedFailure();
      const outcome = await this.options.bus.transact(this.options.codec.unlock(lock), this.timeoutMs);
      const result = this.conclude(outcome, 1);
      return result.ok ? { ok: true, value: { lock, atMs: this.options.clock.monotonicMs() }, attempts: 1 } : result;
    });
  }

  status(lock: number): Promise<LockBoardResult<LockState>> {
    const refused = this.refuse(lock);
    if (refused) return Promise.resolve(refused);
    return this.query(() => this.options.codec.status(lock));
  }

  statusAll(): Promise<LockBoardResult<LockState[]>> {
    return this.query(() => this.options.codec.statusAll());
  }

  health(): LockBoardHealth {
    return this.healthState.get();
  }

  onHealth(listener: (health: LockBoardHealth) => void): () => void {
    return this.healthState.onChange(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.options.release?.();
  }

  private query<T>(exchange: () => Exchange<T>): Promise<LockBoardResult<T>> {
    if (this.closed) return Promise.resolve(this.closedFailure());
    return this.options.bus.exclusive(async () => {
      let attempts = 0;
      let last: BusOutcome<T> | undefined;
      while (attempts <= this.retries && !this.closed) {
        attempts += 1;
        last = await this.options.bus.transact(exchange(), this.timeoutMs);
        // A closed line or a failed write will not get better by asking again.
        if (last.ok || last.code === 'CLOSED' || last.code === 'IO') break;
      }
      if (!last) return this.closedFailure();
      return this.conclude(last, attempts);
    });
  }

  private conclude<T>(outcome: BusOutcome<T>, attempts: number): LockBoardResult<T> {
    if (outcome.ok) {
      this.healthState.good();
      return { ok: true, value: outcome.value, attempts };
    }
    this.healthState.failed(outcome.code, outcome.message);
    const failure: LockBoardFailure = { ok: false, code: outcome.code, message: outcome.message, sent: outcome.sent, attempts };
    if (outcome.cause !== undefined) failure.cause = outcome.cause;
    return failure;
  }

  private refuse(lock: number): LockBoardFailure | undefined {
    if (this.closed) return this.closedFailure();
    if (!Number.isInteger(lock) || lock < 1 || lock > this.locks) {
      return { ok: false, code: 'BAD_LOCK', message: `lock board ${this.name} has locks 1-${this.locks}, not ${String(lock)}`, sent: false, attempts: 0 };
    }
    return undefined;
  }

  private closedFailure(): LockBoardFailure {
    return { ok: false, code: 'CLOSED', message: `lock board ${this.name} is closed`, sent: false, attempts: 0 };
  }
}
