// The announcement queue. A call that arrives while another is being announced waits its turn:
// nothing ever interrupts or talks over an announcement (users of other callers complain of
// exactly that), and `gapMs` of silence separates one announcement from the next, so a person
// hears where one call ends. Each announcement is a chime, then the speech `repeat` times with
// a pause between; chime and speech are separate switches, and in silent mode (无声叫号)
// nothing plays. The mode is read when an announcement starts, so calls queued before a switch
// to silent stay silent too. The speech comes from the voice pack when it has every word, else
// from the speaker's own voice (espeak-ng). Chime, clips and speech are all played at one
// loudness (drivers/hal/loudness.ts). `onStart` says when a call's announcement begins: the
// screens show that call then, not before.
import { encodePcmWav, normaliseLoudness, type Speaker } from '../../../drivers/hal/types.js';
import type { TimerHandle, Timers } from '../../../drivers/clock/timers.js';
import type { Announced, CallerMode } from '../../../protocol/caller.js';
import type { CallerConfig } from './config.js';
import type { VoicePack } from './voice-pack.js';
import { chimeWav } from './chime.js';

export interface AnnouncementJob {
  ticket: string;
  window: string;
  text: string;
  /** The call's own voice switch (cmd `call` voice:false). */
  voice: boolean;
  recall: boolean;
  /** Set on the technician's speaker test: told when it has played (or why not); no call, no `announced`. */
  test?: (error?: Error) => void;
}

export interface AnnouncerDeps {
  speaker: Speaker;
  timers: Timers;
  clock: { monotonicMs(): number };
  mode(): CallerMode;
  voice(): CallerConfig['voice'];
  voicePack(): VoicePack | undefined;
  /** The job's announcement begins (after the gap): the screens show its call now. */
  onStart?(job: AnnouncementJob): void;
  onDone(result: Announced): void;
}

/** The two-tone chime at the hall's loudness, made once. */
let toneChime: Buffer | undefined;

export class Announcer {
  private readonly queue: AnnouncementJob[] = [];
  private running = false;
  private stopped = false;
  private gapTimer: TimerHandle | undefined;
  private wakeGap: (() => void) | undefined;
  private idleWaiters: (() => void)[] = [];
  /** Monotonic ms the last sound ended (the gap is counted from it). */
  private lastSoundEndMs: number | undefined;

  constructor(private readonly deps: AnnouncerDeps) {}

  /** Queues the announcement; returns how many are ahead of it (0: it starts now). */
  enqueue(job: AnnouncementJob): number {
    if (this.stopped) return 0;
    const ahead = this.queue.length + (this.running ? 1 : 0);
    this.queue.push(job);
    if (!this.running) void this.drain();
    return ahead;
  }

  /** Announcements waiting or playing. */
  get pending(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  /** Resolves when nothing is waiting or playing. */
  idle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * The technician's speaker test: the chime, then `text` once, exactly as a call is heard (the
   * voice pack's clips or the speaker's own voice, the configured voice and loudness), whatever
   * the mode and the voice switches. It waits its turn like a call: it never talks over one.
   */
  speakerTest(text: string): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('the caller is stopping'));
    return new Promise((resolve, reject) => {
      this.queue.push({ ticket: '', window: '', text, voice: true, recall: false, test: (err) => (err ? reject(err) : resolve()) });
      if (!this.running) void this.drain();
    });
  }

  /** Drops what is waiting; the announcement playing ends after its current sound. */
  stop(): void {
    this.stopped = true;
    for (const job of this.queue) job.test?.(new Error('the caller stopped before the speaker test played'));
    this.queue.length = 0;
    this.deps.timers.clearTimeout(this.gapTimer);
    this.wakeGap?.();
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (let job = this.queue.shift(); job && !this.stopped; job = this.queue.shift()) {
        if (job.test) {
          await this.playTest(job.text, job.test);
          continue;
        }
        const result = await this.announce(job);
        try {
          this.deps.onDone(result);
        } catch {
          // The listener's failure is its own; the queue goes on.
        }
      }
    } finally {
      this.running = false;
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private started(job: AnnouncementJob): void {
    try {
      this.deps.onStart?.(job);
    } catch {
      // The screens' failure is theirs; the announcement goes on.
    }
  }

  private async announce(job: AnnouncementJob): Promise<Announced> {
    const base = { ticket: job.ticket, window: job.window, text: job.text, recall: job.recall };
    const voice = this.deps.voice();
    const speak = voice.enabled && job.voice;
    if (this.deps.mode() === 'silent' || (!voice.chime && !speak)) {
      this.started(job);
      return { ...base, played: 'silent' };
    }
    const played = speak ? 'voice' : 'chime';
    await this.gap(voice);
    this.started(job);
    try {
      if (voice.chime) await this.chime();
      if (speak) {
        for (let i = 0; i < voice.repeat && !this.stopped; i++) {
          if (i > 0) await this.pause(voice.repeatGapMs);
          if (this.stopped) break;
          await this.speak(job.text, voice);
        }
      }
      return { ...base, played };
    } catch (err) {
      return { ...base, played, error: (err as Error).message };
    } finally {
      this.lastSoundEndMs = this.deps.clock.monotonicMs();
    }
  }

  private async playTest(text: string, done: (error?: Error) => void): Promise<void> {
    const voice = this.deps.voice();
    await this.gap(voice);
    try {
      await this.chime();
      await this.speak(text, voice);
      done();
    } catch (err) {
      done(err as Error);
    } finally {
      this.lastSoundEndMs = this.deps.clock.monotonicMs();
    }
  }

  /** `gapMs` of silence after the last sound. */
  private async gap(voice: CallerConfig['voice']): Promise<void> {
    if (this.lastSoundEndMs === undefined) return;
    const wait = this.lastSoundEndMs + voice.gapMs - this.deps.clock.monotonicMs();
    if (wait > 0) await this.pause(wait);
  }

  private async chime(): Promise<void> {
    const clip = this.deps.voicePack()?.chime();
    if (clip) return this.deps.speaker.play(clip);
    toneChime ??= encodePcmWav(normaliseLoudness(chimeWav()));
    return this.deps.speaker.play(toneChime);
  }

  private async speak(text: string, voice: CallerConfig['voice']): Promise<void> {
    const wav = this.deps.voicePack()?.render(text);
    if (wav) return this.deps.speaker.play(wav);
    return this.deps.speaker.say(text, { lang: voice.lang, ...(voice.rate !== undefined ? { rate: voice.rate } : {}) });
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wakeGap = resolve;
      this.gapTimer = this.deps.timers.setTimeout(resolve, ms);
    });
  }
}
