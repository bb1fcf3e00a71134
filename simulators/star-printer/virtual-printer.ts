// A byte-level virtual Star printer in Line Mode: parses what drivers/printer/star sends into the
// same PrintedItem model as the ESC/POS simulator (so renderTicketText / renderTicketPng work on
// its tickets) and answers ESC ACK SOH / ENQ / EOT from injected faults. Command set: see
// parser.ts and drivers/printer/star/README.md.
//
// Offline behaviour is the ESC/POS simulator's: while offline (paper out, cover open, cutter
// error, offline) every non-real-time byte is dropped and counted, and the half-built line is
// discarded when the fault starts, so a test can show nothing was printed. Status requests are
// real-time and answered offline too (unless `noReply`).
import iconv from 'iconv-lite';
import { NO_FAULTS, type Align, type PrintedItem, type PrintedTicket, type PrinterFaults, type TextItem, type FeedItem } from '../escpos-printer/model.js';
import { isOffline } from '../escpos-printer/status-replies.js';
import type { ByteLinkEnd } from '../escpos-printer/virtual-printer.js';
import { StarLineParser, type StarCommand } from './parser.js';
import { asbReply, enqReply, eotReply } from './status-replies.js';

export interface VirtualStarPrinterOptions {
  /**
   * Multi-byte (Chinese) mode after power-on and ESC @ — the memory-switch setting. Default off,
   * so a driver that forgets ESC $ 1 is caught (its Chinese prints as single-byte garbage).
   */
  multibyteAtPowerOn?: boolean;
  /** Called with every log line as well as keeping it in `log`. */
  onLog?: (line: string) => void;
}

const EC_LEVELS = ['L', 'M', 'Q', 'H'] as const;
const MAX_LOG_LINES = 1000;
const MAX_EXPANSION_N = 5;

interface Modes {
  align: Align;
  w: number;
  h: number;
  bold: boolean;
  underline: boolean;
  multibyte: boolean;
}

interface Run {
  multibyte: boolean;
  chunks: Buffer[];
}

function alignOf(n: number): Align {
  return n === 1 ? 'center' : n === 2 ? 'right' : 'left';
}

function expansion(n: number): number {
  return Math.min(n, MAX_EXPANSION_N) + 1;
}

export class VirtualStarPrinter {
  /** Everything printed, in order, cuts included. */
  readonly items: PrintedItem[] = [];
  /** Unknown commands, drops while offline, … */
  readonly log: string[] = [];
  receivedBytes = 0;
  /** Bytes received while offline and thrown away (never printed later). */
  droppedBytes = 0;
  /** ESC ACK SOH, ENQ and EOT requests received, answered or not. */
  statusQueries = 0;

  private faults: PrinterFaults = { ...NO_FAULTS };
  private modes: Modes;
  private runs: Run[] = [];
  private lineStyle: Omit<TextItem, 'type' | 'text'> | null = null;
  private qr = { cellDots: 3, errorCorrection: 'L' as (typeof EC_LEVELS)[number], data: null as Buffer | null };
  private readonly replyListeners = new Set<(bytes: Buffer) => void>();
  private readonly ticketListeners = new Set<(ticket: PrintedTicket) => void>();
  private lastCutAt = 0;
  private readonly parser = new StarLineParser((command, length) => this.execute(command, length));
  private droppingSince: number | null = null;

  constructor(private readonly options: VirtualStarPrinterOptions = {}) {
    this.modes = this.powerOnModes();
  }

  private powerOnModes(): Modes {
    return { align: 'left', w: 1, h: 1, bold: false, underline: false, multibyte: this.options.multibyteAtPowerOn ?? false };
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

  /** Called with each ticket as its cut comes in. */
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
    this.lastEscAFeed = null;
  }

  private reply(bytes: Buffer): void {
    if (this.faults.noReply) return;
    for (const listener of this.replyListeners) listener(bytes);
  }

