// What every GPIO backend (sim, chardev, sysfs, firmata) provides to the HAL: it opens the
// resolved inputs and outputs and hands back parts that also report their health (the
// interfaces are in drivers/hal/backend.ts). The debounce, active-low inversion and listener
// bookkeeping are shared (debounced-input.ts, line-output.ts); a backend only moves raw levels.
import type { Level } from '../hal/backend.js';

export type { GpioBackend, GpioContext, GpioInput, GpioOutput, GpioParts, Level } from '../hal/backend.js';
export type { PartHealth } from '../hal/part-health.js';

/** The electrical level that means "active" for a part. */
export function activeLevel(activeLow: boolean): Level {
  return activeLow ? 0 : 1;
}

/** The electrical level to drive for a logical value. */
export function levelFor(active: boolean, activeLow: boolean): Level {
  return active !== activeLow ? 1 : 0;
}
