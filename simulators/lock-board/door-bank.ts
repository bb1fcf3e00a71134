// The doors of a simulated cabinet, whatever drives them (an 8A/80 or Kerong board's unlock
// frame, or a relay line): latched doors, item sensors, jammed latches and the pulses seen.
// A closed door is latched; a pulse releases the latch and the spring pushes the door open,
// unless the lock is jammed (the pulse is taken, nothing moves). A test closes a door again
// with closeDoor() or forces it open with forceOpen() (tamper: no command).
export class DoorBank {
  readonly locks: number;
  /** Lock numbers pulsed, in order (a jammed lock is pulsed too). */
  readonly pulses: number[] = [];
  private readonly doors: boolean[];
  private readonly items: boolean[];
  private readonly jammed = new Set<number>();

  /** `what` names the cabinet in a wrong lock number's error. */
  constructor(locks: number, private readonly what: string) {
    this.locks = locks;
    this.doors = Array.from({ length: locks }, () => false);
    this.items = Array.from({ length: locks }, () => false);
  }

  isOpen(lock: number): boolean {
    return this.doors[this.index(lock)] ?? false;
  }

  hasItem(lock: number): boolean {
    return this.items[this.index(lock)] ?? false;
  }

  /** Someone shuts the door; the latch catches. */
  closeDoor(lock: number): void {
    this.doors[this.index(lock)] = false;
    this.doorChanged(lock);
  }

  /** The door is pried open without any command. */
  forceOpen(lock: number): void {
    this.doors[this.index(lock)] = true;
    this.doorChanged(lock);
  }

  setItem(lock: number, present: boolean): void {
    this.items[this.index(lock)] = present;
  }

  /** Pulses are taken but the latch does not release. */
  jam(lock: number, jammed = true): void {
    this.index(lock);
    if (jammed) this.jammed.add(lock);
    else this.jammed.delete(lock);
  }

  /** An unlock pulse reaches the lock. */
  pulse(lock: number): void {
    const i = this.index(lock);
    this.pulses.push(lock);
    if (this.jammed.has(lock)) return;
    this.doors[i] = true;
    this.doorChanged(lock);
  }

  hasLock(lock: number): boolean {
    return Number.isInteger(lock) && lock >= 1 && lock <= this.locks;
  }

  /** Called after a door opened or closed (a relay cabinet puts it on the door's switch line). */
  protected doorChanged(lock: number): void {
    void lock;
  }

  private index(lock: number): number {
    if (!this.hasLock(lock)) throw new RangeError(`${this.what} has locks 1-${this.locks}, not ${lock}`);
    return lock - 1;
  }
}
