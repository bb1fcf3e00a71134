// The cabinet's physical keypad: one debounced input per key (GPIO buttons or expander pins;
// the HAL debounces, as for the caller's keypad). Digits collect up to maxDigits, clear empties,
// enter hands the code to the same pickup desk as the touch page, so tries, the lockout and the
// events are shared. A half-typed code is cleared after idleMs, so the next citizen does not
// inherit it. During a lockout keys are ignored (the page shows the lockout). The digits live
// only here: the page gets them masked, the retained state only their count.
import type { LockerContract } from '../../../protocol/locker.js';
import type { RoleContext } from '../role-module.js';
import type { Cabinet } from './cabinet.js';
import type { LockerKeypadConfig } from './config.js';
import type { PickupDesk } from './pickup-desk.js';

type Key = { digit: string } | 'clear' | 'enter';

export class PickupKeypad {
  private typed = '';
  private idleTimer: ReturnType<RoleContext['timers']['setTimeout']> | undefined;
  private readonly cleanups: (() => void)[] = [];
  private stopped = false;

  constructor(
    private readonly ctx: RoleContext<LockerContract>,
    private readonly config: LockerKeypadConfig,
    private readonly cabinet: Cabinet,
    private readonly desk: PickupDesk,
  ) {}

  /** Subscribes to every key; a key whose input cannot be opened is logged and the others work. */
  start(): void {
    const keys: Array<[string, Key]> = [...this.config.digits.map((input, i): [string, Key] => [input, { digit: String(i) }]), [this.config.clear, 'clear'], [this.config.enter, 'enter']];
    for (const [input, key] of keys) {
      try {
        this.cleanups.push(this.ctx.hal.input(input).onChange((active) => active && this.press(key)));
      } catch (err) {
        this.ctx.log.error({ err: (err as Error).message, input }, 'locker keypad key not opened');
      }
    }
    this.cabinet.keypad = { typed: 0, last: this.cabinet.keypad?.last ?? null };
  }

  stop(): void {
    this.stopped = true;
    for (const c of this.cleanups.splice(0)) c();
    this.ctx.timers.clearTimeout(this.idleTimer);
    this.typed = '';
    this.cabinet.keypad = null;
  }

  private lockedOut(): boolean {
    return this.cabinet.lockoutUntil > this.ctx.clock.bestGuess();
  }

  private press(key: Key): void {
    if (this.stopped || this.lockedOut()) return;
    if (key === 'clear') this.set('');
    else if (key === 'enter') this.submit();
    else if (this.typed.length < this.config.maxDigits) this.set(this.typed + key.digit);
  }

  private set(typed: string): void {
    this.typed = typed;
    this.ctx.timers.clearTimeout(this.idleTimer);
    this.idleTimer = typed === '' ? undefined : this.ctx.timers.setTimeout(() => this.set(''), this.config.idleMs);
    if (this.cabinet.keypad) this.cabinet.keypad.typed = typed.length;
    this.cabinet.changed();
  }

  private submit(): void {
    const code = this.typed;
    if (code === '') return;
    this.set('');
    this.desk.enterCode(code, 'keypad').then(
      (r) => {
        // Never log the code itself.
        this.ctx.log.info({ ok: r.ok, ...(r.ok ? { door: r.door } : { reason: r.reason }) }, 'pickup code typed on the keypad');
        if (this.stopped || !this.cabinet.keypad) return;
        this.cabinet.keypad.last = r;
        this.cabinet.showPickup('keypad', r);
      },
      (err: unknown) => this.ctx.log.error({ err: (err as Error).message }, 'keypad code failed'),
    );
  }
}
