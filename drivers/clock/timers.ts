// Timers, injectable next to the Clock so debounce and timeouts can run on fake time.
// The default looks the functions up on globalThis at call time, so sinon fake timers
// installed after this module loaded still take effect.

export type TimerHandle = ReturnType<typeof setTimeout>;

export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const globalTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle),
};
