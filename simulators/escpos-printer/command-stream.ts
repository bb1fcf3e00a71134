// The part of a printer command parser that does not depend on the command set: bytes arrive in
// any chunking, a measure function says how long the command at a position is (or that the rest
// has not arrived), and long image data is skipped as it streams instead of being buffered.
// The ESC/POS parser (parser.ts) and the Star Line Mode parser (star-printer/parser.ts) are
// each a measure function over this.

export type PlainCommand = { op: 'text'; bytes: Buffer } | { op: 'lf' } | { op: 'cr' };

/** Commands ESC/POS and Star Line Mode both have, with one meaning (applied by virtual-printer-modes.ts). */
export type SharedPrintCommand =
  | PlainCommand
  | { op: 'init' }
  | { op: 'bold'; on: boolean }
  | { op: 'underline'; n: number }
  | { op: 'feedLines'; n: number }
  | { op: 'unknown'; bytes: Buffer };

export const SHARED_OPS: ReadonlySet<string> = new Set<SharedPrintCommand['op']>(['text', 'lf', 'cr', 'init', 'bold', 'underline', 'feedLines', 'unknown']);

/** How much of the buffer one command takes. */
export type Measure<C> =
  | { kind: 'need' } // not all of it has arrived
  | { kind: 'done'; length: number; command: C }
  | { kind: 'bulk'; headerLength: number; dataLength: number; name: string }; // image data, skipped as it streams

export const need = { kind: 'need' } as const;

export function done<C>(length: number, command: C): Measure<C> {
  return { kind: 'done', length, command };
}

/** A command of `header` bytes and then `params` parameter bytes, made once all have arrived. */
export function fixed<C>(buf: Buffer, at: number, header: number, params: number, make: (p: Buffer) => C): Measure<C> {
  if (buf.length < at + header + params) return need;
  return done(header + params, make(buf.subarray(at + header, at + header + params)));
}

const LF = 0x0a;
const CR = 0x0d;

/** Printable text (a run of bytes ≥ 0x20), LF or CR; null for a control byte the command set measures. */
export function measurePlain(buf: Buffer, at: number): Measure<PlainCommand> | null {
  const b = buf[at] ?? 0;
  if (b >= 0x20) {
    let end = at + 1;
    while (end < buf.length && (buf[end] ?? 0) >= 0x20) end++;
    return done(end - at, { op: 'text', bytes: Buffer.from(buf.subarray(at, end)) });
  }
  if (b === LF) return done(1, { op: 'lf' });
  if (b === CR) return done(1, { op: 'cr' });
  return null;
}

/** Feed bytes with push(); each complete command goes to `onCommand` in order, with the bytes it took. */
export class CommandStream<C> {
  private pending: Buffer = Buffer.alloc(0);
  private skipRemaining = 0;
  private skipped: C | null = null;
  private skipTotal = 0;

  constructor(
    private readonly measure: (buf: Buffer, at: number) => Measure<C>,
    private readonly onCommand: (command: C, length: number) => void,
    /** The command reported once bulk data has been skipped. */
    private readonly skippedBulk: (name: string, length: number) => C,
  ) {}

  push(chunk: Uint8Array): void {
    const buf = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : Buffer.from(chunk);
    let at = 0;
    while (at < buf.length) {
      if (this.skipRemaining > 0) {
        const n = Math.min(this.skipRemaining, buf.length - at);
        this.skipRemaining -= n;
        at += n;
        if (this.skipRemaining === 0) this.endSkip();
        continue;
      }
      const m = this.measure(buf, at);
      if (m.kind === 'need') break;
      if (m.kind === 'bulk') {
        at += m.headerLength;
        this.skipRemaining = m.dataLength;
        this.skipTotal = m.headerLength + m.dataLength;
        this.skipped = this.skippedBulk(`${m.name} (${m.dataLength} data bytes)`, this.skipTotal);
        if (m.dataLength === 0) this.endSkip();
        continue;
      }
      this.onCommand(m.command, m.length);
      at += m.length;
    }
    this.pending = Buffer.from(buf.subarray(at));
  }

  private endSkip(): void {
    if (this.skipped !== null) this.onCommand(this.skipped, this.skipTotal);
    this.skipped = null;
  }

  /** Bytes of an unfinished command waiting for the rest. */
  get pendingBytes(): number {
    return this.pending.length;
  }
}
