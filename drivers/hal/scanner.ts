// A barcode/QR scanner as a role sees it: whole codes, never bytes.

/**
 * A barcode/QR scanner in serial (USB-CDC or RS-232) mode: each scan arrives as the code
 * followed by the scanner's suffix (CR, LF or CR LF). Appointment check-in, pickup codes.
 * Rules for every implementation:
 * - onScan fires once per complete code, without its suffix, however the bytes were split
 *   into chunks; an empty line fires nothing.
 * - A line longer than the configured maximum without a suffix is discarded, never delivered
 *   in pieces.
 * - A port that goes away is reopened by the scanner itself; no code is delivered twice.
 * - A listener that throws does not stop delivery to the others.
 * - After close() no listener is called again.
 */
export interface Scanner {
  readonly name: string;
  /** One call per complete scan, code without the suffix; `atMs` is the clock's monotonic time. */
  onScan(listener: (code: string, atMs: number) => void): () => void;
  close(): Promise<void>;
}
