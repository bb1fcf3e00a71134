// A simulated SSD1306 OLED controller and its glass, at the byte level: it decodes the control
// bytes, commands and display data the real driver sends over I2C (Solomon Systech SSD1306
// datasheet Rev 1.1: §8.1.5.2 control byte, §9 command table, §10.1.3-5 addressing), keeps
// its own 128x64 display RAM (power-up garbage included), and shows what the glass would.
//
// The glass is modelled as common 0.96" / 0.91" modules are wired: SEG0 at the right edge and
// COM0 at the bottom, which is why their init sends segment remap (0xA1) and COM scan
// decrement (0xC8): without them the picture here is mirrored or upside down, as on a real
// module. A 64-row glass needs the alternative COM pin setting (0xDA 0x12) and a 32-row one
// the sequential (0xDA 0x02); the wrong one shows the rows interleaved. Without the charge
// pump (0x8D 0x14) or with the display off the glass stays dark.
import type { SimI2cChip } from '../i2c/sim-i2c-bus.js';
import type { MonoFrame } from '../../drivers/hal/mono-display.js';
import { monoToPng } from './oled-png.js';

const RAM_PAGES = 8;
const COLUMNS = 128;

/** Argument bytes each multi-byte command takes (datasheet table 9-1). */
const ARGS: Readonly<Record<number, number>> = {
  0x81: 1, 0x20: 1, 0x21: 2, 0x22: 2, 0xa8: 1, 0xd3: 1, 0xda: 1, 0xd5: 1, 0xd9: 1, 0xdb: 1, 0x8d: 1,
  0x26: 6, 0x27: 6, 0x29: 5, 0x2a: 5, 0xa3: 2,
};

export interface Ssd1306ChipOptions {
  /** Rows of the glass: 64 or 32. */
  height: 32 | 64;
  /** Seed of the power-up RAM garbage (deterministic, so golden images are stable). */
  seed?: number;
}

export interface Ssd1306State {
  displayOn: boolean;
  chargePump: boolean;
  contrast: number;
  inverted: boolean;
  entireOn: boolean;
  multiplex: number;
  segmentRemap: boolean;
  comScanDec: boolean;
  comPins: number;
  startLine: number;
  offset: number;
  addressing: 'horizontal' | 'vertical' | 'page';
  scrolling: boolean;
}

export class Ssd1306Chip implements SimI2cChip {
  readonly height: 32 | 64;
  readonly width = COLUMNS;
  /** Display RAM: page p, column c at [p * 128 + c]; bit 0 is the page's top row. */
  readonly ram = new Uint8Array(RAM_PAGES * COLUMNS);
  readonly state: Ssd1306State = {
    displayOn: false,
    chargePump: false,
    contrast: 0x7f,
    inverted: false,
    entireOn: false,
    multiplex: 63,
    segmentRemap: false,
    comScanDec: false,
    comPins: 0x12,
    startLine: 0,
    offset: 0,
    addressing: 'page',
    scrolling: false,
  };
  /** Every command with its arguments, in order (tests read the init sequence here). */
  readonly commands: number[][] = [];
  /** Display RAM bytes received. */
  dataBytes = 0;
  private readonly unknown = new Set<number>();
  private col = { start: 0, end: COLUMNS - 1, at: 0 };
  private page = { start: 0, end: RAM_PAGES - 1, at: 0 };
  private partial: number[] | undefined;

  constructor(options: Ssd1306ChipOptions) {
    this.height = options.height;
    let x = options.seed ?? 0x5eed;
    for (let i = 0; i < this.ram.length; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      this.ram[i] = (x >> 16) & 0xff;
    }
  }

  write(control: number, bytes: readonly number[]): void {
    // §8.1.5.2: Co = 0: every following byte is of the kind D/C# says; Co = 1: one byte, then a new control byte.
    let ctrl = control;
    let i = 0;
    for (;;) {
      const continuation = (ctrl & 0x80) === 0;
      const isData = (ctrl & 0x40) !== 0;
      if (continuation) {
        for (; i < bytes.length; i++) this.byte(isData, bytes[i]!);
        return;
      }
      if (i >= bytes.length) return;
      this.byte(isData, bytes[i++]!);
      if (i >= bytes.length) return;
      ctrl = bytes[i++]!;
    }
  }

  /** The status register (§8.1.5.2 read): D6 is 1 while the display is off. */
  read(_register: number | undefined, length: number): number[] {
    return Array.from({ length }, () => (this.state.displayOn ? 0x03 : 0x43));
  }

  /** What the glass shows now: one byte per pixel, 1 lit. */
  glass(): MonoFrame {
    const { height, width, state } = this;
    const data = new Uint8Array(width * height);
    const lit = state.displayOn && state.chargePump;
    if (!lit) return { width, height, data };
    const rows = state.multiplex + 1;
    const wiredAlternate = height === 64;
    const sameWiring = ((state.comPins & 0x10) !== 0) === wiredAlternate;
    for (let gy = 0; gy < height; gy++) {
      // The glass's row gy, counted as the controller drives it (COM0 at the bottom).
      const upright = state.comScanDec ? gy : height - 1 - gy;
      const displayRow = sameWiring ? upright : upright % 2 === 0 ? upright / 2 : height / 2 + (upright - 1) / 2;
      if (displayRow >= rows) continue;
      const ramRow = (displayRow + state.startLine + state.offset) % 64;
      for (let gx = 0; gx < width; gx++) {
        const c = state.segmentRemap ? gx : COLUMNS - 1 - gx;
        const bit = ((this.ram[(ramRow >> 3) * COLUMNS + c] ?? 0) >> (ramRow & 7)) & 1;
        data[gy * width + gx] = state.entireOn ? 1 : bit ^ (state.inverted ? 1 : 0);
      }
    }
    return { width, height, data };
  }

