// TicketPrinter over any byte transport (serial, TCP 9100, /dev/usb/lp0) speaking ESC/POS.
// Protocol: Epson ESC/POS Command Reference (DLE EOT real-time status before every ticket,
// then the ticket bytes from render-ticket.ts); behaviour of offline printers: docs/hardware.md, "ESC/POS ticket printers".
// The rules every command set shares are in serialised-ticket-printer.ts.
import type { StatusQuery } from './escpos-commands.js';
import { renderTicketBytes } from './render-ticket.js';
import { SerialisedTicketPrinter, selfTestFields, type TicketPrinterOptions } from './serialised-ticket-printer.js';
import { ALL_STATUS_QUERIES, DEFAULT_STATUS_TIMEOUT_MS, StatusReader } from './status-reader.js';
import type { TicketTemplate } from '../hal/ticket-template.js';
import type { PrinterTransport } from './transport.js';
import type { PrinterStatus, TicketFields } from '../hal/ticket-printer.js';

export type { PrinterLogger } from './serialised-ticket-printer.js';

export interface EscPosPrinterOptions extends TicketPrinterOptions {
  /** Per DLE EOT query (default 500 ms). */
  statusTimeoutMs?: number;
  /**
   * Which DLE EOT n to send (1 and 2 always). Default all four; cheap 58 mm printers that
   * answer only n = 1, 2 need [1, 2] (paper-low and cutter errors are then never reported).
   */
  statusQueries?: readonly StatusQuery[];
}

export class EscPosTicketPrinter extends SerialisedTicketPrinter {
  private readonly statusReader: StatusReader;
  private readonly queries: readonly StatusQuery[];

  constructor(
    transport: PrinterTransport,
    private readonly options: EscPosPrinterOptions = {},
  ) {
    super(transport, options, selfTestFields('Printer self-test'));
    this.queries = options.statusQueries ?? ALL_STATUS_QUERIES;
    this.statusReader = new StatusReader(transport, options.statusTimeoutMs ?? DEFAULT_STATUS_TIMEOUT_MS);
  }

  protected render(template: TicketTemplate, fields: TicketFields): Buffer {
    return renderTicketBytes(template, fields, this.options);
  }

  protected readStatus(): Promise<PrinterStatus> {
    return this.statusReader.read(this.queries);
  }

  protected disposeStatus(): void {
    this.statusReader.dispose();
  }
}
