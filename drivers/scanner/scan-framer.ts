// Splits a serial scanner's byte stream into codes. Scanners in serial (USB-CDC / RS-232)
// mode send each code followed by a configurable suffix, CR by default on most models
// (Honeywell, Zebra, Newland and Chinese OEM programming guides: "Terminator" / "Suffix"),
// and the USB stack cuts the stream into chunks anywhere, even between CR and LF. This works
// one byte at a time, so chunk boundaries never matter and a line cannot grow past
// maxLength: garbage on the line costs at most maxLength bytes of memory.
import type { ScannerSuffix } from '../hal/part-specs.js';

const CR = 0x0d;
const LF = 0x0a;

export interface ScanFramerOptions {
  /** 'auto': CR, LF and CR LF each end a code (the empty line between CR and LF is dropped). */
  suffix: ScannerSuffix;
  /** Longest code in bytes; a line that grows past it is dropped up to the next suffix. */
  maxLength: number;
  /** The bytes of one line, suffix removed; may be empty or blank (the caller trims and skips). */
  onLine(bytes: Buffer): void;
  /** A line passed maxLength without a suffix; called once per dropped line, when it starts being dropped. */
  onOverflow(): void;
}

export class ScanFramer {
  private readonly buffer: Buffer;
  private length = 0;
  /** Dropping an overlong line until its suffix. */
  private discarding = false;
  /** 'crlf' mode: a CR arrived and the next byte decides whether it was the suffix. */
  private pendingCr = false;

  constructor(private readonly options: ScanFramerOptions) {
    if (!Number.isInteger(options.maxLength) || options.maxLength < 1) throw new RangeError(`maxLength must be a positive integer, got ${options.maxLength}`);
    this.buffer = Buffer.alloc(options.maxLength);
  }

  push(chunk: Uint8Array): void {
    for (const byte of chunk) this.byte(byte);
  }

  /** Forgets a half-received line (the port was reopened). */
  reset(): void {
    this.length = 0;
    this.discarding = false;
    this.pendingCr = false;
  }

  private byte(b: number): void {
    switch (this.options.suffix) {
      case 'auto':
        if (b === CR || b === LF) this.endLine();
        else this.append(b);
        return;
      case 'cr':
        if (b === CR) this.endLine();
        else this.append(b);
        return;
      case 'lf':
        if (b === LF) this.endLine();
        else this.append(b);
        return;
      case 'crlf':
        if (this.pendingCr) {
          this.pendingCr = false;
          if (b === LF) {
            this.endLine();
            return;
          }
          this.append(CR); // a lone CR is part of the code
        }
        if (b === CR) this.pendingCr = true;
        else this.append(b);
        return;
    }
  }

  private append(b: number): void {
    if (this.discarding) return;
    if (this.length === this.buffer.length) {
      this.discarding = true;
      this.length = 0;
      this.options.onOverflow();
      return;
    }
    this.buffer[this.length++] = b;
  }

  private endLine(): void {
    if (this.discarding) {
      this.discarding = false;
      return;
    }
    const line = Buffer.from(this.buffer.subarray(0, this.length));
    this.length = 0;
    this.options.onLine(line);
  }
}
