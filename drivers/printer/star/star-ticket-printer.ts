// TicketPrinter over any byte transport (serial, TCP 9100, /dev/usb/lp0) speaking Star Line
// Mode. Same rules as EscPosTicketPrinter (serialised-ticket-printer.ts): one operation at a
// time, real-time status (here ESC ACK SOH → ASB, star-status.ts) before every ticket, nothing
// sent unless ready. Command set and sources: README.md in this folder.
import { SerialisedTicketPrinter, selfTestFields, type TicketPrinterOptions } from '../serialised-ticket-printer.js';
import { DEFAULT_STATUS_TIMEOUT_MS } from '../status-reader.js';
import type { TicketTemplate } from '../../hal/ticket-template.js';
import type { PrinterTransport } from '../transport.js';
import type { PrinterStatus, TicketFields } from '../../hal/ticket-printer.js';
import { renderStarTicketBytes } from './render-star-ticket.js';
import { StarStatusReader } from './star-status.js';

export interface StarPrinterOptions extends TicketPrinterOptions {
  /** For the whole ASB block (default 500 ms). */
  statusTimeoutMs?: number;
}

export class StarTicketPrinter extends SerialisedTicketPrinter {
  private readonly statusReader: StarStatusReader;

  constructor(
    transport: PrinterTransport,
    private readonly options: StarPrinterOptions = {},
  ) {
    super(transport, options, selfTestFields('Printer self-test (Star Line Mode)'));
    this.statusReader = new StarStatusReader(transport, options.statusTimeoutMs ?? DEFAULT_STATUS_TIMEOUT_MS);
  }

  protected render(template: TicketTemplate, fields: TicketFields): Buffer {
    return renderStarTicketBytes(template, fields, this.options);
  }

  /** ESC ACK SOH, answered even offline. TIMEOUT when no complete ASB block comes in time. */
  protected readStatus(): Promise<PrinterStatus> {
    return this.statusReader.read();
  }

  protected disposeStatus(): void {
    this.statusReader.dispose();
  }
}
