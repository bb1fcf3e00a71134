// A virtual printer with print modes, whatever its command set: the line style in force
// (alignment, magnification, bold, underline, Chinese/multi-byte mode), the QR symbol being set
// up, and the commands ESC/POS and Star Line Mode share with one meaning (text, LF, CR, bold,
// underline, feed n lines, an unknown command). Real-time requests are answered while offline;
// everything else is dropped while offline (virtual-printer-paper.ts) or applied.
import { SHARED_OPS, type SharedPrintCommand } from './command-stream.js';
import { VirtualPaperPrinter, type LineStyle, type QrLevel } from './virtual-printer-paper.js';

/** The command-set specific part of a command union. */
export type OwnCommand<C> = Exclude<C, { op: SharedPrintCommand['op'] }>;

function isShared<C extends { op: string }>(command: C | SharedPrintCommand): command is SharedPrintCommand {
  return SHARED_OPS.has(command.op);
}

export const QR_LEVELS: readonly QrLevel[] = ['L', 'M', 'Q', 'H'];

export abstract class ModalPrinter<C extends { op: string } | SharedPrintCommand> extends VirtualPaperPrinter {
  protected style: LineStyle = { align: 'left', w: 1, h: 1, bold: false, underline: false, chinese: false };
  /** The symbol being set up by the QR commands; printed with the alignment in force at print. */
  protected qr = { moduleDots: 3, errorCorrection: 'L' as QrLevel, data: null as Buffer | null };

  /** Handles a real-time command (status) and returns true, or returns false for a printing one. */
  protected abstract realTime(command: C): boolean;
  /** Applies a command-set specific printing command while online. */
  protected abstract apply(command: OwnCommand<C>): void;
  /** ESC @: modes back to their power-on values (and, per command set, the line being built). */
  protected abstract reset(): void;
  /** The encoding of text outside Chinese mode. */
  protected abstract singleByteEncoding(): string;

  protected execute(command: C, length: number): void {
    if (this.realTime(command)) return;
    if (this.droppedOffline(length)) return;
    if (isShared(command)) this.applyShared(command);
    else this.apply(command as OwnCommand<C>); // what isShared() rejects is OwnCommand<C>: TS cannot narrow a generic union
  }

  protected applyShared(c: SharedPrintCommand): void {
    switch (c.op) {
      case 'init':
        this.reset();
        break;
      case 'text':
        this.addText(c.bytes, this.style.chinese ? 'gb18030' : this.singleByteEncoding(), { ...this.style });
        break;
      case 'lf':
        this.flushLine(true);
        break;
      case 'cr':
        break; // both command sets ignore CR by default
      case 'bold':
        this.style.bold = c.on;
        break;
      case 'underline':
        this.style.underline = c.n !== 0;
        break;
      case 'feedLines':
        this.flushLine(false);
        if (c.n > 0) this.addFeed(c.n);
        break;
      case 'unknown':
        this.note(`unknown command ${c.bytes.toString('hex')} skipped`);
        break;
    }
  }

  /** Blank paper of `lines` lines (ESC d n / ESC a n). */
  protected addFeed(lines: number): void {
    this.items.push({ type: 'feed', lines });
  }

  protected printStoredQr(): void {
    this.printQr(this.qr.data, this.qr.moduleDots, this.qr.errorCorrection, this.style.align);
  }
}
