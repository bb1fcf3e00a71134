// The kiosk as the touchscreen sees it: builds the KioskView from the config, the printer's
// health, the link and the day's counts, and tells the page (and the retained state) when
// any of it changes. Implements the KioskBackend the page server talks to.
import { hoursText } from './business-day.js';
import type { TicketPrinterConfig } from './config.js';
import type { KioskBackend, KioskView, PageTakeRequest, ScanOutcome, TakeResult } from './kiosk/kiosk-types.js';
import type { KioskIdentity } from './kiosk-identity.js';
import type { PrinterHealth } from './printer-health.js';
import type { TicketIssuer } from './ticket-issuer.js';
import { PageChannel } from '../../pages/page-channel.js';

export interface KioskModelDeps {
  config: TicketPrinterConfig;
  issuer: TicketIssuer;
  health: PrinterHealth;
  online(): boolean;
  /** The hall's time zone (the device config's), unless the role's own config overrides it. */
  hallTimeZone: string;
  /** The store can write (a full or read-only disk cannot record a ticket). */
  storeHealthy(): boolean;
  /** Who swiped (or showed an e-ID) for the next take. */
  identity: KioskIdentity;
}

export class KioskModel implements KioskBackend {
  private rev = 0;
  private readonly views = new PageChannel<KioskView>();
  private readonly scans = new PageChannel<ScanOutcome>();
  private last = '';

  constructor(private readonly d: KioskModelDeps) {}

  view(): KioskView {
    const { config, issuer, health } = this.d;
    return {
      hallName: config.hallName,
      hallNameEn: config.hallNameEn,
      timeZone: config.timeZone ?? this.d.hallTimeZone,
      rev: this.rev,
      online: this.d.online(),
      blocked: this.d.storeHealthy() ? health.block() : 'storage-full',
      paperLow: health.state.faults.includes('paper-low'),
      idleMs: config.kiosk.idleMs,
      categories: config.categories.map((c) => ({
        id: c.id,
        name: c.name,
        nameEn: c.nameEn,
        prefix: c.prefix,
        state: issuer.categoryState(c),
        hours: hoursText(c),
        priority: c.priority,
        waiting: issuer.knownWaiting(c.id),
      })),
      notice: config.notice ?? null,
      identity: this.d.identity.state(),
      sms: config.sms,
    };
  }

  /** Re-computes the view; listeners hear it only when something they show changed. */
  refresh(): void {
    const { rev: _rev, ...shown } = this.view();
    const key = JSON.stringify(shown);
    if (key === this.last) return;
    this.last = key;
    this.rev += 1;
    const view: KioskView = { ...shown, rev: this.rev };
    this.views.emit(view);
  }

  onViewChange(listener: (view: KioskView) => void): () => void {
    return this.views.on(listener);
  }

  onScan(listener: (outcome: ScanOutcome) => void): () => void {
    return this.scans.on(listener);
  }

  /** A scanner read a code: a citizen's e-ID QR goes to the server (never to the page or a log), anything else checks in. */
  async scanned(code: string): Promise<TakeResult | undefined> {
    if (this.d.identity.isEId(code)) {
      await this.d.identity.scannedEId(code);
      return undefined;
    }
    const result = await this.checkIn(code);
    this.scans.emit({ code, result });
    return result;
  }

  take(request: PageTakeRequest): Promise<TakeResult> {
    const identity = this.d.identity.claim();
    return this.d.issuer.take({ category: request.category, priority: request.priority, ...(identity ? { identity } : {}), ...(request.phone ? { phone: request.phone } : {}) });
  }

  checkIn(code: string): Promise<TakeResult> {
    const category = this.d.config.appointmentCategory ?? this.d.config.categories[0]?.id ?? '';
    const identity = this.d.identity.claim();
    return this.d.issuer.take({ category, priority: false, appointment: code.trim().slice(0, 128), ...(identity ? { identity } : {}) });
  }
}
