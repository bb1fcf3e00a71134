// The ticket printer as a role sees it: tickets in, status out, no bytes. The ESC/POS
// implementation is escpos-ticket-printer.ts; the byte-level simulator is in
// simulators/escpos-printer/.
import type { TicketTemplate } from './ticket-template.js';

/** The fault names of PROTOCOL.md's `printer.fault` event. */
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

/** The ticket's data; template placeholders are filled from these (see ticket-fields.ts). */
export interface TicketFields {
  /** The number as called, e.g. "A023". */
  number: string;
  /** Business category shown to the citizen, e.g. "社保业务". */
  category: string;
  categoryEn?: string;
  /** People ahead in the queue; null when unknown (an offline ticket before the server ever answered). */
  waiting: number | null;
  /** Window or area, e.g. "3号窗口" or "B区". */
  window?: string;
  /** When the number was issued, epoch ms; printed in the hall's time zone (Asia/Shanghai by default). */
  issuedAtMs: number;
  /** Link for the ticket's QR code (follow the queue, rate the service). */
  qrUrl?: string;
  /** Issued while the server was unreachable; `{offline}` prints the offline marker. */
  offline?: boolean;
  hallName: string;
  /** More placeholders a server template may use, e.g. `{notice}`. */
  extra?: Readonly<Record<string, string>>;
}

export interface TicketDocument {
  fields: TicketFields;
  /** Overrides the printer's configured template for this ticket (validated before use). */
  template?: TicketTemplate;
}

export interface TicketPrinter {
  readonly name: string;
  /**
   * Asks the printer in real time (DLE EOT n, answered even while offline). Rejects with a
   * HalError `TIMEOUT` when a reply does not come within the configured time, `CLOSED` after
   * close(), `IO` when the transport fails.
   */
  status(): Promise<PrinterStatus>;
  /**
   * Renders the ticket, checks status, and only when the printer is ready sends the bytes.
   * Not ready → rejects with PrinterNotReadyError and sends nothing, so no ticket can print
   * later by surprise. A bad template or a missing field → TemplateError, before any I/O.
   * Resolves when the bytes are handed to the OS, not when the paper comes out.
   */
  print(ticket: TicketDocument): Promise<void>;
  /** Prints a self-test ticket (Chinese text, a 4-byte GB18030 character, a QR code, a cut), status-checked like print(). */
  testPrint(): Promise<void>;
  /** Stops using the transport; later calls reject with HalError `CLOSED`. */
  close(): Promise<void>;
}