  private execute(command: StarCommand, length: number): void {
    switch (command.op) {
      case 'statusAsb':
        this.statusQueries += 1;
        this.reply(asbReply(this.faults));
        return;
      case 'statusEnq':
        this.statusQueries += 1;
        this.reply(Buffer.from([enqReply(this.faults)]));
        return;
      case 'statusEot':
        this.statusQueries += 1;
        this.reply(Buffer.from([eotReply(this.faults)]));
        return;
      default:
        break;
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

  private apply(c: StarCommand): void {
    const m = this.modes;
    switch (c.op) {
      case 'text':
        this.addText(c.bytes);
        break;
      case 'lf':
        this.flushLine(true);
        break;
      case 'cr':
        break; // CR is ignored by default (memory switch "CR function")
      case 'init':
        this.modes = this.powerOnModes();
        break;
      case 'multibyteMode':
        m.multibyte = c.on;
        break;
      case 'jisMode':
        this.note(`ESC ${c.on ? 'p' : 'q'}: JIS Kanji mode not modelled (every byte pair would be one character)`);
        break;
      case 'codePage':
        this.note(`ESC GS t ${c.n}: code page not modelled, single-byte text decodes as cp437`);
        break;
      case 'align':
        m.align = alignOf(c.n);
        break;
      case 'expand':
        m.h = expansion(c.heightN);
        m.w = expansion(c.widthN);
        break;
      case 'expandWidth':
        m.w = expansion(c.n);
        break;
      case 'expandHeight':
        m.h = expansion(c.n);
        break;
      case 'bold':
        m.bold = c.on;
        break;
      case 'underline':
        m.underline = c.n !== 0;
        break;
      case 'feedLines':
        this.flushLine(false);
        if (c.n > 0) this.addFeed(c.n);
        break;
      case 'cut':
        this.flushLine(false);
        if (c.n > 3) this.note(`ESC d ${c.n}: not a cut mode, taken as full cut`);
        this.items.push({ type: 'cut', partial: c.n === 1 || c.n === 3 });
        this.ticketCut(c.n === 1 || c.n === 3);
        break;
      case 'qrSetting':
        this.qrSetting(c.what, c.n);
        break;
      case 'qrStore':
        if (c.mode !== 0) this.note(`ESC GS y D 1 m=${c.mode}: manual data mode not modelled, stored as is`);
        this.qr.data = c.data;
        break;
      case 'qrPrint':
        this.printQr();
        break;
      case 'unknown':
        this.note(`unknown command ${c.bytes.toString('hex')} skipped`);
        break;
      case 'ignored':
        if (c.name.startsWith('control')) this.note(`skipped ${c.name}`);
        break;
      case 'statusAsb':
      case 'statusEnq':
      case 'statusEot':
        break; // handled in execute()
    }
  }

  private qrSetting(what: number, n: number): void {
    switch (what) {
      case 0:
        if (n !== 2) this.note(`QR model ${n} (model 2 expected)`);
        break;
      case 1:
        this.qr.errorCorrection = EC_LEVELS[n] ?? 'L';
        break;
      case 2:
        this.qr.cellDots = n;
        break;
      default:
        this.note(`ESC GS y S ${what}: QR setting not modelled`);
    }
  }

  private printQr(): void {
    const data = this.qr.data;
    if (!data) {
      this.note('QR print with no stored data');
      return;
    }
    this.flushLine(false);
    this.items.push({
      type: 'qr',
      data: new TextDecoder('utf-8').decode(data),
      bytes: data,
      moduleDots: this.qr.cellDots,
      errorCorrection: this.qr.errorCorrection,
      align: this.modes.align,
    });
  }

  private addFeed(lines: number): void {
    // ESC a takes at most 127 lines, so a long feed arrives as several commands; on paper it
    // is one stretch of blank, one item (as ESC d n is in the ESC/POS simulator).
    const last = this.items[this.items.length - 1];
    if (last !== undefined && last === this.lastEscAFeed) {
      last.lines += lines;
      return;
    }
    this.lastEscAFeed = { type: 'feed', lines };
    this.items.push(this.lastEscAFeed);
  }

  /** The feed item the last ESC a made; the next ESC a extends it if nothing was printed between. */
  private lastEscAFeed: FeedItem | null = null;

  private ticketCut(partial: boolean): void {
    const items = this.items.slice(this.lastCutAt, this.items.length - 1);
    this.lastCutAt = this.items.length;
    for (const listener of this.ticketListeners) listener({ items, partialCut: partial });
  }

  private addText(bytes: Buffer): void {
    const m = this.modes;
    if (!this.lineStyle) this.lineStyle = { align: m.align, w: m.w, h: m.h, bold: m.bold, underline: m.underline, chinese: m.multibyte };
    const last = this.runs[this.runs.length - 1];
    if (last && last.multibyte === m.multibyte) last.chunks.push(bytes);
    else this.runs.push({ multibyte: m.multibyte, chunks: [bytes] });
  }

  private flushLine(feedWhenEmpty: boolean): void {
    if (this.runs.length === 0 || !this.lineStyle) {
      if (feedWhenEmpty) {
        this.items.push({ type: 'feed', lines: 1 });
          }
      return;
    }
    const text = this.runs.map((run) => iconv.decode(Buffer.concat(run.chunks), run.multibyte ? 'gb18030' : 'cp437')).join('');
    this.items.push({ type: 'text', text, ...this.lineStyle });
    this.runs = [];
    this.lineStyle = null;
  }
}
