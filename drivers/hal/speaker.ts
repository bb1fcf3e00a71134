// Sound as a role asks for it.

/**
 * Sound: beeps for "identify", speech for the caller's announcements.
 * Rules for every implementation:
 * - beep(), say() and play() resolve when the sound has finished (not when it started), and
 *   sounds asked for at once play one after another in the order asked, never over each other.
 * - A board without a speaker succeeds silently, so a role needs no special case.
 * - A missing tool or device rejects with HalError UNAVAILABLE; the next call tries again.
 * - Calls after close() reject with HalError CLOSED.
 */
export interface Speaker {
  beep(durationMs: number, frequencyHz?: number): Promise<void>;
  /** Speaks the text; resolves when finished. `lang` is a BCP 47 tag such as `zh-CN`. */
  say(text: string, options?: { lang?: string; rate?: number }): Promise<void>;
  /**
   * Plays a 16-bit PCM WAV (drivers/hal/wav-format.ts: a recorded chime, clips of a voice
   * pack joined into one announcement); resolves when finished. A buffer that is not one
   * rejects with WavFormatError (code SPEAKER_WAV) and plays nothing.
   */
  play(wav: Uint8Array): Promise<void>;
  close(): Promise<void>;
}
