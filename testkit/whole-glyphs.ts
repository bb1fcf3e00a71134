// Is every character of a text seen whole on a panel? A person reads a glyph that lost its
// bottom rows as another character (号 as 亏), so the judge is the font itself: each glyph's
// bitmap, taken alone from the BDF file, must appear complete somewhere in the frame. Any pixel
// with red or green counts as lit (every text colour has one; the hall panel's highlight
// background is pure blue).
import type { BdfFont } from '../drivers/matrix/render/bdf-font.js';
import type { RgbFrame } from '../drivers/hal/led-matrix.js';

interface GlyphPattern {
  readonly w: number;
  readonly h: number;
  /** Offsets of the lit pixels, row-major within the bitmap. */
  readonly lit: readonly (readonly [number, number])[];
}

const patterns = new WeakMap<BdfFont, Map<string, GlyphPattern | null>>();

/** The lit pixels of the character's bitmap in the font (null: the font has no ink for it). */
export function glyphPattern(font: BdfFont, ch: string): GlyphPattern | null {
  let byFont = patterns.get(font);
  if (!byFont) patterns.set(font, (byFont = new Map()));
  const known = byFont.get(ch);
  if (known !== undefined) return known;
  const g = font.glyphs.get(ch.codePointAt(0) ?? 0);
  const lit: [number, number][] = [];
  if (g)
    for (let row = 0; row < g.bbh; row++)
      for (let col = 0; col < g.bbw; col++) if ((g.bits[row * g.bytesPerRow + (col >> 3)] ?? 0) & (0x80 >> (col & 7))) lit.push([col, row]);
  const pattern = g && lit.length > 0 ? { w: g.bbw, h: g.bbh, lit } : null;
  byFont.set(ch, pattern);
  return pattern;
}

function isLit(frame: RgbFrame, x: number, y: number): boolean {
  const i = (y * frame.width + x) * 3;
  return (frame.data[i] ?? 0) > 0 || (frame.data[i + 1] ?? 0) > 0;
}

/** How many places of the frame show the whole glyph of `ch` (0: it is nowhere whole). */
export function wholeGlyphCount(frame: RgbFrame, font: BdfFont, ch: string): number {
  const p = glyphPattern(font, ch);
  if (!p) return Number.POSITIVE_INFINITY; // a space: nothing to see, nothing to cut
  let n = 0;
  for (let y = 0; y + p.h <= frame.height; y++)
    for (let x = 0; x + p.w <= frame.width; x++) if (p.lit.every(([dx, dy]) => isLit(frame, x + dx, y + dy))) n++;
  return n;
}

/** The characters of `text` that the frame shows fewer times whole than the text has them. */
export function cutCharacters(frame: RgbFrame, font: BdfFont, text: string): string[] {
  const wanted = new Map<string, number>();
  for (const ch of text) wanted.set(ch, (wanted.get(ch) ?? 0) + 1);
  return [...wanted].filter(([ch, times]) => wholeGlyphCount(frame, font, ch) < times).map(([ch]) => ch);
}

/**
 * For a text that scrolls: the characters never seen whole in any of the frames (each frame may
 * show only part of the line, but every character must pass by whole at some moment).
 */
export function neverWhole(frames: Iterable<RgbFrame>, font: BdfFont, text: string): string[] {
  const left = new Set([...text].filter((ch) => glyphPattern(font, ch) !== null));
  for (const frame of frames) {
    for (const ch of [...left]) if (wholeGlyphCount(frame, font, ch) > 0) left.delete(ch);
    if (left.size === 0) break;
  }
  return [...left];
}

/**
 * Lit pixels of the frame that no whole glyph of `chars` explains: a glyph cut by a zone edge
 * leaves such pixels behind. `edgePx` columns at the left and right edge are not counted (a
 * scrolling line enters and leaves there, one glyph at a time).
 */
export function unexplainedPixels(frame: RgbFrame, font: BdfFont, chars: Iterable<string>, edgePx = 0): number {
  const covered = new Uint8Array(frame.width * frame.height);
  for (const ch of new Set(chars)) {
    const p = glyphPattern(font, ch);
    if (!p) continue;
    for (let y = 0; y + p.h <= frame.height; y++)
      for (let x = 0; x + p.w <= frame.width; x++) {
        if (!p.lit.every(([dx, dy]) => isLit(frame, x + dx, y + dy))) continue;
        for (const [dx, dy] of p.lit) covered[(y + dy) * frame.width + x + dx] = 1;
      }
  }
  let n = 0;
  for (let y = 0; y < frame.height; y++)
    for (let x = edgePx; x < frame.width - edgePx; x++) if (isLit(frame, x, y) && !covered[y * frame.width + x]) n++;
  return n;
}
