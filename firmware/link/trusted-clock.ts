// Knows whether the board's idea of "now" can be trusted to check a command's expiry.
// A Pi has no real-time clock: until NTP or the hall's time beacon sets it, the OS clock may be
// decades off. With source 'system' the OS clock is trusted (RTC or NTP in place) and a beacon
// never moves it: anyone who can publish on the hall's time topic could otherwise reopen
// expired commands or move the business day (PROTOCOL.md "What the device trusts"); the
// beacon's distance from the OS clock is only reported as drift. With 'beacon' only the hall
// server's beacon is trusted, carried forward by the monotonic clock so a later jump of the OS
// clock cannot reopen an expired command. Whether a beacon is authentic (signed, not retained)
// is the link's decision before it calls beacon().
import type { Clock } from '../../drivers/hal/types.js';

export type ClockSource = 'system' | 'beacon';

export interface ClockDescription {
  source: ClockSource;
  trusted: boolean;
  beaconAgeMs?: number;
  /** Last beacon's time minus the device's trusted time when it arrived (system source: drift of the OS clock). */
  driftMs?: number;
  beacons: number;
}

export class TrustedClock {
  private anchor: { ts: number; mono: number } | undefined;
  private lastBeacon: { serverTs: number; mono: number; driftMs: number | undefined } | undefined;
  private beacons = 0;

  constructor(
    private readonly source: ClockSource,
    private readonly clock: Clock,
  ) {}

  get clockSource(): ClockSource {
    return this.source;
  }

  /** Records a beacon (server epoch ms) received now: sets the time (beacon source) or only measures drift (system). */
  beacon(serverTs: number): void {
    const before = this.now();
    const mono = this.clock.monotonicMs();
    this.beacons += 1;
    this.lastBeacon = { serverTs, mono, driftMs: before === undefined ? undefined : serverTs - before };
    if (this.source === 'beacon') this.anchor = { ts: serverTs, mono };
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

  /**
   * The server's time now (the last beacon carried forward by the monotonic clock) minus the OS
   * clock now: positive when the OS clock is behind. Follows an NTP fix made since the beacon;
   * undefined before the first beacon.
   */
  systemDriftMs(): number | undefined {
    const last = this.lastBeacon;
    if (!last) return undefined;
    return Math.round(last.serverTs + (this.clock.monotonicMs() - last.mono) - this.clock.now());
  }

  describe(): ClockDescription {
    const last = this.lastBeacon;
    return {
      source: this.source,
      trusted: this.now() !== undefined,
      beacons: this.beacons,
      ...(last ? { beaconAgeMs: Math.round(this.clock.monotonicMs() - last.mono) } : {}),
      ...(last?.driftMs !== undefined ? { driftMs: last.driftMs } : {}),
    };
  }
}
