// The paper side every virtual printer shares, whatever command set it parses (ESC/POS here,
// Star Line Mode in simulators/star-printer): printed items and tickets, injected faults,
// status replies to the host, the offline rule, text runs decoded per encoding, cuts and QR
// codes. A subclass turns its parser's commands into calls on these.
//
// Offline behaviour. A real printer that goes offline (paper out, cover open, cutter error)
// keeps *receiving* into its buffer and prints that data after recovery — so a ticket sent to
// an empty printer comes out minutes later for a citizen long gone. The simulators instead drop
// every non-real-time byte received while offline (counted in `droppedBytes`, noted in `log`)
// and discard the half-built line when a fault starts, so a test can show that nothing was
// printed; the driver's job is to ask for status before each ticket and not send. Status
// requests are real-time and answered while offline too (unless `noReply`).
import iconv from 'iconv-lite';
import { NO_FAULTS, type Align, type PrintedItem, type PrintedTicket, type PrinterFaults, type TextItem } from './model.js';
import { isOffline } from './status-replies.js';

/** The two ends of a byte pipe the printer can sit on (a SerialLink has both). */
export interface ByteLinkEnd {
  write(bytes: Uint8Array): Promise<void>;
  onData(listener: (chunk: Buffer) => void): () => void;
}

export type LineStyle = Omit<TextItem, 'type' | 'text'>;
export type QrLevel = 'L' | 'M' | 'Q' | 'H';

const MAX_LOG_LINES = 1000;

interface Run {
  /** iconv-lite encoding name the run's bytes are decoded with. */
  encoding: string;
  chunks: Buffer[];
}

export abstract class VirtualPaperPrinter {
  /** Everything printed, in order, cuts included. */
  readonly items: PrintedItem[] = [];
  /** Unknown commands, skipped images, drops while offline, … */
  readonly log: string[] = [];
  receivedBytes = 0;
  /** Bytes received while offline and thrown away (never printed later). */
  droppedBytes = 0;
  /** Status requests received, answered or not. */
  statusQueries = 0;

  protected faults: PrinterFaults = { ...NO_FAULTS };
  private runs: Run[] = [];
  private lineStyle: LineStyle | null = null;
  private readonly replyListeners = new Set<(bytes: Buffer) => void>();
  private readonly ticketListeners = new Set<(ticket: PrintedTicket) => void>();
  private lastCutAt = 0;
  private droppingSince: number | null = null;

  constructor(private readonly onLog?: (line: string) => void) {}

  /** Hands bytes to the command-set parser. */
  protected abstract parse(bytes: Uint8Array): void;

  protected note(line: string): void {
    if (this.log.length >= MAX_LOG_LINES) this.log.shift();
    this.log.push(line);
    this.onLog?.(line);
  }

  /** Bytes from the host, in any chunking. Never throws. */
  receive(bytes: Uint8Array): void {
    this.receivedBytes += bytes.length;
    this.parse(bytes);
  }

  /** Bytes the printer sends back (status replies). */
  onReply(listener: (bytes: Buffer) => void): () => void {
    this.replyListeners.add(listener);
    return () => this.replyListeners.delete(listener);
  }

  /** Sits on the device end of a link: receives what the host writes, answers through the link. Returns detach. */
  attach(link: ByteLinkEnd): () => void {
    const offData = link.onData((chunk) => this.receive(chunk));
    const offReply = this.onReply((bytes) => {
      link.write(bytes).catch((err: unknown) => this.note(`reply not delivered: ${(err as Error).message}`));
    });
    return () => {
      offData();
      offReply();
    };
  }

  /** Called with each ticket as its cut comes in (the demo log, tests that wait for a print). */
  onTicket(listener: (ticket: PrintedTicket) => void): () => void {
    this.ticketListeners.add(listener);
    return () => this.ticketListeners.delete(listener);
  }

  getFaults(): PrinterFaults {
    return { ...this.faults };
  }

