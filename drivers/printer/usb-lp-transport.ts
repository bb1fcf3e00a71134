// PrinterTransport over the Linux USB printer-class device node (/dev/usb/lp0, driver usblp).
// Source: Linux drivers/usb/class/usblp.c — the node is exclusive-open, write() sends to the
// bulk-out endpoint, read() returns what the printer sent on bulk-in (only for bidirectional
// printers, USB printer protocol 2) and with O_NONBLOCK returns EAGAIN when there is nothing.
// Reads are polled while someone listens, so no libuv thread sits blocked in read().
import fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { HalError } from '../hal/types.js';
import type { PrinterTransport } from './transport.js';

export const DEFAULT_USB_PRINTER_PATH = '/dev/usb/lp0';
export const DEFAULT_READ_POLL_INTERVAL_MS = 20;
/** A write that makes no progress for this long fails (printer unplugged or stuck). */
export const DEFAULT_WRITE_STALL_TIMEOUT_MS = 10_000;
const READ_CHUNK_BYTES = 64;

export interface UsbLpTransportOptions {
  readPollIntervalMs?: number;
  writeStallTimeoutMs?: number;
}

function isAgain(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK';
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

export class UsbLpTransport implements PrinterTransport {
  readonly description: string;
  private readonly listeners = new Set<(chunk: Buffer) => void>();
  private polling = false;
  private closed = false;

  private constructor(
    private readonly handle: FileHandle,
    path: string,
    private readonly options: UsbLpTransportOptions,
  ) {
    this.description = `usb ${path}`;
  }

  /** Opens the node read-write and non-blocking. Fails with HalError `UNAVAILABLE` when it is missing or busy. */
  static async open(path: string = DEFAULT_USB_PRINTER_PATH, options: UsbLpTransportOptions = {}): Promise<UsbLpTransport> {
    try {
      const handle = await fs.promises.open(path, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
      return new UsbLpTransport(handle, path, options);
    } catch (err) {
      throw new HalError('UNAVAILABLE', `cannot open printer ${path}: ${(err as Error).message}`, { cause: err });
    }
  }

  async write(bytes: Uint8Array): Promise<void> {
    const stallMs = this.options.writeStallTimeoutMs ?? DEFAULT_WRITE_STALL_TIMEOUT_MS;
    let offset = 0;
    let lastProgress = performance.now();
    while (offset < bytes.length) {
      if (this.closed) throw new HalError('CLOSED', `${this.description} is closed`);
      try {
        const { bytesWritten } = await this.handle.write(bytes, offset, bytes.length - offset, null);
        offset += bytesWritten;
        if (bytesWritten > 0) lastProgress = performance.now();
      } catch (err) {
        if (!isAgain(err)) throw new HalError('IO', `${this.description}: ${(err as Error).message}`, { cause: err });
      }
      if (offset < bytes.length) {
        if (performance.now() - lastProgress > stallMs) throw new HalError('TIMEOUT', `${this.description}: write stalled for ${stallMs} ms`);
        await delay(this.options.readPollIntervalMs ?? DEFAULT_READ_POLL_INTERVAL_MS);
      }
    }
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    this.listeners.add(listener);
    if (!this.polling) void this.pollReads();
    return () => this.listeners.delete(listener);
  }

  private async pollReads(): Promise<void> {
    this.polling = true;
    const buffer = Buffer.alloc(READ_CHUNK_BYTES);
    try {
      while (!this.closed && this.listeners.size > 0) {
        let bytesRead = 0;
        try {
          ({ bytesRead } = await this.handle.read(buffer, 0, buffer.length, null));
        } catch (err) {
          if (!isAgain(err)) throw err;
        }
        if (bytesRead > 0) {
          const chunk = Buffer.from(buffer.subarray(0, bytesRead));
          for (const listener of this.listeners) listener(chunk);
        } else {
          await delay(this.options.readPollIntervalMs ?? DEFAULT_READ_POLL_INTERVAL_MS);
        }
      }
    } catch {
      // A read error (device unplugged) ends polling; the next write reports it as IO.
    } finally {
      this.polling = false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    await this.handle.close();
  }
}
