// What a ticket printer reports about itself, decoded from its status replies.

/** The fault names of docs/protocol.md's `printer.fault` event. */
export type PrinterFault = 'paper-out' | 'paper-low' | 'cover-open' | 'offline' | 'cutter';

/** What the printer said to DLE EOT 1–4, decoded (bits: status-decoder.ts). */
export interface PrinterStatus {
  /** DLE EOT 1 bit 3 clear. A printer with paper out or cover open also reports offline. */
  online: boolean;
  coverOpen: boolean;
  /** Printing stopped by paper end (DLE EOT 2 bit 5) or the roll sensor reports paper end (DLE EOT 4 bits 5,6). */
  paperOut: boolean;
  /** Roll near its end (DLE EOT 4 bits 2,3): a warning, printing goes on. False when n=4 was not queried. */
  paperLow: boolean;
  /** Auto-cutter error (DLE EOT 3 bit 3). False when n=3 was not queried. */
  cutterError: boolean;
  mechanicalError: boolean;
  unrecoverableError: boolean;
  /** E.g. head too hot; clears by itself. */
  autoRecoverableError: boolean;
  /** DLE EOT 2 bit 6: some error occurred (the cause is in n=3). */
  errorOccurred: boolean;
  feedButtonPressed: boolean;
  /** Nothing stops a ticket from printing now (paper low does not). */
  ready: boolean;
  /**
   * Faults for the `printer.fault` event. `offline` appears only when the printer is offline
   * for no reason it reported (cover, paper and cutter have their own names).
   */
  faults: PrinterFault[];
  /** Reply bytes as received; null for a query this printer was configured not to send. */
  raw: { printer: number; offlineCause: number; errorCause: number | null; paperSensor: number | null };
}
