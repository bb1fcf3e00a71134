// A speaker that records instead of playing: tests and the hall simulator assert on what a
// caller announced and when a device beeped for "identify".
import type { Clock, Speaker } from '../../drivers/hal/types.js';
import { HalError } from '../../drivers/hal/types.js';
import type { PartHealth, SelfChecking } from '../../drivers/hal/part-health.js';

export type SpeakerEvent =
  | { kind: 'say'; text: string; lang?: string; rate?: number; atMs: number }
  | { kind: 'beep'; durationMs: number; frequencyHz?: number; atMs: number };

export class SimSpeaker implements Speaker, SelfChecking {
  private readonly log: SpeakerEvent[] = [];
  private closed = false;

  constructor(private readonly clock: Clock) {}

  async say(text: string, options: { lang?: string; rate?: number } = {}): Promise<void> {
    this.ensureOpen();
    this.log.push({ kind: 'say', text, ...(options.lang ? { lang: options.lang } : {}), ...(options.rate !== undefined ? { rate: options.rate } : {}), atMs: this.clock.monotonicMs() });
  }

  async beep(durationMs: number, frequencyHz?: number): Promise<void> {
    this.ensureOpen();
    this.log.push({ kind: 'beep', durationMs, ...(frequencyHz !== undefined ? { frequencyHz } : {}), atMs: this.clock.monotonicMs() });
  }

  /** Everything said and beeped, in order. */
  events(): readonly SpeakerEvent[] {
    return [...this.log];
  }

  /** Just the texts spoken. */
  spoken(): string[] {
    return this.log.flatMap((e) => (e.kind === 'say' ? [e.text] : []));
  }

  async check(): Promise<PartHealth> {
    return this.closed ? { ok: false, detail: 'closed' } : { ok: true, detail: 'simulated speaker' };
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private ensureOpen(): void {
    if (this.closed) throw new HalError('CLOSED', 'speaker is closed');
  }
}
