// The real LED panel of a board: PanelHost, which runs rpi-led-matrix in a child process of
// its own (drivers/matrix/panel-host.ts says why). Imported only when a real board opens a
// matrix; the sim board gives a virtual panel instead (simulators/hal/sim-hal.ts).
import type { Clock, LedMatrix } from '../drivers/hal/types.js';
import type { MatrixSpec } from '../drivers/hal/part-specs.js';
import type { Timers } from '../drivers/clock/timers.js';

export interface PanelHostDeps {
  /** The panel process's entry script (tests pass a fake that never loads rpi-led-matrix). */
  childEntry?: string;
  childEnv?: Readonly<Record<string, string>>;
}

export async function openPanelHost(spec: MatrixSpec, clock: Clock, timers: Timers, deps: PanelHostDeps = {}): Promise<LedMatrix> {
  const { PanelHost } = await import('../drivers/matrix/panel-host.js');
  return new PanelHost({
    name: spec.name,
    config: {
      rows: spec.rows,
      cols: spec.cols,
      chain: spec.chain,
      parallel: spec.parallel,
      brightness: spec.brightness,
      hardwareMapping: spec.hardwareMapping,
      gpioSlowdown: spec.gpioSlowdown,
      pwmBits: spec.pwmBits,
    },
    clock,
    timers,
    frameTimeoutMs: spec.frameTimeoutMs,
    ...(deps.childEntry !== undefined ? { childEntry: deps.childEntry } : {}),
    ...(deps.childEnv !== undefined ? { childEnv: deps.childEnv } : {}),
  });
}