  /** Injects or clears faults. When the printer goes offline, the half-built line is discarded. */
  setFaults(change: Partial<PrinterFaults>): void {
    const wasOffline = isOffline(this.faults);
    this.faults = { ...this.faults, ...change };
    const offline = isOffline(this.faults);
    if (!wasOffline && offline) {
      if (this.runs.length > 0) this.note('offline: unprinted line discarded');
      this.discardLine();
    }
    if (wasOffline && !offline && this.droppingSince !== null) {
      this.note(`back online: ${this.droppedBytes - this.droppingSince} bytes received while offline were dropped`);
      this.droppingSince = null;
    }
  }

  get offline(): boolean {
    return isOffline(this.faults);
  }

  /** Tickets completed by a cut. */
  tickets(): PrintedTicket[] {
    const tickets: PrintedTicket[] = [];
    let current: PrintedItem[] = [];
    for (const item of this.items) {
      if (item.type === 'cut') {
        tickets.push({ items: current, partialCut: item.partial });
        current = [];
      } else {
        current.push(item);
      }
    }
    return tickets;
  }

  /** Printed after the last cut (a ticket still hanging out of the printer). */
  pendingItems(): PrintedItem[] {
    const lastCut = this.items.map((i) => i.type).lastIndexOf('cut');
    return this.items.slice(lastCut + 1);
  }

  /** Tears the paper off: forgets printed items and counters, keeps faults and modes. */
  clearPaper(): void {
    this.items.length = 0;
    this.lastCutAt = 0;
    this.log.length = 0;
    this.receivedBytes = 0;
    this.droppedBytes = 0;
    this.statusQueries = 0;
  }

  /** Answers the host, unless the printer is set not to (`noReply`). */
  protected sendReply(bytes: Buffer): void {
    if (this.faults.noReply) return;
    for (const listener of this.replyListeners) listener(bytes);
  }

  /** While offline, a non-real-time command's bytes are dropped and counted: true when this one was. */
  protected droppedOffline(length: number): boolean {
    if (!isOffline(this.faults)) return false;
    if (this.droppingSince === null) {
      this.droppingSince = this.droppedBytes;
      this.note('offline: dropping received data');
    }
    this.droppedBytes += length;
    return true;
  }

  protected hasUnprintedLine(): boolean {
    return this.runs.length > 0;
  }

  protected discardLine(): void {
    this.runs = [];
    this.lineStyle = null;
  }

  /** Text bytes in `encoding`; the line takes the style in force at its first character. */
  protected addText(bytes: Buffer, encoding: string, style: LineStyle): void {
    this.lineStyle ??= style;
    const last = this.runs[this.runs.length - 1];
    if (last && last.encoding === encoding) last.chunks.push(bytes);
    else this.runs.push({ encoding, chunks: [bytes] });
  }

  /** Ends the line (LF, a feed, a cut, a QR); an empty line is a one-line feed when `feedWhenEmpty`. */
  protected flushLine(feedWhenEmpty: boolean): void {
    if (this.runs.length === 0 || !this.lineStyle) {
      if (feedWhenEmpty) this.items.push({ type: 'feed', lines: 1 });
      return;
    }
    const text = this.runs.map((run) => iconv.decode(Buffer.concat(run.chunks), run.encoding)).join('');
    this.items.push({ type: 'text', text, ...this.lineStyle });
    this.discardLine();
  }

  protected cut(partial: boolean): void {
    this.flushLine(false);
    this.items.push({ type: 'cut', partial });
    const items = this.items.slice(this.lastCutAt, this.items.length - 1);
    this.lastCutAt = this.items.length;
    for (const listener of this.ticketListeners) listener({ items, partialCut: partial });
  }

  protected printQr(data: Buffer | null, moduleDots: number, errorCorrection: QrLevel, align: Align): void {
    if (!data) {
      this.note('QR print with no stored data');
      return;
    }
    this.flushLine(false);
    this.items.push({ type: 'qr', data: new TextDecoder('utf-8').decode(data), bytes: data, moduleDots, errorCorrection, align });
  }
}
