// The speaker of a board without one: every call succeeds silently, so a role that
// announces or beeps runs the same on a device with no audio.
import type { Speaker } from '../hal/types.js';
import type { PartHealth, SelfChecking } from '../hal/part-health.js';

export class NoneSpeaker implements Speaker, SelfChecking {
  async beep(_durationMs: number, _frequencyHz?: number): Promise<void> {}
  async say(_text: string, _options?: { lang?: string; rate?: number }): Promise<void> {}
  async close(): Promise<void> {}
  async check(): Promise<PartHealth> {
    return { ok: true, detail: 'no speaker configured' };
  }
}
