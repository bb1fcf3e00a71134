// Who is at the kiosk, for the next take: a citizen swipes an ID card on the role's reader (or
// shows an e-ID QR the server verifies) and the next number taken carries `identity`, so the
// server finds their appointment and phone. The card itself is personal information
// (个人信息保护法): this keeps only what the config says to send (by default the salted hash of
// the number), never the name or photo, never on disk, never in a log line, and only until the
// next take or the page's idle timeout, whichever comes first.
import { newId } from '../../../protocol/ids.js';
import { identityHash } from '../../../protocol/identity-hash.js';
import type { TakeIdentity, TicketPrinterContract } from '../../../protocol/ticket-printer.js';
import type { IdCard, IdCardEvent } from '../../../drivers/hal/types.js';
import type { TimerHandle } from '../../../drivers/clock/timers.js';
import type { RoleContext } from '../role-module.js';
import type { TicketPrinterConfig } from './config.js';

/** How long "place the card again" stays on the screen after an unreadable swipe. */
const UNREADABLE_SHOWN_MS = 5000;
/** How long the server may take to verify an e-ID QR. */
const EID_TIMEOUT_MS = 5000;

/** What the touch page shows of it (nothing personal: the page never sees the card). */
export interface KioskIdentityState {
  /** The kiosk has an ID-card reader: the page invites a swipe. */
  reader: boolean;
  /** A card (or a verified e-ID) waits for the next take. */
  identified: 'card' | 'e-id' | null;
  /** The last swipe could not be read, or an e-ID QR was not verified: place or show it again. */
  problem: 'unreadable' | 'not-verified' | null;
}

/** Problems of the identity config that depend on the link: the number is never sent in clear. */
export function identityLinkProblems(config: TicketPrinterConfig, linkEncrypted: boolean): string[] {
  return config.identity.send === 'number' && !linkEncrypted
    ? ['/identity/send: "number" sends the ID number itself, which needs a TLS broker link (mqtts:// or wss://); use "hash"']
    : [];
}

export class KioskIdentity {
  private pending: TakeIdentity | undefined;
  private pendingKind: 'card' | 'e-id' | null = null;
  private problem: KioskIdentityState['problem'] = null;
  private expiry: TimerHandle | undefined;
  private problemTimer: TimerHandle | undefined;
  private offCard: (() => void) | undefined;
  private readonly eIdPattern: RegExp | undefined;
  private stopped = false;
  /** While the technician's reader test runs, cards go here instead of identifying anyone. */
  private capture: ((event: IdCardEvent) => void) | undefined;

  constructor(
    private readonly ctx: RoleContext<TicketPrinterContract>,
    private readonly config: TicketPrinterConfig,
    private readonly changed: () => void,
  ) {
    this.eIdPattern = config.identity.eIdPattern !== undefined ? new RegExp(config.identity.eIdPattern, 'u') : undefined;
  }

  async start(): Promise<void> {
    if (!this.config.idCardReader) return;
    const reader = await this.ctx.hal.idCardReader(this.config.idCardReader);
    this.offCard = reader.onCard((event) => this.onCard(event));
  }

  state(): KioskIdentityState {
    return { reader: this.config.idCardReader !== undefined, identified: this.pendingKind, problem: this.problem };
  }

  /** The identity for this take, given up by the kiosk as it is handed over. */
  claim(): TakeIdentity | undefined {
    const identity = this.pending;
    if (identity) this.clear();
    return identity;
  }

  /** Whether a scanned code is a citizen's e-ID QR (config identity.eIdPattern) rather than an appointment code. */
  isEId(code: string): boolean {
    return this.eIdPattern?.test(code) ?? false;
  }

  /**
   * Forwards an e-ID QR to the server exactly as scanned (never decoded, never kept: a request,
   * not an event, so it is not written to the outbox) and holds the server's reference on success.
   */
  async scannedEId(qr: string): Promise<void> {
    const scanId = newId('e');
    try {
      const answer = await this.ctx.link.request('identity.scanned', { scanId, qr }, EID_TIMEOUT_MS);
      this.ctx.log.info({ scanId, verified: answer.verified }, 'e-ID QR checked by the server');
      if (answer.verified && answer.ref) return this.hold({ kind: 'e-id', ref: answer.ref }, 'e-id');
    } catch (err) {
      this.ctx.log.warn({ scanId, err: (err as Error).message }, 'e-ID QR not checked');
    }
    this.showProblem('not-verified');
  }

  /** Sends every card event to `listener` instead of identifying, until the returned function is called. */
  captureCards(listener: (event: IdCardEvent) => void): () => void {
    if (this.capture) throw new Error('the ID-card reader is already being tested');
    this.capture = listener;
    return () => {
      if (this.capture === listener) this.capture = undefined;
    };
  }

  private onCard(event: IdCardEvent): void {
    if (this.stopped) return;
    if (this.capture) return this.capture(event);
    if (event.kind === 'unreadable') {
      this.ctx.log.info({ reader: this.config.idCardReader, code: event.code }, 'ID card not readable; asked to place it again');
      this.showProblem('unreadable');
      return;
    }
    void this.fromCard(event.card)
      .then((identity) => {
        if (this.stopped) return;
        if (!identity) return this.showProblem('unreadable');
        this.ctx.log.info({ reader: this.config.idCardReader, sends: identity.kind }, 'ID card read for the next take');
        this.hold(identity, 'card');
      })
      .catch((err: unknown) => this.ctx.log.error({ err: (err as Error).message }, 'ID card not hashed'));
  }

  /** What the config says to send of the card; the card object is dropped after this. */
  private async fromCard(card: IdCard): Promise<TakeIdentity | undefined> {
    const { send, salt, scrypt } = this.config.identity;
    // The number only as configured and only encrypted; checkConfig refuses anything else, this is the last guard.
    if (send === 'number' && this.ctx.linkEncrypted) return { kind: 'id-number', number: card.number };
    if (salt === undefined) {
      this.ctx.log.warn({}, 'ID card read but no identity.salt configured: the swipe is not used');
      return undefined;
    }
    return { kind: 'id-hash', hash: await identityHash(card.number, salt, scrypt) };
  }

  private hold(identity: TakeIdentity, kind: 'card' | 'e-id'): void {
    this.pending = identity;
    this.pendingKind = kind;
    this.problem = null;
    this.ctx.timers.clearTimeout(this.problemTimer);
    this.ctx.timers.clearTimeout(this.expiry);
    // Nobody took a number with it: the next visitor must not inherit it.
    this.expiry = this.ctx.timers.setTimeout(() => this.clear(), this.config.kiosk.idleMs);
    this.changed();
  }

  private showProblem(problem: NonNullable<KioskIdentityState['problem']>): void {
    this.problem = problem;
    this.ctx.timers.clearTimeout(this.problemTimer);
    this.problemTimer = this.ctx.timers.setTimeout(() => {
      this.problem = null;
      this.changed();
    }, UNREADABLE_SHOWN_MS);
    this.changed();
  }

  private clear(): void {
    this.ctx.timers.clearTimeout(this.expiry);
    this.pending = undefined;
    this.pendingKind = null;
    this.changed();
  }

  stop(): void {
    this.stopped = true;
    this.offCard?.();
    this.ctx.timers.clearTimeout(this.expiry);
    this.ctx.timers.clearTimeout(this.problemTimer);
    this.pending = undefined;
    this.pendingKind = null;
  }
}
