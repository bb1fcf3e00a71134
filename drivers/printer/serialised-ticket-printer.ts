// What every command set's TicketPrinter does the same way: one operation at a time (a status
// query never lands inside a ticket's bytes), render before any I/O, real-time status before
// every ticket and nothing sent unless the printer is ready, close once. A command set (ESC/POS,
// Star) supplies how a ticket becomes bytes and how status is asked.
import { HalError, type Clock } from '../hal/types.js';
import { DEFAULT_TICKET_TEMPLATE } from './default-template.js';
import { PrinterNotReadyError } from '../hal/ticket-printer.js';
import type { RenderOptions } from './render-blocks.js';
import { validateTemplate, type TicketTemplate } from '../hal/ticket-template.js';
import type { PrinterTransport } from './transport.js';
import type { PrinterStatus, TicketDocument, TicketFields, TicketPrinter } from '../hal/ticket-printer.js';

/** The subset of a pino logger the printer uses. */
export interface PrinterLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** Options every command set takes. */
export interface TicketPrinterOptions extends RenderOptions {
  /** For logs and diagnostics (default: the transport's description). */
  name?: string;
  /** Template used when a TicketDocument brings none (validated here; TemplateError if bad). Default: DEFAULT_TICKET_TEMPLATE. */
  template?: TicketTemplate;
  logger?: PrinterLogger;
  /** Wall clock for the self-test ticket's time (default Date.now). */
  clock?: Pick<Clock, 'now'>;
}

/** The self-test ticket: Chinese text, a 4-byte GB18030 character, a QR with non-ASCII content. */
export function selfTestFields(categoryEn: string): TicketFields {
  return {
    number: 'T001',
    category: '打印测试 𠮷 镕',
    categoryEn,
    waiting: 0,
    window: '测试窗口',
    issuedAtMs: 0,
    qrUrl: 'https://example.cn/自检?n=T001',
    hallName: '政务服务中心',
  };
}

export abstract class SerialisedTicketPrinter implements TicketPrinter {
  readonly name: string;
  private readonly template: TicketTemplate;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    protected readonly transport: PrinterTransport,
    private readonly base: TicketPrinterOptions,
    private readonly testFields: TicketFields,
  ) {
    this.name = base.name ?? transport.description;
    this.template = base.template ? validateTemplate(base.template) : DEFAULT_TICKET_TEMPLATE;
  }

  /** The ticket's bytes in this command set. Throws TemplateError for a bad template or field. */
  protected abstract render(template: TicketTemplate, fields: TicketFields): Buffer;
  /** One real-time status round trip (not serialised: callers are). */
  protected abstract readStatus(): Promise<PrinterStatus>;
  /** Stops listening for status replies. */
  protected abstract disposeStatus(): void;

  private exclusive<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => {
      if (this.closed) throw new HalError('CLOSED', `printer ${this.name} is closed`);
      return op();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  status(): Promise<PrinterStatus> {
    return this.exclusive(() => this.readStatus());
  }

  print(ticket: TicketDocument): Promise<void> {
    // Render first: a template or field error must not cost a round trip or leave half a ticket.
    let bytes: Buffer;
    try {
      const template = ticket.template ? validateTemplate(ticket.template) : this.template;
      bytes = this.render(template, ticket.fields);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.exclusive(() => this.sendIfReady(bytes, ticket.fields.number));
  }

  testPrint(): Promise<void> {
    return this.print({ fields: { ...this.testFields, issuedAtMs: this.base.clock?.now() ?? Date.now() } });
  }

  private async sendIfReady(bytes: Buffer, number: string): Promise<void> {
    const status = await this.readStatus();
    if (!status.ready) {
      this.base.logger?.warn({ printer: this.name, number, faults: status.faults }, 'ticket refused: printer not ready');
      throw new PrinterNotReadyError(status);
    }
    await this.transport.write(bytes);
    this.base.logger?.debug({ printer: this.name, number, bytes: bytes.length, paperLow: status.paperLow }, 'ticket sent');
  }

  close(): Promise<void> {
    const done = this.queue.then(async () => {
      if (this.closed) return;
      this.closed = true;
      this.disposeStatus();
      await this.transport.close();
    });
    this.queue = done.catch(() => undefined);
    return done;
  }
}
