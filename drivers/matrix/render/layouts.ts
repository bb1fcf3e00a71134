// The caller's panel layouts, drawn from a plain state object: the window panel (current number,
// window, paused), the hall panel (last N calls, newest highlighted, priority colour) and a
// notice marquee. A line wider than its zone scrolls instead of being cut.
import type { Framebuffer, Rect, Rgb } from './framebuffer.js';
import type { FontFace } from './font-face.js';
import { measureText } from './text.js';
import { drawAlignedLine, drawMarquee, type Align, type TextRun } from './zone.js';
import type { CallEntry, HallPanelState, NoticePanelState, PanelLang, PanelState, WindowPanelState } from '../../hal/panel-layout.js';

export const COLORS = {
  text: { r: 255, g: 255, b: 255 },
  number: { r: 0, g: 255, b: 0 },
  priority: { r: 255, g: 128, b: 0 },
  window: { r: 255, g: 220, b: 0 },
  paused: { r: 255, g: 0, b: 0 },
  notice: { r: 0, g: 200, b: 255 },
  highlight: { r: 0, g: 0, b: 140 },
  dim: { r: 110, g: 110, b: 110 },
} satisfies Record<string, Rgb>;


// The state types are the HAL's (drivers/hal/panel-layout.ts): a role builds them without seeing the renderer.
export type { CallEntry, HallPanelState, NoticePanelState, NoticeState, PanelState, WindowPanelState } from '../../hal/panel-layout.js';
export type Lang = PanelLang;

export const MARQUEE_SPEED_PX_PER_S = 32;
export const MARQUEE_GAP_PX = 24;

function runsWidth(face: FontFace, runs: readonly TextRun[]): number {
  return runs.reduce((w, r) => w + measureText(face, r.text), 0);
}

function line(fb: Framebuffer, zone: Rect, face: FontFace, runs: readonly TextRun[], align: Align, sinceMs: number, nowMs: number, background?: Rgb): void {
  if (runsWidth(face, runs) <= zone.w) drawAlignedLine(fb, zone, { face }, runs, align, background);
  else drawMarquee(fb, zone, { face }, runs, { speedPxPerS: MARQUEE_SPEED_PX_PER_S, gapPx: MARQUEE_GAP_PX, startMs: sinceMs }, nowMs, background);
}

/** The call line; `compact` drops the spaces around the number and window (a two-digit window on 128 px). */
export function callRuns(lang: Lang, call: CallEntry, compact = false): TextRun[] {
  const num = { text: call.number, color: call.priority ? COLORS.priority : COLORS.number };
  if (lang === 'zh') {
    const sp = compact ? '' : ' ';
    return [{ text: `请${sp}`, color: COLORS.text }, num, { text: `${sp}号到${sp}`, color: COLORS.text }, { text: call.window, color: COLORS.window }, { text: `${sp}号窗口`, color: COLORS.text }];
  }
  return [{ text: 'No. ', color: COLORS.text }, num, { text: ' to window ', color: COLORS.text }, { text: call.window, color: COLORS.window }];
}

function windowLabel(lang: Lang, window: string): string {
  return lang === 'zh' ? `${window}号窗口` : `Window ${window}`;
}

/** Two lines: the call (or the window label) on top; paused state, notice or window label below. */
export function drawWindowPanel(fb: Framebuffer, face: FontFace, s: WindowPanelState, nowMs: number): void {
  fb.clear();
  const half = Math.floor(fb.height / 2);
  const top: Rect = { x: 0, y: 0, w: fb.width, h: half };
  const bottom: Rect = { x: 0, y: half, w: fb.width, h: fb.height - half };
  if (s.paused) {
    line(fb, top, face, [{ text: windowLabel(s.lang, s.window), color: COLORS.window }], 'center', 0, nowMs);
    line(fb, bottom, face, [{ text: s.lang === 'zh' ? '暂停服务' : 'Closed', color: COLORS.paused }], 'center', 0, nowMs);
    return;
  }
  if (s.current) {
    const spaced = callRuns(s.lang, s.current);
    const runs = runsWidth(face, spaced) <= top.w ? spaced : callRuns(s.lang, s.current, true);
    line(fb, top, face, runs, 'center', s.current.sinceMs, nowMs);
  }
  else line(fb, top, face, [{ text: windowLabel(s.lang, s.window), color: COLORS.window }], 'center', 0, nowMs);
  if (s.feedback !== undefined) drawAlignedLine(fb, bottom, { face }, [{ text: s.feedback, color: COLORS.text }], 'center');
  else if (s.notice) line(fb, bottom, face, [{ text: s.notice.text, color: COLORS.notice }], 'left', s.notice.sinceMs, nowMs);
  else if (s.current) line(fb, bottom, face, [{ text: windowLabel(s.lang, s.window), color: COLORS.window }], 'center', 0, nowMs);
}

/** Rows of `rowHeight` px: number left, window right; the newest row on a highlight background. */
export function drawHallPanel(fb: Framebuffer, face: FontFace, s: HallPanelState, rowHeight: number): void {
  fb.clear();
  const fit = Math.floor(fb.height / rowHeight);
  const calls = s.calls.slice(0, Math.min(fit, s.limit ?? fit));
  calls.forEach((call, i) => {
    const zone: Rect = { x: 0, y: i * rowHeight, w: fb.width, h: rowHeight };
    const bg = i === 0 ? COLORS.highlight : undefined;
    const inner: Rect = { x: 2, y: zone.y, w: fb.width - 4, h: rowHeight };
    if (bg) fb.fillRect(zone, bg);
    drawAlignedLine(fb, inner, { face }, [{ text: call.number, color: call.priority ? COLORS.priority : i === 0 ? COLORS.text : COLORS.number }], 'left');
    drawAlignedLine(fb, inner, { face }, [{ text: windowLabel(s.lang, call.window), color: i === 0 ? COLORS.window : COLORS.dim }], 'right');
  });
}

/** The whole panel is one marquee line, vertically centred. */
export function drawNoticePanel(fb: Framebuffer, face: FontFace, s: NoticePanelState, nowMs: number): void {
  fb.clear();
  drawMarquee(fb, { x: 0, y: 0, w: fb.width, h: fb.height }, { face }, [{ text: s.notice.text, color: COLORS.notice }], { speedPxPerS: MARQUEE_SPEED_PX_PER_S, gapPx: MARQUEE_GAP_PX, startMs: s.notice.sinceMs }, nowMs);
}

/** True when the picture of `s` on a panel `width` px wide moves with time alone (some line scrolls). */
export function layoutMoving(face: FontFace, s: PanelState, width: number): boolean {
  switch (s.kind) {
    case 'notice':
      return true;
    case 'hall':
      return false;
    case 'window': {
      if (s.paused) return measureText(face, s.lang === 'zh' ? `${s.window}号窗口` : `Window ${s.window}`) > width;
      const callScrolls = s.current !== undefined && runsWidth(face, callRuns(s.lang, s.current, true)) > width;
      const noticeScrolls = s.feedback === undefined && s.notice !== undefined && measureText(face, s.notice.text) > width;
      return callScrolls || noticeScrolls;
    }
  }
}
