// The window panel, laid out by its height. A panel with room for two lines of the font (its ink
// height, so nothing is cut) shows the call on top and the window, a notice or a key's feedback
// below (idle: the hall's time). A shorter one — a single 16-row module with the 12 px font — shows one line: the call
// when it fits, else `请B022号` held for a moment and then `到5号窗口` scrolling through, so the
// number a person waits for is read first and whole.
import type { Framebuffer, Rect } from './framebuffer.js';
import type { FontFace } from './font-face.js';
import { measureText } from './text.js';
import { drawAlignedLine, drawMarquee, type TextRun } from './zone.js';
import type { CallEntry, PanelLang, WindowPanelState } from '../../hal/panel-layout.js';
import { callParts, COLORS, MARQUEE_GAP_PX, MARQUEE_SPEED_PX_PER_S, windowLabel } from './call-text.js';

/** How long the head of a call (请B022号) stands before its tail scrolls by, on a one-line panel. */
export const HEAD_HOLD_MS = 3000;

/** One line's content and how it moves. */
type Line =
  | { kind: 'still'; runs: TextRun[] }
  | { kind: 'marquee'; runs: TextRun[]; sinceMs: number }
  /** Head held, then the tail scrolls once through; repeats. */
  | { kind: 'head-tail'; head: TextRun[]; tail: TextRun[]; sinceMs: number };

function width(face: FontFace, runs: readonly TextRun[]): number {
  return runs.reduce((w, r) => w + measureText(face, r.text), 0);
}

function fitting(face: FontFace, zoneW: number, runs: TextRun[], sinceMs: number): Line {
  return width(face, runs) <= zoneW ? { kind: 'still', runs } : { kind: 'marquee', runs, sinceMs };
}

function callLine(face: FontFace, zoneW: number, lang: PanelLang, call: CallEntry & { sinceMs: number }, split: boolean): Line {
  const spaced = callParts(lang, call);
  if (width(face, [...spaced.head, ...spaced.tail]) <= zoneW) return { kind: 'still', runs: [...spaced.head, ...spaced.tail] };
  const compact = callParts(lang, call, true);
  const whole = [...compact.head, ...compact.tail];
  if (width(face, whole) <= zoneW) return { kind: 'still', runs: whole };
  if (split && width(face, compact.head) <= zoneW) return { kind: 'head-tail', head: compact.head, tail: compact.tail, sinceMs: call.sinceMs };
  return { kind: 'marquee', runs: whole, sinceMs: call.sinceMs };
}

function label(lang: PanelLang, window: string): TextRun[] {
  return [{ text: windowLabel(lang, window), color: COLORS.window }];
}

/** True when two lines of the face fit the panel's height without cutting a glyph. */
export function hasTwoLines(face: FontFace, height: number): boolean {
  return height >= 2 * face.lineHeight;
}

/** The lines of the window panel, top first (one or two). */
function windowLines(face: FontFace, s: WindowPanelState, w: number, h: number): Line[] {
  const pausedText = s.lang === 'zh' ? '暂停服务' : 'Closed';
  if (!hasTwoLines(face, h)) {
    if (s.feedback !== undefined) return [{ kind: 'still', runs: [{ text: s.feedback, color: COLORS.text }] }];
    if (s.paused) return [fitting(face, w, [...label(s.lang, s.window), { text: ` ${pausedText}`, color: COLORS.paused }], 0)];
    if (s.current) return [callLine(face, w, s.lang, s.current, true)];
    if (s.notice) return [fitting(face, w, [{ text: s.notice.text, color: COLORS.notice }], s.notice.sinceMs)];
    // Idle: the window and the hall's time when both fit, else the window alone.
    const withClock = s.clock !== undefined ? [...label(s.lang, s.window), { text: ` ${s.clock}`, color: COLORS.text }] : [];
    return [withClock.length > 0 && width(face, withClock) <= w ? { kind: 'still', runs: withClock } : fitting(face, w, label(s.lang, s.window), 0)];
  }
  if (s.paused) return [fitting(face, w, label(s.lang, s.window), 0), fitting(face, w, [{ text: pausedText, color: COLORS.paused }], 0)];
  const top = s.current ? callLine(face, w, s.lang, s.current, false) : fitting(face, w, label(s.lang, s.window), 0);
  if (s.feedback !== undefined) return [top, { kind: 'still', runs: [{ text: s.feedback, color: COLORS.text }] }];
  if (s.notice) return [top, fitting(face, w, [{ text: s.notice.text, color: COLORS.notice }], s.notice.sinceMs)];
  if (s.current) return [top, fitting(face, w, label(s.lang, s.window), 0)];
  return s.clock !== undefined ? [top, fitting(face, w, [{ text: s.clock, color: COLORS.text }], 0)] : [top];
}

function drawLine(fb: Framebuffer, face: FontFace, zone: Rect, line: Line, nowMs: number): void {
  const marquee = (runs: TextRun[], startMs: number, gapPx: number) => drawMarquee(fb, zone, { face }, runs, { speedPxPerS: MARQUEE_SPEED_PX_PER_S, gapPx, startMs }, nowMs);
  switch (line.kind) {
    case 'still':
      drawAlignedLine(fb, zone, { face }, line.runs, 'center');
      return;
    case 'marquee':
      marquee(line.runs, line.sinceMs, MARQUEE_GAP_PX);
      return;
    case 'head-tail': {
      // The tail's pass lasts until its last pixel has left on the left: (zone + tail) px.
      const passMs = ((zone.w + width(face, line.tail)) * 1000) / MARQUEE_SPEED_PX_PER_S;
      const cycle = HEAD_HOLD_MS + passMs;
      const into = (((nowMs - line.sinceMs) % cycle) + cycle) % cycle;
      if (into < HEAD_HOLD_MS) drawAlignedLine(fb, zone, { face }, line.head, 'center');
      else marquee(line.tail, nowMs - (into - HEAD_HOLD_MS), 0);
      return;
    }
  }
}

export function drawWindowPanel(fb: Framebuffer, face: FontFace, s: WindowPanelState, nowMs: number): void {
  fb.clear();
  const lines = windowLines(face, s, fb.width, fb.height);
  if (lines.length === 1 && !hasTwoLines(face, fb.height)) {
    drawLine(fb, face, { x: 0, y: 0, w: fb.width, h: fb.height }, lines[0]!, nowMs);
    return;
  }
  const half = Math.floor(fb.height / 2);
  const [top, bottom] = lines;
  if (top) drawLine(fb, face, { x: 0, y: 0, w: fb.width, h: half }, top, nowMs);
  if (bottom) drawLine(fb, face, { x: 0, y: half, w: fb.width, h: fb.height - half }, bottom, nowMs);
}

/** True when the window panel's picture changes with time alone (a line scrolls or alternates). */
export function windowMoving(face: FontFace, s: WindowPanelState, width: number, height: number): boolean {
  return windowLines(face, s, width, height).some((l) => l.kind !== 'still');
}
