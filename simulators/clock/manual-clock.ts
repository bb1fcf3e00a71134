// A clock that moves only when a test says so. For code that takes a Clock but no timers
// (timestamps, durations); code that also sets timers is tested with sinon fake timers and
// systemClock, which reads the faked Date and performance.
import type { Clock } from '../../drivers/hal/types.js';

export class ManualClock implements Clock {
  private wallMs: number;
  private monoMs: number;

  constructor(startWallMs = Date.UTC(2026, 0, 1), startMonotonicMs = 1000) {
    this.wallMs = startWallMs;
    this.monoMs = startMonotonicMs;
  }

  now(): number {
    return this.wallMs;
  }

  monotonicMs(): number {
    return this.monoMs;
  }

  /** Moves both readings forward. */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError('a monotonic clock cannot go back; use setWall() to move the wall clock');
    this.wallMs += ms;
    this.monoMs += ms;
  }

  /** Sets the wall clock alone (an NTP step, a wrong RTC); the monotonic reading does not move. */
  setWall(epochMs: number): void {
    this.wallMs = epochMs;
  }
}
