// Zones: a rectangle of the panel with its own content, drawn clipped to itself. A line of text
// is aligned left/centre/right, or scrolls as a marquee whose position is a function of the
// monotonic time (not a per-frame step), so it moves at the same speed whatever the frame rate
// and two renders at the same time give the same frame.
import type { Framebuffer, Rect, Rgb } from './framebuffer.js';
import type { FontFace } from './font-face.js';
import { drawText, measureText } from './text.js';

export type Align = 'left' | 'center' | 'right';

export interface TextRun {
  readonly text: string;
  readonly color: Rgb;
}

export interface LineStyle {
  readonly face: FontFace;
  /** Baseline offset from the top of the zone; default: the font's ink centred vertically. */
  readonly baseline?: number;
}

function baselineIn(zone: Rect, style: LineStyle): number {
  if (style.baseline !== undefined) return zone.y + style.baseline;
  const { inkTop, lineHeight } = style.face;
  return zone.y + Math.floor((zone.h - lineHeight) / 2) + inkTop;
}

function runsWidth(face: FontFace, runs: readonly TextRun[]): number {
  return runs.reduce((w, r) => w + measureText(face, r.text), 0);
}

function drawRuns(fb: Framebuffer, face: FontFace, runs: readonly TextRun[], x: number, baseline: number): void {
  let penX = x;
  for (const r of runs) penX = drawText(fb, face, r.text, penX, baseline, r.color);
}

/** Fills the zone with `background` (if given) and draws the runs on one line, aligned. */
export function drawAlignedLine(fb: Framebuffer, zone: Rect, style: LineStyle, runs: readonly TextRun[], align: Align, background?: Rgb): void {
  const previous = fb.setClip(zone);
  if (background) fb.fillRect(zone, background);
  const w = runsWidth(style.face, runs);
  const x = align === 'left' ? zone.x : align === 'right' ? zone.x + zone.w - w : zone.x + Math.floor((zone.w - w) / 2);
  drawRuns(fb, style.face, runs, x, baselineIn(zone, style));
  fb.setClip(previous);
}

export interface Marquee {
  /** Pixels per second, > 0. */
  readonly speedPxPerS: number;
  /** Blank pixels between the end of the text and its next start. */
  readonly gapPx: number;
  /** Monotonic ms at which the text's left edge was at the zone's right edge. */
  readonly startMs: number;
}

/**
 * The x offset (from the zone's left edge) of the text's left edge at `nowMs`: the text enters
 * from the right and loops with period `zone.w + textWidth + gapPx` pixels.
 */
export function marqueeOffset(zoneWidth: number, textWidth: number, m: Marquee, nowMs: number): number {
  const period = zoneWidth + textWidth + m.gapPx;
  const travelled = Math.floor(((nowMs - m.startMs) * m.speedPxPerS) / 1000);
  const within = ((travelled % period) + period) % period;
  return zoneWidth - within;
}

/** Draws the runs scrolling through the zone; text that fits still scrolls (a notice is meant to move). */
export function drawMarquee(fb: Framebuffer, zone: Rect, style: LineStyle, runs: readonly TextRun[], m: Marquee, nowMs: number, background?: Rgb): void {
  const previous = fb.setClip(zone);
  if (background) fb.fillRect(zone, background);
  const w = runsWidth(style.face, runs);
  const x = zone.x + marqueeOffset(zone.w, w, m, nowMs);
  drawRuns(fb, style.face, runs, x, baselineIn(zone, style));
  fb.setClip(previous);
}
