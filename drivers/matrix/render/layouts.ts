// The caller's panel layouts, drawn from a plain state object: the window panel (current number,
// window, paused), the hall panel (last N calls, newest highlighted, priority colour) and a
// notice marquee. A line wider than its zone scrolls instead of being cut.
import type { Framebuffer, Rect } from './framebuffer.js';
import type { FontFace } from './font-face.js';
import { measureText } from './text.js';
import { drawAlignedLine, drawMarquee } from './zone.js';
import type { HallPanelState, NoticePanelState, PanelLang, PanelState } from '../../hal/panel-layout.js';
import { COLORS, MARQUEE_GAP_PX, MARQUEE_SPEED_PX_PER_S, windowLabel } from './call-text.js';
import { windowMoving } from './window-layout.js';

// The state types are the HAL's (drivers/hal/panel-layout.ts): a role builds them without seeing the renderer.
export type { CallEntry, HallPanelState, NoticePanelState, NoticeState, PanelState, WindowPanelState } from '../../hal/panel-layout.js';
export type Lang = PanelLang;
export { callRuns, COLORS, MARQUEE_GAP_PX, MARQUEE_SPEED_PX_PER_S } from './call-text.js';
export { drawWindowPanel } from './window-layout.js';

/** Rows one font line high (nothing cut): number left, window right; the newest row on a highlight background. */
export function drawHallPanel(fb: Framebuffer, face: FontFace, s: HallPanelState): void {
  fb.clear();
  const rowHeight = face.lineHeight;
  const fit = Math.floor(fb.height / rowHeight);
  const calls = s.calls.slice(0, Math.min(fit, s.limit ?? fit));
  // No call yet: the hall's time on the first row, so the panel is not dark.
  if (calls.length === 0 && s.clock !== undefined && fit > 0) drawAlignedLine(fb, { x: 0, y: 0, w: fb.width, h: rowHeight }, { face }, [{ text: s.clock, color: COLORS.text }], 'center');
  calls.forEach((call, i) => {
    const zone: Rect = { x: 0, y: i * rowHeight, w: fb.width, h: rowHeight };
    const bg = i === 0 ? COLORS.highlight : undefined;
    const inner: Rect = { x: 2, y: zone.y, w: fb.width - 4, h: rowHeight };
    if (bg) fb.fillRect(zone, bg);
    drawAlignedLine(fb, inner, { face }, [{ text: call.number, color: call.priority ? COLORS.priority : i === 0 ? COLORS.text : COLORS.number }], 'left');
    const room = inner.w - measureText(face, call.number) - ROW_GAP_PX;
    const label = shortLabels(s.lang, call.window).find((l) => measureText(face, l) <= room);
    if (label !== undefined) drawAlignedLine(fb, inner, { face }, [{ text: label, color: i === 0 ? COLORS.window : COLORS.dim }], 'right');
  });
}

/** Least space between a row's number and its window. */
const ROW_GAP_PX = 4;

/** The window label of a hall row, longest first: a narrow panel drops words rather than overlap the number. */
function shortLabels(lang: PanelLang, window: string): string[] {
  return [windowLabel(lang, window), lang === 'zh' ? `${window}号` : `W${window}`, window];
}

/** The whole panel is one marquee line, vertically centred. */
export function drawNoticePanel(fb: Framebuffer, face: FontFace, s: NoticePanelState, nowMs: number): void {
  fb.clear();
  drawMarquee(fb, { x: 0, y: 0, w: fb.width, h: fb.height }, { face }, [{ text: s.notice.text, color: COLORS.notice }], { speedPxPerS: MARQUEE_SPEED_PX_PER_S, gapPx: MARQUEE_GAP_PX, startMs: s.notice.sinceMs }, nowMs);
}

/** True when the picture of `s` on a panel of this size moves with time alone (some line scrolls). */
export function layoutMoving(face: FontFace, s: PanelState, width: number, height: number): boolean {
  switch (s.kind) {
    case 'notice':
      return true;
    case 'hall':
      return false;
    case 'window':
      return windowMoving(face, s, width, height);
  }
}
