// Loudness as a person hears it, for everything a speaker plays: ITU-R BS.1770-4 integrated
// loudness (K-weighting: a high shelf and a high pass, mean square over 400 ms blocks with 75 %
// overlap, an absolute gate at −70 LUFS and a relative one 10 LU below the ungated level), a
// true-peak estimate by 4x oversampling, and a normaliser that brings a sound to the hall's
// one target: −16 LUFS integrated with no peak above −1 dBFS. It is part of the interface
// package, like the WAV format, so a role rendering a chime, a driver reading espeak-ng's
// speech and a test measuring both mean the same by "−16 LUFS".
import type { PcmWav } from './wav-format.js';

/** What chime, voice-pack clips and speech are brought to. */
export const LOUDNESS_TARGET_LUFS = -16;
/** No sample (and no peak between samples) above this. */
export const PEAK_CEILING_DBFS = -1;
/** The limiter aims this far under the ceiling, so rounding and inter-sample peaks stay under it. */
const CEILING_MARGIN_DB = 0.5;

type Biquad = readonly [b0: number, b1: number, b2: number, a1: number, a2: number];

/** BS.1770's two K-weighting stages for a sample rate (coefficients derived as libebur128 does). */
function kWeighting(fs: number): [Biquad, Biquad] {
  let K = Math.tan((Math.PI * 1681.974450955533) / fs);
  const Vh = 10 ** (3.999843853973347 / 20);
  const Vb = Vh ** 0.4996667741545416;
  let Q = 0.7071752369554196;
  let a0 = 1 + K / Q + K * K;
  const shelf: Biquad = [(Vh + (Vb * K) / Q + K * K) / a0, (2 * (K * K - Vh)) / a0, (Vh - (Vb * K) / Q + K * K) / a0, (2 * (K * K - 1)) / a0, (1 - K / Q + K * K) / a0];
  K = Math.tan((Math.PI * 38.13547087602444) / fs);
  Q = 0.5003270373238773;
  a0 = 1 + K / Q + K * K;
  const highPass: Biquad = [1, -2, 1, (2 * (K * K - 1)) / a0, (1 - K / Q + K * K) / a0];
  return [shelf, highPass];
}

function filter(x: Float64Array, [b0, b1, b2, a1, a2]: Biquad): Float64Array {
  const y = new Float64Array(x.length);
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let n = 0; n < x.length; n++) {
    const v = x[n] ?? 0;
    const out = b0 * v + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = v;
    y2 = y1;
    y1 = out;
    y[n] = out;
  }
  return y;
}

/** The channels as floats in −1..1. */
function channels(wav: PcmWav): Float64Array[] {
  const n = Math.floor(wav.samples.length / wav.channels);
  return Array.from({ length: wav.channels }, (_, c) => {
    const ch = new Float64Array(n);
    for (let i = 0; i < n; i++) ch[i] = (wav.samples[i * wav.channels + c] ?? 0) / 32768;
    return ch;
  });
}

/** Integrated loudness in LUFS of float channels (−Infinity for silence). */
function integrated(chans: Float64Array[], fs: number): number {
  const [shelf, highPass] = kWeighting(fs);
  const weighted = chans.map((c) => filter(filter(c, shelf), highPass));
  const n = weighted[0]?.length ?? 0;
  const block = Math.round(0.4 * fs);
  const step = Math.round(0.1 * fs);
  const powers: number[] = [];
  const power = (from: number, to: number) => {
    let sum = 0;
    for (const w of weighted) for (let i = from; i < to; i++) sum += (w[i] ?? 0) ** 2;
    return sum / (to - from);
  };
  // A sound shorter than one block (a short clip) is measured whole.
  if (n < block) powers.push(n > 0 ? power(0, n) : 0);
  else for (let from = 0; from + block <= n; from += step) powers.push(power(from, from + block));
  const lufs = (p: number) => -0.691 + 10 * Math.log10(p);
  const mean = (ps: number[]) => ps.reduce((a, b) => a + b, 0) / ps.length;
  const absolute = powers.filter((p) => lufs(p) > -70);
  if (absolute.length === 0) return Number.NEGATIVE_INFINITY;
  const relativeGate = lufs(mean(absolute)) - 10;
  const gated = absolute.filter((p) => lufs(p) > relativeGate);
  return lufs(mean(gated));
}

export function integratedLoudness(wav: PcmWav): number {
  return integrated(channels(wav), wav.sampleRateHz);
}

