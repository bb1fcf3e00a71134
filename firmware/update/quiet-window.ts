// The config's quiet window (e.g. 22:00-06:00 hall time): when an update that must not
// disturb the hall may switch. Minutes are counted in the hall's time zone, so a board whose
// system clock is UTC still waits for 22:00 Shanghai time.
import { hallClock } from '../roles/hall-time.js';

export interface QuietWindow {
  readonly from: string;
  readonly to: string;
}

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function inQuietWindow(window: QuietWindow, epochMs: number, timeZone: string): boolean {
  const c = hallClock(epochMs, timeZone);
  const now = c.hour * 60 + c.minute;
  const from = minutes(window.from);
  const to = minutes(window.to);
  return from <= to ? now >= from && now < to : now >= from || now < to;
}

/** The first minute at or after `epochMs` inside the window (found minute by minute: at most a day). */
export function nextQuietStart(window: QuietWindow, epochMs: number, timeZone: string): number {
  if (inQuietWindow(window, epochMs, timeZone)) return epochMs;
  const start = Math.floor(epochMs / 60_000) * 60_000;
  for (let m = 1; m <= 24 * 60 + 60; m++) {
    const t = start + m * 60_000;
    if (inQuietWindow(window, t, timeZone)) return t;
  }
  return epochMs;
}
