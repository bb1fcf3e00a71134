// The ticket printer as a role sees it: tickets in, status out, no bytes, and the two errors
// a role branches on. The ESC/POS and Star implementations are in drivers/printer/; the
// byte-level simulators in simulators/escpos-printer/ and simulators/star-printer/.
import { HalError } from './hal-error.js';
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

/**
 * A ticket printer (ESC/POS or Star Line Mode; serial, TCP or usblp).
 * Rules for every implementation, beside those on each method:
 * - Calls are serialised: a print() waits for the one before it, so two tickets never
 *   interleave their bytes.
 * - Nothing is queued in the printer for later: a ticket either goes out now or the call
 *   rejects and no byte of it was sent.
 * - Errors are HalErrors: TIMEOUT, CLOSED, IO, PrinterNotReadyError (UNAVAILABLE),
 *   TemplateError (BAD_CONFIG).
 */
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

/** The printer answered but cannot print now; nothing was sent. */
export class PrinterNotReadyError extends HalError {
  readonly status: PrinterStatus;
  readonly faults: PrinterFault[];
  constructor(status: PrinterStatus) {
    const reasons = status.faults.filter((f) => f !== 'paper-low');
    super('UNAVAILABLE', `printer not ready: ${reasons.length > 0 ? reasons.join(', ') : 'error reported'}`);
    this.name = 'PrinterNotReadyError';
    this.status = status;
    this.faults = status.faults;
  }
}

/** A template that does not validate, or a placeholder without a value. */
export class TemplateError extends HalError {
  /** "path: message" lines, or the placeholder names that had no value. */
  readonly details: string[];
  constructor(message: string, details: string[] = [], options?: { cause?: unknown }) {
    super('BAD_CONFIG', details.length > 0 ? `${message}: ${details.join('; ')}` : message, options);
    this.name = 'TemplateError';
    this.details = details;
  }
}
