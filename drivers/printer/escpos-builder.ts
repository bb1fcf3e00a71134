// Builds one ESC/POS byte buffer. node-thermal-printer 4.6.1 (EPSON type) supplies the
// commands it gets right — ESC a, ESC E, ESC -, LF, and the cut sequence (ESC d 4,
// GS V 0/1, ESC @) — and escpos-commands.ts / gb18030.ts supply what it gets wrong:
// Chinese mode (it sends ESC R 15, never FS &), GB18030 text (its EUC-CN path turns 𠮷 into
// "??" after switching to PC437), GS ! (it swaps width and height), QR (it counts UTF-16
// units, not bytes, and stops at module size 8). Manual: Epson ESC/POS Command Reference.
//
// We use the library as a buffer builder only (getBuffer()), not through its `interface`
// hook: `execute(buffer)` is one-way, while a ticket needs a status query answered on the
// same link *before* any byte is sent, and the library's own file/network interfaces never
// read. The transport (transport.ts) owns the link; this file only makes bytes.
//
// Only the EPSON type is used. The library's STAR type emits Star Line Mode (ESC GS a n
// align, ESC i size, ESC d 2 cut, ESC GS y QR), another command set whose status protocol is
// ENQ/EOT/ASB rather than DLE EOT; a Star printer is run in its ESC/POS emulation mode (a
// DIP/memory switch) and then takes exactly these bytes.
import nodeThermalPrinter from 'node-thermal-printer';
import { CHINESE_MODE_ON, INITIALIZE, characterSize, feedLines, qrCode, type QrErrorCorrection } from './escpos-commands.js';
import { encodeGb18030 } from './gb18030.js';
import type { TextAlign } from '../hal/ticket-template.js';

const { ThermalPrinter, PrinterTypes } = nodeThermalPrinter;

/** Handed to the library so it never opens a file or a socket of its own; nothing here calls execute(). */
const BUFFER_ONLY_INTERFACE = {
  execute(): Promise<never> {
    return Promise.reject(new Error('escpos-builder: the library is used to build buffers only'));
  },
  isPrinterConnected(): Promise<boolean> {
    return Promise.resolve(false);
  },
};

/** Lines ESC d 4 feeds before the cut: the head-to-cutter distance on 80 mm kiosk printers is about 4 lines. */
const CUT_FEED_VERTICAL_TABS = 1;

/** Modes after ESC @; the builder skips commands that would not change them. */
const RESET_STATE = { align: 'left' as TextAlign, w: 1, h: 1, bold: false, underline: false };

export class EscPosBuilder {
  private readonly ntp: InstanceType<typeof ThermalPrinter>;
  private state = { ...RESET_STATE };

  constructor(columns: number) {
    this.ntp = new ThermalPrinter({
      type: PrinterTypes.EPSON,
      // The .d.ts types `interface` as a string, but the library accepts an object with
      // execute()/isPrinterConnected() (lib/interfaces/index.js); the cast is for that typing gap.
      interface: BUFFER_ONLY_INTERFACE as unknown as string,
      width: columns,
    });
  }

  /** ESC @ then FS &: reset modes, then Chinese mode, which ESC @ turns off on some printers. */
  init(): this {
    this.ntp.add(INITIALIZE);
    this.ntp.add(CHINESE_MODE_ON);
    this.state = { ...RESET_STATE };
    return this;
  }

  align(align: TextAlign): this {
    if (align === this.state.align) return this;
    this.state.align = align;
    if (align === 'center') this.ntp.alignCenter();
    else if (align === 'right') this.ntp.alignRight();
    else this.ntp.alignLeft();
    return this;
  }

  bold(on: boolean): this {
    if (on === this.state.bold) return this;
    this.state.bold = on;
    this.ntp.bold(on);
    return this;
  }

  underline(on: boolean): this {
    if (on === this.state.underline) return this;
    this.state.underline = on;
    this.ntp.underline(on);
    return this;
  }

  size(widthTimes: number, heightTimes: number): this {
    if (widthTimes === this.state.w && heightTimes === this.state.h) return this;
    this.state.w = widthTimes;
    this.state.h = heightTimes;
    this.ntp.add(characterSize(widthTimes, heightTimes));
    return this;
  }

  /** Text as GB18030 bytes (printer in Chinese mode). No line feed. */
  text(text: string): this {
    this.ntp.add(encodeGb18030(text));
    return this;
  }

  newLine(): this {
    this.ntp.newLine();
    return this;
  }

  feed(lines: number): this {
    this.ntp.add(feedLines(lines));
    return this;
  }

  qr(data: string, moduleDots: number, errorCorrection: QrErrorCorrection): this {
    this.ntp.add(qrCode(data, moduleDots, errorCorrection));
    return this;
  }

  /** Feed past the cutter, cut, ESC @. Chinese mode must be sent again before more text. */
  cut(partial: boolean): this {
    if (partial) this.ntp.partialCut({ verticalTabAmount: CUT_FEED_VERTICAL_TABS });
    else this.ntp.cut({ verticalTabAmount: CUT_FEED_VERTICAL_TABS });
    this.state = { ...RESET_STATE }; // the library ends the cut with ESC @
    return this;
  }

  raw(bytes: Buffer): this {
    this.ntp.add(bytes);
    return this;
  }

  bytes(): Buffer {
    return Buffer.from(this.ntp.getBuffer() ?? Buffer.alloc(0));
  }
}
