// Timers, injectable next to the Clock so debounce, timeouts and periodic work run on fake
// time in tests. Firmware takes a Timers from the runtime and never calls the globals itself.
// The default looks the functions up on globalThis at call time, so sinon fake timers
// installed after this module loaded still take effect.

export type TimerHandle = ReturnType<typeof setTimeout>;
export type IntervalHandle = ReturnType<typeof setInterval>;

export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
  setInterval(fn: () => void, ms: number): IntervalHandle;
  clearInterval(handle: IntervalHandle | undefined): void;
}

export const globalTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle),
  setInterval: (fn, ms) => globalThis.setInterval(fn, ms),
  clearInterval: (handle) => globalThis.clearInterval(handle),
};

/**
 * Waits `ms` on the given timers, cut short by `signal`: resolves true when the time passed,
 * false when the signal aborted first (at once if it already had). Leaves no timer or listener
 * behind either way. Roles use it for the pauses of their self-tests and polls.
 */
export function abortableDelay(timers: Timers, ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) return resolve(false);
    const onAbort = (): void => {
      timers.clearTimeout(handle);
      resolve(false);
    };
    const handle = timers.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
