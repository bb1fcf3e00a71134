// Speech and beeps through Debian's espeak-ng and ALSA's aplay, as child processes:
//   espeak-ng -v <voice> -s <wpm> --stdout --stdin   (text on stdin, WAV on stdout; espeak-ng(1))
//   aplay -q [-D <device>] -t wav -                  (WAV from stdin; aplay(1))
// Text goes through stdin, never argv, so no announcement can be read as an option. One
// sound at a time: a second say()/play()/beep() waits for the first, so nothing overlaps.
// play() hands a WAV (a chime, joined voice-pack clips) to aplay the same way. Chinese is read
// by the voice the installed espeak-ng actually reads as Mandarin (mandarin-voice.ts), asked
// once, at the first Chinese utterance or self-check.
import { ChildWatch, runToCompletion, stopChild, type CommandRunner, type RunningCommand } from '../process/command-runner.js';
import type { Timers } from '../clock/timers.js';
import { encodePcmWav, HalError, normaliseLoudness, parsePcmWav, type Speaker } from '../hal/types.js';
import type { PartHealth, SelfChecking } from '../hal/part-health.js';
import { espeakVoice, espeakWordsPerMinute } from './espeak-voice.js';
import { findMandarinVoice, type MandarinVoice } from './mandarin-voice.js';
import { toneWav } from './tone-wav.js';

export interface EspeakSpeakerOptions {
  runner: CommandRunner;
  timers: Timers;
  /** ALSA device for aplay -D (e.g. "plughw:1,0"); the system default when left out. */
  device?: string;
  /** Language of say() calls that give none. */
  defaultLang?: string;
  /** An utterance or beep still playing after this long is killed (TIMEOUT). */
  maxPlayMs?: number;
}

const DEFAULT_BEEP_HZ = 880;
const MAX_BEEP_MS = 5000;

/** argv for espeak-ng speaking with `voice` at `rate` × normal speed, reading text from stdin. */
export function espeakArgs(voice: string, rate?: number): string[] {
  return ['-v', voice, '-s', String(espeakWordsPerMinute(rate)), '--stdout', '--stdin'];
}

/** argv for aplay playing a WAV stream from stdin. */
export function aplayArgs(device?: string): string[] {
  return ['-q', ...(device ? ['-D', device] : []), '-t', 'wav', '-'];
}

/** espeak-ng's WAV brought to the hall's loudness; a stream that is not a PCM WAV is played as it came. */
function loudSpeech(wav: Buffer): Buffer {
  try {
    return encodePcmWav(normaliseLoudness(parsePcmWav(wav)));
  } catch {
    return wav;
  }
}

interface Step {
  name: string;
  child: RunningCommand;
  watch: ChildWatch;
  stderr: () => string;
}

export class EspeakSpeaker implements Speaker, SelfChecking {
  private chain: Promise<void> = Promise.resolve();
  private readonly running = new Set<ChildWatch>();
  private closed = false;
  private mandarin: Promise<MandarinVoice> | undefined;

  constructor(private readonly options: EspeakSpeakerOptions) {}

  say(text: string, options: { lang?: string; rate?: number } = {}): Promise<void> {
    const lang = options.lang ?? this.options.defaultLang ?? 'zh-CN';
    return this.queue(`say "${text.slice(0, 40)}"`, async () => {
      if (text.trim() === '') return;
      // Rendered whole first, so the speech is played at the hall's loudness like every other sound.
      const espeak = this.start('espeak-ng', espeakArgs(await this.voiceFor(lang), options.rate));
      const chunks: Buffer[] = [];
      espeak.child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
      espeak.child.stdin?.on('error', () => undefined); // espeak-ng exiting early closes its stdin
      espeak.child.stdin?.end(text, 'utf8');
      await this.finish([espeak]);
      const speech = loudSpeech(Buffer.concat(chunks));
      const aplay = this.start('aplay', aplayArgs(this.options.device));
      aplay.child.stdin?.on('error', () => undefined);
      aplay.child.stdin?.end(speech);
      await this.finish([aplay]);
    });
  }

  beep(durationMs: number, frequencyHz = DEFAULT_BEEP_HZ): Promise<void> {
    const ms = Math.min(MAX_BEEP_MS, Math.max(1, Math.round(durationMs)));
    return this.queue(`beep ${ms} ms`, async () => {
      const aplay = this.start('aplay', aplayArgs(this.options.device));
      aplay.child.stdin?.on('error', () => undefined);
      aplay.child.stdin?.end(toneWav(ms, frequencyHz));
      await this.finish([aplay]);
    });
  }

