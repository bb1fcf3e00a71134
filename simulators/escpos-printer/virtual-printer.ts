// A byte-level virtual ESC/POS printer: it parses what the real driver sends, keeps a model of
// the paper, and answers status queries the way a printer does. Command set: Epson ESC/POS
// Command Reference + Chinese-model FS commands (SP91/HPRT manuals); see hardware.md §2.
//
// Offline behaviour. A real printer that goes offline (paper out, cover open, cutter error)
// keeps *receiving* into its buffer and prints that data after recovery — so a ticket sent
// to an empty printer comes out minutes later for a citizen long gone. This simulator instead
// drops every non-real-time byte received while offline (counted in `droppedBytes`, noted in
// `log`) and discards the half-built line when a fault starts, so a test can show that
// nothing was printed; the driver's job is to ask DLE EOT before each ticket and not send.
// DLE EOT is real-time and answered while offline (unless `noReply`).
import iconv from 'iconv-lite';
import { EscPosParser, type EscPosCommand } from './parser.js';
import { NO_FAULTS, type Align, type PrintedItem, type PrintedTicket, type PrinterFaults, type TextItem } from './model.js';
import { isOffline, realTimeStatusByte, transmitStatusByte } from './status-replies.js';

export interface VirtualPrinterOptions {
  /** Chinese mode after power-on and ESC @: on for SP91/HCC-style printers, off for HPRT (default off, so a driver that forgets FS & is caught). */
  chineseModeAtPowerOn?: boolean;
  /** Called with every log line as well as keeping it in `log`. */
  onLog?: (line: string) => void;
}

/** The two ends of a byte pipe the printer can sit on (a SerialLink has both). */
export interface ByteLinkEnd {
  write(bytes: Uint8Array): Promise<void>;
  onData(listener: (chunk: Buffer) => void): () => void;
}

const SINGLE_BYTE_TABLES: Record<number, string> = { 0: 'cp437', 2: 'cp850', 16: 'windows1252', 17: 'cp866', 18: 'cp852', 19: 'cp858' };
const EC_LEVELS = ['L', 'M', 'Q', 'H'] as const;
const MAX_LOG_LINES = 1000;

interface Modes {
  align: Align;
  w: number;
  h: number;
  bold: boolean;
  underline: boolean;
  chinese: boolean;
  codeTable: number;
}

interface Run {
  chinese: boolean;
  codeTable: number;
  chunks: Buffer[];
}

function alignOf(n: number): Align {
  const v = n >= 48 ? n - 48 : n;
  return v === 1 ? 'center' : v === 2 ? 'right' : 'left';
}

export class VirtualEscPosPrinter {
  /** Everything printed, in order, cuts included. */
  readonly items: PrintedItem[] = [];
  /** Unknown commands, skipped images, drops while offline, … */
  readonly log: string[] = [];
  receivedBytes = 0;
  /** Bytes received while offline and thrown away (never printed later). */
  droppedBytes = 0;
  /** DLE EOT queries received, answered or not. */
  statusQueries = 0;

  private faults: PrinterFaults = { ...NO_FAULTS };
  private modes: Modes;
  private runs: Run[] = [];
  private lineStyle: Omit<TextItem, 'type' | 'text'> | null = null;
  private qr = { moduleDots: 3, errorCorrection: 'L' as QrLevel, data: null as Buffer | null };
  private readonly replyListeners = new Set<(bytes: Buffer) => void>();
  private readonly ticketListeners = new Set<(ticket: PrintedTicket) => void>();
  private lastCutAt = 0;
  private readonly parser = new EscPosParser((command, length) => this.execute(command, length));
  private droppingSince: number | null = null;

  constructor(private readonly options: VirtualPrinterOptions = {}) {
    this.modes = this.powerOnModes();
  }

  private powerOnModes(): Modes {
    return { align: 'left', w: 1, h: 1, bold: false, underline: false, chinese: this.options.chineseModeAtPowerOn ?? false, codeTable: 0 };
  }

  private note(line: string): void {
    if (this.log.length >= MAX_LOG_LINES) this.log.shift();
    this.log.push(line);
    this.options.onLog?.(line);
  }

