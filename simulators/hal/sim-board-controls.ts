// The test's side of a simulated board, as the Hal carries it (`hal.sim`). Its own small file
// (types and one guard) so that code asking "is this a SimHal?" does not load the simulators.
import type { Level } from '../../drivers/hal/backend.js';
import type { Hal } from '../../drivers/hal/types.js';
import type { OutputLevelChange } from '../gpio/sim-gpio-backend.js';
import type { VirtualAttachment } from '../serial/virtual-serial-bus.js';
import type { VirtualSerialDevice } from '../serial/virtual-device.js';
import type { SimI2cBus } from '../i2c/sim-i2c-bus.js';
import type { SimSpeaker, SpeakerEvent } from '../speaker/sim-speaker.js';
import type { ScanOptions, VirtualScanner } from '../scanner/virtual-scanner.js';
import type { VirtualEscPosPrinter } from '../escpos-printer/virtual-printer.js';
import type { VirtualStarPrinter } from '../star-printer/virtual-printer.js';
import type { VirtualLockBoard } from '../lock-board/virtual-lock-board.js';
import type { VirtualLockBus } from '../lock-board/virtual-lock-bus.js';
import type { VirtualIdCardReader } from '../id-card-reader/virtual-id-card-reader.js';
import type { VirtualPanel } from '../matrix/virtual-panel.js';
import type { SimMcp23017 } from '../mcp23017/sim-mcp23017.js';
import type { SimRelayCabinet } from '../lock-board/sim-relay-cabinet.js';
import type { Ssd1306Chip } from '../ssd1306/ssd1306-chip.js';

export interface SimControls {
  /** Presses the button: one clean edge to its active level (debounced like real input). */
  press(input: string): void;
  release(input: string): void;
  /** `times` raw toggles inside the debounce window, then the line settles at `settle`. */
  bounce(input: string, times: number, settle?: 'active' | 'inactive'): void;
  /** Sets the raw electrical level of an input line. */
  setLevel(input: string, level: Level): void;
  /** Every level the output was driven to, starting with the one at open. */
  outputHistory(output: string): readonly OutputLevelChange[];
  /** Plugs a byte-level device into the serial part's port. */
  attachSerialDevice(name: string, device: VirtualSerialDevice): VirtualAttachment;
  /** Every byte the host wrote to the serial part's port. */
  serialWritten(name: string): Buffer;
  /** Pulls the adapter out: the open link closes with an error, reopening fails until replug. */
  unplugSerial(name: string): void;
  replugSerial(name: string): void;
  /** Texts the speaker said, in order. */
  spoken(): string[];
  speakerEvents(): readonly SpeakerEvent[];
  /** The recording speaker itself (write what it played to WAV files). */
  speaker(): SimSpeaker;
  /** The live register file of the I2C part (read and write it to script the chip). */
  i2cRegisters(name: string): Uint8Array;
  /** The I2C part stops acknowledging for `count` transfers (Infinity: until 0 is passed). */
  i2cNack(name: string, count?: number): void;
  /** The simulated bus itself, for transfer logs. */
  i2cBus(bus: number): SimI2cBus;
  /**
   * The virtual ESC/POS printer behind a printer on a serial part: read its tickets(), inject
   * faults with setFaults(). A TCP or USB printer has none (NOT_CONFIGURED says so), nor has
   * a Star printer (use starPrinter()).
   */
  printer(name: string): VirtualEscPosPrinter;
  /** The virtual Star Line Mode printer behind a serial printer with `commandSet: 'star'`; same model and fault injection. */
  starPrinter(name: string): VirtualStarPrinter;
  /**
   * The virtual scanner on the scanner's port sends `code` and its suffix (CR LF for suffix
   * 'auto', else the configured one). Resolves when the bytes are handed to the port; rejects
   * when nobody has opened the scanner yet (call hal.scanner(name) first).
   */
  scan(name: string, code: string | Uint8Array, options?: ScanOptions): Promise<void>;
  /** The virtual scanner itself (raw noise with sendRaw(), what the host wrote). */
  virtualScanner(name: string): VirtualScanner;
  /**
   * The virtual board behind io.lockBoards[name] (the real driver talks to it over the serial
   * part): open and shut doors (forceOpen, closeDoor), items, jams, injected faults, pulses seen.
   */
  lockBoard(name: string): VirtualLockBoard;
  /** The RS485 line that board is on: every request heard (unlocksHeard()), the wire in order. */
  lockBus(name: string): VirtualLockBus;
  /**
   * The simulated GA 467 module behind io.idCardReaders[name] (the real driver polls it over the
   * serial part): lay cards on it and take them off (placeCard, removeCard), inject faults, read what it heard.
   */
  idCardReader(name: string): VirtualIdCardReader;
  /**
   * The simulated MCP23017 behind io.expanders[name]: drive its pins, read its outputs, watch
   * INT (press/release/outputHistory also work on lines that sit on an expander pin).
   */
  expander(name: string): SimMcp23017;
  /**
   * The simulated cabinet behind a "gpio" io.lockBoards entry: its relays open doors (unless
   * jammed), its door switches show them; force doors open and shut them as with lockBoard().
   */
  relayCabinet(name: string): SimRelayCabinet;
  /** The virtual panel behind io.matrices[name]: the frames shown (lastFrame(), writePng()), brightness. */
  matrix(name: string): VirtualPanel;
  /** The simulated SSD1306 behind io.displays[name]: what its glass shows (glass(), png()), its settings, the commands heard. */
  display(name: string): Ssd1306Chip;
}

export interface SimHal extends Hal {
  readonly sim: SimControls;
}

export function isSimHal(hal: Hal): hal is SimHal {
  return typeof (hal as Partial<SimHal>).sim === 'object';
}
