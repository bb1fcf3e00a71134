// Time as the HAL hands it out. Timers (setTimeout and friends) are in drivers/clock/timers.ts.

/**
 * Time, injectable so tests use fake timers instead of sleeps.
 * Rules for every implementation: both readings are taken at call time (never cached), so
 * a fake clock installed after construction still drives them; monotonicMs() never goes back.
 */
export interface Clock {
  /** Wall-clock epoch milliseconds as the board believes it (may be wrong without RTC/NTP). */
  now(): number;
  /** Monotonic milliseconds since an arbitrary origin; never jumps. */
  monotonicMs(): number;
}
