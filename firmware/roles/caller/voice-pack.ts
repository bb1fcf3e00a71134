// A voice pack: a directory of recorded clips, one WAV per word or syllable (请.wav, 号.wav,
// 到.wav, 窗口.wav, 办理.wav, 零.wav … 九.wav, 十.wav, A.wav … Z.wav), plus an optional
// _chime.wav. An announcement is cut into the longest clip names that match (窗口 before 窗),
// ignoring spaces and punctuation; when every piece has a clip they are joined in process
// (wav-join.ts), else render() returns undefined and the speaker's own voice reads the text.
// Clips must share the first clip's format; one that does not is left out and reported. The
// chime and each joined announcement are played at the hall's loudness (−16 LUFS).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodePcmWav, normaliseLoudness, parsePcmWav, type PcmWav } from '../../../drivers/hal/types.js';
import { joinClips, sameFormat, trimSilence } from './wav-join.js';

const CHIME_NAME = '_chime';
const SKIPPED = /[\s,，。.、!！?？:：;；"“”'‘’()（）-]/u;

function key(name: string): string {
  return name.normalize('NFC').toUpperCase();
}

export class VoicePack {
  private readonly longest: number;

  private constructor(
    readonly dir: string,
    private readonly clips: ReadonlyMap<string, PcmWav>,
    private readonly chimeClip: Buffer | undefined,
    /** Files left out, with why. */
    readonly problems: readonly string[],
  ) {
    this.longest = Math.max(0, ...[...clips.keys()].map((k) => [...k].length));
  }

  static async load(dir: string): Promise<VoicePack> {
    const names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.wav')).sort();
    const clips = new Map<string, PcmWav>();
    const problems: string[] = [];
    let format: PcmWav | undefined;
    let chime: Buffer | undefined;
    for (const file of names) {
      const word = file.slice(0, -4);
      let wav: PcmWav;
      try {
        wav = parsePcmWav(await readFile(join(dir, file)));
      } catch (err) {
        problems.push(`${file}: ${(err as Error).message}`);
        continue;
      }
      format ??= wav;
      if (!sameFormat(wav, format)) {
        problems.push(`${file}: ${wav.sampleRateHz} Hz x${wav.channels}, the pack is ${format.sampleRateHz} Hz x${format.channels}`);
        continue;
      }
      if (word === CHIME_NAME) chime = encodePcmWav(normaliseLoudness(wav));
      else clips.set(key(word), trimSilence(wav));
    }
    return new VoicePack(dir, clips, chime, problems);
  }

  get words(): number {
    return this.clips.size;
  }

  chime(): Buffer | undefined {
    return this.chimeClip;
  }

  /** The clip names that read `text`, or the first piece without a clip. */
  split(text: string): { ok: true; words: string[] } | { ok: false; missing: string } {
    const chars = [...key(text)].filter((c) => !SKIPPED.test(c));
    const words: string[] = [];
    for (let i = 0; i < chars.length; ) {
      let found: string | undefined;
      for (let len = Math.min(this.longest, chars.length - i); len > 0 && !found; len--) {
        const candidate = chars.slice(i, i + len).join('');
        if (this.clips.has(candidate)) found = candidate;
      }
      if (!found) return { ok: false, missing: chars[i] ?? '' };
      words.push(found);
      i += [...found].length;
    }
    return { ok: true, words };
  }

  /** The announcement as one WAV, or undefined when a word has no clip. */
  render(text: string): Buffer | undefined {
    const split = this.split(text);
    if (!split.ok || split.words.length === 0) return undefined;
    // Clips recorded at different levels are joined first, then brought to the hall's loudness as one.
    return encodePcmWav(normaliseLoudness(joinClips(split.words.map((w) => this.clips.get(w)!))));
  }
}
