// One running configuration of the kiosk: printer health, the issuer, the touchscreen page,
// the category buttons and the appointment scanner, wired to the link. A new config from the
// server stops this and starts another; the ledger (and so the numbers) carries over.
import type { TicketPrinterContract } from '../../../protocol/ticket-printer.js';
import type { TimerHandle } from '../../../drivers/clock/timers.js';
import type { RoleContext } from '../role-module.js';
import type { TicketPrinterConfig } from './config.js';
import { KioskModel } from './kiosk-model.js';
import { KioskIdentity } from './kiosk-identity.js';
import { startKioskServer, type KioskServer } from './kiosk/kiosk-page-plugin.js';
import { PrinterHealth, type PrinterHealthState } from './printer-health.js';
import { TicketIssuer } from './ticket-issuer.js';
import type { TicketLedger } from './ticket-ledger.js';
import type { NumberVoider } from './number-voider.js';
import type { PrinterFault } from '../../../drivers/hal/types.js';

/** How often the kiosk looks whether service hours or the business day changed. */
const DAY_CHECK_MS = 30_000;

export class TicketKiosk {
  readonly health: PrinterHealth;
  readonly issuer: TicketIssuer;
  readonly model: KioskModel;
  readonly identity: KioskIdentity;
  private server: KioskServer | undefined;
  private readonly cleanups: (() => void)[] = [];
  private ticker: TimerHandle | undefined;
  /** Why the touchscreen page is not served (port taken, files missing), for diagnostics. */
  pageError: string | null = null;
  /** While the technician's button test runs, presses go here instead of taking tickets. */
  private buttonCapture: ((input: string) => void) | undefined;

  private constructor(
    private readonly ctx: RoleContext<TicketPrinterContract>,
    readonly config: TicketPrinterConfig,
    private readonly ledger: TicketLedger,
    private readonly paused: Map<string, string>,
    voids: NumberVoider,
  ) {
    this.health = new PrinterHealth({
      hal: ctx.hal,
      printerName: config.printer,
      pollMs: config.statusPollMs,
      timers: ctx.timers,
      log: ctx.log.child({ part: 'printer' }),
      onFaultsChanged: (next, added, cleared) => this.faultsChanged(next, added, cleared),
    });
    this.issuer = new TicketIssuer({ ctx, config, ledger, health: this.health, paused, voids, changed: () => this.changed() });
    this.identity = new KioskIdentity(ctx, config, () => this.changed());
    this.model = new KioskModel({ identity: this.identity,  config, issuer: this.issuer, health: this.health, online: () => ctx.link.connected, hallTimeZone: ctx.timeZone, storeHealthy: () => ctx.store.health().ok });
  }

  static async start(ctx: RoleContext<TicketPrinterContract>, config: TicketPrinterConfig, ledger: TicketLedger, paused: Map<string, string>, voids: NumberVoider): Promise<TicketKiosk> {
    const kiosk = new TicketKiosk(ctx, config, ledger, paused, voids);
    try {
      await kiosk.issuer.refreshDay();
      await kiosk.health.start();
      kiosk.wireButtons();
      await kiosk.wireScanner();
      await kiosk.identity.start();
      kiosk.cleanups.push(ctx.link.onConnectionChange(() => kiosk.changed()));
      // A full disk pauses the screen as a printer fault does; the runtime's probe ends it.
      kiosk.cleanups.push(ctx.store.onHealthChange(() => kiosk.changed()));
      // Service hours open and close, and the business day turns over, with nobody touching anything.
      kiosk.ticker = ctx.timers.setInterval(() => void kiosk.issuer.refreshDay().then(() => kiosk.changed()).catch(() => undefined), DAY_CHECK_MS);
      kiosk.ticker.unref();
      if (config.kiosk.enabled) {
        // Without the page the buttons and the scanner still issue: a busy port is a fault to report, not a dead kiosk.
        kiosk.server = await startKioskServer({ backend: kiosk.model, timers: ctx.timers, host: config.kiosk.host, port: config.kiosk.port, log: ctx.log.child({ part: 'kiosk' }), screenToken: ctx.screenToken }).catch(
          (err: unknown) => {
            kiosk.pageError = (err as Error).message;
            ctx.log.error({ err: kiosk.pageError, port: config.kiosk.port }, 'kiosk page not served');
            return undefined;
          },
        );
        // "kiosk page served" is logged once, by the page server itself.
      }
      kiosk.changed();
      return kiosk;
    } catch (err) {
      await kiosk.stop();
      throw err;
    }
  }

