// A byte-level virtual barcode/QR scanner in serial mode: plugged into a virtual serial port
// (VirtualSerialBus.attach, or SimControls.scan on the sim board), a "scan" sends the code's
// bytes and the programmed suffix to the host, optionally cut into chunks the way a USB-CDC
// link cuts them, so the real scanner driver's framing is what gets tested.
import type { SendOptions, VirtualLine, VirtualSerialDevice } from '../serial/virtual-device.js';

/** What the scanner is programmed to send after each code. */
export type VirtualScannerSuffix = 'cr' | 'lf' | 'crlf' | 'none';

export interface VirtualScannerOptions {
  /** Default 'cr', the factory setting of most scanners' serial mode. */
  suffix?: VirtualScannerSuffix;
  /** How a string code becomes bytes (default 'utf8'). */
  encoding?: 'utf8' | 'gb18030';
}

export interface ScanOptions extends SendOptions {
  /** Overrides the programmed suffix for this scan. */
  suffix?: VirtualScannerSuffix;
}

const SUFFIX_BYTES: Record<VirtualScannerSuffix, Buffer> = {
  cr: Buffer.from([0x0d]),
  lf: Buffer.from([0x0a]),
  crlf: Buffer.from([0x0d, 0x0a]),
  none: Buffer.alloc(0),
};

export class VirtualScanner implements VirtualSerialDevice {
  /** Everything the host wrote to the scanner (a real one would take programming commands; this one only records). */
  readonly received: Buffer[] = [];
  /** Scans sent so far. */
  scans = 0;
  private line: VirtualLine | undefined;

  constructor(private readonly options: VirtualScannerOptions = {}) {}

  /** The host has the port open, so a scan would reach it. */
  isConnected(): boolean {
    return this.line?.isOpen() ?? false;
  }

  /**
   * Sends the code and the suffix. Resolves when every chunk is handed to the port; rejects
   * when the host has not opened the port (a real scanner would beep into the void).
   */
  async scan(code: string | Uint8Array, options: ScanOptions = {}): Promise<void> {
    const bytes = typeof code === 'string' ? await this.encode(code) : Buffer.from(code);
    const suffix = SUFFIX_BYTES[options.suffix ?? this.options.suffix ?? 'cr'];
    await this.send(Buffer.concat([bytes, suffix]), options);
    this.scans += 1;
  }

  /** Raw bytes with no suffix added: line noise, a scanner in the wrong mode. */
  async sendRaw(bytes: Uint8Array | string, options: SendOptions = {}): Promise<void> {
    await this.send(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes), options);
  }

  receive(bytes: Buffer, line: VirtualLine): void {
    this.line = line;
    this.received.push(Buffer.from(bytes));
  }

  opened(line: VirtualLine): void {
    this.line = line;
  }

  closed(): void {
    this.line = undefined;
  }

  private async send(bytes: Buffer, options: SendOptions): Promise<void> {
    const line = this.line;
    if (!line?.isOpen()) throw new Error('virtual scanner: the host has not opened its serial port, nothing to scan into');
    await line.send(bytes, options);
  }

  private async encode(code: string): Promise<Buffer> {
    if (this.options.encoding !== 'gb18030') return Buffer.from(code, 'utf8');
    const { default: iconv } = await import('iconv-lite');
    return iconv.encode(code, 'gb18030');
  }
}
