// A sine tone as a WAV file (RIFF/WAVE, PCM 16-bit mono; Microsoft "Multimedia Programming
// Interface and Data Specifications 1.0", WAVE format chunk) for aplay to play from stdin.

export const TONE_SAMPLE_RATE_HZ = 16_000;
const FADE_MS = 5; // short ramps so the tone starts and stops without a click
const AMPLITUDE = 0.5 * 0x7fff;

export function toneWav(durationMs: number, frequencyHz: number, sampleRateHz = TONE_SAMPLE_RATE_HZ): Buffer {
  const samples = Math.max(1, Math.round((durationMs * sampleRateHz) / 1000));
  const dataBytes = samples * 2;
  const wav = Buffer.alloc(44 + dataBytes);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + dataBytes, 4);
  wav.write('WAVE', 8, 'ascii');
  wav.write('fmt ', 12, 'ascii');
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(sampleRateHz, 24);
  wav.writeUInt32LE(sampleRateHz * 2, 28); // byte rate
  wav.writeUInt16LE(2, 32); // block align
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(dataBytes, 40);
  const fade = Math.max(1, Math.round((FADE_MS * sampleRateHz) / 1000));
  for (let i = 0; i < samples; i++) {
    const envelope = Math.min(1, i / fade, (samples - 1 - i) / fade);
    wav.writeInt16LE(Math.round(AMPLITUDE * Math.max(0, envelope) * Math.sin((2 * Math.PI * frequencyHz * i) / sampleRateHz)), 44 + i * 2);
  }
  return wav;
}
