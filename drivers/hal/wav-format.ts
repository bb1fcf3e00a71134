// The sound format Speaker.play() takes: a RIFF/WAVE file with 16-bit PCM samples (Microsoft
// "Multimedia Programming Interface and Data Specifications 1.0", WAVE `fmt ` and `data`
// chunks). Parsing and writing it is part of the interface, so a role joining recorded clips,
// a driver handing them to aplay and the simulator recording them agree on what a WAV is.

export interface PcmFormat {
  readonly sampleRateHz: number;
  readonly channels: number;
}

export interface PcmWav extends PcmFormat {
  /** Interleaved 16-bit samples. */
  readonly samples: Int16Array;
}

/** A buffer that is not a 16-bit PCM WAV: a programming or content error, never a hardware fault. */
export class WavFormatError extends RangeError {
  readonly code = 'SPEAKER_WAV';
  constructor(message: string) {
    super(message);
    this.name = 'WavFormatError';
  }
}

/** Reads a 16-bit PCM WAV (any chunk order, unknown chunks skipped); throws WavFormatError otherwise. */
export function parsePcmWav(buf: Uint8Array): PcmWav {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 12 || b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE') throw new WavFormatError('not a RIFF/WAVE file');
  let format: { tag: number; channels: number; rate: number; bits: number } | undefined;
  let data: Buffer | undefined;
  for (let at = 12; at + 8 <= b.length; ) {
    const id = b.toString('ascii', at, at + 4);
    const size = b.readUInt32LE(at + 4);
    const body = b.subarray(at + 8, Math.min(b.length, at + 8 + size));
    if (id === 'fmt ' && body.length >= 16) format = { tag: body.readUInt16LE(0), channels: body.readUInt16LE(2), rate: body.readUInt32LE(4), bits: body.readUInt16LE(14) };
    else if (id === 'data') data = body;
    at += 8 + size + (size % 2); // chunks are padded to an even size
  }
  if (!format) throw new WavFormatError('no fmt chunk');
  if (!data) throw new WavFormatError('no data chunk');
  // WAVE_FORMAT_EXTENSIBLE (0xfffe) carries PCM too; its sub-format is not checked here.
  if ((format.tag !== 1 && format.tag !== 0xfffe) || format.bits !== 16) throw new WavFormatError(`only 16-bit PCM is supported (format tag ${format.tag}, ${format.bits} bits)`);
  if (format.channels < 1 || format.channels > 8 || format.rate < 1000 || format.rate > 384_000) throw new WavFormatError(`implausible format: ${format.channels} channels at ${format.rate} Hz`);
  const count = Math.floor(data.length / 2);
  const samples = new Int16Array(count);
  for (let i = 0; i < count; i++) samples[i] = data.readInt16LE(i * 2);
  return { sampleRateHz: format.rate, channels: format.channels, samples };
}

/** Writes samples as a 16-bit PCM WAV. */
export function encodePcmWav(wav: PcmWav): Buffer {
  const dataBytes = wav.samples.length * 2;
  const out = Buffer.alloc(44 + dataBytes);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + dataBytes, 4);
  out.write('WAVE', 8, 'ascii');
  out.write('fmt ', 12, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(wav.channels, 22);
  out.writeUInt32LE(wav.sampleRateHz, 24);
  out.writeUInt32LE(wav.sampleRateHz * wav.channels * 2, 28);
  out.writeUInt16LE(wav.channels * 2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < wav.samples.length; i++) out.writeInt16LE(wav.samples[i] ?? 0, 44 + i * 2);
  return out;
}

/** Playing time of a WAV, ms. */
export function wavDurationMs(wav: PcmWav): number {
  return (wav.samples.length / wav.channels / wav.sampleRateHz) * 1000;
}
