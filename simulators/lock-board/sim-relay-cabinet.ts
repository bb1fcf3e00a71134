// A cabinet of solenoid locks on relays with a door switch each, for the "gpio" LockBoard: it
// watches each relay line and, when one is energised, releases that door (unless jammed), then
// puts the door's state on its switch line at the configured electrical level. Doors can be
// forced open and shut from the test, like the byte-level VirtualLockBoard's, so one contract
// suite runs on both. The lines are the sim board's (GPIO or expander pins), reached through hooks.
export type Level = 0 | 1;

export interface RelayCabinetLines {
  /** Calls back with the relay's logical level each time it is driven. */
  onRelay(relay: string, listener: (energised: boolean) => void): () => void;
  /** Puts an electrical level on a switch line; `initial` for the level it has at power-on (no transition). */
  setSwitch(sensor: string, level: Level, initial: boolean): void;
}

export interface SimRelayCabinetOptions {
  locks: ReadonlyArray<{ relay: string; sensor: string }>;
  /** Electrical level of a switch line while its door is open. */
  sensorOpenLevel: Level;
  lines: RelayCabinetLines;
}

export class SimRelayCabinet {
  readonly locks: number;
  /** Lock numbers whose relay was energised, in order (a jammed lock is pulsed too). */
  readonly pulses: number[] = [];
  private readonly doors: boolean[];
  private readonly items: boolean[];
  private readonly jammed = new Set<number>();
  private readonly off: Array<() => void> = [];

  constructor(private readonly options: SimRelayCabinetOptions) {
    this.locks = options.locks.length;
    this.doors = options.locks.map(() => false);
    this.items = options.locks.map(() => false);
    options.locks.forEach(({ relay }, i) => {
      let energised = false;
      this.off.push(
        options.lines.onRelay(relay, (on) => {
          if (on && !energised) this.pulse(i + 1);
          energised = on;
        }),
      );
    });
    for (let lock = 1; lock <= this.locks; lock++) this.show(lock, true);
  }

  isOpen(lock: number): boolean {
    return this.doors[this.index(lock)] ?? false;
  }

  /** Someone shuts the door; the latch catches. */
  closeDoor(lock: number): void {
    this.doors[this.index(lock)] = false;
    this.show(lock);
  }

  /** The door is pried open without any command. */
  forceOpen(lock: number): void {
    this.doors[this.index(lock)] = true;
    this.show(lock);
  }

  /** Kept for the shared fixtures; a relay cabinet has no item sensors, so nothing reads it. */
  setItem(lock: number, present: boolean): void {
    this.items[this.index(lock)] = present;
  }

  /** The relay clicks but the latch does not release. */
  jam(lock: number, jammed = true): void {
    this.index(lock);
    if (jammed) this.jammed.add(lock);
    else this.jammed.delete(lock);
  }

  /** Stops watching the relays. */
  detach(): void {
    for (const off of this.off.splice(0)) off();
  }

  private pulse(lock: number): void {
    this.pulses.push(lock);
    if (this.jammed.has(lock)) return;
    this.doors[lock - 1] = true;
    this.show(lock);
  }

  private show(lock: number, initial = false): void {
    const sensor = this.options.locks[lock - 1]?.sensor;
    if (sensor === undefined) return;
    const open = this.doors[lock - 1] ?? false;
    const closedLevel: Level = this.options.sensorOpenLevel === 1 ? 0 : 1;
    this.options.lines.setSwitch(sensor, open ? this.options.sensorOpenLevel : closedLevel, initial);
  }

  private index(lock: number): number {
    if (!Number.isInteger(lock) || lock < 1 || lock > this.locks) throw new RangeError(`relay cabinet has locks 1-${this.locks}, not ${lock}`);
    return lock - 1;
  }
}
