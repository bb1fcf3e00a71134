// TicketPrinter over any byte transport (serial, TCP 9100, /dev/usb/lp0) speaking Star Line
// Mode. Same rules as EscPosTicketPrinter: one operation at a time, real-time status (here
// ESC ACK SOH → ASB, star-status.ts) before every ticket, nothing sent unless ready.
// Command set and sources: README.md in this folder.
import { HalError } from '../../hal/types.js';
import { DEFAULT_TICKET_TEMPLATE } from '../default-template.js';
import { PrinterNotReadyError } from '../errors.js';
import type { PrinterLogger } from '../escpos-ticket-printer.js';
import type { RenderOptions } from '../render-blocks.js';
import { DEFAULT_STATUS_TIMEOUT_MS } from '../status-reader.js';
import { validateTemplate, type TicketTemplate } from '../ticket-template.js';
import type { PrinterTransport } from '../transport.js';
import type { PrinterStatus, TicketDocument, TicketFields, TicketPrinter } from '../types.js';
import type { Clock } from '../../hal/types.js';
import { renderStarTicketBytes } from './render-star-ticket.js';
import { StarStatusReader } from './star-status.js';

export interface StarPrinterOptions extends RenderOptions {
  /** For logs and diagnostics (default: the transport's description). */
  name?: string;
  /** Template used when a TicketDocument brings none (validated here; TemplateError if bad). Default: DEFAULT_TICKET_TEMPLATE. */
  template?: TicketTemplate;
  /** For the whole ASB block (default 500 ms). */
  statusTimeoutMs?: number;
  logger?: PrinterLogger;
  /** Wall clock for the self-test ticket's time (default Date.now). */
  clock?: Pick<Clock, 'now'>;
}

const TEST_FIELDS: TicketFields = {
  number: 'T001',
  category: '打印测试 𠮷 镕',
  categoryEn: 'Printer self-test (Star Line Mode)',
  waiting: 0,
  window: '测试窗口',
  issuedAtMs: 0,
  qrUrl: 'https://example.cn/自检?n=T001',
  hallName: '政务服务中心',
};

export class StarTicketPrinter implements TicketPrinter {
  readonly name: string;
  private readonly statusReader: StarStatusReader;
  private readonly template: TicketTemplate;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly transport: PrinterTransport,
    private readonly options: StarPrinterOptions = {},
  ) {
    this.name = options.name ?? transport.description;
    this.template = options.template ? validateTemplate(options.template) : DEFAULT_TICKET_TEMPLATE;
    this.statusReader = new StarStatusReader(transport, options.statusTimeoutMs ?? DEFAULT_STATUS_TIMEOUT_MS);
  }

  /** Runs one operation at a time, so a status request never lands inside a ticket's bytes. */
  private exclusive<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => {
      if (this.closed) throw new HalError('CLOSED', `printer ${this.name} is closed`);
      return op();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** ESC ACK SOH, answered even offline. TIMEOUT when no complete ASB block comes in time. */
  status(): Promise<PrinterStatus> {
    return this.exclusive(() => this.statusReader.read());
  }

  print(ticket: TicketDocument): Promise<void> {
    // Render first: a template or field error must not cost a round trip or leave half a ticket.
    let bytes: Buffer;
    try {
      const template = ticket.template ? validateTemplate(ticket.template) : this.template;
      bytes = renderStarTicketBytes(template, ticket.fields, this.options);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.exclusive(() => this.sendIfReady(bytes, ticket.fields.number));
  }

  testPrint(): Promise<void> {
    return this.print({ fields: { ...TEST_FIELDS, issuedAtMs: this.options.clock?.now() ?? Date.now() } });
  }

  private async sendIfReady(bytes: Buffer, number: string): Promise<void> {
    const status = await this.statusReader.read();
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
