// A virtual LED panel implementing LedMatrix: keeps the last frames (copied, as the interface
// requires) so tests and the demo can look at them, and writes them as PNG on request.
import { writeFile } from 'node:fs/promises';
import type { LedMatrix, LedMatrixHealth, RgbFrame } from '../../drivers/hal/led-matrix.js';
import { frameToPng, type PngOptions } from './frame-png.js';

export interface VirtualPanelOptions {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  /** Frames kept, oldest dropped first; default 16. */
  readonly keep?: number;
  readonly brightness?: number;
}

export class VirtualPanel implements LedMatrix {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  private readonly keep: number;
  private readonly frames: RgbFrame[] = [];
  private level: number;
  private shown = 0;
  private closed = false;
  private readonly listeners = new Set<(h: LedMatrixHealth) => void>();

  constructor(opts: VirtualPanelOptions) {
    this.name = opts.name;
    this.width = opts.width;
    this.height = opts.height;
    this.keep = opts.keep ?? 16;
    this.level = opts.brightness ?? 100;
  }

  show(frame: RgbFrame): void {
    if (this.closed) return;
    if (frame.width !== this.width || frame.height !== this.height || frame.data.length !== this.width * this.height * 3) {
      throw Object.assign(new RangeError(`frame ${frame.width}x${frame.height} (${frame.data.length} bytes) does not fit panel ${this.name} ${this.width}x${this.height}`), { code: 'MATRIX_FRAME_SIZE' });
    }
    this.frames.push({ width: frame.width, height: frame.height, data: frame.data.slice() });
    if (this.frames.length > this.keep) this.frames.shift();
    this.shown++;
  }

  setBrightness(percent: number): void {
    this.level = Math.max(0, Math.min(100, Math.round(percent)));
  }

  brightness(): number {
    return this.level;
  }

  health(): LedMatrixHealth {
    return { state: this.closed ? 'closed' : 'ok', restarts: 0, dropped: 0, shown: this.shown };
  }

  onHealth(listener: (h: LedMatrixHealth) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The frames kept, oldest first. */
  lastFrames(): readonly RgbFrame[] {
    return this.frames;
  }

  lastFrame(): RgbFrame | undefined {
    return this.frames[this.frames.length - 1];
  }

  async writePng(path: string, opts?: PngOptions): Promise<void> {
    const frame = this.lastFrame();
    if (!frame) throw Object.assign(new Error(`panel ${this.name} has shown no frame yet`), { code: 'MATRIX_NO_FRAME' });
    await writeFile(path, frameToPng(frame, opts));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const h = this.health();
    for (const l of this.listeners) l(h);
  }
}
