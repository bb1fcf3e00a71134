// GPIO over the legacy sysfs interface through onoff (fivdi/onoff README, onoff.d.ts).
// Deprecated by the kernel and gone on trixie, kept for older Pi 4 / CM4 images; onoff is a
// native addon, so it is imported only here and only when this backend is chosen. onoff
// takes sysfs numbers, so every line is offset by the chip's base read from sysfs. sysfs
// cannot set pull resistors (onoff README "Configuring Pullup and Pulldown Resistors"): a
// configured pull is reported in diagnostics, to be set in config.txt instead.
import { HalError } from '../hal/types.js';
import type { BoardFacts } from '../hal/part-specs.js';
import type { InputSpec, OutputSpec } from '../hal/part-specs.js';
import { DebouncedInput } from './debounced-input.js';
import { LineOutput } from './line-output.js';
import { FailedInput, FailedOutput, failedParts } from './failed-parts.js';
import { levelFor, type GpioBackend, type GpioContext, type GpioParts, type Level } from './gpio-backend.js';
import { DEFAULT_SYSFS_GPIO_ROOT, findSysfsChip, type SysfsChip } from './sysfs-chip.js';

/** The part of onoff's Gpio this backend uses. */
export interface SysfsGpio {
  readSync(): Level;
  write(value: Level): Promise<void>;
  watch(callback: (err: Error | null | undefined, value: Level) => void): void;
  unwatchAll(): void;
  unexport(): void;
}

/** Opens sysfs GPIO number `gpio` ("in" with both edges, or "high"/"low" as an output). */
export type SysfsGpioFactory = (gpio: number, direction: 'in' | 'high' | 'low', edge?: 'both') => SysfsGpio;

/** The real factory: onoff, loaded on first use. */
export async function loadOnoff(): Promise<SysfsGpioFactory> {
  let mod: typeof import('onoff');
  try {
    mod = await import('onoff');
  } catch (err) {
    throw new HalError('UNAVAILABLE', `the onoff package is not installed or did not build: ${(err as Error).message}`, { cause: err });
  }
  const { Gpio } = mod;
  if (!Gpio.accessible) throw new HalError('UNAVAILABLE', 'onoff reports /sys/class/gpio is not accessible to this user (gpio group?)');
  return (gpio, direction, edge) => new Gpio(gpio, direction, edge);
}

export interface SysfsBackendOptions {
  board: BoardFacts;
  ctx: GpioContext;
  /** Injectable for tests that build a fake tree in a temp dir. */
  root?: string;
  loadGpio?: () => Promise<SysfsGpioFactory>;
}

export class SysfsGpioBackend implements GpioBackend {
  readonly kind = 'sysfs' as const;
  constructor(private readonly options: SysfsBackendOptions) {}

  /** The chip carrying the header, with its run-time base. */
  async chip(): Promise<SysfsChip> {
    const { board, root = DEFAULT_SYSFS_GPIO_ROOT } = this.options;
    if (!board.gpio.chipLabel) throw new HalError('BAD_CONFIG', `board ${board.id} has no gpio.chipLabel to find its sysfs chip`);
    return findSysfsChip(board.gpio.chipLabel, root);
  }

  async open(inputs: readonly InputSpec[], outputs: readonly OutputSpec[]): Promise<GpioParts> {
    if (inputs.length === 0 && outputs.length === 0) return failedParts('sysfs', [], [], undefined);
    let chip: SysfsChip;
    let factory: SysfsGpioFactory;
    try {
      chip = await this.chip();
      factory = await (this.options.loadGpio ?? loadOnoff)();
    } catch (err) {
      return failedParts('sysfs', inputs, outputs, err);
    }
    const { ctx } = this.options;
    const parts: GpioParts = { backend: 'sysfs', inputs: new Map(), outputs: new Map(), close: async () => undefined };
    const opened: SysfsGpio[] = [];
    const sysfsNumber = (line: number): number => {
      if (chip.ngpio > 0 && line >= chip.ngpio) throw new HalError('UNAVAILABLE', `line ${line} is beyond ${chip.name}'s ${chip.ngpio} lines`);
      return chip.base + line;
    };
    const data = (line: number): Record<string, unknown> => ({ backend: 'sysfs', chip: chip.name, base: chip.base, gpio: chip.base + line });

    for (const spec of inputs) {
      try {
        const gpio = factory(sysfsNumber(spec.line), 'in', 'both');
        opened.push(gpio);
        const note = spec.pull ? { pull: `not applied: sysfs cannot set bias; set gpio=${spec.line}=${spec.pull === 'up' ? 'pu' : spec.pull === 'down' ? 'pd' : 'pn'} in config.txt` } : {};
        const input = new DebouncedInput(spec, ctx, { data: () => ({ ...data(spec.line), ...note }) });
        input.establish(gpio.readSync());
        gpio.watch((err, value) => {
          if (err) input.markFault(`sysfs watch failed: ${err.message}`);
          else input.edge(value);
        });
        parts.inputs.set(spec.name, input);
      } catch (err) {
        parts.inputs.set(spec.name, new FailedInput(spec, err));
      }
    }
    for (const spec of outputs) {
      try {
        const gpio = factory(sysfsNumber(spec.line), levelFor(spec.initial, spec.activeLow) === 1 ? 'high' : 'low');
        opened.push(gpio);
        parts.outputs.set(spec.name, new LineOutput(spec, { write: (level) => gpio.write(level), close: async () => undefined, data: () => data(spec.line) }));
      } catch (err) {
        parts.outputs.set(spec.name, new FailedOutput(spec, err));
      }
    }
    parts.close = async () => {
      for (const gpio of opened) {
        try {
          gpio.unwatchAll();
          gpio.unexport();
        } catch {
          // Already unexported or the tree went away: nothing left to release.
        }
      }
    };
    return parts;
  }
}
