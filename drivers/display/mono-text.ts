// Lines of text as a 1-bit frame for a small display (drivers/hal/mono-display.ts), drawn with
// the LED panels' renderer and BDF fonts (drivers/matrix/render) into an RGB framebuffer and
// thresholded: one text engine for every display, CJK widths included.
import { MONO_LINE_HEIGHT_PX, type MonoFrame, type MonoTextLine } from '../hal/mono-display.js';
import { Framebuffer, type Rgb } from '../matrix/render/framebuffer.js';
import type { FontFace } from '../matrix/render/font-face.js';
import { drawAlignedLine } from '../matrix/render/zone.js';

const LIT: Rgb = { r: 255, g: 255, b: 255 };
const DARK: Rgb = { r: 0, g: 0, b: 0 };

/** How many text lines fit on a display `height` pixels tall. */
export function linesThatFit(height: number): number {
  // The last line needs its 12 px, not the spacing row below it.
  return Math.max(0, Math.floor((height + 1) / MONO_LINE_HEIGHT_PX));
}

/** Draws `lines` from the top; lines beyond the display's height are left out. */
export function renderMonoText(face: FontFace, width: number, height: number, lines: readonly MonoTextLine[]): { frame: MonoFrame; drawn: number } {
  const fb = new Framebuffer(width, height);
  const drawn = Math.min(lines.length, linesThatFit(height));
  for (let i = 0; i < drawn; i++) {
    const line = lines[i]!;
    const y = i * MONO_LINE_HEIGHT_PX;
    const fg = line.inverse ? DARK : LIT;
    const bg = line.inverse ? LIT : undefined;
    // The bar of an inverse line covers the 12 px of its glyphs, not the spacing row.
    const zone = { x: 0, y, w: width, h: MONO_LINE_HEIGHT_PX - 1 };
    if ('columns' in line) {
      if (bg) fb.fillRect(zone, bg);
      const n = Math.max(1, line.columns.length);
      const w = Math.floor(width / n);
      line.columns.forEach((text, c) => drawAlignedLine(fb, { x: c * w, y, w, h: zone.h }, { face }, [{ text, color: fg }], 'left'));
    } else {
      drawAlignedLine(fb, zone, { face }, [{ text: line.text, color: fg }], line.align ?? 'left', bg);
    }
  }
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = (fb.data[i * 3] ?? 0) > 127 ? 1 : 0;
  return { frame: { width, height, data }, drawn };
}
