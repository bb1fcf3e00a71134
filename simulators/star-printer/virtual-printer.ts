// A byte-level virtual Star printer in Line Mode: parses what drivers/printer/star sends into the
// same PrintedItem model as the ESC/POS simulator (so renderTicketText / renderTicketPng work on
// its tickets) and answers ESC ACK SOH / ENQ / EOT from injected faults. Command set: see
// parser.ts and drivers/printer/star/README.md.
//
// The paper, the faults and the offline rule are the ESC/POS simulator's (virtual-printer-paper.ts):
// while offline every non-real-time byte is dropped and counted, and the half-built line is
// discarded when the fault starts, so a test can show nothing was printed. Status requests are
// real-time and answered offline too (unless `noReply`).
import type { Align, FeedItem } from '../escpos-printer/model.js';
import { ModalPrinter, QR_LEVELS, type OwnCommand } from '../escpos-printer/virtual-printer-modes.js';
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

const MAX_EXPANSION_N = 5;

function alignOf(n: number): Align {
  return n === 1 ? 'center' : n === 2 ? 'right' : 'left';
}

function expansion(n: number): number {
  return Math.min(n, MAX_EXPANSION_N) + 1;
}

export class VirtualStarPrinter extends ModalPrinter<StarCommand> {
  private readonly parser = new StarLineParser((command, length) => this.execute(command, length));
  /** The feed item the last ESC a made; the next ESC a extends it if nothing was printed between. */
  private lastEscAFeed: FeedItem | null = null;

  constructor(private readonly options: VirtualStarPrinterOptions = {}) {
    super(options.onLog);
    this.powerOn();
  }

  /** ESC @ resets the modes to the memory switches; unlike ESC/POS it keeps the line being built. */
  protected reset(): void {
    this.powerOn();
  }

  private powerOn(): void {
    this.style = { align: 'left', w: 1, h: 1, bold: false, underline: false, chinese: this.options.multibyteAtPowerOn ?? false };
  }

  protected parse(bytes: Uint8Array): void {
    this.parser.push(bytes);
  }

  protected singleByteEncoding(): string {
    return 'cp437';
  }

  override clearPaper(): void {
    super.clearPaper();
    this.lastEscAFeed = null;
  }

  protected realTime(command: StarCommand): boolean {
    const reply =
      command.op === 'statusAsb' ? asbReply(this.faults)
      : command.op === 'statusEnq' ? Buffer.from([enqReply(this.faults)])
      : command.op === 'statusEot' ? Buffer.from([eotReply(this.faults)])
      : null;
    if (reply === null) return false;
    this.statusQueries += 1;
    this.sendReply(reply);
    return true;
  }

  protected apply(c: OwnCommand<StarCommand>): void {
    const m = this.style;
    switch (c.op) {
      case 'multibyteMode':
        m.chinese = c.on;
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
        this.printStoredQr();
        break;
      case 'ignored':
        if (c.name.startsWith('control')) this.note(`skipped ${c.name}`);
        break;
      case 'statusAsb':
      case 'statusEnq':
      case 'statusEot':
        break; // handled in realTime()
    }
  }

  private qrSetting(what: number, n: number): void {
    switch (what) {
      case 0:
        if (n !== 2) this.note(`QR model ${n} (model 2 expected)`);
        break;
      case 1:
        this.qr.errorCorrection = QR_LEVELS[n] ?? 'L';
        break;
      case 2:
        this.qr.moduleDots = n;
        break;
      default:
        this.note(`ESC GS y S ${what}: QR setting not modelled`);
    }
  }

  /**
   * ESC a takes at most 127 lines, so a long feed arrives as several commands; on paper it is
   * one stretch of blank, one item (as ESC d n is in the ESC/POS simulator).
   */
  protected override addFeed(lines: number): void {
    const last = this.items[this.items.length - 1];
    if (last !== undefined && last === this.lastEscAFeed) {
      last.lines += lines;
      return;
    }
    this.lastEscAFeed = { type: 'feed', lines };
    this.items.push(this.lastEscAFeed);
  }
}
