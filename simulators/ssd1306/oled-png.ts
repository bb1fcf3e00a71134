// An OLED's glass as a PNG a person can look at: lit pixels in the pale blue-white of common
// SSD1306 modules, brighter with the contrast setting, on black; read back for golden tests.
import type { MonoFrame } from '../../drivers/hal/mono-display.js';
import { frameToPng, pngToFrame, type PngOptions } from '../matrix/frame-png.js';

const LIT = [200, 230, 255] as const;
const DEFAULT_PNG: PngOptions = { scale: 4, gap: 1 };

/** contrast 0-255 dims the lit pixels from 40 % to full, as the SSD1306's current setting does. */
export function monoToPng(frame: MonoFrame, contrast = 0xcf, opts: PngOptions = DEFAULT_PNG): Buffer {
  const k = 0.4 + (0.6 * Math.max(0, Math.min(255, contrast))) / 255;
  const rgb = new Uint8Array(frame.width * frame.height * 3);
  for (let i = 0; i < frame.data.length; i++) {
    if (!frame.data[i]) continue;
    rgb[i * 3] = Math.round(LIT[0] * k);
    rgb[i * 3 + 1] = Math.round(LIT[1] * k);
    rgb[i * 3 + 2] = Math.round(LIT[2] * k);
  }
  return frameToPng({ width: frame.width, height: frame.height, data: rgb }, opts);
}

/** The lit/dark pixels of a PNG written by monoToPng (any contrast). */
export function pngToMono(bytes: Buffer, opts: PngOptions = DEFAULT_PNG): MonoFrame {
  const rgb = pngToFrame(bytes, opts);
  const data = new Uint8Array(rgb.width * rgb.height);
  for (let i = 0; i < data.length; i++) data[i] = (rgb.data[i * 3 + 2] ?? 0) > 50 ? 1 : 0;
  return { width: rgb.width, height: rgb.height, data };
}
