// A barcode/QR scanner as a role sees it: whole codes, never bytes.

/**
 * A barcode/QR scanner in serial (USB-CDC or RS-232) mode: each scan arrives as the code
 * followed by the scanner's suffix (CR, LF or CR LF). Appointment check-in, pickup codes.
 * Rules for every implementation:
 * - onScan fires once per complete code, suffix and surrounding blanks removed, however the
 *   bytes were split into chunks; an empty or blank line fires nothing.
 * - A line that grows past the configured maximum without a suffix is dropped up to the next
 *   suffix, never delivered in pieces.
 * - A port that goes away is reopened by the scanner itself, and its health says why meanwhile.
 * - A listener that throws does not stop delivery to the others nor end the process.
 * - After close() no listener is called again.
 */
export interface Scanner {
  readonly name: string;
  /** One call per complete scan, code without the suffix; `atMs` is the clock's monotonic time. */
  onScan(listener: (code: string, atMs: number) => void): () => void;
  close(): Promise<void>;
}
