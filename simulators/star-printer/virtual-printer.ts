// A byte-level virtual Star printer in Line Mode: parses what drivers/printer/star sends into the
// same PrintedItem model as the ESC/POS simulator (so renderTicketText / renderTicketPng work on
// its tickets) and answers ESC ACK SOH / ENQ / EOT from injected faults. Command set: see
// parser.ts and drivers/printer/star/README.md.
//
// The paper, the faults and the offline rule are the ESC/POS simulator's (paper-printer.ts):
// while offline every non-real-time byte is dropped and counted, and the half-built line is
// discarded when the fault starts, so a test can show nothing was printed. Status requests are
// real-time and answered offline too (unless `noReply`).
import type { Align, FeedItem } from '../escpos-printer/model.js';
import { VirtualPaperPrinter } from '../escpos-printer/paper-printer.js';
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
const MAX_EXPANSION_N = 5;

interface Modes {
  align: Align;
  w: number;
  h: number;
  bold: boolean;
  underline: boolean;
  multibyte: boolean;
}

function alignOf(n: number): Align {
  return n === 1 ? 'center' : n === 2 ? 'right' : 'left';
}

function expansion(n: number): number {
  return Math.min(n, MAX_EXPANSION_N) + 1;
}

export class VirtualStarPrinter extends VirtualPaperPrinter {
  private modes: Modes;
  private qr = { cellDots: 3, errorCorrection: 'L' as (typeof EC_LEVELS)[number], data: null as Buffer | null };
  private readonly parser = new StarLineParser((command, length) => this.execute(command, length));
  /** The feed item the last ESC a made; the next ESC a extends it if nothing was printed between. */
  private lastEscAFeed: FeedItem | null = null;

  constructor(private readonly options: VirtualStarPrinterOptions = {}) {
    super(options.onLog);
    this.modes = this.powerOnModes();
  }

  private powerOnModes(): Modes {
    return { align: 'left', w: 1, h: 1, bold: false, underline: false, multibyte: this.options.multibyteAtPowerOn ?? false };
  }

  protected parse(bytes: Uint8Array): void {
    this.parser.push(bytes);
  }

  override clearPaper(): void {
    super.clearPaper();
    this.lastEscAFeed = null;
  }

  private execute(command: StarCommand, length: number): void {
    switch (command.op) {
      case 'statusAsb':
        this.statusQueries += 1;
        this.sendReply(asbReply(this.faults));
        return;
      case 'statusEnq':
        this.statusQueries += 1;
        this.sendReply(Buffer.from([enqReply(this.faults)]));
        return;
      case 'statusEot':
        this.statusQueries += 1;
        this.sendReply(Buffer.from([eotReply(this.faults)]));
        return;
      default:
        break;
    }
    if (this.droppedOffline(length)) return;
    this.apply(command);
  }

  private apply(c: StarCommand): void {
    const m = this.modes;
    switch (c.op) {
      case 'text':
        this.text(c.bytes);
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
        if (c.n > 3) this.note(`ESC d ${c.n}: not a cut mode, taken as full cut`);
        this.cut(c.n === 1 || c.n === 3);
        break;
      case 'qrSetting':
        this.qrSetting(c.what, c.n);
        break;
      case 'qrStore':
        if (c.mode !== 0) this.note(`ESC GS y D 1 m=${c.mode}: manual data mode not modelled, stored as is`);
        this.qr.data = c.data;
        break;
      case 'qrPrint':
        this.printQr(this.qr.data, this.qr.cellDots, this.qr.errorCorrection, this.modes.align);
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

  private text(bytes: Buffer): void {
    const m = this.modes;
    this.addText(bytes, m.multibyte ? 'gb18030' : 'cp437', { align: m.align, w: m.w, h: m.h, bold: m.bold, underline: m.underline, chinese: m.multibyte });
  }
}
