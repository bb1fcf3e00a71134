// A barcode/QR scanner in serial mode (USB-CDC "virtual COM" or RS-232) over a HAL SerialLink.
// Protocol: none beyond the code bytes and the suffix the scanner is programmed with (see
// scan-framer.ts); GB18030 output is the "Chinese output" option of Chinese-market scanners
// (GB 18030-2005). A scanner is input only, so nothing would notice an unplugged one: the
// scanner watches its port and reopens it every RECONNECT_INTERVAL_MS until it is back.
import { HalError, type Clock, type Scanner, type SerialLink } from '../hal/types.js';
import type { ScannerEncoding, ScannerSuffix } from '../hal/part-specs.js';
import type { PartHealth } from '../hal/part-health.js';
import { warnListenerError } from '../listener-error.js';
import { globalTimers, type TimerHandle, type Timers } from '../clock/timers.js';
import { ScanFramer } from './scan-framer.js';

export const DEFAULT_SCAN_MAX_LENGTH = 512;
export const RECONNECT_INTERVAL_MS = 2000;

export interface SerialScannerOptions {
  name: string;
  /** An open link to the scanner's port; called again after the port closed (the HAL's serial(part) reopens it). */
  openLink(): Promise<SerialLink>;
  clock: Pick<Clock, 'monotonicMs'>;
  timers?: Timers;
  /** Default 'auto': CR, LF or CR LF. */
  suffix?: ScannerSuffix;
  /** Default 'utf8'. */
  encoding?: ScannerEncoding;
  /** Bytes; default 512. */
  maxLength?: number;
  reconnectIntervalMs?: number;
  /** A scan listener threw (default: a process warning). */
  onListenerError?: (part: string, err: unknown) => void;
  /** Something on the line worth a log line, such as an overlong line (default: a process warning). */
  onWarning?: (part: string, message: string) => void;
}

type Decode = (bytes: Buffer) => string;

async function decoderFor(encoding: ScannerEncoding): Promise<Decode> {
  if (encoding === 'gb18030') {
    // Loaded only for a GB18030 scanner: iconv-lite is not needed on the runtime's startup path.
    const { default: iconv } = await import('iconv-lite');
    return (bytes) => iconv.decode(bytes, 'gb18030');
  }
  const utf8 = new TextDecoder('utf-8'); // invalid bytes become U+FFFD, never an exception
  return (bytes) => utf8.decode(bytes);
}

function warnProblem(part: string, message: string): void {
  process.emitWarning(`${part}: ${message}`, { code: 'HALLD_PART_WARNING' });
}

export class SerialScanner implements Scanner {
  readonly name: string;
  private readonly listeners = new Set<(code: string, atMs: number) => void>();
  private readonly framer: ScanFramer;
  private readonly timers: Timers;
  private link: SerialLink | undefined;
  private detach: (() => void) | undefined;
  private retry: TimerHandle | undefined;
  private lastError: Error | undefined;
  private closed = false;
  private scans = 0;
  private discardedLines = 0;

  private constructor(
    private readonly options: SerialScannerOptions,
    private readonly decode: Decode,
  ) {
    this.name = options.name;
    this.timers = options.timers ?? globalTimers;
    const maxLength = options.maxLength ?? DEFAULT_SCAN_MAX_LENGTH;
    this.framer = new ScanFramer({
      suffix: options.suffix ?? 'auto',
      maxLength,
      onLine: (bytes) => this.line(bytes),
      onOverflow: () => {
        this.discardedLines += 1;
        (options.onWarning ?? warnProblem)(`scanner:${this.name}`, `a line grew past ${maxLength} bytes without a suffix; discarding it up to the next suffix`);
      },
    });
  }

  /**
   * Opens the port once and resolves either way: a scanner that is not plugged in yet is
   * retried every reconnectIntervalMs, and health() says why it is not open.
   */
  static async open(options: SerialScannerOptions): Promise<SerialScanner> {
    const scanner = new SerialScanner(options, await decoderFor(options.encoding ?? 'utf8'));
    await scanner.connect();
    return scanner;
  }

  onScan(listener: (code: string, atMs: number) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** The port is open right now. */
  isOpen(): boolean {
    return this.link?.isOpen() ?? false;
  }

  health(): PartHealth {
    const data = { scans: this.scans, discardedLines: this.discardedLines, ...(this.link ? { path: this.link.path } : {}) };
    if (this.closed) return { ok: false, detail: 'closed', data };
    if (this.isOpen()) return { ok: true, data };
    return { ok: false, detail: `port closed${this.lastError ? `: ${this.lastError.message}` : ''}; retrying every ${this.retryMs()} ms`, data };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry !== undefined) this.timers.clearTimeout(this.retry);
    this.retry = undefined;
    this.detach?.();
    this.detach = undefined;
    this.listeners.clear();
  }

  private retryMs(): number {
    return this.options.reconnectIntervalMs ?? RECONNECT_INTERVAL_MS;
  }

  private async connect(): Promise<void> {
    this.retry = undefined;
    if (this.closed) return;
    let link: SerialLink;
    try {
      link = await this.options.openLink();
    } catch (err) {
      this.lastError = err as Error;
      this.scheduleRetry();
      return;
    }
    if (this.closed) return;
    if (!link.isOpen()) {
      this.lastError = new HalError('CLOSED', `serial port ${link.name} (${link.path}) closed while opening`);
      this.scheduleRetry();
      return;
    }
    this.attach(link);
  }

  private attach(link: SerialLink): void {
    this.detach?.();
    this.framer.reset(); // half a code from before a reconnect is not a code
    this.link = link;
    this.lastError = undefined;
    const offData = link.onData((chunk) => this.framer.push(chunk));
    const offClose = link.onClose((err) => {
      if (this.link !== link) return;
      this.lastError = err ?? new HalError('CLOSED', `serial port ${link.name} (${link.path}) closed`);
      this.detach?.();
      this.detach = undefined;
      this.scheduleRetry();
    });
    this.detach = () => {
      offData();
      offClose();
    };
  }

  private scheduleRetry(): void {
    if (this.closed || this.retry !== undefined) return;
    const handle = this.timers.setTimeout(() => void this.connect(), this.retryMs());
    (handle as { unref?: () => void }).unref?.();
    this.retry = handle;
  }

  private line(bytes: Buffer): void {
    const code = this.decode(bytes).trim();
    if (code === '') return;
    this.scans += 1;
    const atMs = this.options.clock.monotonicMs();
    for (const listener of [...this.listeners]) {
      try {
        listener(code, atMs);
      } catch (err) {
        (this.options.onListenerError ?? warnListenerError)(`scanner:${this.name}`, err);
      }
    }
  }
}
