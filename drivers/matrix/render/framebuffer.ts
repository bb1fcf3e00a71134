// An RGB888 framebuffer with a clip rectangle: everything the renderer draws lands here and is
// then copied whole to a LedMatrix. Out-of-clip writes are dropped, so text and marquees can be
// positioned partly off a zone without bounds checks at every call site.
import type { RgbFrame } from '../../hal/led-matrix.js';

export interface Rgb {
  readonly r: number;
  readonly g: number;
  readonly b: number;
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export const BLACK: Rgb = { r: 0, g: 0, b: 0 };

export class Framebuffer implements RgbFrame {
  readonly data: Uint8Array;
  private clip: Rect;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
      throw Object.assign(new RangeError(`framebuffer size must be positive integers, got ${width}x${height}`), { code: 'MATRIX_FRAME_SIZE' });
    }
    this.data = new Uint8Array(width * height * 3);
    this.clip = { x: 0, y: 0, w: width, h: height };
  }

  /** Fills the whole buffer (ignores the clip). */
  clear(color: Rgb = BLACK): void {
    if (color.r === 0 && color.g === 0 && color.b === 0) {
      this.data.fill(0);
      return;
    }
    for (let i = 0; i < this.data.length; i += 3) {
      this.data[i] = color.r;
      this.data[i + 1] = color.g;
      this.data[i + 2] = color.b;
    }
  }

  /** Restricts drawing to `rect` intersected with the buffer; returns the previous clip to restore. */
  setClip(rect: Rect): Rect {
    const previous = this.clip;
    const x0 = Math.max(0, rect.x);
    const y0 = Math.max(0, rect.y);
    const x1 = Math.min(this.width, rect.x + rect.w);
    const y1 = Math.min(this.height, rect.y + rect.h);
    this.clip = { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) };
    return previous;
  }

  getClip(): Rect {
    return this.clip;
  }

  setPixel(x: number, y: number, color: Rgb): void {
    const c = this.clip;
    if (x < c.x || y < c.y || x >= c.x + c.w || y >= c.y + c.h) return;
    const i = (y * this.width + x) * 3;
    this.data[i] = color.r;
    this.data[i + 1] = color.g;
    this.data[i + 2] = color.b;
  }

  fillRect(rect: Rect, color: Rgb): void {
    const c = this.clip;
    const x0 = Math.max(c.x, rect.x);
    const y0 = Math.max(c.y, rect.y);
    const x1 = Math.min(c.x + c.w, rect.x + rect.w);
    const y1 = Math.min(c.y + c.h, rect.y + rect.h);
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const i = (y * this.width + x) * 3;
        this.data[i] = color.r;
        this.data[i + 1] = color.g;
        this.data[i + 2] = color.b;
      }
    }
  }

  getPixel(x: number, y: number): Rgb {
    const i = (y * this.width + x) * 3;
    return { r: this.data[i] ?? 0, g: this.data[i + 1] ?? 0, b: this.data[i + 2] ?? 0 };
  }

  /** A detached copy (what a LedMatrix keeps). */
  snapshot(): RgbFrame {
    return { width: this.width, height: this.height, data: this.data.slice() };
  }
}
