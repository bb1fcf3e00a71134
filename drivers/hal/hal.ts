// The whole board as a role sees it: parts by the names the device config gives them.
import type { Clock } from './clock.js';
import type { DigitalInput, DigitalOutput } from './digital-io.js';
import type { I2cDevice } from './i2c-device.js';
import type { IdCardReader } from './id-card-reader.js';
import type { LedMatrix } from './led-matrix.js';
import type { LockBoard } from './lock-board.js';
import type { MonoDisplay } from './mono-display.js';
import type { PanelPainter } from './panel-layout.js';
import type { Scanner } from './scanner.js';
import type { SerialLink } from './serial-link.js';
import type { Speaker } from './speaker.js';
import type { TicketPrinter } from './ticket-printer.js';

/** One self-test result, as shown in `sys/diag`. */
export interface SelfTestResult {
  name: string;
  ok: boolean;
  /** The test could not run here (nothing to test, or it was not reached); `ok` stays true and `detail` says why. */
  skipped?: boolean;
  detail?: string;
  data?: Record<string, unknown>;
  /**
   * The part rows (Hal.selfTest names, "printer:main") this result judges: a role's test that
   * knows what the part must do for it (print now, not only answer). Diagnostics then show one
   * verdict per part, this one, instead of the part's own row beside it.
   */
  covers?: string[];
}

/**
 * The parts of one board, by the names the device config gives them.
 * A role asks for "the button named cat-1", never for a pin.
 * Rules for every implementation:
 * - A name the config does not have throws (or rejects with) HalError NOT_CONFIGURED naming
 *   the configured ones.
 * - Parts that are absent on this machine do not make the Hal fail: the part reports why in
 *   selfTest() and its calls reject with UNAVAILABLE or IO.
 * - serial(), i2c(), printer(), scanner(), lockBoard(), idCardReader(), matrix() and display() open on first use and hand
 *   out the same object afterwards; a failed open is retried on the next call.
 * - selfTest() never rejects; close() closes every part once and is idempotent; any call
 *   after close() fails with HalError CLOSED.
 */
/** Names of the configured parts, by io section. */
export interface HalParts {
  inputs: string[];
  outputs: string[];
  serial: string[];
  i2c: string[];
  printers: string[];
  scanners: string[];
  lockBoards: string[];
  matrices: string[];
  displays: string[];
  /** Locks wired to each lock board (its io.lockBoards `locks`), so a role's config check can see a lock number that does not exist. */
  lockBoardLocks?: Record<string, number>;
  /** io.idCardReaders; left out when there are none. */
  idCardReaders?: string[];
}

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
  /**
   * The lock board named in io.lockBoards, on its io.serial part (the boards sharing one RS485
   * line share one bus, one request at a time). Resolves once the line is open; rejects when
   * the port cannot be opened (the next call tries again).
   */
  lockBoard(name: string): Promise<LockBoard>;
  /**
   * The ID-card reader named in io.idCardReaders, on its io.serial part. Resolves even when the
   * port cannot be opened now: the reader keeps trying, and health() and the self-test say why.
   */
  idCardReader(name: string): Promise<IdCardReader>;
  /** The LED panel named in io.matrices; resolves at once, the panel reports its start through health(). */
  matrix(name: string): Promise<LedMatrix>;
  /**
   * The small display named in io.displays (an SSD1306 OLED on its io.i2c part), initialised
   * and cleared on first use; rejects HalError IO when the chip does not answer (the next call tries again).
   */
  display(name: string): Promise<MonoDisplay>;
  /** Draws caller layouts for the panel named in io.matrices (its size and font); the same painter afterwards. */
  painter(name: string): Promise<PanelPainter>;
  /** Names of every configured part, for diagnostics. */
  describe(): HalParts;
  /** One result per configured part: can it be reached right now. */
  selfTest(): Promise<SelfTestResult[]>;
  close(): Promise<void>;
}
