// A byte-level virtual ESC/POS printer: it parses what the real driver sends, keeps a model of
// the paper, and answers status queries the way a printer does. Command set: Epson ESC/POS
// Command Reference + Chinese-model FS commands (SP91/HPRT manuals); see docs/hardware.md, "ESC/POS ticket printers".
// The paper, the faults and the offline rule (bytes received offline are dropped, never
// printed later) are shared with the Star simulator: virtual-printer-paper.ts. DLE EOT is real-time
// and answered while offline (unless `noReply`).
import { EscPosParser, type EscPosCommand } from './parser.js';
import type { Align } from './model.js';
import { realTimeStatusByte, transmitStatusByte } from './status-replies.js';
import { ModalPrinter, QR_LEVELS, type OwnCommand } from './virtual-printer-modes.js';

export type { ByteLinkEnd } from './virtual-printer-paper.js';

export interface VirtualPrinterOptions {
  /** Chinese mode after power-on and ESC @: on for SP91/HCC-style printers, off for HPRT (default off, so a driver that forgets FS & is caught). */
  chineseModeAtPowerOn?: boolean;
  /** Called with every log line as well as keeping it in `log`. */
  onLog?: (line: string) => void;
}

const SINGLE_BYTE_TABLES: Record<number, string> = { 0: 'cp437', 2: 'cp850', 16: 'windows1252', 17: 'cp866', 18: 'cp852', 19: 'cp858' };

function alignOf(n: number): Align {
  const v = n >= 48 ? n - 48 : n;
  return v === 1 ? 'center' : v === 2 ? 'right' : 'left';
}

export class VirtualEscPosPrinter extends ModalPrinter<EscPosCommand> {
  private codeTable = 0;
  private readonly parser = new EscPosParser((command, length) => this.execute(command, length));

  constructor(private readonly options: VirtualPrinterOptions = {}) {
    super(options.onLog);
    this.powerOn();
  }

  private powerOn(): void {
    this.style = { align: 'left', w: 1, h: 1, bold: false, underline: false, chinese: this.options.chineseModeAtPowerOn ?? false };
    this.codeTable = 0;
  }

  /** ESC @ clears the print buffer: a line not yet printed is lost. */
  protected reset(): void {
    if (this.hasUnprintedLine()) this.note('ESC @: unprinted line discarded');
    this.discardLine();
    this.powerOn();
  }

  protected parse(bytes: Uint8Array): void {
    this.parser.push(bytes);
  }

  protected singleByteEncoding(): string {
    return SINGLE_BYTE_TABLES[this.codeTable] ?? 'cp437';
  }

  private reply(byte: number | null, what: string): void {
    if (byte === null) {
      this.note(`${what}: not answered by this printer`);
      return;
    }
    this.sendReply(Buffer.from([byte]));
  }

  protected realTime(command: EscPosCommand): boolean {
    if (command.op === 'realTimeStatus') {
      this.statusQueries += 1;
      this.reply(realTimeStatusByte(command.n, this.faults), `DLE EOT ${command.n}`);
      return true;
    }
    if (command.op === 'realTimeRequest') {
      this.note(`DLE ENQ ${command.n} (recovery request) ignored`);
      return true;
    }
    return false;
  }

  protected apply(c: OwnCommand<EscPosCommand>): void {
    const m = this.style;
    switch (c.op) {
      case 'ht':
        this.applyShared({ op: 'text', bytes: Buffer.from(' ') });
        break;
      case 'chineseMode':
        m.chinese = c.on;
        break;
      case 'codeTable':
        if (!(c.n in SINGLE_BYTE_TABLES)) this.note(`ESC t ${c.n}: code table not modelled, decoding as cp437`);
        this.codeTable = c.n;
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
      case 'qr':
        this.qrFunction(c.fn, c.params);
        break;
      case 'cut':
        this.cut(c.partial);
        break;
      case 'transmitStatus':
        this.reply(transmitStatusByte(c.n, this.faults), `GS r ${c.n}`);
        break;
      case 'ignored':
        if (c.name.startsWith('control') || c.name.includes('image') || c.name.startsWith('GS (')) this.note(`skipped ${c.name}`);
        break;
      case 'realTimeStatus':
      case 'realTimeRequest':
        break; // handled in realTime()
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
        this.qr.errorCorrection = QR_LEVELS[arg - 0x30] ?? 'L';
        break;
      case 0x50:
        this.qr.data = Buffer.from(params.subarray(3));
        break;
      case 0x51:
        this.printStoredQr();
        break;
      default:
        this.note(`QR function 0x${fn.toString(16)} skipped`);
    }
  }
}
