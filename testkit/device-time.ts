// Fake time for one device, not for the whole process: the runtime (its HAL, its roles) runs
// on these Timers and this Clock, while the broker, the server client, HTTP and the test's own
// waits keep real time. Faking the globals instead would also stop MQTT keepalives and the
// broker. sinon installs its fake on a private object here, never on globalThis.
import sinon from 'sinon';
import type { Clock } from '../drivers/hal/types.js';
import type { Timers } from '../drivers/clock/timers.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface DeviceTime {
  timers: Timers;
  clock: Clock;
  /** Moves the device's time forward, running every timer that falls due (synchronously). */
  tick(ms: number): void;
}

/** Starts at `startMs` wall time (default: now, so business days and hours are today's). */
export function deviceTime(t: Teardown, startMs = Date.now()): DeviceTime {
  const target = {
    setTimeout: globalThis.setTimeout,
    clearTimeout: globalThis.clearTimeout,
    setInterval: globalThis.setInterval,
    clearInterval: globalThis.clearInterval,
    Date: globalThis.Date, // sinon insists on finding one; it is not faked (not in toFake)
  };
  // sinon passes `global` on to fake-timers' withGlobal(); @types/sinon does not list it, so
  // the options go in as a variable (no excess-property check) rather than a literal.
  const options = { global: target, now: startMs, toFake: ['setTimeout' as const, 'clearTimeout' as const, 'setInterval' as const, 'clearInterval' as const] };
  const fake = sinon.useFakeTimers(options);
  t.teardown(() => fake.restore());
  return {
    timers: {
      setTimeout: (fn, ms) => target.setTimeout(fn, ms),
      clearTimeout: (handle) => target.clearTimeout(handle),
      setInterval: (fn, ms) => target.setInterval(fn, ms),
      clearInterval: (handle) => target.clearInterval(handle),
    },
    clock: { now: () => fake.now, monotonicMs: () => fake.now - startMs + 1_000 },
    tick: (ms) => void fake.tick(ms),
  };
}
