// The board's own clock. Both readings are taken from globalThis at call time (not bound at
// import) so that sinon fake timers installed by a test also drive this clock.
import type { Clock } from '../hal/types.js';

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonicMs: () => globalThis.performance.now(),
};
