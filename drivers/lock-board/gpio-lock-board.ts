// The LockBoard interface for cabinets built from relays and door switches on digital lines
// (the board's GPIO or an MCP23017 expander) instead of an RS485 lock-control board. A lock is
// a relay output that energises the solenoid for pulseMs and a door-switch input; the input is
// already debounced and the relay serialised by the line itself (drivers/gpio).
//
// The rules of drivers/hal/lock-board.ts, in these terms: open() energises one relay once and
// releases it after pulseMs, never a second time, and resolves when the relay is released;
// `ok: true` means the pulse was given, not that the door opened (a jammed latch stays shut:
// only the switch, through status(), says). Pulses are one at a time across the board, in call
// order, which also keeps two solenoids from drawing their inrush current together. status()
// reads the switches at once, with no effect on the cabinet, so it never waits for a pulse. A
// relay that cannot be driven or a switch whose line is faulty is a fault in health(), never a
// throw. A relay that could not be released is retried (releasing twice is harmless) and reported.
import type { LockBoard, LockBoardFailure, LockBoardFaultCode, LockBoardHealth, LockBoardResult, LockState, UnlockAck } from '../hal/lock-board.js';
import type { DigitalInput, DigitalOutput } from '../hal/digital-io.js';
import type { PartHealth } from '../hal/part-health.js';
import type { Clock } from '../hal/clock.js';
import type { Timers } from '../clock/timers.js';
import { HalError } from '../hal/hal-error.js';
import { BoardHealth } from './board-health.js';

export const DEFAULT_UNLOCK_PULSE_MS = 500;
/** Electrical level of a door switch line while the door is open (switch to ground, pull-up, closed when the door is shut). */
export const DEFAULT_SENSOR_OPEN_LEVEL = 1;
const RELEASE_ATTEMPTS = 3;
const RELEASE_RETRY_MS = 50;

type Line<T> = T & { health?(): PartHealth };

export interface GpioLock {
  relay: Line<DigitalOutput>;
  sensor: Line<DigitalInput>;
  /** The switch input's wiring, to turn its logical level back into the electrical one sensorOpenLevel names. */
  sensorActiveLow: boolean;
}

export interface GpioLockBoardOptions {
  name: string;
  /** Lock n is locks[n - 1]. */
  locks: readonly GpioLock[];
  pulseMs: number;
  sensorOpenLevel: 0 | 1;
  clock: Pick<Clock, 'monotonicMs'>;
  timers: Timers;
  onListenerError?: (part: string, err: unknown) => void;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class GpioLockBoard implements LockBoard {
  readonly name: string;
  readonly protocol = 'gpio' as const;
  readonly locks: number;
  private readonly healthState: BoardHealth;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: GpioLockBoardOptions) {
    this.name = options.name;
    this.locks = options.locks.length;
    this.healthState = new BoardHealth(`lock board ${options.name}`, options.clock, options.onListenerError);
  }

  open(lock: number): Promise<LockBoardResult<UnlockAck>> {
    const refused = this.refuse(lock);
    if (refused) return Promise.resolve(refused);
    const run = this.queue.then(() => this.pulse(lock));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async status(lock: number): Promise<LockBoardResult<LockState>> {
    const refused = this.refuse(lock);
    if (refused) return refused;
    const read = this.read(lock);
    if ('code' in read) return this.fail(read.code, read.detail, false);
    this.healthState.good();
    return { ok: true, value: read, attempts: 1 };
  }

  async statusAll(): Promise<LockBoardResult<LockState[]>> {
    if (this.closed) return this.fail('CLOSED', `lock board ${this.name} is closed`, false, false);
    const states: LockState[] = [];
    for (let lock = 1; lock <= this.locks; lock++) {
      const read = this.read(lock);
      if ('code' in read) return this.fail(read.code, read.detail, false);
      states.push(read);
    }
    this.healthState.good();
    return { ok: true, value: states, attempts: 1 };
  }

  health(): LockBoardHealth {
    return this.healthState.get();
  }

  onHealth(listener: (health: LockBoardHealth) => void): () => void {
    return this.healthState.onChange(listener);
  }

  /** Pulses not yet started resolve CLOSED; one already energised finishes and releases its relay. The lines belong to the Hal. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
  }

  private async pulse(lock: number): Promise<LockBoardResult<UnlockAck>> {
    if (this.closed) return this.fail('CLOSED', `lock board ${this.name} is closed`, false, false);
    const { relay } = this.lockAt(lock);
    try {
      await relay.write(true);
    } catch (err) {
      // IO: the line may or may not have moved; UNAVAILABLE/CLOSED: nothing was driven.
      const maybe = !(err instanceof HalError) || err.code === 'IO' || err.code === 'TIMEOUT';
      if (maybe) await this.release(relay, lock);
      return this.fail('IO', `lock ${lock}: relay ${relay.name} could not be energised: ${message(err)}`, maybe, true, err);
    }
    const atMs = this.options.clock.monotonicMs();
    await this.sleep(this.options.pulseMs);
    if (!(await this.release(relay, lock))) return { ok: true, value: { lock, atMs }, attempts: 1 }; // pulsed; the fault is in health()
    this.healthState.good();
    return { ok: true, value: { lock, atMs }, attempts: 1 };
  }

  /** De-energises the relay, retrying: a solenoid left on burns out and leaves the door unlocked. */
  private async release(relay: DigitalOutput, lock: number): Promise<boolean> {
    let last: unknown;
    for (let attempt = 1; attempt <= RELEASE_ATTEMPTS; attempt++) {
      try {
        await relay.write(false);
        return true;
      } catch (err) {
        last = err;
        if (attempt < RELEASE_ATTEMPTS) await this.sleep(RELEASE_RETRY_MS);
      }
    }
    this.healthState.failed('IO', `lock ${lock}: relay ${relay.name} may be stuck energised: ${message(last)}`);
    return false;
  }

  private read(lock: number): LockState | { code: LockBoardFaultCode; detail: string } {
    const { sensor, sensorActiveLow } = this.lockAt(lock);
    const health = sensor.health?.();
    if (health && !health.ok) return { code: 'IO', detail: `lock ${lock}: door switch ${sensor.name}: ${health.detail ?? 'line not available'}` };
    const level = sensor.isActive() !== sensorActiveLow ? 1 : 0;
    return { lock, open: level === this.options.sensorOpenLevel };
  }

  private lockAt(lock: number): GpioLock {
    const found = this.options.locks[lock - 1];
    if (!found) throw new RangeError(`lock ${lock} checked by refuse()`); // unreachable: refuse() ran first
    return found;
  }

  private refuse(lock: number): LockBoardFailure | undefined {
    if (!Number.isInteger(lock) || lock < 1 || lock > this.locks) return { ok: false, code: 'BAD_LOCK', message: `lock ${lock} is not on board ${this.name} (locks 1-${this.locks})`, sent: false, attempts: 0 };
    if (this.closed) return { ok: false, code: 'CLOSED', message: `lock board ${this.name} is closed`, sent: false, attempts: 0 };
    return undefined;
  }

  private fail(code: LockBoardFaultCode, detail: string, sent: boolean, marks = true, cause?: unknown): LockBoardFailure {
    if (marks) this.healthState.failed(code, detail);
    return { ok: false, code, message: `lock board ${this.name}: ${detail}`, sent, attempts: sent ? 1 : 0, ...(cause !== undefined ? { cause } : {}) };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.options.timers.setTimeout(resolve, ms));
  }
}
