// For `halld run` on the sim board: the socket through which a test outside the process
// presses the board's simulated buttons (simulators/hal/sim-control-socket.ts). Loaded only
// when the board is simulated.
import type { Hal } from '../drivers/hal/types.js';
import { isSimHal } from '../simulators/hal/sim-board-controls.js';

export interface SimControlHandle {
  readonly path: string;
  close(): Promise<void>;
}

/** Serves the inputs of whichever HAL `current` returns, while it is a sim board. */
export async function serveSimControls(dataDir: string, current: () => Hal | undefined): Promise<SimControlHandle> {
  const { startSimControlSocket } = await import('../simulators/hal/sim-control-socket.js');
  return startSimControlSocket(dataDir, () => {
    const hal = current();
    return hal && isSimHal(hal) ? hal.sim : undefined;
  });
}

export { isSimHal };
