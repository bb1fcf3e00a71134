// What a backend (a family of drivers, or the simulators) gives the assembly layer, which
// builds a Hal from it. drivers/backends.ts and simulators/backends.ts each export
// descriptors of this shape; assembly/registry.ts composes them. A descriptor's open()
// imports its implementation when called, so native packages load only on the boards that
// use them.
import type { Timers } from '../clock/timers.js';
import type { I2cBusOpener, SerialBinding } from './bus-handles.js';
import type { Clock } from './clock.js';
import type { DigitalInput, DigitalOutput } from './digital-io.js';
import type { PartHealth, SelfChecking } from './part-health.js';
import type { BoardFacts, GpioBackendKind, InputSpec, OutputSpec, ResolvedIo, SpeakerKind } from './part-specs.js';
import type { Speaker } from './speaker.js';
import type { LedMatrix } from './led-matrix.js';
import type { MatrixSpec } from './part-specs.js';

/** An electrical level on a line: 1 = high. */
export type Level = 0 | 1;

export interface GpioInput extends DigitalInput {
  health(): PartHealth;
}

export interface GpioOutput extends DigitalOutput {
  health(): PartHealth;
}

export interface GpioParts {
  readonly backend: GpioBackendKind;
  inputs: Map<string, GpioInput>;
  outputs: Map<string, GpioOutput>;
  /** Releases every line (kills helper processes, unexports, closes the Firmata port). */
  close(): Promise<void>;
}

/** Shared by every GPIO backend: time, timers, and where a listener's exception goes. */
export interface GpioContext {
  clock: Clock;
  timers: Timers;
  /** A role's onChange listener threw; the HAL reports it and keeps delivering. */
  onListenerError(part: string, err: unknown): void;
}

export interface GpioBackend {
  readonly kind: GpioBackendKind;
  /**
   * Opens the lines. Never rejects for a line or chip that cannot be opened: such parts come
   * back failed (inputs stay inactive, outputs reject writes) and say why in health().
   */
  open(inputs: readonly InputSpec[], outputs: readonly OutputSpec[]): Promise<GpioParts>;
}

/** What the assembly asks a backend to open. */
export interface BackendRequest extends GpioContext {
  board: BoardFacts;
  io: ResolvedIo;
}

/** The raw parts of a board; the assembly builds the Hal (serial, I2C, printers, scanners) on them. */
export interface BoardParts {
  gpio: GpioParts;
  /** The serialport binding every serial part opens on (the real SerialLink driver runs on it); default: the OS one. */
  serialBinding?: SerialBinding;
  /**
   * Where I2C devices get their bus (the real I2C driver runs on it). Default: i2c-bus on
   * /dev/i2c-N, one handle per bus shared by its devices and closed with the last of them.
   * `closeWithLastDevice: false` for buses that live as long as the backend (simulated ones).
   */
  i2c?: { openBus: I2cBusOpener; closeWithLastDevice: boolean };
  /**
   * The LED panel behind an io.matrices entry (the sim board's virtual panels). When left out,
   * the assembly runs the real panel process (rpi-led-matrix) for it.
   */
  openMatrix?(spec: MatrixSpec): Promise<LedMatrix>;
  /** The board's own speaker; when left out, the speaker backend io.speaker.kind names is used. */
  speaker?: Speaker & Partial<SelfChecking>;
  /** The test side of a simulated board (press buttons, read tickets), attached to the Hal as `sim`. */
  controls?: object;
  /** Releases what the backend itself holds (virtual buses). */
  close?(): Promise<void>;
}

/**
 * A GPIO backend a board may name (boards/*.json gpio.backend). `Deps` are the injection
 * points of the drivers (test doubles for the OS tools and packages); simulators need none.
 * open() never rejects for absent hardware (parts come back failed, see GpioBackend.open);
 * it rejects with HalError BAD_CONFIG for a config that cannot work on this backend.
 */
export interface GpioBackendDescriptor<Deps = unknown> {
  readonly kind: GpioBackendKind;
  open(request: BackendRequest, deps: Deps): Promise<BoardParts>;
}

/** A speaker a config may name (io.speaker.kind). */
export interface SpeakerBackendDescriptor<Deps = unknown> {
  readonly kind: SpeakerKind;
  open(request: BackendRequest, deps: Deps): Promise<Speaker & Partial<SelfChecking>>;
}
