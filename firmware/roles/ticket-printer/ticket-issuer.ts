// Issuing one ticket: check the category (paused, hours, quota) and the printer, ask the
// server for the number, fall back to the kiosk's own offline range when the server is
// unreachable or too slow, commit the number with its `ticket.issued` event, then print
// (ticket-printing.ts). What a refused take says: take-refusals.ts.
// One take at a time: the printer is one device and numbers must come out in order.
import { newId } from '../../../protocol/ids.js';
import type { TakeIdentity, TicketIssued, TicketPrinterContract, TicketTakeResponse } from '../../../protocol/ticket-printer.js';
import { DeviceError } from '../../link/device-error.js';
import type { RoleContext } from '../role-module.js';
import { isOpen, localMoment } from './business-day.js';
import type { Category, TicketPrinterConfig } from './config.js';
import type { IssuedTicket, TakeResult } from './kiosk/kiosk-types.js';
import type { PrinterHealth } from './printer-health.js';
import type { LedgerTicket, TicketLedger } from './ticket-ledger.js';
import type { NumberVoider } from './number-voider.js';
import { storageFault } from '../../store/storage-fault.js';
import { ticketQrUrl } from './ticket-qr.js';
import { refusal, refusalReason } from './take-refusals.js';
import { TicketPrinting } from './ticket-printing.js';

export interface TakeRequest {
  category: string;
  priority: boolean;
  appointment?: string;
  /** Who swiped or showed an e-ID for this take: sent to the server, never recorded. */
  identity?: TakeIdentity;
  /** Mobile number for SMS reminders: sent to the server, never recorded. */
  phone?: string;
}

export interface IssuerDeps {
  ctx: RoleContext<TicketPrinterContract>;
  config: TicketPrinterConfig;
  ledger: TicketLedger;
  health: PrinterHealth;
  paused: ReadonlyMap<string, string>;
  /** Server numbers of takes that could not be recorded, reported void once the store can write. */
  voids: NumberVoider;
  /** After every take that changed something the screen shows (counts, printer). */
  changed(): void;
}

export class TicketIssuer {
  private queue: Promise<unknown> = Promise.resolve();
  /** Last `waiting` the server told us per category, plus offline tickets since: the offline estimate. */
  private readonly waiting = new Map<string, number>();
  private readonly printer: TicketPrinting;

  constructor(private readonly d: IssuerDeps) {
    this.printer = new TicketPrinting(d);
  }

  /** Tickets on their way through the printer now (an update waits for them). */
  get printing(): number {
    return this.printer.printing;
  }

  async lastPrinted(): Promise<LedgerTicket | undefined> {
    return this.printer.lastPrinted();
  }

