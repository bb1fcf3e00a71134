// TicketPrinter over any byte transport (serial, TCP 9100, /dev/usb/lp0) speaking ESC/POS.
// Protocol: Epson ESC/POS Command Reference (DLE EOT real-time status before every ticket,
// then the ticket bytes from render-ticket.ts); behaviour of offline printers: hardware.md §2.
import { HalError, type Clock } from '../hal/types.js';
import { DEFAULT_TICKET_TEMPLATE } from './default-template.js';
import type { StatusQuery } from './escpos-commands.js';
import { PrinterNotReadyError } from './errors.js';
import { renderTicketBytes, type RenderOptions } from './render-ticket.js';
import { ALL_STATUS_QUERIES, DEFAULT_STATUS_TIMEOUT_MS, StatusReader } from './status-reader.js';
import { validateTemplate, type TicketTemplate } from './ticket-template.js';
import type { PrinterTransport } from './transport.js';
import type { PrinterStatus, TicketDocument, TicketFields, TicketPrinter } from './types.js';

/** The subset of a pino logger the printer uses. */
export interface PrinterLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface EscPosPrinterOptions extends RenderOptions {
  /** For logs and diagnostics (default: the transport's description). */
  name?: string;
  /** Template used when a TicketDocument brings none (validated here; TemplateError if bad). Default: DEFAULT_TICKET_TEMPLATE. */
  template?: TicketTemplate;
  /** Per DLE EOT query (default 500 ms). */
  statusTimeoutMs?: number;
  /**
   * Which DLE EOT n to send (1 and 2 always). Default all four; cheap 58 mm printers that
   * answer only n = 1, 2 need [1, 2] (paper-low and cutter errors are then never reported).
   */
  statusQueries?: readonly StatusQuery[];
  logger?: PrinterLogger;
  /** Wall clock for the self-test ticket's time (default Date.now). */
  clock?: Pick<Clock, 'now'>;
}

const TEST_FIELDS: TicketFields = {
  number: 'T001',
  category: '打印测试 𠮷 镕',
  categoryEn: 'Printer self-test',
  waiting: 0,
  window: '测试窗口',
  issuedAtMs: 0,
  qrUrl: 'https://example.cn/自检?n=T001',
  hallName: '政务服务中心',
};

export class EscPosTicketPrinter implements TicketPrinter {
  readonly name: string;
  private readonly statusReader: StatusReader;
  private readonly queries: readonly StatusQuery[];
  private readonly template: TicketTemplate;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly transport: PrinterTransport,
    private readonly options: EscPosPrinterOptions = {},
  ) {
    this.name = options.name ?? transport.description;
    this.template = options.template ? validateTemplate(options.template) : DEFAULT_TICKET_TEMPLATE;
    this.queries = options.statusQueries ?? ALL_STATUS_QUERIES;
    this.statusReader = new StatusReader(transport, options.statusTimeoutMs ?? DEFAULT_STATUS_TIMEOUT_MS);
  }

  /** Runs one operation at a time, so a status query never lands inside a ticket's bytes. */
  private exclusive<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => {
      if (this.closed) throw new HalError('CLOSED', `printer ${this.name} is closed`);
      return op();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  status(): Promise<PrinterStatus> {
    return this.exclusive(() => this.statusReader.read(this.queries));
  }

  print(ticket: TicketDocument): Promise<void> {
    // Render first: a template or field error must not cost a round trip or leave half a ticket.
    let bytes: Buffer;
    try {
      const template = ticket.template ? validateTemplate(ticket.template) : this.template;
      bytes = renderTicketBytes(template, ticket.fields, this.options);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.exclusive(() => this.sendIfReady(bytes, ticket.fields.number));
  }

  testPrint(): Promise<void> {
    return this.print({ fields: { ...TEST_FIELDS, issuedAtMs: this.options.clock?.now() ?? Date.now() } });
  }

  private async sendIfReady(bytes: Buffer, number: string): Promise<void> {
    const status = await this.statusReader.read(this.queries);
    if (!status.ready) {
      this.options.logger?.warn({ printer: this.name, number, faults: status.faults }, 'ticket refused: printer not ready');
      throw new PrinterNotReadyError(status);
    }
    await this.transport.write(bytes);
    this.options.logger?.debug({ printer: this.name, number, bytes: bytes.length, paperLow: status.paperLow }, 'ticket sent');
  }

  close(): Promise<void> {
    const done = this.queue.then(async () => {
      if (this.closed) return;
      this.closed = true;
      this.statusReader.dispose();
      await this.transport.close();
    });
    this.queue = done.catch(() => undefined);
    return done;
  }
}
