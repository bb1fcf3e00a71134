// `sys/identify` and `halld identify`: the device shows a technician which box it is, with
// what it really has. The rule for the light (docs/technician.md, "Which box is this?"):
//   - an output named exactly `identify`, else
//   - the first output whose name contains `led` (as the board's io section lists them),
// blinks at 2 Hz (250 ms on, 250 ms off) for the asked duration and is left off; and a
// configured speaker (io.speaker, not `none`) beeps once for 200 ms. A device with neither
// answers `via: []`: nothing was shown, and the answer says so rather than pretending.
import type { Hal } from '../../drivers/hal/types.js';
import type { Timers } from '../../drivers/clock/timers.js';
import type { Logger } from '../log.js';

/** Half a blink period: 2 Hz is quick enough to catch the eye across a hall, slow enough to tell from a fault flicker. */
export const IDENTIFY_BLINK_MS = 250;
export const IDENTIFY_BEEP_MS = 200;

/** The output that blinks: `identify` if the board has one, else the first whose name contains `led`. */
export function identifyOutput(outputs: readonly string[]): string | undefined {
  return outputs.find((n) => n === 'identify') ?? outputs.find((n) => n.includes('led'));
}

export interface IdentifyDeps {
  hal: Hal;
  timers: Timers;
  /** io.speaker.kind of the device config (undefined: not configured). */
  speakerKind: string | undefined;
  log: Logger;
}

/** Blinks the identify output and beeps; `via` names only what was used. */
export async function identify(deps: IdentifyDeps, durationMs: number): Promise<{ via: string[] }> {
  const { hal, timers, log } = deps;
  const via: string[] = [];
  const led = identifyOutput(hal.describe().outputs);
  if (led) {
    const out = hal.output(led);
    via.push(`output:${led}`);
    let on = false;
    const blink = timers.setInterval(() => {
      on = !on;
      void out.write(on).catch(() => undefined);
    }, IDENTIFY_BLINK_MS);
    timers
      .setTimeout(() => {
        timers.clearInterval(blink);
        void out.write(false).catch(() => undefined);
      }, durationMs)
      .unref();
  }
  // The HAL always has a speaker object (a silent one when io.speaker is not configured).
  if (deps.speakerKind !== undefined && deps.speakerKind !== 'none') {
    await hal.speaker().beep(IDENTIFY_BEEP_MS).then(
      () => via.push('speaker'),
      (err: unknown) => log.warn({ err: (err as Error).message }, 'identify: speaker failed'),
    );
  }
  log.debug({ durationMs, via }, 'identify');
  return { via };
}