  /** Takes run one after another; each resolves with the ticket or why not. */
  take(request: TakeRequest): Promise<TakeResult> {
    const run = this.queue.then(() => this.takeNow(request));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Turns the business day over (daily reset) in the take queue, so no take sees half-loaded counters. */
  refreshDay(): Promise<string> {
    const run = this.queue.then(() => this.today());
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Resolves when every take queued so far has finished (before a reconfigure swaps issuers). */
  async idle(): Promise<void> {
    await this.queue;
  }

  knownWaiting(category: string): number | null {
    return this.waiting.get(category) ?? null;
  }

  /** The business day for the clock now (never before the last day used). */
  async today(): Promise<string> {
    const clockDay = localMoment(this.d.ctx.clock.bestGuess(), this.d.config.timeZone ?? this.d.ctx.timeZone, this.d.config.resetAt).day;
    const day = this.d.ledger.effectiveDay(clockDay);
    await this.d.ledger.useDay(day);
    return day;
  }

  categoryState(c: Category): 'open' | 'paused' | 'closed' | 'exhausted' {
    if (this.d.paused.has(c.id)) return 'paused';
    if (!isOpen(c, localMoment(this.d.ctx.clock.bestGuess(), this.d.config.timeZone ?? this.d.ctx.timeZone, this.d.config.resetAt))) return 'closed';
    if (c.quota !== undefined && this.d.ledger.issuedToday(c.id) >= c.quota) return 'exhausted';
    return 'open';
  }

  private async takeNow(request: TakeRequest): Promise<TakeResult> {
    const { config, ctx } = this.d;
    const category = config.categories.find((c) => c.id === request.category);
    if (!category) return refusal('unknown-category');
    if (request.priority && !category.priority) return refusal('no-priority');
    const day = await this.today();
    const state = this.categoryState(category);
    if (state !== 'open') return refusal(state);
    const health = await this.d.health.check();
    if (!health.ready) {
      this.d.changed();
      return refusal('printer');
    }
    // A ticket that cannot be recorded is never printed: refused before the server spends a number on it.
    if (!ctx.store.health().ok) {
      this.d.changed();
      return refusal('storage');
    }

    const takeId = newId('t');
    const answer = await this.askServer(takeId, request);
    if ('refused' in answer) return answer.refused;
    // An appointment is checked by the server: offline the kiosk cannot tell a real one from a typo.
    if (request.appointment && !answer.response) return refusal('busy', { zh: '暂时无法核验预约，请到服务台办理或取普通号', en: 'Appointments cannot be checked right now; please ask at the desk or take a regular ticket' });
    const served = config.categories.find((c) => c.id === answer.response?.category) ?? category;
    const issuedAt = ctx.clock.bestGuess();
    const offline = answer.response === undefined;
    let offlineCounter: number | undefined;
    const statements = [];
    let number: string;
    if (answer.response) {
      number = answer.response.number;
      this.waiting.set(category.id, answer.response.waiting + 1);
    } else {
      const claim = this.d.ledger.claimOffline(category.id);
      offlineCounter = claim.counter;
      statements.push(claim.statement);
      number = `${category.prefix}${config.offline.prefix}${String(claim.counter).padStart(config.offline.digits, '0')}`;
    }
    const waiting = answer.response ? answer.response.waiting : this.offlineWaiting(category.id);
    const ticket: LedgerTicket = {
      ticketId: newId('k'),
      takeId,
      day,
      number,
      category: served.id,
      priority: request.priority,
      appointment: request.appointment ?? null,
      offline,
      reissue: false,
      waiting,
      window: answer.response?.window ?? served.window ?? null,
      qrUrl: ticketQrUrl(answer.response?.qrUrl ?? config.qrUrl, { hall: ctx.hall, device: ctx.device, number, category: served.id, day }),
      issuedAt,
    };
    statements.push(this.d.ledger.insertStatement(ticket));
    try {
      await ctx.link.emit('ticket.issued', issuedEvent(ticket), { statements });
    } catch (err) {
      // A number the ledger already holds for today (a server bug): never print a duplicate.
      ctx.log.error({ number, err: (err as Error).message }, 'ticket not recorded; not printed');
      if (answer.response) {
        const fault = storageFault(err);
        this.d.voids.add({ takeId, number, category: served.id, day, reason: fault ? `${fault.reason}: ticket not recorded (${fault.code})` : `ticket not recorded: ${(err as Error).message}` });
      }
      return refusal('busy');
    }
    this.d.ledger.committed(ticket, offlineCounter);
    const printed = await this.printer.print(ticket);
    this.d.changed();
    if (!printed) return refusal('printer');
    return { ok: true, ticket: this.issued(ticket, served) };
  }

  /** The server's number, or `{}` for offline, or a refusal the kiosk must show. */
  private async askServer(takeId: string, request: TakeRequest): Promise<{ response?: TicketTakeResponse } | { refused: TakeResult }> {
    const { ctx, config } = this.d;
    if (!ctx.link.connected) return {};
    try {
      const data = {
        takeId,
        category: request.category,
        priority: request.priority,
        ...(request.appointment ? { appointment: request.appointment } : {}),
        ...(request.identity ? { identity: request.identity } : {}),
        ...(request.phone ? { phone: request.phone } : {}),
      };
      return { response: await ctx.link.request('ticket.take', data, config.takeTimeoutMs) };
    } catch (err) {
      if (err instanceof DeviceError && err.code === 'BAD_RESPONSE') {
        ctx.log.warn({ details: err.details }, 'server answered ticket.take with an invalid response; issuing offline');
        return {};
      }
      if (err instanceof DeviceError && (err.code === 'TIMEOUT' || err.code === 'OFFLINE')) {
        ctx.log.warn({ takeId, reason: err.message }, 'server did not answer ticket.take; issuing offline');
        return {};
      }
      const reason = err instanceof DeviceError ? refusalReason(err.details) : undefined;
      ctx.log.info({ takeId, code: (err as DeviceError).code, reason }, 'server refused ticket.take');
      return { refused: reason ? refusal(reason) : refusal('busy', { zh: `无法取号：${(err as Error).message}`, en: `Cannot issue: ${(err as Error).message}` }) };
    }
  }

  private offlineWaiting(category: string): number | null {
    const known = this.waiting.get(category);
    if (known === undefined) return null;
    this.waiting.set(category, known + 1);
    return known;
  }

  /** Runs after the queue: re-issue (过时补号) or reprint, for the `print` command. */
  reprint(ticket: LedgerTicket): Promise<boolean> {
    const run = this.queue.then(() => this.printer.print(ticket));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private issued(t: LedgerTicket, c: Category): IssuedTicket {
    return { number: t.number, categoryId: c.id, category: c.name, categoryEn: c.nameEn, waiting: t.waiting, window: t.window, offline: t.offline, priority: t.priority, appointment: t.appointment };
  }
}

export function issuedEvent(t: LedgerTicket): TicketIssued {
  return {
    ticketId: t.ticketId,
    takeId: t.takeId,
    number: t.number,
    category: t.category,
    priority: t.priority,
    ...(t.appointment ? { appointment: t.appointment } : {}),
    offline: t.offline,
    ...(t.reissue ? { reissue: true } : {}),
    waiting: t.waiting,
    ...(t.window ? { window: t.window } : {}),
    day: t.day,
    issuedAt: t.issuedAt,
  };
}