  play(wav: Uint8Array): Promise<void> {
    try {
      parsePcmWav(wav); // refuse a bad buffer before it reaches aplay (and before the queue)
    } catch (err) {
      return Promise.reject(err as Error);
    }
    return this.queue(`play ${wav.length} bytes`, async () => {
      const aplay = this.start('aplay', aplayArgs(this.options.device));
      aplay.child.stdin?.on('error', () => undefined);
      aplay.child.stdin?.end(Buffer.from(wav.buffer, wav.byteOffset, wav.byteLength));
      await this.finish([aplay]);
    });
  }

  /** The espeak-ng voice for a language: for Mandarin the one this espeak-ng reads as Mandarin. */
  async voiceFor(lang: string): Promise<string> {
    const voice = espeakVoice(lang);
    if (voice !== 'cmn') return voice;
    const found = await this.mandarinVoice();
    if (!found.ok) throw new HalError('UNAVAILABLE', `no Mandarin voice in this espeak-ng: ${found.reasons.join('; ')}`);
    return found.voice;
  }

  /** Asked once; a failed probe (espeak-ng missing) is asked again next time. */
  private mandarinVoice(): Promise<MandarinVoice> {
    const probe = (this.mandarin ??= findMandarinVoice(this.options.runner));
    void probe.then((r) => {
      if (!r.ok && this.mandarin === probe) this.mandarin = undefined;
    });
    return probe;
  }

  /** Both tools present and runnable, and a voice that reads Chinese as Mandarin. */
  async check(): Promise<PartHealth> {
    const problems: string[] = [];
    const versions: Record<string, string> = {};
    for (const [tool, args] of [
      ['espeak-ng', ['--version']],
      ['aplay', ['--version']],
    ] as const) {
      try {
        const r = await runToCompletion(this.options.runner, tool, args);
        if (r.code !== 0) problems.push(`${tool} --version exited ${r.code}`);
        else versions[tool] = r.stdout.split('\n')[0]?.trim() ?? '';
      } catch (err) {
        problems.push((err as NodeJS.ErrnoException).code === 'ENOENT' ? `${tool} not installed (apt install ${tool === 'aplay' ? 'alsa-utils' : 'espeak-ng'})` : `${tool}: ${(err as Error).message}`);
      }
    }
    let mandarin: string | undefined;
    if (versions['espeak-ng'] !== undefined) {
      const found = await this.mandarinVoice();
      if (found.ok) mandarin = found.voice;
      else problems.push(`no Mandarin voice usable: ${found.reasons.join('; ')} (announcements need a voice pack or espeak-ng with cmn-latn-pinyin)`);
    }
    const data = { ...versions, ...(mandarin ? { mandarinVoice: mandarin } : {}), ...(this.options.device ? { device: this.options.device } : {}) };
    return problems.length === 0 ? { ok: true, data } : { ok: false, detail: problems.join('; '), data };
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.running].map((w) => stopChild(w, this.options.timers)));
  }

  private queue(what: string, job: () => Promise<void>): Promise<void> {
    if (this.closed) return Promise.reject(new HalError('CLOSED', `speaker is closed (${what})`));
    const result = this.chain.then(() => {
      if (this.closed) throw new HalError('CLOSED', `speaker is closed (${what})`);
      return job();
    });
    this.chain = result.catch(() => undefined);
    return result;
  }

  private start(command: string, args: string[]): Step {
    const child = this.options.runner(command, args);
    const watch = new ChildWatch(child);
    this.running.add(watch);
    void watch.wait().then(() => this.running.delete(watch));
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-300)));
    return { name: command, child, watch, stderr: () => stderr.trim() };
  }

  private async finish(steps: Step[]): Promise<void> {
    const { timers, maxPlayMs = 60_000 } = this.options;
    let timedOut = false;
    const timer = timers.setTimeout(() => {
      timedOut = true;
      for (const s of steps) s.child.kill('SIGKILL');
    }, maxPlayMs);
    await Promise.all(steps.map((s) => s.watch.wait()));
    timers.clearTimeout(timer);
    if (timedOut) throw new HalError('TIMEOUT', `playback took longer than ${maxPlayMs} ms and was stopped`);
    if (this.closed) throw new HalError('CLOSED', 'speaker closed while playing');
    for (const s of steps) {
      const { name } = s;
      if (s.watch.spawnError) {
        const missing = (s.watch.spawnError as NodeJS.ErrnoException).code === 'ENOENT';
        throw new HalError('UNAVAILABLE', missing ? `${name} is not installed` : `${name} could not start: ${s.watch.spawnError.message}`, { cause: s.watch.spawnError });
      }
      if (s.watch.exitCode !== 0) throw new HalError('IO', `${name} failed (exit ${s.watch.exitCode ?? s.watch.exitSignal})${s.stderr() ? `: ${s.stderr()}` : ''}`);
    }
  }
}
