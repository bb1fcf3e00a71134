// Printing an issued ticket: the ledger row becomes the printer's fields (category names, the
// waiting count, the QR link, the hall's time zone), the printer is asked through the role's
// printer health (which remembers why it failed), and the outcome is recorded: printed, or
// `ticket.unprinted` with the reason in the same transaction as the mark.
import { PrinterNotReadyError, type TicketFields, type TicketPrinter } from '../../../drivers/hal/types.js';
import type { TicketPrinterContract } from '../../../protocol/ticket-printer.js';
import type { RoleContext } from '../role-module.js';
import type { TicketPrinterConfig } from './config.js';
import type { PrinterHealth } from './printer-health.js';
import type { LedgerTicket, TicketLedger } from './ticket-ledger.js';

export interface TicketPrintingDeps {
  ctx: RoleContext<TicketPrinterContract>;
  config: TicketPrinterConfig;
  ledger: TicketLedger;
  health: PrinterHealth;
}

export class TicketPrinting {
  private lastTicket: LedgerTicket | undefined;
  /** Tickets on their way through the printer now (an update waits for them). */
  private printingNow = 0;

  constructor(private readonly deps: TicketPrintingDeps) {}

  get printing(): number {
    return this.printingNow;
  }

  /** Prints a ledger ticket; false (and `ticket.unprinted`) when the printer refused it. */
  async print(ticket: LedgerTicket): Promise<boolean> {
    const { ctx } = this.deps;
    let printer: TicketPrinter;
    this.printingNow += 1;
    try {
      printer = await this.deps.health.open();
      await printer.print({ fields: this.fields(ticket), ...(this.deps.config.template ? { template: this.deps.config.template } : {}) });
    } catch (err) {
      const message = (err as Error).message;
      this.deps.health.noteFailure(err instanceof PrinterNotReadyError ? err.status : undefined, message);
      ctx.log.error({ number: ticket.number, err: message }, 'ticket issued but not printed');
      await ctx.link
        .emit('ticket.unprinted', { ticketId: ticket.ticketId, number: ticket.number, reason: message }, { statements: [this.deps.ledger.markPrinted(ticket.ticketId, -1)] })
        .catch((e: unknown) => ctx.log.error({ err: (e as Error).message }, 'could not record an unprinted ticket'));
      return false;
    } finally {
      this.printingNow -= 1;
    }
    await ctx.store.commit([this.deps.ledger.markPrinted(ticket.ticketId, 1)]).catch(() => undefined);
    this.lastTicket = ticket;
    ctx.log.info({ number: ticket.number, category: ticket.category, offline: ticket.offline }, 'ticket printed');
    return true;
  }


  async lastPrinted(): Promise<LedgerTicket | undefined> {
    return this.lastTicket ?? (await this.deps.ledger.lastPrinted());
  }

  fields(t: LedgerTicket): TicketFields {
    const category = this.deps.config.categories.find((c) => c.id === t.category);
    return {
      number: t.number,
      category: category?.name ?? t.category,
      ...(category?.nameEn ? { categoryEn: category.nameEn } : {}),
      waiting: t.waiting,
      ...(t.window ? { window: t.window } : {}),
      issuedAtMs: t.issuedAt,
      timeZone: this.deps.config.timeZone ?? this.deps.ctx.timeZone,
      ...(t.qrUrl ? { qrUrl: t.qrUrl } : {}),
      offline: t.offline,
      priority: t.priority,
      hallName: this.deps.config.hallName,
      extra: { appointment: t.appointment ?? '' },
    };
  }
}
