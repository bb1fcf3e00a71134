// The kiosk as the touchscreen sees it: builds the KioskView from the config, the printer's
// health, the link and the day's counts, and tells the page (and the retained state) when
// any of it changes. Implements the KioskBackend the page server talks to.
import { hoursText } from './business-day.js';
import type { TicketPrinterConfig } from './config.js';
import type { KioskBackend, KioskView, ScanOutcome, TakeResult } from './kiosk/kiosk-types.js';
import type { PrinterHealth } from './printer-health.js';
import type { TicketIssuer } from './ticket-issuer.js';

export interface KioskModelDeps {
  config: TicketPrinterConfig;
  issuer: TicketIssuer;
  health: PrinterHealth;
  online(): boolean;
}

export class KioskModel implements KioskBackend {
  private rev = 0;
  private readonly viewListeners = new Set<(view: KioskView) => void>();
  private readonly scanListeners = new Set<(outcome: ScanOutcome) => void>();
  private last = '';

  constructor(private readonly d: KioskModelDeps) {}

  view(): KioskView {
    const { config, issuer, health } = this.d;
    return {
      hallName: config.hallName,
      hallNameEn: config.hallNameEn,
      rev: this.rev,
      online: this.d.online(),
      blocked: health.block(),
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
    for (const l of this.viewListeners) l(view);
  }

  onViewChange(listener: (view: KioskView) => void): () => void {
    this.viewListeners.add(listener);
    return () => this.viewListeners.delete(listener);
  }

  onScan(listener: (outcome: ScanOutcome) => void): () => void {
    this.scanListeners.add(listener);
    return () => this.scanListeners.delete(listener);
  }

  async scanned(code: string): Promise<TakeResult> {
    const result = await this.checkIn(code);
    for (const l of this.scanListeners) l({ code, result });
    return result;
  }

  take(request: { category: string; priority: boolean }): Promise<TakeResult> {
    return this.d.issuer.take(request);
  }

  checkIn(code: string): Promise<TakeResult> {
    const category = this.d.config.appointmentCategory ?? this.d.config.categories[0]?.id ?? '';
    return this.d.issuer.take({ category, priority: false, appointment: code.trim().slice(0, 128) });
  }
}
