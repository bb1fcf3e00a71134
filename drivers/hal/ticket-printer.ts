// The ticket printer as a role sees it: tickets in, status out, no bytes, and the two errors
// a role branches on. The ESC/POS and Star implementations are in drivers/printer/; the
// byte-level simulators in simulators/escpos-printer/ and simulators/star-printer/.
import type { PrinterStatus } from './printer-status.js';
import type { TicketTemplate } from './ticket-template.js';

export type { PrinterFault, PrinterStatus } from './printer-status.js';
export { PrinterNotReadyError, TemplateError } from './printer-errors.js';

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
  /** The hall's IANA time zone the times are printed in (the role's; else the renderer's default). */
  timeZone?: string;
  /** Link for the ticket's QR code (follow the queue, rate the service). */
  qrUrl?: string;
  /** Issued while the server was unreachable; `{offline}` prints the offline marker. */
  offline?: boolean;
  /** A green-channel (绿色通道) ticket: `{priority}` prints "绿色通道", `when: "priority"` marks it. */
  priority?: boolean;
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
