// A frame as a PNG a person can look at: each LED is a scale x scale square with a dark gap
// around it, like a real panel seen from a few metres.
import { PNG } from 'pngjs';
import type { RgbFrame } from '../../drivers/hal/led-matrix.js';

export interface PngOptions {
  /** Pixels per LED including the gap; default 6. */
  readonly scale?: number;
  /** Gap pixels between LEDs; default 1. */
  readonly gap?: number;
}

const GAP_GREY = 24;

export function frameToPng(frame: RgbFrame, opts: PngOptions = {}): Buffer {
  const scale = opts.scale ?? 6;
  const gap = Math.min(opts.gap ?? 1, scale - 1);
  const png = new PNG({ width: frame.width * scale, height: frame.height * scale });
  const out = png.data;
  for (let y = 0; y < png.height; y++) {
    const fy = Math.floor(y / scale);
    const inGapY = y % scale >= scale - gap;
    for (let x = 0; x < png.width; x++) {
      const fx = Math.floor(x / scale);
      const o = (y * png.width + x) * 4;
      if (inGapY || x % scale >= scale - gap) {
        out[o] = out[o + 1] = out[o + 2] = GAP_GREY;
      } else {
        const i = (fy * frame.width + fx) * 3;
        out[o] = frame.data[i] ?? 0;
        out[o + 1] = frame.data[i + 1] ?? 0;
        out[o + 2] = frame.data[i + 2] ?? 0;
      }
      out[o + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

/** Reads back the LED colours from a PNG written by frameToPng (the golden-file comparison). */
export function pngToFrame(bytes: Buffer, opts: PngOptions = {}): RgbFrame {
  const scale = opts.scale ?? 6;
  const png = PNG.sync.read(bytes);
  const width = Math.floor(png.width / scale);
  const height = Math.floor(png.height / scale);
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * scale * png.width + x * scale) * 4;
      const i = (y * width + x) * 3;
      data[i] = png.data[o] ?? 0;
      data[i + 1] = png.data[o + 1] ?? 0;
      data[i + 2] = png.data[o + 2] ?? 0;
    }
  }
  return { width, height, data };
}
