// One output line held by a `gpioset` child (libgpiod tools/gpioset.c). The chardev ABI
// releases a line when its holder exits, so the child must stay alive while the level
// matters: v1 runs with --mode=signal, v2 holds by default. Changing the level means stopping
// the child and starting another; between the two the line is briefly released (it keeps its
// last value on the Pi's pin controllers, but that is not guaranteed by the ABI). Fine for
// LEDs, relays and buzzers, not for bit-banging.
import { ChildWatch, spawned, stopChild, type CommandRunner } from '../process/command-runner.js';
import type { Timers } from '../clock/timers.js';
import { HalError } from '../hal/types.js';
import type { Level } from './gpio-backend.js';
import type { LineOutputDriver } from './line-output.js';
import { gpiosetArgs, type GpiodMajor } from './gpiod-cli.js';

export interface GpiosetOptions {
  runner: CommandRunner;
  timers: Timers;
  major: GpiodMajor;
  chip: string;
  offset: number;
}

export class GpiosetLine implements LineOutputDriver {
  private watch: ChildWatch | undefined;
  private level: Level | undefined;
  private stderr = '';
  private lost: string | undefined;
  private stopping = false;

  constructor(private readonly options: GpiosetOptions) {}

  async write(level: Level): Promise<void> {
    if (this.watch && !this.watch.exited && this.level === level) return;
    const old = this.watch;
    this.watch = undefined; // so the old child's exit is not taken for a lost line
    if (old) await stopChild(old, this.options.timers);
    const { runner, major, chip, offset } = this.options;
    const child = runner('gpioset', gpiosetArgs(major, chip, offset, level));
    const watch = new ChildWatch(child);
    this.watch = watch;
    this.level = level;
    this.stderr = '';
    this.lost = undefined;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => (this.stderr = (this.stderr + chunk).slice(-400)));
    void watch.wait().then(() => {
      if (this.watch !== watch || this.stopping || watch.spawnError) return;
      const how = watch.exitSignal ? `signal ${watch.exitSignal}` : `code ${watch.exitCode}`;
      this.lost = `gpioset exited (${how})${this.stderr.trim() ? `: ${this.stderr.trim()}` : ''}; line ${offset} is no longer driven`;
    });
    try {
      await spawned(child);
    } catch (err) {
      this.watch = undefined;
      throw new HalError('UNAVAILABLE', `gpioset could not be started: ${(err as Error).message}`, { cause: err });
    }
  }

  fault(): string | undefined {
    return this.lost;
  }

  data(): Record<string, unknown> {
    return { chip: this.options.chip, pid: this.watch && !this.watch.exited ? this.watch.child.pid : undefined };
  }

  async close(): Promise<void> {
    this.stopping = true;
    if (this.watch) await stopChild(this.watch, this.options.timers);
  }
}
