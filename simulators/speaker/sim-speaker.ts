// A speaker that records instead of playing: tests and the hall simulator assert on what a
// caller announced and when a device beeped for "identify". With `timers`, each sound takes
// its playing time on those timers (a WAV its length, a beep its duration, speech
// `sayMsPerChar` per character), one after another like a real speaker, so a test on fake
// time can see that one announcement never starts before the previous one ended. Played WAVs
// are kept and can be written out as files to listen to.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock, Speaker, Timers } from '../../drivers/hal/types.js';
import { HalError, parsePcmWav, wavDurationMs } from '../../drivers/hal/types.js';
import type { PartHealth, SelfChecking } from '../../drivers/hal/part-health.js';

interface Timed {
  atMs: number;
  /** Monotonic ms the sound ended (set when it has). */
  endMs?: number;
}

export type SpeakerEvent =
  | ({ kind: 'say'; text: string; lang?: string; rate?: number } & Timed)
  | ({ kind: 'beep'; durationMs: number; frequencyHz?: number } & Timed)
  | ({ kind: 'play'; wav: Buffer; durationMs: number } & Timed);

export interface SimSpeakerOptions {
  /** Sounds take their playing time on these timers; without them every sound ends at once. */
  timers?: Timers;
  /** Speaking time per character with `timers`; default 200 ms. */
  sayMsPerChar?: number;
}

export class SimSpeaker implements Speaker, SelfChecking {
  private readonly log: SpeakerEvent[] = [];
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly options: SimSpeakerOptions = {},
  ) {}

  say(text: string, options: { lang?: string; rate?: number } = {}): Promise<void> {
    const event: SpeakerEvent = { kind: 'say', text, ...(options.lang ? { lang: options.lang } : {}), ...(options.rate !== undefined ? { rate: options.rate } : {}), atMs: 0 };
    return this.queue(event, [...text].length * (this.options.sayMsPerChar ?? 200));
  }

  beep(durationMs: number, frequencyHz?: number): Promise<void> {
    return this.queue({ kind: 'beep', durationMs, ...(frequencyHz !== undefined ? { frequencyHz } : {}), atMs: 0 }, durationMs);
  }

  play(wav: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(closedError());
    let durationMs: number;
    try {
      durationMs = wavDurationMs(parsePcmWav(wav));
    } catch (err) {
      return Promise.reject(err as Error);
    }
    return this.queue({ kind: 'play', wav: Buffer.from(wav), durationMs, atMs: 0 }, durationMs);
  }

  /** Everything said, beeped and played, in order. */
  events(): readonly SpeakerEvent[] {
    return [...this.log];
  }

  /** Just the texts spoken. */
  spoken(): string[] {
    return this.log.flatMap((e) => (e.kind === 'say' ? [e.text] : []));
  }

  /** Writes every WAV played as `NNN.wav` into `dir` (to listen to what a caller announced); returns the paths. */
  async writeRecordings(dir: string): Promise<string[]> {
    const paths: string[] = [];
    let n = 0;
    for (const e of this.log) {
      if (e.kind !== 'play') continue;
      const path = join(dir, `${String(++n).padStart(3, '0')}.wav`);
      await writeFile(path, e.wav);
      paths.push(path);
    }
    return paths;
  }

  async check(): Promise<PartHealth> {
    return this.closed ? { ok: false, detail: 'closed' } : { ok: true, detail: 'simulated speaker' };
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** One sound at a time, in the order asked; each is logged when it starts. */
  private queue(event: SpeakerEvent, playMs: number): Promise<void> {
    if (this.closed) return Promise.reject(closedError());
    const result = this.chain.then(async () => {
      if (this.closed) throw closedError();
      event.atMs = this.clock.monotonicMs();
      this.log.push(event);
      const timers = this.options.timers;
      if (timers && playMs > 0) await new Promise<void>((resolve) => timers.setTimeout(resolve, Math.round(playMs)));
      event.endMs = this.clock.monotonicMs();
    });
    this.chain = result.catch(() => undefined);
    return result;
  }
}

function closedError(): HalError {
  return new HalError('CLOSED', 'speaker is closed');
}
