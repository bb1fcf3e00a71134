// The SSD1306 OLED controller (128x64 / 128x32) over the I2cDevice HAL, as a MonoDisplay.
// Datasheet: Solomon Systech SSD1306 Rev 1.1 (byte meanings in ssd1306-commands.ts). Each I2C
// transfer is an SMBus block write whose "register" is the control byte, so a frame goes out
// in chunks of at most 32 bytes (SMBUS_BLOCK_MAX_BYTES). Only pages that changed since the
// last frame are sent; after a failed transfer nothing is assumed about the chip, and the next
// call sends the init sequence and the whole frame again.
import { HalError, type I2cDevice } from '../hal/types.js';
import type { MonoDisplay, MonoFrame, MonoTextLine } from '../hal/mono-display.js';
import type { FontFace } from '../matrix/render/font-face.js';
import { renderMonoText } from './mono-text.js';
import { CMD, CONTROL_COMMANDS, CONTROL_DATA, SSD1306_WIDTH, initSequence, pageBytes, windowCommands, type Ssd1306Height } from './ssd1306-commands.js';

/** SMBus block limit (drivers/i2c/i2c-bus-device.ts SMBUS_BLOCK_MAX_BYTES; the HAL enforces it). */
const CHUNK_BYTES = 32;

export interface Ssd1306Options {
  name: string;
  device: I2cDevice;
  height: Ssd1306Height;
  contrast: number;
  rotate: 0 | 180;
  /** The font text() draws with. */
  face: FontFace;
}

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

function clampByte(n: number): number {
  return Math.max(0, Math.min(255, Math.round(Number.isFinite(n) ? n : 0)));
}

export class Ssd1306Display implements MonoDisplay {
  readonly name: string;
  readonly width = SSD1306_WIDTH;
  readonly height: Ssd1306Height;
  private readonly pages: number;
  /** What display RAM holds, page after page; undefined when unknown (power-up, after a fault). */
  private ram: Uint8Array | undefined;
  private initialized = false;
  private contrast: number;
  private powered = true;
  private closed = false;
  private queue: Promise<void> = Promise.resolve();
  /** The newest frame waiting for its turn, and everyone waiting for it. */
  private pending: { data: Uint8Array; waiters: Waiter[] } | undefined;
  private readonly transfers = { blocks: 0, bytes: 0 };

  private constructor(private readonly options: Ssd1306Options) {
    this.name = options.name;
    this.height = options.height;
    this.pages = options.height / 8;
    this.contrast = clampByte(options.contrast);
  }

  /** Initialises the chip and clears it; rejects HalError IO when it does not answer. */
  static async open(options: Ssd1306Options): Promise<Ssd1306Display> {
    const display = new Ssd1306Display(options);
    await display.show({ width: display.width, height: display.height, data: new Uint8Array(display.width * display.height) });
    return display;
  }

  show(frame: MonoFrame): Promise<void> {
    if (frame.width !== this.width || frame.height !== this.height || frame.data.length !== this.width * this.height) {
      throw Object.assign(new RangeError(`frame ${frame.width}x${frame.height} (${frame.data.length} bytes) does not fit display ${this.name} ${this.width}x${this.height}`), {
        code: 'DISPLAY_FRAME_SIZE',
      });
    }
    if (this.closed) return Promise.reject(this.closedError());
    const data = frame.data.slice();
    return new Promise<void>((resolve, reject) => {
      if (this.pending) {
        // Not started yet: the newer frame takes its place, and its waiters come along.
        this.pending.data = data;
        this.pending.waiters.push({ resolve, reject });
        return;
      }
      const entry = { data, waiters: [{ resolve, reject }] };
      this.pending = entry;
      const settle = (): void => {
        if (this.pending === entry) this.pending = undefined;
      };
      void this.enqueue(async () => {
        settle(); // from here on a newer frame queues behind this one
        await this.upload(entry.data);
      }).then(
        () => entry.waiters.forEach((w) => w.resolve()),
        (err: unknown) => {
          settle();
          entry.waiters.forEach((w) => w.reject(err));
        },
      );
    });
  }

