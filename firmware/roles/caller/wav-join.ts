// Joins recorded clips into one announcement without gaps or clicks, the way commercial
// callers play a voice pack: each clip's leading and trailing silence is cut (a recording
// starts and ends with room noise), and consecutive clips overlap by a short linear crossfade,
// so the waveform never jumps where one word meets the next. The first and last samples fade
// in and out, so playback starts and stops at zero. All clips must share one format.
import { WavFormatError, type PcmFormat, type PcmWav } from '../../../drivers/hal/types.js';

export const CROSSFADE_MS = 8;
/** Edge fade of the whole announcement. */
const EDGE_FADE_MS = 3;
/** Kept before the first and after the last loud sample, so attacks and decays are not clipped. */
const KEEP_MS = 4;
/** A sample is sound when louder than this share of the clip's peak (and than a noise floor). */
const SILENCE_SHARE = 0.02;
const NOISE_FLOOR = 64;

function frames(w: PcmWav): number {
  return Math.floor(w.samples.length / w.channels);
}

/** The clip without its leading and trailing silence (a silent clip becomes empty). */
export function trimSilence(w: PcmWav): PcmWav {
  let peak = 0;
  for (const s of w.samples) peak = Math.max(peak, Math.abs(s));
  const threshold = Math.max(NOISE_FLOOR, peak * SILENCE_SHARE);
  const n = frames(w);
  const loud = (f: number) => {
    for (let c = 0; c < w.channels; c++) if (Math.abs(w.samples[f * w.channels + c] ?? 0) > threshold) return true;
    return false;
  };
  let first = 0;
  while (first < n && !loud(first)) first++;
  if (first === n) return { ...w, samples: new Int16Array(0) };
  let last = n - 1;
  while (last > first && !loud(last)) last--;
  const keep = Math.round((KEEP_MS * w.sampleRateHz) / 1000);
  const from = Math.max(0, first - keep);
  const to = Math.min(n, last + 1 + keep);
  return { ...w, samples: w.samples.slice(from * w.channels, to * w.channels) };
}

export function sameFormat(a: PcmFormat, b: PcmFormat): boolean {
  return a.sampleRateHz === b.sampleRateHz && a.channels === b.channels;
}

/** Concatenates trimmed clips with a crossfade of `fadeMs` (shortened for very short clips). */
export function joinClips(clips: readonly PcmWav[], fadeMs = CROSSFADE_MS): PcmWav {
  const first = clips[0];
  if (!first) throw new WavFormatError('nothing to join');
  for (const c of clips) if (!sameFormat(c, first)) throw new WavFormatError(`clips differ in format: ${c.sampleRateHz} Hz x${c.channels} vs ${first.sampleRateHz} Hz x${first.channels}`);
  const ch = first.channels;
  const parts = clips.filter((c) => c.samples.length > 0);
  const fadeWanted = Math.round((fadeMs * first.sampleRateHz) / 1000);
  const out: number[] = [];
  for (const clip of parts) {
    const n = frames(clip);
    const have = out.length / ch;
    // The overlap cannot exceed half of either side, or a short word would vanish into its neighbours.
    const fade = have === 0 ? 0 : Math.min(fadeWanted, Math.floor(have / 2), Math.floor(n / 2));
    const start = out.length - fade * ch;
    for (let f = 0; f < n; f++) {
      for (let c = 0; c < ch; c++) {
        const s = clip.samples[f * ch + c] ?? 0;
        if (f < fade) {
          const k = (f + 0.5) / fade; // weight of the incoming clip
          const i = start + f * ch + c;
          out[i] = (out[i] ?? 0) * (1 - k) + s * k;
        } else out.push(s);
      }
    }
  }
  const total = out.length / ch;
  const edge = Math.min(Math.round((EDGE_FADE_MS * first.sampleRateHz) / 1000), Math.floor(total / 2));
  const samples = new Int16Array(out.length);
  for (let f = 0; f < total; f++) {
    const gain = edge === 0 ? 1 : Math.min(1, f / edge, (total - 1 - f) / edge);
    for (let c = 0; c < ch; c++) samples[f * ch + c] = Math.max(-32768, Math.min(32767, Math.round((out[f * ch + c] ?? 0) * gain)));
  }
  return { sampleRateHz: first.sampleRateHz, channels: ch, samples };
}
