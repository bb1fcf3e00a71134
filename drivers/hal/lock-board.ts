// The LockBoard HAL interface: one RS485 lock-control board (a cabinet's bank of electric locks
// with door sensors, and on some boards an infrared item sensor per compartment), addressed on
// a shared bus. Roles (the locker) see this interface only; drivers/lock-board/ implements it
// for the "8a80" and "kerong-cu" protocol families, simulators/lock-board/ answers the same bytes.
//
// Rules every implementation follows (checked by test/contracts/lock-board.ts):
// - No method rejects and no listener is called with an exception: every outcome is a
//   LockBoardResult the caller branches on by `code`. A board that stops answering is a fault
//   in health() and an onHealth() event, never a throw into the role.
// - Calls are serialised per bus: boards sharing one serial line take turns, one request in
//   flight at a time, in call order. A call made while the bus is busy waits its turn; its
//   reply deadline starts when its request is written.
// - open() writes exactly one unlock frame, or none (`sent: false`) when it is refused before
//   any byte leaves (bad lock number, closed board). It is never retried: neither protocol has
//   a reply that proves a request was NOT executed, so a resend after a lost or garbled reply
//   could open a door twice. `ok: true` means the board acknowledged the unlock pulse, not that
//   the door opened: only the door sensor (status()) says that, and a jammed lock acknowledges
//   and stays shut.
// - status() and statusAll() are side-effect free on the board and are retried on TIMEOUT,
//   CHECKSUM and BAD_REPLY up to the configured number of retries before they fail.
// - A call that fails with TIMEOUT, CHECKSUM, BAD_REPLY, IO or CLOSED marks the board faulted;
//   the next valid reply marks it ok again. onHealth() hears each change of `state`, once.
// - After close(), every call not yet on the wire resolves `{ ok: false, code: 'CLOSED', sent: false }`;
//   one already waiting for its reply finishes as it would have.

/** Which byte protocol a board speaks, or 'gpio' for relays and door switches on digital lines (drivers/lock-board/gpio-lock-board.ts); chosen per board in io.lockBoards. */
export type LockBoardProtocol = '8a80' | 'kerong-cu' | 'gpio';
/** The families that speak bytes on an RS485 line. */
export type SerialLockBoardProtocol = Exclude<LockBoardProtocol, 'gpio'>;

export type LockBoardFaultCode =
  | 'TIMEOUT' // no complete reply before the deadline (after the retries, for status calls)
  | 'CHECKSUM' // a reply arrived with a wrong BCC/SUM (after the retries, for status calls)
  | 'BAD_REPLY' // a well-formed reply that does not answer the request (wrong command, too few status bits)
  | 'IO' // the serial write failed
  | 'CLOSED' // the board or its serial line is closed
  | 'BAD_LOCK'; // the lock number is outside 1..locks: nothing was sent

/** One compartment as the board's sensors see it. */
export interface LockState {
  /** 1-based, as in the config. */
  lock: number;
  /** The door/latch sensor reads open (after the board's configured polarity). */
  open: boolean;
  /** The infrared item sensor sees something; absent when the board has no such sensor. */
  itemPresent?: boolean;
}

export interface UnlockAck {
  lock: number;
  /** Clock.monotonicMs() when the acknowledgement arrived. */
  atMs: number;
}

export type LockBoardFailure = {
  ok: false;
  code: LockBoardFaultCode;
  message: string;
  /**
   * Whether the request went on the wire. For open() with `sent: true` the board may have
   * pulsed the lock: the outcome is indeterminate until status() is read. Never resend.
   */
  sent: boolean;
  /** Requests written for this call (retries included). */
  attempts: number;
  cause?: unknown;
};

export type LockBoardResult<T> = { ok: true; value: T; attempts: number } | LockBoardFailure;

export interface LockBoardHealth {
  /** false only in state 'fault'. */
  ok: boolean;
  /** 'unknown' until the first reply or failure. */
  state: 'unknown' | 'ok' | 'fault';
  /** What the last failed call ended with, while in 'fault'. */
  code?: LockBoardFaultCode;
  detail?: string;
  /** Clock.monotonicMs() when `state` last changed. */
  sinceMs: number;
  /** Failed calls since the last good reply. */
  consecutiveFailures: number;
}

export interface LockBoard {
  /** The io.lockBoards key ("cab-a"). */
  readonly name: string;
  readonly protocol: LockBoardProtocol;
  /** Number of locks configured on the board; valid lock numbers are 1..locks. */
  readonly locks: number;
  /** Pulses one lock. See the rules above: one frame, no retry, ack ≠ door open. */
  open(lock: number): Promise<LockBoardResult<UnlockAck>>;
  /** One lock's sensors. */
  status(lock: number): Promise<LockBoardResult<LockState>>;
  /** Every configured lock's sensors, in lock order, from one request. */
  statusAll(): Promise<LockBoardResult<LockState[]>>;
  /** What the driver knows now, without I/O. */
  health(): LockBoardHealth;
  /** Called on every change of health().state. A listener that throws is reported, not propagated. */
  onHealth(listener: (health: LockBoardHealth) => void): () => void;
  /** Queued and later calls resolve CLOSED; the serial line closes with the last board on it. */
  close(): Promise<void>;
}
