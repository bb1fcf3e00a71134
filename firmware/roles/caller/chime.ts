// 叮咚: the chime before an announcement when no voice pack brings its own: two struck tones,
// E5 then C5, each with a quick attack and a bell-like decay (a plain sine that stops dead
// sounds like a test beep). Rendered as samples so it is played, and its loudness set, like
// every other sound.
import type { PcmWav } from '../../../drivers/hal/types.js';

/** espeak-ng's rate: the chime and the speech after it share one format. */
export const CHIME_RATE_HZ = 22_050;
const NOTES: readonly { hz: number; ms: number }[] = [
  { hz: 659.25, ms: 420 },
  { hz: 523.25, ms: 700 },
];
const ATTACK_MS = 5;

export function chimeWav(sampleRateHz = CHIME_RATE_HZ): PcmWav {
  const parts = NOTES.map(({ hz, ms }) => {
    const n = Math.round((ms * sampleRateHz) / 1000);
    const attack = Math.round((ATTACK_MS * sampleRateHz) / 1000);
    const out = new Int16Array(n);
    for (let i = 0; i < n; i++) {
      const t = i / sampleRateHz;
      const envelope = Math.min(1, i / attack) * Math.exp((-3 * i) / n) * Math.min(1, (n - 1 - i) / attack);
      // A touch of the second partial makes it a bell rather than a beep.
      const v = Math.sin(2 * Math.PI * hz * t) + 0.25 * Math.sin(4 * Math.PI * hz * t);
      out[i] = Math.round(12_000 * envelope * v);
    }
    return out;
  });
  const samples = new Int16Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    samples.set(p, at);
    at += p.length;
  }
  return { sampleRateHz, channels: 1, samples };
}