  async text(lines: readonly MonoTextLine[]): Promise<{ drawn: number }> {
    const face = this.options.face;
    const hadFull = face.hasFullFont();
    let out = renderMonoText(face, this.width, this.height, lines);
    // A character outside the subset started the full font's load: draw again once it is in.
    if (!hadFull && face.missing.size > 0) {
      await face.fallbackSettled();
      if (face.hasFullFont()) out = renderMonoText(face, this.width, this.height, lines);
    }
    await this.show(out.frame);
    return { drawn: out.drawn };
  }

  setContrast(level: number): Promise<void> {
    this.contrast = clampByte(level);
    return this.enqueue(() => this.commands([CMD.SET_CONTRAST, this.contrast]));
  }

  setPower(on: boolean): Promise<void> {
    this.powered = on;
    return this.enqueue(() => this.commands([on ? CMD.DISPLAY_ON : CMD.DISPLAY_OFF]));
  }

  probe(): Promise<void> {
    // An SMBus read-byte writes a bare control byte, then reads the status register (§8.1.5.2).
    return this.enqueue(async () => {
      await this.io(() => this.options.device.readByte(CONTROL_COMMANDS));
    });
  }

  /** Blocks and bytes written so far (benchmarks, the partial-update test). */
  written(): { blocks: number; bytes: number } {
    return { ...this.transfers };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => undefined);
    // Dark glass on the way out; a chip that is gone already is not an error here.
    if (this.initialized) await this.options.device.writeBlock(CONTROL_COMMANDS, Uint8Array.of(CMD.DISPLAY_OFF)).catch(() => undefined);
  }

  private enqueue(op: () => Promise<void>): Promise<void> {
    if (this.closed) return Promise.reject(this.closedError());
    const run = this.queue.then(async () => {
      if (this.closed) throw this.closedError();
      try {
        if (!this.initialized) await this.init();
        await op();
      } catch (err) {
        // Nothing is known about the chip any more: start over next time.
        this.initialized = false;
        this.ram = undefined;
        throw err;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async init(): Promise<void> {
    await this.commands(initSequence({ height: this.height, contrast: this.contrast, rotate: this.options.rotate }));
    this.ram = undefined;
    this.initialized = true;
  }

  private async upload(data: Uint8Array): Promise<void> {
    const wasKnown = this.ram !== undefined;
    const ram = this.ram ?? new Uint8Array(this.pages * this.width);
    const next = new Uint8Array(this.width);
    let first = -1;
    const flush = async (last: number, bytes: Uint8Array): Promise<void> => {
      await this.commands(windowCommands(this.width, first, last));
      for (let i = 0; i < bytes.length; i += CHUNK_BYTES) await this.block(CONTROL_DATA, bytes.subarray(i, i + CHUNK_BYTES));
    };
    const run: number[] = [];
    for (let page = 0; page < this.pages; page++) {
      pageBytes(data, this.width, page, next);
      const old = ram.subarray(page * this.width, (page + 1) * this.width);
      const dirty = !wasKnown || old.some((b, i) => b !== next[i]);
      if (dirty) {
        if (first < 0) first = page;
        run.push(...next);
        old.set(next);
      }
      if ((!dirty || page === this.pages - 1) && first >= 0) {
        await flush(dirty ? page : page - 1, Uint8Array.from(run));
        first = -1;
        run.length = 0;
      }
    }
    this.ram = ram;
    // Lit only once a whole picture is in RAM: never show power-up garbage.
    if (!wasKnown && this.powered) await this.commands([CMD.DISPLAY_ON]);
  }

  private async commands(bytes: readonly number[]): Promise<void> {
    for (let i = 0; i < bytes.length; i += CHUNK_BYTES) await this.block(CONTROL_COMMANDS, Uint8Array.from(bytes.slice(i, i + CHUNK_BYTES)));
  }

  private async block(control: number, bytes: Uint8Array): Promise<void> {
    await this.io(() => this.options.device.writeBlock(control, bytes));
    this.transfers.blocks++;
    this.transfers.bytes += bytes.length + 1;
  }

  private async io<T>(transfer: () => Promise<T>): Promise<T> {
    try {
      return await transfer();
    } catch (err) {
      if (err instanceof HalError) throw err;
      throw new HalError('IO', `display ${this.name}: ${(err as Error).message}`, { cause: err });
    }
  }

  private closedError(): HalError {
    return new HalError('CLOSED', `display ${this.name} is closed`);
  }
}
