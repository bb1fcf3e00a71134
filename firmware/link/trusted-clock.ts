// Knows whether the board's idea of "now" can be trusted to check a command's expiry.
// A Pi has no real-time clock: until NTP or the hall's time beacon sets it, Date.now() may be
// decades off. With source 'system' the OS clock is trusted (RTC or NTP in place); with
// 'beacon' only the hall server's beacon is, carried forward by the monotonic clock so a
// later jump of the OS clock cannot reopen an expired command.
import type { Clock } from '../../drivers/hal/types.js';

export type ClockSource = 'system' | 'beacon';

export class TrustedClock {
  private anchor: { ts: number; mono: number } | undefined;

  constructor(
    private readonly source: ClockSource,
    private readonly clock: Clock,
  ) {}

  /** Records a beacon (server epoch ms) received now. */
  beacon(serverTs: number): void {
    this.anchor = { ts: serverTs, mono: this.clock.monotonicMs() };
  }

  /**
   * Trusted epoch ms, or undefined when nothing trustworthy is known yet. Whole milliseconds:
   * the monotonic clock is fractional, and every `ts` of the protocol is an integer (a server
   * drops a request whose ts is 1795441067783.7).
   */
  now(): number | undefined {
    if (this.anchor) return Math.round(this.anchor.ts + (this.clock.monotonicMs() - this.anchor.mono));
    return this.source === 'system' ? this.clock.now() : undefined;
  }

  /** Best guess for timestamps on events (never undefined; the server corrects with boot + up). */
  bestGuess(): number {
    return this.now() ?? this.clock.now();
  }

  /** Milliseconds since an arbitrary start, never jumping (for durations). */
  monotonicMs(): number {
    return this.clock.monotonicMs();
  }

  describe(): { source: ClockSource; trusted: boolean; beaconAgeMs?: number } {
    const age = this.anchor ? this.clock.monotonicMs() - this.anchor.mono : undefined;
    return { source: this.source, trusted: this.now() !== undefined, ...(age !== undefined ? { beaconAgeMs: age } : {}) };
  }
}
