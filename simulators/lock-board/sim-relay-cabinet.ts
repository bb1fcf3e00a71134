// A cabinet of solenoid locks on relays with a door switch each, for the "gpio" LockBoard: it
// watches each relay line and, when one is energised, releases that door (unless jammed), then
// puts the door's state on its switch line at the configured electrical level. Doors can be
// forced open and shut from the test, like the byte-level VirtualLockBoard's, so one contract
// suite runs on both. The lines are the sim board's (GPIO or expander pins), reached through hooks.
import { DoorBank } from './door-bank.js';

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

export class SimRelayCabinet extends DoorBank {
  private readonly off: Array<() => void> = [];

  constructor(private readonly options: SimRelayCabinetOptions) {
    super(options.locks.length, 'relay cabinet');
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

  /** Stops watching the relays. */
  detach(): void {
    for (const off of this.off.splice(0)) off();
  }

  protected override doorChanged(lock: number): void {
    this.show(lock);
  }

  private show(lock: number, initial = false): void {
    const sensor = this.options.locks[lock - 1]?.sensor;
    if (sensor === undefined) return;
    const closedLevel: Level = this.options.sensorOpenLevel === 1 ? 0 : 1;
    this.options.lines.setSwitch(sensor, this.isOpen(lock) ? this.options.sensorOpenLevel : closedLevel, initial);
  }
}