  /** The glass as a PNG (lit pixels dimmed by the contrast setting, as on the module). */
  png(): Buffer {
    return monoToPng(this.glass(), this.state.contrast);
  }

  /** Settings this glass cannot show properly, for tests and people: empty when all is well. */
  problems(): string[] {
    const s = this.state;
    const out: string[] = [];
    if (!s.chargePump) out.push('charge pump off (0x8D 0x14 missing): the glass stays dark');
    if (s.multiplex + 1 !== this.height) out.push(`multiplex ratio ${s.multiplex + 1} on a ${this.height}-row glass`);
    if (((s.comPins & 0x10) !== 0) !== (this.height === 64)) out.push(`COM pins 0x${s.comPins.toString(16)} on a ${this.height}-row glass (rows interleaved)`);
    if (!s.segmentRemap) out.push('segment remap off: the picture is mirrored');
    if (!s.comScanDec) out.push('COM scan increments: the picture is upside down');
    if (s.scrolling) out.push('scrolling is active');
    for (const u of this.unknown) out.push(`unknown command 0x${u.toString(16)}`);
    return out;
  }

  private byte(isData: boolean, b: number): void {
    if (isData) this.data(b);
    else this.command(b);
  }

  private data(b: number): void {
    this.dataBytes++;
    this.ram[this.page.at * COLUMNS + this.col.at] = b;
    const mode = this.state.addressing;
    if (mode === 'page') {
      this.col.at = this.col.at >= this.col.end ? this.col.start : this.col.at + 1;
    } else if (mode === 'horizontal') {
      if (this.col.at < this.col.end) this.col.at++;
      else {
        this.col.at = this.col.start;
        this.page.at = this.page.at < this.page.end ? this.page.at + 1 : this.page.start;
      }
    } else if (this.page.at < this.page.end) this.page.at++;
    else {
      this.page.at = this.page.start;
      this.col.at = this.col.at < this.col.end ? this.col.at + 1 : this.col.start;
    }
  }

  private command(b: number): void {
    if (this.partial) {
      this.partial.push(b);
      if (this.partial.length > (ARGS[this.partial[0]!] ?? 0)) {
        const cmd = this.partial;
        this.partial = undefined;
        this.apply(cmd);
      }
      return;
    }
    if ((ARGS[b] ?? 0) > 0) this.partial = [b];
    else this.apply([b]);
  }

  private apply(cmd: number[]): void {
    this.commands.push(cmd);
    const [op = 0, a = 0, b = 0] = cmd;
    const s = this.state;
    if (op <= 0x0f && s.addressing === 'page') this.col.at = (this.col.at & 0xf0) | op;
    else if (op >= 0x10 && op <= 0x1f && s.addressing === 'page') this.col.at = ((op & 0x0f) << 4) | (this.col.at & 0x0f);
    else if (op >= 0xb0 && op <= 0xb7 && s.addressing === 'page') this.page.at = op & 0x07;
    else if (op >= 0x40 && op <= 0x7f) s.startLine = op & 0x3f;
    else
      switch (op) {
        case 0x81: s.contrast = a; break;
        case 0xa4: s.entireOn = false; break;
        case 0xa5: s.entireOn = true; break;
        case 0xa6: s.inverted = false; break;
        case 0xa7: s.inverted = true; break;
        case 0xae: s.displayOn = false; break;
        case 0xaf: s.displayOn = true; break;
        case 0x20: s.addressing = (a & 3) === 0 ? 'horizontal' : (a & 3) === 1 ? 'vertical' : 'page'; break;
        case 0x21: this.col = { start: a & 0x7f, end: b & 0x7f, at: a & 0x7f }; break;
        case 0x22: this.page = { start: a & 7, end: b & 7, at: a & 7 }; break;
        case 0xa0: s.segmentRemap = false; break;
        case 0xa1: s.segmentRemap = true; break;
        case 0xa8: s.multiplex = Math.max(15, a & 0x3f); break;
        case 0xc0: s.comScanDec = false; break;
        case 0xc8: s.comScanDec = true; break;
        case 0xd3: s.offset = a & 0x3f; break;
        case 0xda: s.comPins = a; break;
        case 0x8d: s.chargePump = (a & 0x04) !== 0; break;
        case 0x2e: s.scrolling = false; break;
        case 0x2f: s.scrolling = true; break;
        case 0xd5: case 0xd9: case 0xdb: case 0xe3: case 0x26: case 0x27: case 0x29: case 0x2a: case 0xa3: break;
        default: this.unknown.add(op);
      }
  }
}
