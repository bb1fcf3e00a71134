// The reference server's side of `req/ticket.take`: one queue per category with its own
// counter, the waiting count, refusals (paused, quota), and de-duplication by takeId so a
// repeated request gets the same number. Also what the demo and the kiosk tests answer with.
import { RequestFailure } from '../../protocol/hall-client.js';
import { IdentityScannedRequest, TicketTakeRequest, type IdentityScannedResponse, type TakeIdentity, type TicketTakeResponse } from '../../protocol/ticket-printer.js';
import { validate } from '../../protocol/validate.js';

export interface TicketDeskOptions {
  /** Category id → number prefix; unknown categories get "Z". */
  prefixes?: Record<string, string>;
  /** Per category: stop issuing after this many numbers (answered as reason "exhausted"). */
  quota?: Record<string, number>;
  /** QR link for the ticket; {number} and {device} are filled in. */
  qrUrl?: string;
  /** Answer only after this long (tests of the kiosk's timeout). */
  delayMs?: number;
  /** Appointment code → category, for check-ins. */
  appointments?: Record<string, string>;
  /** e-ID QR content the "issuing authority" verifies → the ref answered (others are not verified). */
  eIds?: Record<string, string>;
}

export interface DeskTicket {
  device: string;
  takeId: string;
  number: string;
  category: string;
  priority: boolean;
  /** Who the kiosk said took it (ticket.take identity), and the phone for SMS reminders. */
  identity?: TakeIdentity;
  phone?: string;
}

export class TicketDesk {
  readonly issued: DeskTicket[] = [];
  /** Numbers a kiosk reported it could not record (ticket.voided): never called. */
  readonly voided: string[] = [];
  /** Numbers a window has called: no longer waiting. */
  private readonly calledNumbers = new Set<string>();
  private readonly counters = new Map<string, number>();
  private readonly byTake = new Map<string, TicketTakeResponse>();
  readonly paused = new Set<string>();
  /** Every req identity.scanned as it arrived. */
  readonly eIdScans: { device: string; qr: string }[] = [];
  /** Set to answer nothing at all (the kiosk must time out and issue offline). */
  silent = false;

  constructor(private readonly options: TicketDeskOptions = {}) {}

  /** A kiosk's ticket.voided: the number allocated for that takeId is void (by takeId, so a repeat changes nothing). */
  voidTake(device: string, takeId: string): void {
    const ticket = this.issued.find((t) => t.device === device && t.takeId === takeId);
    if (ticket && !this.voided.includes(ticket.number)) this.voided.push(ticket.number);
  }

  /** A window called the number: it no longer counts as waiting. */
  called(number: string): void {
    this.calledNumbers.add(number);
  }

  /** req identity.scanned: a known QR is verified and answered with its ref. */
  identityScanned(device: string, raw: Record<string, unknown>): IdentityScannedResponse {
    const check = validate(IdentityScannedRequest, raw);
    if (!check.ok) throw new RequestFailure('BAD_REQUEST', `identity.scanned: ${check.errors.join('; ')}`);
    this.eIdScans.push({ device, qr: check.value.qr });
    const ref = this.options.eIds?.[check.value.qr];
    return ref ? { verified: true, ref } : { verified: false, reason: 'not a valid e-ID' };
  }

  async take(device: string, raw: Record<string, unknown>): Promise<TicketTakeResponse> {
    const check = validate(TicketTakeRequest, raw);
    if (!check.ok) throw new RequestFailure('BAD_REQUEST', `ticket.take: ${check.errors.join('; ')}`);
    const req = check.value;
    if (this.silent) return new Promise(() => undefined);
    if (this.options.delayMs) await new Promise((r) => setTimeout(r, this.options.delayMs));
    const seen = this.byTake.get(req.takeId);
    if (seen) return seen;
    let category = req.category;
    if (req.appointment !== undefined) {
      const booked = this.options.appointments?.[req.appointment];
      if (!booked) throw new RequestFailure('BUSY', `no appointment ${req.appointment}`, { reason: 'appointment-not-found' });
      category = booked;
    }
    if (this.paused.has(category)) throw new RequestFailure('BUSY', `${category} is paused`, { reason: 'paused' });
    const n = (this.counters.get(category) ?? 0) + 1;
    const quota = this.options.quota?.[category];
    if (quota !== undefined && n > quota) throw new RequestFailure('BUSY', `${category}: all ${quota} numbers of today are taken`, { reason: 'exhausted' });
    this.counters.set(category, n);
    const number = `${this.options.prefixes?.[category] ?? 'Z'}${String(n).padStart(3, '0')}`;
    // Waiting ahead of the new ticket: its category's numbers not yet called (nor voided).
    const waiting = this.issued.filter((t) => t.category === category && !this.calledNumbers.has(t.number) && !this.voided.includes(t.number)).length;
    this.issued.push({ device, takeId: req.takeId, number, category, priority: req.priority, ...(req.identity ? { identity: req.identity } : {}), ...(req.phone ? { phone: req.phone } : {}) });
    const response: TicketTakeResponse = {
      number,
      waiting,
      ...(category !== req.category ? { category } : {}),
      ...(this.options.qrUrl ? { qrUrl: this.options.qrUrl.replace('{number}', number).replace('{device}', device) } : {}),
    };
    this.byTake.set(req.takeId, response);
    return response;
  }
}