/** 4x oversampling interpolator (windowed sinc, 12 taps a phase), as BS.1770 Annex 2 suggests. */
const PHASES = 4;
const TAPS = 12;
const INTERPOLATOR: Float64Array[] = Array.from({ length: PHASES }, (_, p) => {
  const h = new Float64Array(TAPS);
  for (let k = 0; k < TAPS; k++) {
    const t = k - TAPS / 2 + 1 - p / PHASES;
    const sinc = t === 0 ? 1 : Math.sin(Math.PI * t) / (Math.PI * t);
    const window = 0.5 + 0.5 * Math.cos((Math.PI * t) / (TAPS / 2 + 1));
    h[k] = sinc * window;
  }
  return h;
});

/** Highest absolute value of the channels, between samples too (linear). */
function truePeakLinear(chans: Float64Array[]): number {
  let peak = 0;
  for (const x of chans)
    for (let n = 0; n < x.length; n++) {
      peak = Math.max(peak, Math.abs(x[n] ?? 0));
      for (let p = 1; p < PHASES; p++) {
        const h = INTERPOLATOR[p] as Float64Array;
        let v = 0;
        for (let k = 0; k < TAPS; k++) v += (x[n + k - TAPS / 2 + 1] ?? 0) * (h[k] ?? 0);
        peak = Math.max(peak, Math.abs(v));
      }
    }
  return peak;
}

export function truePeakDbfs(wav: PcmWav): number {
  return 20 * Math.log10(truePeakLinear(channels(wav)));
}

/**
 * Lowers the gain around every peak above `ceiling` (linear), smoothly: the gain is the moving
 * average of the sliding minimum of the gain each sample needs, both over ±`radius` samples, so
 * it is never above what any sample needs and changes over 2 × radius samples, not at once.
 */
function limit(chans: Float64Array[], ceiling: number, radius: number): void {
  const n = chans[0]?.length ?? 0;
  const need = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let peak = 0;
    for (const c of chans) peak = Math.max(peak, Math.abs(c[i] ?? 0));
    need[i] = peak > ceiling ? ceiling / peak : 1;
  }
  const lowest = new Float64Array(n);
  const deque: number[] = [];
  for (let i = 0; i < n + radius; i++) {
    if (i < n) {
      while (deque.length > 0 && (need[deque[deque.length - 1] ?? 0] ?? 1) >= (need[i] ?? 1)) deque.pop();
      deque.push(i);
    }
    const centre = i - radius;
    if (centre < 0) continue;
    while ((deque[0] ?? 0) < centre - radius) deque.shift();
    lowest[centre] = need[deque[0] ?? centre] ?? 1;
  }
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = (prefix[i] ?? 0) + (lowest[i] ?? 1);
  for (let i = 0; i < n; i++) {
    const from = Math.max(0, i - radius);
    const to = Math.min(n, i + radius + 1);
    // Past the ends the gain is taken as 1 (nothing needs less there), so the average only rises.
    const gain = ((prefix[to] ?? 0) - (prefix[from] ?? 0) + (2 * radius + 1 - (to - from))) / (2 * radius + 1);
    const g = Math.min(gain, lowest[i] ?? 1);
    for (const c of chans) c[i] = (c[i] ?? 0) * g;
  }
}

/**
 * The sound at `targetLufs` integrated loudness with no peak above `ceilingDbfs`: one gain for
 * the whole sound, then a look-ahead limiter on the few peaks that would pass the ceiling, then
 * make-up gain for what the limiter took (twice at most). Silence is returned as it is.
 */
export function normaliseLoudness(wav: PcmWav, targetLufs = LOUDNESS_TARGET_LUFS, ceilingDbfs = PEAK_CEILING_DBFS): PcmWav {
  const chans = channels(wav);
  const fs = wav.sampleRateHz;
  const radius = Math.max(1, Math.round(0.004 * fs));
  let ceiling = 10 ** ((ceilingDbfs - CEILING_MARGIN_DB) / 20);
  const scale = (g: number) => chans.forEach((c) => c.forEach((v, i) => (c[i] = v * g)));
  for (let round = 0; round < 3; round++) {
    const now = integrated(chans, fs);
    if (!Number.isFinite(now)) return wav;
    if (round > 0 && Math.abs(now - targetLufs) < 0.2) break;
    scale(10 ** ((targetLufs - now) / 20));
    limit(chans, ceiling, radius);
    const tp = truePeakLinear(chans);
    if (tp > ceiling) {
      ceiling *= ceiling / tp;
      limit(chans, ceiling, radius);
    }
  }
  const samples = new Int16Array(wav.samples.length);
  const n = chans[0]?.length ?? 0;
  for (let i = 0; i < n; i++)
    for (let c = 0; c < wav.channels; c++) samples[i * wav.channels + c] = Math.max(-32768, Math.min(32767, Math.round((chans[c]?.[i] ?? 0) * 32768)));
  return { sampleRateHz: fs, channels: wav.channels, samples };
}
