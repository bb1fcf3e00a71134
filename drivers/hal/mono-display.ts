// The small monochrome display HAL: an OLED such as the SSD1306 (128x64 or 128x32) on a
// button evaluator with no touch screen. A role hands it whole 1-bit frames, or lines of text
// the display draws with its own bitmap font (12 px, CJK included), so a role never needs a
// renderer of its own.

/** One frame: one byte per pixel, row-major, top-left first, `width * height` bytes; non-zero is lit. */
export interface MonoFrame {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** One line of a text screen. */
export type MonoTextLine =
  /** Text in one run, aligned in the full width (left by default); `inverse`: lit bar, dark text. */
  | { readonly text: string; readonly align?: 'left' | 'center' | 'right'; readonly inverse?: boolean }
  /** Texts in equal-width columns, each left-aligned in its column. */
  | { readonly columns: readonly string[]; readonly inverse?: boolean };

/** Pixels per text line: the 12 px font plus one row of spacing. */
export const MONO_LINE_HEIGHT_PX = 13;

/**
 * A small display you hand whole frames to. Rules every implementation follows:
 * - show() copies the frame before it returns; the caller may reuse its buffer at once.
 * - A frame whose size is not width x height throws a RangeError with code
 *   `DISPLAY_FRAME_SIZE` before anything is sent; the display keeps what it shows.
 * - Transfers happen one at a time, in call order. A frame given while another is being sent
 *   waits; when several wait, only the newest is sent and the promises of the ones it replaced
 *   resolve with it.
 * - A display that does not answer rejects with HalError IO (cause: the bus error); the next
 *   call tries again from a clean state (the whole frame is sent, not only what changed).
 * - text() lays the lines out from the top, MONO_LINE_HEIGHT_PX each; lines that do not fit
 *   are left out (the result says how many were drawn), text wider than its line is cut.
 * - setContrast() clamps to 0-255; setPower(false) blanks the glass and keeps the picture,
 *   setPower(true) shows it again.
 * - probe() does a real transfer: resolves when the display answers, rejects HalError IO when not.
 * - close() blanks the display when it can and resolves once; every call after it rejects
 *   with HalError CLOSED.
 */
export interface MonoDisplay {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  show(frame: MonoFrame): Promise<void>;
  /** Draws the lines and shows them as show() would; resolves with how many lines fitted. */
  text(lines: readonly MonoTextLine[]): Promise<{ drawn: number }>;
  setContrast(level: number): Promise<void>;
  setPower(on: boolean): Promise<void>;
  probe(): Promise<void>;
  close(): Promise<void>;
}
