// The wiring plan a backend opens: every part of the device config's `io` section resolved
// against the board (defaults filled, pins turned into line numbers, cross-checked). The
// assembly layer (assembly/resolve-io.ts) builds it from the config; drivers and simulators
// only read it. Plain types, so neither needs the config schema (assembly/io-schema.ts,
// whose static types must stay assignable to these: resolve-io.ts fails to compile if not).
import type { SerialLockBoardProtocol } from './lock-board.js';

/** sim: in memory; chardev: gpiod tools; sysfs: onoff; firmata: an Arduino running StandardFirmata. */
export type GpioBackendKind = 'sim' | 'chardev' | 'sysfs' | 'firmata';
/** A pin as written in a config: a line number, a line name ("GPIO17") or a header pin ("P1-11"). */
export type Pin = number | string;
/** Bias resistor; left out means keep what the firmware or device tree set. */
export type Pull = 'up' | 'down' | 'none';
export type ScannerSuffix = 'cr' | 'lf' | 'crlf' | 'auto';
export type ScannerEncoding = 'utf8' | 'gb18030';
/** escpos: Epson ESC/POS (and printers in ESC/POS emulation); star: Star Line Mode. */
export type PrinterCommandSet = 'escpos' | 'star';
export type SpeakerKind = 'none' | 'espeak' | 'sim';

export interface InputSpec {
  name: string;
  pin: Pin;
  line: number;
  /** Left out: keep the bias the firmware or device tree set. */
  pull?: Pull;
  activeLow: boolean;
  debounceMs: number;
}

export interface OutputSpec {
  name: string;
  pin: Pin;
  line: number;
  activeLow: boolean;
  initial: boolean;
}

export interface SerialSpec {
  name: string;
  path: string;
  baudRate: number;
  dataBits?: 5 | 6 | 7 | 8;
  stopBits?: 1 | 1.5 | 2;
  parity?: 'none' | 'even' | 'odd' | 'mark' | 'space';
}

export interface I2cSpec {
  name: string;
  bus: number;
  address: number;
}

/** How the HAL reaches a printer: one of the io.serial parts, a TCP raw port, or a usblp node. */
export type PrinterTransportSpec = { kind: 'serial'; serial: string } | { kind: 'tcp'; host: string; port: number } | { kind: 'usb'; path: string };

export interface PrinterSpec {
  name: string;
  transport: PrinterTransportSpec;
  columns: number;
  /** DLE EOT n to send; always includes 1 and 2. */
  statusQueries: Array<1 | 2 | 3 | 4>;
  statusTimeoutMs: number;
  /** Only present for 'star'; left out means ESC/POS (the schema default), so existing specs read the same. */
  commandSet?: Exclude<PrinterCommandSet, 'escpos'>;
}

export interface ScannerSpec {
  name: string;
  /** The io.serial part it is on. */
  serial: string;
  suffix: ScannerSuffix;
  encoding: ScannerEncoding;
  /** Bytes; a longer line without a suffix is discarded. */
  maxLength: number;
}

export interface SpeakerSpec {
  kind: SpeakerKind;
  /** ALSA device for aplay -D, e.g. plughw:1,0. */
  device?: string;
}

/** One io.lockBoards entry with its defaults applied (drivers/lock-board/config.ts has the meaning of each). */
export interface LockBoardSpec {
  name: string;
  /** The io.serial part (the RS485 line); boards on one line share it by address. */
  serial: string;
  protocol: SerialLockBoardProtocol;
  address: number;
  locks: number;
  statusPolarity: 'set-is-open' | 'set-is-closed';
  statusByteOrder: 'ch1-last' | 'ch1-first';
  retries: number;
  replyTimeoutMs: number;
  frameGapMs: number;
}

/** An io.lockBoards entry with "protocol": "gpio": lock n is locks[n - 1], lines by their io.outputs / io.inputs names. */
export interface GpioLockBoardSpec {
  name: string;
  locks: Array<{ relay: string; sensor: string; sensorActiveLow: boolean }>;
  pulseMs: number;
  /** Electrical level of a door switch line while its door is open. */
  sensorOpenLevel: 0 | 1;
}

/** One io.idCardReaders entry with its defaults applied (drivers/id-card-reader/config.ts has the meaning of each). */
export interface IdCardReaderSpec {
  name: string;
  /** The io.serial part the reader is on; it has the port to itself. */
  serial: string;
  pollMs: number;
  replyTimeoutMs: number;
  readAttempts: number;
}

export type MatrixHardwareMapping = 'regular' | 'adafruit-hat' | 'adafruit-hat-pwm' | 'regular-pi1' | 'classic';

/** One io.matrices entry (a HUB75 panel chain) with its defaults applied. */
export interface MatrixSpec {
  name: string;
  rows: 16 | 32 | 64;
  cols: 32 | 64 | 128;
  chain: number;
  parallel: number;
  /** Percent at start. */
  brightness: number;
  hardwareMapping: MatrixHardwareMapping;
  gpioSlowdown: number;
  pwmBits: number;
  font: 'wqy-12' | 'unifont-16';
  frameTimeoutMs: number;
  /** cols x chain. */
  width: number;
  /** rows x parallel. */
  height: number;
}

/**
 * One io.expanders entry (an MCP23017) with the io.inputs / io.outputs lines on its pins. In
 * those specs `line` is the expander pin: 0-7 = A0-A7, 8-15 = B0-B7.
 */
export interface ExpanderSpec {
  name: string;
  bus: number;
  address: number;
  pollMs: number;
  /** The io.inputs line (on the board's GPIO) wired to the chip's INT pin, and how it is wired. */
  interrupt?: { input: string; activeLow: boolean };
  inputs: InputSpec[];
  outputs: OutputSpec[];
}

/** One io.displays entry: a small OLED on one of the io.i2c parts, defaults applied. */
export interface DisplaySpec {
  name: string;
  /** The io.i2c part (bus and address) the display is on. */
  i2c: string;
  controller: 'ssd1306';
  width: 128;
  height: 32 | 64;
  /** 0-255 at start. */
  contrast: number;
  /** 180: mounted upside down. */
  rotate: 0 | 180;
}

/** The io section resolved against one board: what the HAL opens. */
export interface ResolvedIo {
  inputs: InputSpec[];
  outputs: OutputSpec[];
  serial: SerialSpec[];
  i2c: I2cSpec[];
  printers: PrinterSpec[];
  scanners: ScannerSpec[];
  lockBoards: LockBoardSpec[];
  /** Relay and door-switch cabinets (io.lockBoards with "protocol": "gpio"). */
  gpioLockBoards?: GpioLockBoardSpec[];
  /** GA 467 ID-card readers; left out when there are none. */
  idCardReaders?: IdCardReaderSpec[];
  matrices: MatrixSpec[];
  /** MCP23017 expanders and the lines on their pins (not in inputs/outputs, which are the board's own lines). */
  expanders?: ExpanderSpec[];
  displays: DisplaySpec[];
  speaker?: SpeakerSpec;
  firmata?: { path?: string; baudRate: number };
}

/**
 * What a driver may know of the board (boards/*.json has the full definition): its id, how
 * to find its GPIO chip, and where its Firmata board is. A board definition is assignable to it.
 */
export interface BoardFacts {
  id: string;
  gpio: { chipLabel?: string; chipByLineName?: string };
  firmata?: { path: string; baudRate: number; readyTimeoutMs: number };
}