  get url(): string | null {
    return this.server?.url ?? null;
  }

  /** Something the screen or the retained state shows may have changed. */
  changed(): void {
    this.model.refresh();
    const h = this.health.state;
    this.ctx.link.setState({
      printer: { name: this.config.printer, ready: h.ready, reachable: h.reachable, faults: h.faults, detail: h.detail },
      day: this.ledger.day,
      issued: this.ledger.issuedCounts(),
      paused: Object.fromEntries(this.paused),
      categories: Object.fromEntries(this.config.categories.map((c) => [c.id, this.issuer.categoryState(c)])),
      kiosk: this.url,
    });
  }

  private faultsChanged(next: PrinterHealthState, added: PrinterFault[], cleared: PrinterFault[]): void {
    const event =
      next.faults.length > 0
        ? this.ctx.link.emit('printer.fault', { printer: this.config.printer, faults: next.faults, added, canPrint: next.ready })
        : this.ctx.link.emit('printer.ok', { printer: this.config.printer, cleared });
    event.catch((err: unknown) => this.ctx.log.error({ err: (err as Error).message }, 'printer event not recorded'));
    this.changed();
  }

  /**
   * One ticket per button per `repeatGuardMs`: the GPIO layer removes contact bounce, this
   * removes a visitor pressing ten times (or leaning on it) while the first ticket prints.
   */
  private wireButtons(): void {
    for (const button of this.config.buttons) {
      const input = this.ctx.hal.input(button.input);
      let lastAccepted = -Infinity;
      let inFlight = false;
      this.cleanups.push(
        input.onChange((active, atMs) => {
          if (active && this.buttonCapture) return this.buttonCapture(button.input);
          if (!active || inFlight || atMs - lastAccepted < this.config.repeatGuardMs) return;
          lastAccepted = atMs;
          inFlight = true;
          void this.issuer
            .take({ category: button.category, priority: button.priority })
            .then((r) => this.ctx.log.info({ button: button.input, ...(r.ok ? { number: r.ticket.number } : { refused: r.reason }) }, 'button take'))
            .catch((err: unknown) => this.ctx.log.error({ err: (err as Error).message }, 'button take failed'))
            .finally(() => (inFlight = false));
        }),
      );
    }
  }

  /**
   * Sends every button press to `listener` instead of taking a ticket (a technician testing the
   * buttons must not print a ticket per press), until the returned function is called.
   */
  captureButtons(listener: (input: string) => void): () => void {
    if (this.buttonCapture) throw new Error('the buttons are already being tested');
    this.buttonCapture = listener;
    return () => {
      if (this.buttonCapture === listener) this.buttonCapture = undefined;
    };
  }

  private async wireScanner(): Promise<void> {
    if (!this.config.scanner) return;
    const scanner = await this.ctx.hal.scanner(this.config.scanner);
    this.cleanups.push(
      scanner.onScan((code) => {
        void this.model
          .scanned(code)
          .catch((err: unknown) => this.ctx.log.error({ err: (err as Error).message }, 'scan failed'));
      }),
    );
  }

  async stop(): Promise<void> {
    this.ctx.timers.clearInterval(this.ticker);
    this.health.stop();
    for (const c of this.cleanups.splice(0)) c();
    this.identity.stop();
    await this.server?.close();
    await this.issuer.idle();
    this.server = undefined;
  }
}
