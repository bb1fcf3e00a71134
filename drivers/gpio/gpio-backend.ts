// What every GPIO backend (sim, chardev, sysfs, firmata) provides to the HAL: it opens the
// resolved inputs and outputs and hands back parts that also report their health. The
// debounce, active-low inversion and listener bookkeeping are shared (debounced-input.ts,
// line-output.ts); a backend only moves raw levels.
import type { Clock, DigitalInput, DigitalOutput } from '../hal/types.js';
import type { GpioBackendKind } from '../hal/config-schema.js';
import type { InputSpec, OutputSpec } from '../hal/resolve-io.js';
import type { Timers } from '../clock/timers.js';
import type { PartHealth } from '../hal/part-health.js';

/** An electrical level on a line: 1 = high. */
export type Level = 0 | 1;

export type { PartHealth } from '../hal/part-health.js';

export interface GpioInput extends DigitalInput {
  health(): PartHealth;
}

export interface GpioOutput extends DigitalOutput {
  health(): PartHealth;
}

export interface GpioParts {
  readonly backend: GpioBackendKind;
  inputs: Map<string, GpioInput>;
  outputs: Map<string, GpioOutput>;
  /** Releases every line (kills helper processes, unexports, closes the Firmata port). */
  close(): Promise<void>;
}

/** Shared by every backend: time, timers, and where a listener's exception goes. */
export interface GpioContext {
  clock: Clock;
  timers: Timers;
  /** A role's onChange listener threw; the HAL reports it and keeps delivering. */
  onListenerError(part: string, err: unknown): void;
}

export interface GpioBackend {
  readonly kind: GpioBackendKind;
  /**
   * Opens the lines. Never rejects for a line or chip that cannot be opened: such parts come
   * back failed (inputs stay inactive, outputs reject writes) and say why in health().
   */
  open(inputs: readonly InputSpec[], outputs: readonly OutputSpec[]): Promise<GpioParts>;
}

/** The electrical level that means "active" for a part. */
export function activeLevel(activeLow: boolean): Level {
  return activeLow ? 0 : 1;
}

/** The electrical level to drive for a logical value. */
export function levelFor(active: boolean, activeLow: boolean): Level {
  return active !== activeLow ? 1 : 0;
}