  /** Bytes from the host, in any chunking. Never throws. */
  receive(bytes: Uint8Array): void {
    this.receivedBytes += bytes.length;
    this.parser.push(bytes);
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

  private ticketCut(partial: boolean): void {
    const items = this.items.slice(this.lastCutAt, this.items.length - 1);
    this.lastCutAt = this.items.length;
    for (const listener of this.ticketListeners) listener({ items, partialCut: partial });
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
      this.runs = [];
      this.lineStyle = null;
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

  private reply(byte: number | null, what: string): void {
    if (byte === null) {
      this.note(`${what}: not answered by this printer`);
      return;
    }
    if (this.faults.noReply) return;
    const bytes = Buffer.from([byte]);
    for (const listener of this.replyListeners) listener(bytes);
  }

  private execute(command: EscPosCommand, length: number): void {
    if (command.op === 'realTimeStatus') {
      this.statusQueries += 1;
      this.reply(realTimeStatusByte(command.n, this.faults), `DLE EOT ${command.n}`);
      return;
    }
    if (command.op === 'realTimeRequest') {
      this.note(`DLE ENQ ${command.n} (recovery request) ignored`);
      return;
    }
    if (isOffline(this.faults)) {
      if (this.droppingSince === null) {
        this.droppingSince = this.droppedBytes;
        this.note('offline: dropping received data');
      }
      this.droppedBytes += length;
      return;
    }
    this.apply(command);
  }

  private apply(c: EscPosCommand): void {
    const m = this.modes;
    switch (c.op) {
      case 'text':
        this.addText(c.bytes);
        break;
      case 'ht':
        this.addText(Buffer.from(' '));
        break;
      case 'lf':
        this.flushLine(true);
        break;
      case 'cr':
        break;
      case 'init':
        if (this.runs.length > 0) this.note('ESC @: unprinted line discarded');
        this.runs = [];
        this.lineStyle = null;
        this.modes = this.powerOnModes();
        break;
      case 'chineseMode':
        m.chinese = c.on;
        break;
      case 'codeTable':
        if (!(c.n in SINGLE_BYTE_TABLES)) this.note(`ESC t ${c.n}: code table not modelled, decoding as cp437`);
        m.codeTable = c.n;
        break;
      case 'internationalCharset':
        this.note(`ESC R ${c.n}: international character set (only swaps a few ASCII glyphs; not Chinese mode)`);
        break;
      case 'printMode':
        m.bold = (c.n & 0x08) !== 0;
        m.h = c.n & 0x10 ? 2 : 1;
        m.w = c.n & 0x20 ? 2 : 1;
        m.underline = (c.n & 0x80) !== 0;
        break;
      case 'charSize':
        m.w = ((c.n >> 4) & 0x07) + 1;
        m.h = (c.n & 0x07) + 1;
        break;
      case 'align':
        m.align = alignOf(c.n);
        break;
      case 'bold':
        m.bold = c.on;
        break;
      case 'underline':
        m.underline = c.n !== 0;
        break;
      case 'feedLines':
        this.flushLine(false);
        if (c.n > 0) this.items.push({ type: 'feed', lines: c.n });
        break;
      case 'qr':
        this.qrFunction(c.fn, c.params);
        break;
      case 'cut':
        this.flushLine(false);
        this.items.push({ type: 'cut', partial: c.partial });
        this.ticketCut(c.partial);
        break;
      case 'transmitStatus':
        this.reply(transmitStatusByte(c.n, this.faults), `GS r ${c.n}`);
        break;
      case 'unknown':
        this.note(`unknown command ${c.bytes.toString('hex')} skipped`);
        break;
      case 'ignored':
        if (c.name.startsWith('control') || c.name.includes('image') || c.name.startsWith('GS (')) this.note(`skipped ${c.name}`);
        break;
      case 'realTimeStatus':
      case 'realTimeRequest':
        break; // handled in execute()
    }
  }

  private qrFunction(fn: number, params: Buffer): void {
    const arg = params[2] ?? 0;
    switch (fn) {
      case 0x41:
        if (arg !== 0x32) this.note(`QR model ${arg - 0x30} (model 2 expected)`);
        break;
      case 0x43:
        this.qr.moduleDots = arg;
        break;
      case 0x45:
        this.qr.errorCorrection = EC_LEVELS[arg - 0x30] ?? 'L';
        break;
      case 0x50:
        this.qr.data = Buffer.from(params.subarray(3));
        break;
      case 0x51: {
        const data = this.qr.data;
        if (!data) {
          this.note('QR print with no stored data');
          break;
        }
        this.flushLine(false);
        this.items.push({
          type: 'qr',
          data: new TextDecoder('utf-8').decode(data),
          bytes: data,
          moduleDots: this.qr.moduleDots,
          errorCorrection: this.qr.errorCorrection,
          align: this.modes.align,
        });
        break;
      }
      default:
        this.note(`QR function 0x${fn.toString(16)} skipped`);
    }
  }

  private addText(bytes: Buffer): void {
    const m = this.modes;
    if (!this.lineStyle) this.lineStyle = { align: m.align, w: m.w, h: m.h, bold: m.bold, underline: m.underline, chinese: m.chinese };
    const last = this.runs[this.runs.length - 1];
    if (last && last.chinese === m.chinese && last.codeTable === m.codeTable) last.chunks.push(bytes);
    else this.runs.push({ chinese: m.chinese, codeTable: m.codeTable, chunks: [bytes] });
  }

  private flushLine(feedWhenEmpty: boolean): void {
    if (this.runs.length === 0 || !this.lineStyle) {
      if (feedWhenEmpty) this.items.push({ type: 'feed', lines: 1 });
      return;
    }
    const text = this.runs
      .map((run) => iconv.decode(Buffer.concat(run.chunks), run.chinese ? 'gb18030' : (SINGLE_BYTE_TABLES[run.codeTable] ?? 'cp437')))
      .join('');
    this.items.push({ type: 'text', text, ...this.lineStyle });
    this.runs = [];
    this.lineStyle = null;
  }
}

type QrLevel = 'L' | 'M' | 'Q' | 'H';
