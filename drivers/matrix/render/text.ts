// Text measurement and drawing with our BDF fonts: widths come from DWIDTH of each code point
// (CJK included), so centring and marquee extents are right where rpi-led-matrix's are not.
import type { Framebuffer, Rgb } from './framebuffer.js';
import type { FontFace } from './font-face.js';

/** Advance of the box drawn for a character neither the subset nor the full font has (yet). */
function placeholderAdvance(face: FontFace): number {
  return Math.max(4, Math.round((face.ascent + face.descent) / 2));
}

/** Width in pixels of `text` in `face` (sum of advances). */
export function measureText(face: FontFace, text: string): number {
  let w = 0;
  for (const ch of text) {
    const g = face.glyph(ch.codePointAt(0) ?? 0);
    w += g ? g.advance : placeholderAdvance(face);
  }
  return w;
}

/**
 * Draws `text` with its origin at (x, baseline); returns the x after the last advance.
 * Respects the framebuffer's clip.
 */
export function drawText(fb: Framebuffer, face: FontFace, text: string, x: number, baseline: number, color: Rgb): number {
  let penX = x;
  for (const ch of text) {
    const g = face.glyph(ch.codePointAt(0) ?? 0);
    if (!g) {
      const adv = placeholderAdvance(face);
      const top = baseline - face.ascent + 2;
      const h = face.ascent - 2;
      for (let i = 0; i < adv - 1; i++) {
        fb.setPixel(penX + i, top, color);
        fb.setPixel(penX + i, top + h - 1, color);
      }
      for (let j = 0; j < h; j++) {
        fb.setPixel(penX, top + j, color);
        fb.setPixel(penX + adv - 2, top + j, color);
      }
      penX += adv;
      continue;
    }
    // BBX y offset is from the baseline upwards; row 0 of the bitmap is the top row.
    const top = baseline - (g.bby + g.bbh);
    const left = penX + g.bbx;
    for (let row = 0; row < g.bbh; row++) {
      for (let col = 0; col < g.bbw; col++) {
        const byte = g.bits[row * g.bytesPerRow + (col >> 3)] ?? 0;
        if (byte & (0x80 >> (col & 7))) fb.setPixel(left + col, top + row, color);
      }
    }
    penX += g.advance;
  }
  return penX;
}
