// What an LED panel shows, as data: the caller's layouts (window panel, hall panel, notice
// marquee) described by plain state objects, and the painter that turns one into a frame for a
// LedMatrix. A role builds the state and asks hal.painter(name) to draw it; the renderer behind
// the painter (drivers/matrix/render, our own BDF text) is the same for the real panel and the
// simulator, like a ticket document and the printer driver that renders it.
import type { RgbFrame } from './led-matrix.js';

export type PanelLang = 'zh' | 'en';

export interface CallEntry {
  readonly number: string;
  readonly window: string;
  /** A priority ticket (elderly, disabled, appointment) is drawn in the priority colour. */
  readonly priority?: boolean;
}

export interface NoticeState {
  readonly text: string;
  /** Monotonic ms when the notice was set: the marquee's time origin. */
  readonly sinceMs: number;
}

export interface WindowPanelState {
  readonly kind: 'window';
  readonly lang: PanelLang;
  readonly window: string;
  readonly current?: CallEntry & { readonly sinceMs: number };
  readonly paused: boolean;
  readonly notice?: NoticeState;
  /** A short acknowledgement of a keypad press ("下一位"), drawn centred on the bottom line instead of the notice. */
  readonly feedback?: string;
  /** The hall's time, HH:MM: shown on a line nothing else uses (no call, notice or feedback). */
  readonly clock?: string;
}

export interface HallPanelState {
  readonly kind: 'hall';
  readonly lang: PanelLang;
  /** Newest first; only as many as fit (or `limit`) are drawn. */
  readonly calls: readonly CallEntry[];
  readonly limit?: number;
  /** The hall's time, HH:MM: shown while there are no calls. */
  readonly clock?: string;
}

export interface NoticePanelState {
  readonly kind: 'notice';
  readonly notice: NoticeState;
}

export type PanelState = WindowPanelState | HallPanelState | NoticePanelState;

/**
 * Draws panel states for one configured panel (its size and font).
 * Rules for every implementation:
 * - paint() draws the state as of the HAL clock's monotonic time and returns a frame of the
 *   panel's size; the frame is reused by the next paint() (LedMatrix.show() copies it).
 * - moving() is true when the picture of that state changes with time alone (a marquee):
 *   whoever shows it repaints periodically; otherwise painting on change is enough.
 */
export interface PanelPainter {
  readonly width: number;
  readonly height: number;
  paint(state: PanelState): RgbFrame;
  moving(state: PanelState): boolean;
}
