// Builds one Star Line Mode byte buffer (commands: star-commands.ts). Same calls as
// EscPosBuilder, so render-blocks.ts walks a template onto either. Text is GB18030 in
// multi-byte mode (ESC $ 1), which init() turns on after every ESC @.
import { encodeGb18030 } from '../gb18030.js';
import type { TicketBuilder } from '../render-blocks.js';
import type { TextAlign } from '../../hal/ticket-template.js';
import {
  BOLD_OFF,
  BOLD_ON,
  INITIALIZE,
  MULTIBYTE_MODE_ON,
  alignment,
  characterExpansion,
  cut,
  feedLines,
  qrCode,
  starMagnification,
  underline,
  type QrErrorCorrection,
} from './star-commands.js';

const LF = Buffer.from([0x0a]);

/** Modes after ESC @ (memory-switch defaults); the builder skips commands that would not change them. */
const RESET_STATE = { align: 'left' as TextAlign, w: 1, h: 1, bold: false, underline: false };

export class StarLineBuilder implements TicketBuilder {
  private readonly chunks: Buffer[] = [];
  private state = { ...RESET_STATE };

  private add(bytes: Buffer): this {
    this.chunks.push(bytes);
    return this;
  }

  /** ESC @ then ESC $ 1: reset modes, then multi-byte (GB18030) mode, which ESC @ resets to the memory switch. */
  init(): this {
    this.state = { ...RESET_STATE };
    return this.add(INITIALIZE).add(MULTIBYTE_MODE_ON);
  }

  align(align: TextAlign): this {
    if (align === this.state.align) return this;
    this.state.align = align;
    return this.add(alignment(align));
  }

  bold(on: boolean): this {
    if (on === this.state.bold) return this;
    this.state.bold = on;
    return this.add(on ? BOLD_ON : BOLD_OFF);
  }

  underline(on: boolean): this {
    if (on === this.state.underline) return this;
    this.state.underline = on;
    return this.add(underline(on));
  }

  /** 1–8 as in the template; 7 and 8 print at 6 (ESC i's limit). */
  size(widthTimes: number, heightTimes: number): this {
    const w = starMagnification('width', widthTimes);
    const h = starMagnification('height', heightTimes);
    if (w === this.state.w && h === this.state.h) return this;
    this.state.w = w;
    this.state.h = h;
    return this.add(characterExpansion(w, h));
  }

  /** Text as GB18030 bytes (printer in multi-byte mode). No line feed. */
  text(text: string): this {
    return this.add(encodeGb18030(text));
  }

  newLine(): this {
    return this.add(LF);
  }

  feed(lines: number): this {
    return this.add(feedLines(lines));
  }

  /** Module size 1–16 as in the template; above 8 prints at 8 (ESC GS y S 2's limit). */
  qr(data: string, moduleDots: number, errorCorrection: QrErrorCorrection): this {
    return this.add(qrCode(data, moduleDots, errorCorrection));
  }

  /** ESC d 2/3: feed to the cutter, cut. Modes stay as they were (no ESC @ here). */
  cut(partial: boolean): this {
    return this.add(cut(partial));
  }

  raw(bytes: Buffer): this {
    return this.add(Buffer.from(bytes));
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
