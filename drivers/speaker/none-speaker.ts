// The speaker of a board without one: every call succeeds silently (until close), so a role that
// announces or beeps runs the same on a device with no audio.
import { HalError, parsePcmWav, type Speaker } from '../hal/types.js';
import type { PartHealth, SelfChecking } from '../hal/part-health.js';

export class NoneSpeaker implements Speaker, SelfChecking {
  private closed = false;

  // Silent, but a part like any other: after close it says CLOSED, as every HAL part does.
  async beep(_durationMs: number, _frequencyHz?: number): Promise<void> {
    this.ensureOpen();
  }

  async say(_text: string, _options?: { lang?: string; rate?: number }): Promise<void> {
    this.ensureOpen();
  }

  async play(wav: Uint8Array): Promise<void> {
    this.ensureOpen();
    parsePcmWav(wav);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private ensureOpen(): void {
    if (this.closed) throw new HalError('CLOSED', 'speaker is closed');
  }

  async check(): Promise<PartHealth> {
    return { ok: true, detail: 'no speaker configured' };
  }
}
