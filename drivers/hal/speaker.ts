// Sound as a role asks for it.

/**
 * Sound: beeps for "identify", speech for the caller's announcements.
 * Rules for every implementation:
 * - beep() and say() resolve when the sound has finished (not when it started).
 * - A board without a speaker succeeds silently, so a role needs no special case.
 * - A missing tool or device rejects with HalError UNAVAILABLE; the next call tries again.
 * - Calls after close() reject with HalError CLOSED.
 */
export interface Speaker {
  beep(durationMs: number, frequencyHz?: number): Promise<void>;
  /** Speaks the text; resolves when finished. `lang` is a BCP 47 tag such as `zh-CN`. */
  say(text: string, options?: { lang?: string; rate?: number }): Promise<void>;
  close(): Promise<void>;
}
