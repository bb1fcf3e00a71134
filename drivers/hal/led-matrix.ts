// The LED matrix HAL: a HUB75 panel (or a chain of them) seen as one width x height RGB
// surface that takes whole frames. Drawing happens in our own renderer (drivers/matrix/render);
// an implementation only moves finished frames to the glass, so the real panel and the
// simulator show the same pixels.

/** One frame: RGB888, row-major, top-left first, `width * height * 3` bytes. */
export interface RgbFrame {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** What the panel is doing, for health rows and diagnostics. */
export type LedMatrixState =
  /** Frames are being shown. */
  | 'ok'
  /** The panel process is starting (first start or a restart after a fault). */
  | 'starting'
  /** The panel process died or stopped answering; it is being restarted with backoff. */
  | 'fault'
  /** close() was called. */
  | 'closed';

export interface LedMatrixHealth {
  readonly state: LedMatrixState;
  /** How many times the panel process was restarted after a fault since open. */
  readonly restarts: number;
  /** Frames handed to show() that were replaced by a newer one before the panel took them. */
  readonly dropped: number;
  /** Frames the panel confirmed it put on the glass. */
  readonly shown: number;
  /** Why the last fault happened (exit code/signal, timeout), absent when there was none. */
  readonly lastFault?: { readonly code: string; readonly message: string; readonly atMs: number };
}

/**
 * A panel you hand whole frames to. Rules every implementation follows:
 * - show() copies the frame before returning; the caller may reuse its buffer at once.
 * - show() never blocks the caller's loop (the panel's own refresh/vsync happens elsewhere)
 *   and never throws for a panel that is down: frames given while the panel is busy or down
 *   are dropped, the newest one wins and is shown as soon as the panel can take it.
 * - A frame whose size is not width x height is a programming error: show() throws a
 *   RangeError with code `MATRIX_FRAME_SIZE` and the panel keeps its last frame.
 * - A dead panel (process crashed, hung, hardware init failed) is reported through
 *   onHealth() as state `fault` and brought back by the implementation (restart with
 *   backoff); it never throws into the role and never takes the runtime down.
 * - close() stops the panel (blanks it when it can) and resolves when it is gone; show()
 *   after close() is ignored.
 */
export interface LedMatrix {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  show(frame: RgbFrame): void;
  /** 0-100 percent; applied to the next frame at the latest. Out-of-range values are clamped. */
  setBrightness(percent: number): void;
  brightness(): number;
  health(): LedMatrixHealth;
  /** Called on every state change (and when `restarts` grows). Returns a function that removes the listener. */
  onHealth(listener: (health: LedMatrixHealth) => void): () => void;
  close(): Promise<void>;
}
