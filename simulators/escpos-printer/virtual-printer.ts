// A byte-level virtual ESC/POS printer: it parses what the real driver sends, keeps a model of
// the paper, and answers status queries the way a printer does. Command set: Epson ESC/POS
// Command Reference + Chinese-model FS commands (SP91/HPRT manuals); see hardware.md §2.
// The paper, the faults and the offline rule (bytes received offline are dropped, never
// printed later) are shared with the Star simulator: paper-printer.ts. DLE EOT is real-time
// and answered while offline (unless `noReply`).
import { EscPosParser, type EscPosCommand } from './parser.js';
import type { Align } from './model.js';
import { realTimeStatusByte, transmitStatusByte } from './status-replies.js';
import { VirtualPaperPrinter, type QrLevel } from './paper-printer.js';

export type { ByteLinkEnd } from './paper-printer.js';

export interface VirtualPrinterOptions {
  /** Chinese mode after power-on and ESC @: on for SP91/HCC-style printers, off for HPRT (default off, so a driver that forgets FS & is caught). */
  chineseModeAtPowerOn?: boolean;
  /** Called with every log line as well as keeping it in `log`. */
  onLog?: (line: string) => void;
}

const SINGLE_BYTE_TABLES: Record<number, string> = { 0: 'cp437', 2: 'cp850', 16: 'windows1252', 17: 'cp866', 18: 'cp852', 19: 'cp858' };
const EC_LEVELS = ['L', 'M', 'Q', 'H'] as const;

interface Modes {
  align: Align;
  w: number;
  h: number;
  bold: boolean;
  underline: boolean;
  chinese: boolean;
  codeTable: number;
}

function alignOf(n: number): Align {
  const v = n >= 48 ? n - 48 : n;
  return v === 1 ? 'center' : v === 2 ? 'right' : 'left';
}

export class VirtualEscPosPrinter extends VirtualPaperPrinter {
  private modes: Modes;
  private qr = { moduleDots: 3, errorCorrection: 'L' as QrLevel, data: null as Buffer | null };
  private readonly parser = new EscPosParser((command, length) => this.execute(command, length));

  constructor(private readonly options: VirtualPrinterOptions = {}) {
    super(options.onLog);
    this.modes = this.powerOnModes();
  }

  private powerOnModes(): Modes {
    return { align: 'left', w: 1, h: 1, bold: false, underline: false, chinese: this.options.chineseModeAtPowerOn ?? false, codeTable: 0 };
  }

  protected parse(bytes: Uint8Array): void {
    this.parser.push(bytes);
  }

  private reply(byte: number | null, what: string): void {
    if (byte === null) {
      this.note(`${what}: not answered by this printer`);
      return;
    }
    this.sendReply(Buffer.from([byte]));
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
    if (this.droppedOffline(length)) return;
    this.apply(command);
  }

  private apply(c: EscPosCommand): void {
    const m = this.modes;
    switch (c.op) {
      case 'text':
        this.text(c.bytes);
        break;
      case 'ht':
        this.text(Buffer.from(' '));
        break;
      case 'lf':
        this.flushLine(true);
        break;
      case 'cr':
        break;
      case 'init':
        if (this.hasUnprintedLine()) this.note('ESC @: unprinted line discarded');
        this.discardLine();
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
        this.cut(c.partial);
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
      case 0x51:
        this.printQr(this.qr.data, this.qr.moduleDots, this.qr.errorCorrection, this.modes.align);
        break;
      default:
        this.note(`QR function 0x${fn.toString(16)} skipped`);
    }
  }

  private text(bytes: Buffer): void {
    const m = this.modes;
    const encoding = m.chinese ? 'gb18030' : (SINGLE_BYTE_TABLES[m.codeTable] ?? 'cp437');
    this.addText(bytes, encoding, { align: m.align, w: m.w, h: m.h, bold: m.bold, underline: m.underline, chinese: m.chinese });
  }
}

