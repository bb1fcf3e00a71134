// Fake time for link tests without touching the globals: a standalone sinon clock behind the
// Clock and Timers interfaces the link takes. SQLite's callbacks, promises and setImmediate stay
// real, so a test over a real Store in a temp dir still runs.
import sinon from 'sinon';
import type { Clock } from '../../../drivers/hal/types.js';
import type { Timers, TimerHandle, IntervalHandle } from '../../../drivers/clock/timers.js';

export interface FakeLinkTime {
  readonly fake: sinon.SinonFakeTimers;
  readonly clock: Clock & { wall: number | undefined };
  readonly timers: Timers;
  /** Advances fake time, running due timers, and lets promise work in between settle. */
  tick(ms: number): Promise<void>;
}

export function fakeLinkTime(now = 1_800_000_000_000): FakeLinkTime {
  // Installed on a private object, not globalThis: only what the test hands the link is fake.
  const target = { setTimeout, clearTimeout, setInterval, clearInterval, Date, Promise };
  const fake = sinon.useFakeTimers({ global: target, now, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] } as Parameters<typeof sinon.useFakeTimers>[0]);
  const start = now;
  const clock = {
    /** When set, the board's wall clock reads this instead of the fake time (a wrong OS clock). */
    wall: undefined as number | undefined,
    now: () => clock.wall ?? fake.now,
    monotonicMs: () => fake.now - start + 1000,
  };
  // The fake clock's handles are plain objects; the link only passes them back to clear them.
  const timers: Timers = {
    setTimeout: (fn, ms) => fake.setTimeout(fn, ms) as unknown as TimerHandle,
    clearTimeout: (h) => fake.clearTimeout(h as unknown as number),
    setInterval: (fn, ms) => fake.setInterval(fn, ms) as unknown as IntervalHandle,
    clearInterval: (h) => fake.clearInterval(h as unknown as number),
  };
  return {
    fake,
    clock,
    timers,
    async tick(ms) {
      await fake.tickAsync(ms);
    },
  };
}

/** Lets promise and I/O callbacks run (SQLite answers on its own thread). */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Lets real I/O run until `done` holds (SQLite answers from its thread pool, so how many turns
 * of the event loop that takes depends on the machine's load). Fails loudly if it never does.
 */
export async function until(done: () => boolean, what = 'condition', giveUpAfterMs = 60_000): Promise<void> {
  // A guard against a hang, not a speed limit: real time (this file's fake time lives on a
  // private object), generous because an fsync on a loaded 2-core machine can take seconds.
  const giveUpAt = performance.now() + giveUpAfterMs;
  while (performance.now() < giveUpAt) {
    if (done()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error(`${what} never held`);
}
