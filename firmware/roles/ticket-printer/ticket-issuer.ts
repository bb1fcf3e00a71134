// Issuing one ticket: check the category (paused, hours, quota) and the printer, ask the
// server for the number, fall back to the kiosk's own offline range when the server is
// unreachable or too slow, commit the number with its `ticket.issued` event, then print.
// One take at a time: the printer is one device and numbers must come out in order.
import { newId } from '../../../protocol/ids.js';
import type { TakeIdentity, TicketIssued, TicketPrinterContract, TicketTakeResponse } from '../../../protocol/ticket-printer.js';
import { PrinterNotReadyError, type TicketFields, type TicketPrinter } from '../../../drivers/hal/types.js';
import { RequestError } from '../../link/device-link.js';
import type { RoleContext } from '../role-module.js';
import { isOpen, localMoment } from './business-day.js';
import type { Category, TicketPrinterConfig } from './config.js';
import type { IssuedTicket, TakeRefusal, TakeResult } from './kiosk/kiosk-types.js';
import type { PrinterHealth } from './printer-health.js';
import type { LedgerTicket, TicketLedger } from './ticket-ledger.js';
import type { NumberVoider } from './number-voider.js';
import { storageFault } from '../../store/storage-fault.js';
import { ticketQrUrl } from './ticket-qr.js';

export interface TakeRequest {
  category: string;
  priority: boolean;
  appointment?: string;
  /** Who swiped or showed an e-ID for this take: sent to the server, never recorded. */
  identity?: TakeIdentity;
  /** Mobile number for SMS reminders: sent to the server, never recorded. */
  phone?: string;
}

const REFUSALS: Record<TakeRefusal, { zh: string; en: string }> = {
  'unknown-category': { zh: '没有这个业务类别', en: 'No such service category' },
  paused: { zh: '该业务暂停服务，请咨询服务台', en: 'This service is paused, please ask at the information desk' },
  closed: { zh: '该业务当前不在服务时间', en: 'This service is closed now' },
  exhausted: { zh: '今日号已取完', en: 'All numbers for today have been taken' },
  printer: { zh: '打印机故障，请到服务台取号', en: 'The printer is not working, please ask at the information desk' },
  storage: { zh: '设备存储故障，暂停取号，请到服务台取号', en: 'This kiosk cannot record tickets now (storage full), please ask at the information desk' },
  busy: { zh: '系统繁忙，请稍后再试', en: 'Busy, please try again' },
  'appointment-not-found': { zh: '未找到该预约，请到服务台咨询', en: 'Appointment not found, please ask at the information desk' },
  'no-priority': { zh: '该业务没有绿色通道', en: 'This service has no priority channel' },
};

export function refusal(reason: TakeRefusal, message = REFUSALS[reason]): TakeResult {
  return { ok: false, reason, message };
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
  private lastTicket: LedgerTicket | undefined;
  /** Tickets on their way through the printer now (an update waits for them). */
  private printingNow = 0;

  constructor(private readonly d: IssuerDeps) {}

  get printing(): number {
    return this.printingNow;
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
    const printed = await this.print(ticket);
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
      if (err instanceof RequestError && err.code === 'BAD_RESPONSE') {
        ctx.log.warn({ details: err.details }, 'server answered ticket.take with an invalid response; issuing offline');
        return {};
      }
      if (err instanceof RequestError && (err.code === 'TIMEOUT' || err.code === 'OFFLINE')) {
        ctx.log.warn({ takeId, reason: err.message }, 'server did not answer ticket.take; issuing offline');
        return {};
      }
      const reason = err instanceof RequestError ? refusalReason(err.details) : undefined;
      ctx.log.info({ takeId, code: (err as RequestError).code, reason }, 'server refused ticket.take');
      return { refused: reason ? refusal(reason) : refusal('busy', { zh: `无法取号：${(err as Error).message}`, en: `Cannot issue: ${(err as Error).message}` }) };
    }
  }

  private offlineWaiting(category: string): number | null {
    const known = this.waiting.get(category);
    if (known === undefined) return null;
    this.waiting.set(category, known + 1);
    return known;
  }

  /** Prints a ledger ticket; false (and `ticket.unprinted`) when the printer refused it. */
  async print(ticket: LedgerTicket): Promise<boolean> {
    const { ctx } = this.d;
    let printer: TicketPrinter;
    this.printingNow += 1;
    try {
      printer = await this.d.health.open();
      await printer.print({ fields: this.fields(ticket), ...(this.d.config.template ? { template: this.d.config.template } : {}) });
    } catch (err) {
      const message = (err as Error).message;
      this.d.health.noteFailure(err instanceof PrinterNotReadyError ? err.status : undefined, message);
      ctx.log.error({ number: ticket.number, err: message }, 'ticket issued but not printed');
      await ctx.link
        .emit('ticket.unprinted', { ticketId: ticket.ticketId, number: ticket.number, reason: message }, { statements: [this.d.ledger.markPrinted(ticket.ticketId, -1)] })
        .catch((e: unknown) => ctx.log.error({ err: (e as Error).message }, 'could not record an unprinted ticket'));
      return false;
    } finally {
      this.printingNow -= 1;
    }
    await ctx.store.commit([this.d.ledger.markPrinted(ticket.ticketId, 1)]).catch(() => undefined);
    this.lastTicket = ticket;
    ctx.log.info({ number: ticket.number, category: ticket.category, offline: ticket.offline }, 'ticket printed');
    return true;
  }

  /** Runs after the queue: re-issue (过时补号) or reprint, for the `print` command. */
  reprint(ticket: LedgerTicket): Promise<boolean> {
    const run = this.queue.then(() => this.print(ticket));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async lastPrinted(): Promise<LedgerTicket | undefined> {
    return this.lastTicket ?? (await this.d.ledger.lastPrinted());
  }

  fields(t: LedgerTicket): TicketFields {
    const category = this.d.config.categories.find((c) => c.id === t.category);
    return {
      number: t.number,
      category: category?.name ?? t.category,
      ...(category?.nameEn ? { categoryEn: category.nameEn } : {}),
      waiting: t.waiting,
      ...(t.window ? { window: t.window } : {}),
      issuedAtMs: t.issuedAt,
      timeZone: this.d.config.timeZone ?? this.d.ctx.timeZone,
      ...(t.qrUrl ? { qrUrl: t.qrUrl } : {}),
      offline: t.offline,
      priority: t.priority,
      hallName: this.d.config.hallName,
      extra: { appointment: t.appointment ?? '' },
    };
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

function refusalReason(details: unknown): TakeRefusal | undefined {
  const reason = typeof details === 'object' && details !== null ? (details as { reason?: unknown }).reason : undefined;
  return reason === 'exhausted' || reason === 'closed' || reason === 'paused' || reason === 'appointment-not-found' ? reason : undefined;
}
