// The words and colours of the caller's panels: a call as coloured runs (number and window
// stand out), split where a one-line panel pauses (`请B022号` | `到5号窗口`), and the window label.
import type { Rgb } from './framebuffer.js';
import type { TextRun } from './zone.js';
import type { CallEntry, PanelLang } from '../../hal/panel-layout.js';

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

export const MARQUEE_SPEED_PX_PER_S = 32;
export const MARQUEE_GAP_PX = 24;

/** The call in two parts, who (`请 A023 号`) and where (`到 5 号窗口`); `compact` drops the spaces. */
export function callParts(lang: PanelLang, call: CallEntry, compact = false): { head: TextRun[]; tail: TextRun[] } {
  const num = { text: call.number, color: call.priority ? COLORS.priority : COLORS.number };
  const win = { text: call.window, color: COLORS.window };
  if (lang === 'zh') {
    const sp = compact ? '' : ' ';
    return { head: [{ text: `请${sp}`, color: COLORS.text }, num, { text: `${sp}号`, color: COLORS.text }], tail: [{ text: `到${sp}`, color: COLORS.text }, win, { text: `${sp}号窗口`, color: COLORS.text }] };
  }
  return { head: [{ text: 'No. ', color: COLORS.text }, num], tail: [{ text: compact ? 'to window ' : ' to window ', color: COLORS.text }, win] };
}

/** The call line; `compact` drops the spaces around the number and window (a two-digit window on 128 px). */
export function callRuns(lang: PanelLang, call: CallEntry, compact = false): TextRun[] {
  const { head, tail } = callParts(lang, call, compact);
  return [...head, ...tail];
}

export function windowLabel(lang: PanelLang, window: string): string {
  return lang === 'zh' ? `${window}号窗口` : `Window ${window}`;
}
