// An independent judge of loudness: ffmpeg's ebur128 filter (EBU R 128 / ITU-R BS.1770, not our
// drivers/hal/loudness.ts) reads a WAV file and reports its integrated loudness and true peak.
import { execFile } from 'node:child_process';

export interface Ebur128 {
  /** Integrated loudness, LUFS. */
  integratedLufs: number;
  /** True peak, dBFS (4x oversampled by ffmpeg). */
  truePeakDbfs: number;
}

export function ebur128(file: string): Promise<Ebur128> {
  return new Promise((resolve, reject) => {
    execFile('ffmpeg', ['-hide_banner', '-nostats', '-i', file, '-af', 'ebur128=peak=true', '-f', 'null', '-'], { maxBuffer: 64 * 1024 * 1024 }, (err, _stdout, stderr) => {
      if (err) return reject(new Error(`ffmpeg ebur128 ${file}: ${err.message}`));
      const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
      const integrated = /I:\s+(-?[0-9.]+|-inf) LUFS/.exec(summary);
      const peak = /Peak:\s+(-?[0-9.]+|-inf) dBFS/.exec(summary);
      if (!integrated || !peak) return reject(new Error(`ffmpeg ebur128 ${file}: no summary in its output`));
      const num = (s: string) => (s === '-inf' ? Number.NEGATIVE_INFINITY : Number(s));
      resolve({ integratedLufs: num(integrated[1] ?? ''), truePeakDbfs: num(peak[1] ?? '') });
    });
  });
}
