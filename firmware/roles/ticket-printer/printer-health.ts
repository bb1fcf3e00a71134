// Printer health for the kiosk: asks the printer (DLE EOT) before each ticket and on a timer,
// turns the answers into `printer.fault` / `printer.ok` events when the set of faults
// changes, and tells the kiosk whether it may issue at all. A printer that cannot be opened
// or does not answer is `offline`.
import type { Hal, PrinterFault, PrinterStatus, TicketPrinter } from '../../../drivers/hal/types.js';
import type { IntervalHandle, Timers } from '../../../drivers/clock/timers.js';
import type { Logger } from '../../log.js';
import type { KioskBlock } from './kiosk/kiosk-types.js';

export interface PrinterHealthState {
  /** The printer answered the last query. */
  reachable: boolean;
  faults: PrinterFault[];
  /** Nothing stops a ticket (paper-low alone does not). */
  ready: boolean;
  /** Why not, for the log and the screen. */
  detail: string;
}

export interface PrinterHealthOptions {
  hal: Hal;
  printerName: string;
  pollMs: number;
  timers: Timers;
  log: Logger;
  /** A change in the fault set: the role emits the event (durably) and refreshes its state. */
  onFaultsChanged(next: PrinterHealthState, added: PrinterFault[], cleared: PrinterFault[]): void;
}

const UNKNOWN: PrinterHealthState = { reachable: false, faults: [], ready: false, detail: 'not checked yet' };

export class PrinterHealth {
  private current: PrinterHealthState = UNKNOWN;
  private timer: IntervalHandle | undefined;
  private checking: Promise<PrinterHealthState> | undefined;
  private printer: TicketPrinter | undefined;
  private stopped = false;

  constructor(private readonly options: PrinterHealthOptions) {}

  get state(): PrinterHealthState {
    return this.current;
  }

  /** What the screen shows instead of the menu, or null when tickets can print. */
  block(): KioskBlock | null {
    if (this.current.ready) return null;
    if (!this.current.reachable) return this.current.detail.startsWith('cannot open') ? 'no-printer' : 'offline';
    for (const f of ['paper-out', 'cover-open', 'cutter', 'offline'] as const) if (this.current.faults.includes(f)) return f;
    return 'offline';
  }

  async start(): Promise<void> {
    await this.check();
    this.timer = this.options.timers.setInterval(() => void this.check().catch(() => undefined), this.options.pollMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    this.options.timers.clearInterval(this.timer);
  }

  /** The printer, opened on first use (and again after it failed to open). */
  async open(): Promise<TicketPrinter> {
    this.printer ??= await this.options.hal.printer(this.options.printerName);
    return this.printer;
  }

  /** Asks the printer now; concurrent callers share one query. */
  check(): Promise<PrinterHealthState> {
    this.checking ??= this.query().finally(() => (this.checking = undefined));
    return this.checking;
  }

  /** Records what a failed print told us (the printer changed between the check and the print). */
  noteFailure(status: PrinterStatus | undefined, message: string): void {
    this.update(status ? fromStatus(status) : { reachable: false, faults: ['offline'], ready: false, detail: message });
  }

  private async query(): Promise<PrinterHealthState> {
    let next: PrinterHealthState;
    try {
      const printer = await this.open().catch((err: unknown) => {
        throw new Error(`cannot open printer "${this.options.printerName}": ${(err as Error).message}`);
      });
      next = fromStatus(await printer.status());
    } catch (err) {
      next = { reachable: false, faults: ['offline'], ready: false, detail: (err as Error).message };
    }
    if (!this.stopped) this.update(next);
    return next;
  }

  private update(next: PrinterHealthState): void {
    const before = this.current;
    this.current = next;
    const added = next.faults.filter((f) => !before.faults.includes(f));
    const cleared = before.faults.filter((f) => !next.faults.includes(f));
    if (before === UNKNOWN && next.faults.length === 0) return;
    if (added.length > 0 || cleared.length > 0 || before === UNKNOWN) {
      if (added.length > 0) this.options.log.warn({ faults: next.faults, detail: next.detail }, 'printer fault');
      else if (next.faults.length === 0) this.options.log.info({ cleared }, 'printer ok');
      this.options.onFaultsChanged(next, added, cleared);
    }
  }
}

function fromStatus(s: PrinterStatus): PrinterHealthState {
  return { reachable: true, faults: [...s.faults], ready: s.ready, detail: s.ready ? (s.paperLow ? 'ready, paper low' : 'ready') : `not ready: ${s.faults.join(', ') || 'offline'}` };
}
