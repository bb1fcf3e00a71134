// How much one client may hold of a touch-page server. The page is for the board's own
// Chromium on 127.0.0.1, so every limit is far above what that browser needs and far below
// what lets another local process (or a browser tricked into it) starve the screen.
import { PageServerError } from './page-errors.js';

export interface PageLimits {
  /** Request headers must be complete this long after the socket opened or its last request ended (slowloris). */
  headersTimeoutMs: number;
  /** The whole request, body included, must be in by then. At least headersTimeoutMs. */
  requestTimeoutMs: number;
  /** A kept-alive socket with no new request is closed after this. */
  keepAliveTimeoutMs: number;
  /** A socket with nothing sent either way for this long is closed; event streams are exempt (they idle by design). Above the longest take (takeTimeoutMs ≤ 30 s, then printing). */
  idleTimeoutMs: number;
  /** How often the header and request deadlines are checked (Node checks every 30 s by default: slowloris sockets lived that long). */
  timeoutCheckMs: number;
  /** Open event streams of other local clients at most; one more is refused with 503. */
  maxStreams: number;
  /** Open event streams of the screen's own browser (it holds the per-boot token) at most; one more ends the oldest. */
  maxScreenStreams: number;
  /** Largest action body accepted (the pages send a few dozen bytes). */
  maxBodyBytes: number;
}

export const DEFAULT_PAGE_LIMITS: Readonly<PageLimits> = Object.freeze({
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 60_000,
  timeoutCheckMs: 1_000,
  maxStreams: 4,
  maxScreenStreams: 4,
  maxBodyBytes: 4 * 1024,
});

/** The defaults with `overrides` applied; refuses a limit that is not a positive whole number. */
export function pageLimits(overrides: Partial<PageLimits> = {}): PageLimits {
  const limits: PageLimits = { ...DEFAULT_PAGE_LIMITS };
  for (const [key, value] of Object.entries(overrides) as [keyof PageLimits, number | undefined][]) {
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value <= 0) throw new PageServerError('LIMITS', `page limit ${key} must be a positive whole number, not ${String(value)}`);
    limits[key] = value;
  }
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new PageServerError('LIMITS', `page limit headersTimeoutMs (${limits.headersTimeoutMs}) must not exceed requestTimeoutMs (${limits.requestTimeoutMs})`);
  }
  return limits;
}
