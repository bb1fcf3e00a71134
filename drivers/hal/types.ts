// The hardware abstraction layer: what a role may see. Roles depend on these interfaces only;
// the board definition plus the device config decide which implementation is wired in
// (a real driver over onoff / gpiod / johnny-five / i2c-bus / serialport, or a simulator).

import type { TicketPrinter } from '../printer/types.js';
export type { LockBoard, LockBoardFailure, LockBoardFaultCode, LockBoardHealth, LockBoardProtocol, LockBoardResult, LockState, UnlockAck } from './lock-board.js';

/** A debounced digital input (button, door sensor, keypad key) addressed by name. */
export interface DigitalInput {
  readonly name: string;
  /** Logical level after debounce and active-low inversion: true = active (pressed, door open). */
  isActive(): boolean;
  /**
   * Called once per debounced transition, never twice for the same level in a row.
   * `atMs` is the clock's monotonic time of the edge that started the transition.
   * Returns a function that removes the listener.
   */
  onChange(listener: (active: boolean, atMs: number) => void): () => void;
  close(): Promise<void>;
}

/** A digital output (LED, relay, buzzer) addressed by name. */
export interface DigitalOutput {
  readonly name: string;
  /** Drives the logical level; active-low wiring is handled below this interface. */
  write(active: boolean): Promise<void>;
  /** The level last written. */
  isActive(): boolean;
  close(): Promise<void>;
}

/** A byte stream to a device (printer, lock board, scanner, Firmata board). */
export interface SerialLink {
  readonly name: string;
  readonly path: string;
  /** Resolves when the bytes are handed to the OS (drained), rejects with a HalError if the port is closed. */
  write(bytes: Uint8Array): Promise<void>;
  /** Raw chunks as they arrive: framing is the caller's job. Returns a function that removes the listener. */
  onData(listener: (chunk: Buffer) => void): () => void;
  /** Fired once when the port goes away (unplugged, closed). */
  onClose(listener: (err?: Error) => void): () => void;
  isOpen(): boolean;
  close(): Promise<void>;
}

/** An I2C bus as seen from one device address. */
export interface I2cDevice {
  readonly name: string;
  readonly bus: number;
  readonly address: number;
  readByte(register: number): Promise<number>;
  writeByte(register: number, value: number): Promise<void>;
  readBlock(register: number, length: number): Promise<Buffer>;
  writeBlock(register: number, bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** Sound: beeps for "identify", speech for the caller's announcements. */
export interface Speaker {
  beep(durationMs: number, frequencyHz?: number): Promise<void>;
  /** Speaks the text; resolves when finished. `lang` is a BCP 47 tag such as `zh-CN`. */
  say(text: string, options?: { lang?: string; rate?: number }): Promise<void>;
  close(): Promise<void>;
}

/**
 * A barcode/QR scanner in serial (USB-CDC or RS-232) mode: each scan arrives as the code
 * followed by the scanner's suffix (CR, LF or CR LF). Appointment check-in, pickup codes.
 */
export interface Scanner {
  readonly name: string;
  /** One call per complete scan, code without the suffix; `atMs` is the clock's monotonic time. */
  onScan(listener: (code: string, atMs: number) => void): () => void;
  close(): Promise<void>;
}

/** Time, injectable so tests use fake timers instead of sleeps. */
export interface Clock {
  /** Wall-clock epoch milliseconds as the board believes it (may be wrong without RTC/NTP). */
  now(): number;
  /** Monotonic milliseconds since an arbitrary origin; never jumps. */
  monotonicMs(): number;
}

export type HalErrorCode =
  | 'NOT_CONFIGURED' // the config names no such part
  | 'UNAVAILABLE' // the part or its driver package is missing on this machine
  | 'IO' // a read/write failed
  | 'CLOSED' // used after close
  | 'TIMEOUT'
  | 'BAD_CONFIG';

/** Every HAL failure carries a code a caller can branch on and the underlying cause. */
export class HalError extends Error {
  readonly code: HalErrorCode;
  constructor(code: HalErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HalError';
    this.code = code;
  }
}

/** One self-test result, as shown in `sys/diag`. */
export interface SelfTestResult {
  name: string;
  ok: boolean;
  detail?: string;
  data?: Record<string, unknown>;
}

/**
 * The parts of one board, by the names the device config gives them.
 * A role asks for "the button named cat-1", never for a pin.
 */
export interface Hal {
  readonly board: string;
  readonly clock: Clock;
  input(name: string): DigitalInput;
  output(name: string): DigitalOutput;
  serial(name: string): Promise<SerialLink>;
  i2c(name: string): Promise<I2cDevice>;
  speaker(): Speaker;
  /** The ticket printer named in io.printers, opened on first use (over serial, TCP or /dev/usb/lp). */
  printer(name: string): Promise<TicketPrinter>;
  /** The scanner named in io.scanners, over one of the serial parts. */
  scanner(name: string): Promise<Scanner>;
  /** Names of every configured part, for diagnostics. */
  describe(): { inputs: string[]; outputs: string[]; serial: string[]; i2c: string[]; printers: string[]; scanners: string[] };
  /** One result per configured part: can it be reached right now. */
  selfTest(): Promise<SelfTestResult[]>;
  close(): Promise<void>;
}
