// The HAL's part types, one record each: the io section a config names its parts in, the schema
// of one entry, the Hal method roles call, how the real part is opened on first use and
// self-tested (the "real constructor"), and where its simulator, its hardware facts and its
// contract suite live. The `io` schema (IoConfigSchema below), resolveIo's per-entry defaults
// and name checks, and AssembledHal's open/self-test/close/describe loops are all read from here,
// and test/assembly/part-types.test.ts checks every file and doc a part type must appear in.
// docs/architecture.md, "Adding a HAL part type", walks through a new record.
//
// Not here, on purpose: the cross-checks between parts (one line or port used twice, a printer
// on a serial part that does not exist) need every section at once and stay in resolve-io.ts;
// the simulated device behind a part is attached by the sim board (simulators/hal/sim-hal.ts,
// which may not import assembly/), so a record names that file and the test checks it is wired.
import { Type, type Static, type TOptional, type TRecordOrObject, type TSchema, type TString } from '@sinclair/typebox';
import type { Clock, I2cDevice, IdCardReader, LedMatrix, MonoDisplay, SelfTestResult, SerialLink, TicketPrinter } from '../drivers/hal/types.js';
import type { Hal } from '../drivers/hal/hal.js';
import type { PartHealth } from '../drivers/hal/part-health.js';
import type { DisplaySpec, IdCardReaderSpec, MatrixSpec, PrinterSpec, PrinterTransportSpec, ResolvedIo, ScannerSpec, SerialSpec } from '../drivers/hal/part-specs.js';
import type { SerialScanner } from '../drivers/scanner/serial-scanner.js';
import type { Timers } from '../drivers/clock/timers.js';
import {
  AnyLockBoardConfigSchema,
  DisplayConfigSchema,
  ExpanderConfigSchema,
  FirmataConfigSchema,
  I2cConfigSchema,
  IdCardReaderConfigSchema,
  InputConfigSchema,
  IoMatrixConfigSchema,
  OutputConfigSchema,
  PART_NAME_PATTERN,
  PrinterConfigSchema,
  ScannerConfigSchema,
  SerialConfigSchema,
  SpeakerConfigSchema,
} from './io-schema.js';

/** An I2cDevice that can also do a bare read to see if the chip answers. */
export type ProbingI2cDevice = I2cDevice & { probe?(): Promise<number> };

/** What a part's opener gets from the Hal it belongs to. */
export interface PartContext {
  clock: Clock;
  timers?: Timers;
  onListenerError?: (part: string, err: unknown) => void;
  /** The Hal's own serial part, so a replugged port is reopened like any other. */
  serial(name: string): Promise<SerialLink>;
  i2c(name: string): Promise<ProbingI2cDevice>;
  /** A virtual panel on the sim board, the panel process on a real one. */
  openMatrix(spec: MatrixSpec): Promise<LedMatrix>;
  serialSpecs: ReadonlyMap<string, SerialSpec>;
}

/**
 * A part a role opens by name: opened on first use and the same object afterwards, a failed
 * open retried on the next call, one self-test row each, closed with the Hal.
 */
export interface OpenedPart<Spec extends { name: string }, Part extends { close(): Promise<void> }> {
  specs(io: ResolvedIo): readonly Spec[];
  open(spec: Spec, ctx: PartContext): Promise<Part>;
  /** Never rejects: a part that cannot be reached is a failed row. */
  selfTest(spec: Spec, part: () => Promise<Part>, ctx: PartContext): Promise<SelfTestResult>;
}

export interface PartType<Entry extends TSchema = TSchema> {
  /** One entry of io.<section>. */
  entry: Entry;
  /** What io.<section> holds, for editors and `halld config schema`. */
  description: string;
  /** The Hal method a role calls with the part's name; undefined for parts only other parts use. */
  halMethod: keyof Hal | undefined;
  /** Headings of docs/hardware.md that hold the device's facts and sources. */
  hardware: readonly string[];
  /** The file that gives the sim board this part (imported by simulators/hal/sim-hal.ts). */
  simulator: string;
  /** The contract suite run against the simulator and the real part (test/contracts/). */
  contract: string | undefined;
  /** How the real part is opened; undefined when the GPIO backend or another record opens it. */
  opened: OpenedPart<never, { close(): Promise<void> }> | undefined;
  /** Why `opened` is undefined: who opens these parts instead. */
  openedBy?: string;
}

function row(name: string, health: PartHealth): SelfTestResult {
  return { name, ok: health.ok, ...(health.detail ? { detail: health.detail } : {}), ...(health.data ? { data: health.data } : {}) };
}

function failed(name: string, err: unknown, data: Record<string, unknown>): SelfTestResult {
  return { name, ok: false, detail: (err as Error).message, data };
}

function describeTransport(spec: PrinterTransportSpec, serial: ReadonlyMap<string, SerialSpec>): string {
  switch (spec.kind) {
    case 'serial': {
      const path = serial.get(spec.serial)?.path;
      return `serial ${spec.serial}${path ? ` (${path})` : ''}`;
    }
    case 'tcp':
      return `tcp ${spec.host}:${spec.port}`;
    case 'usb':
      return `usb ${spec.path}`;
  }
}

const listenerOptions = (ctx: PartContext): { timers?: Timers; onListenerError?: (part: string, err: unknown) => void } => ({
  ...(ctx.timers ? { timers: ctx.timers } : {}),
  ...(ctx.onListenerError ? { onListenerError: ctx.onListenerError } : {}),
});

/**
 * A serial printer survives its port being replugged; a TCP printer connects on its first status
 * query. A printer that answers is reachable (ok); whether it can print now is in the detail.
 */
const printers: OpenedPart<PrinterSpec, TicketPrinter> = {
  specs: (io) => io.printers,
  async open(spec, ctx) {
    const { openTicketPrinter } = await import('./open-printer.js');
    return openTicketPrinter(spec, { serial: (part) => ctx.serial(part), clock: ctx.clock });
  },
  async selfTest(spec, part, ctx) {
    const name = `printer:${spec.name}`;
    const data: Record<string, unknown> = { transport: describeTransport(spec.transport, ctx.serialSpecs) };
    try {
      const status = await (await part()).status();
      const detail = status.ready ? (status.paperLow ? 'ready, paper low' : 'ready') : `not ready: ${status.faults.join(', ') || 'error reported'}`;
      return row(name, { ok: true, detail, data: { ...data, ready: status.ready, faults: status.faults } });
    } catch (err) {
      return failed(name, err, data);
    }
  },
};

/** Resolves even when the port cannot be opened now: the scanner retries, and the self-test says why. */
const scanners: OpenedPart<ScannerSpec, SerialScanner> = {
  specs: (io) => io.scanners,
  async open(spec, ctx) {
    const { SerialScanner } = await import('../drivers/scanner/serial-scanner.js');
    return SerialScanner.open({
      name: spec.name,
      openLink: () => ctx.serial(spec.serial),
      clock: ctx.clock,
      suffix: spec.suffix,
      encoding: spec.encoding,
      maxLength: spec.maxLength,
      ...listenerOptions(ctx),
    });
  },
  async selfTest(spec, part) {
    const name = `scanner:${spec.name}`;
    const data = { serial: spec.serial };
    try {
      const health = (await part()).health();
      return row(name, { ...health, data: { ...data, ...health.data } });
    } catch (err) {
      return failed(name, err, data);
    }
  },
};

/** Resolves even while the port is missing: the reader keeps trying and its health says why. The row passes when the SAM answers its status command with 0x90. */
const idCardReaders: OpenedPart<IdCardReaderSpec, IdCardReader> = {
  specs: (io) => io.idCardReaders ?? [],
  async open(spec, ctx) {
    const { SerialIdCardReader } = await import('../drivers/id-card-reader/serial-id-card-reader.js');
    return SerialIdCardReader.open({
      name: spec.name,
      openLink: () => ctx.serial(spec.serial),
      clock: ctx.clock,
      pollMs: spec.pollMs,
      replyTimeoutMs: spec.replyTimeoutMs,
      readAttempts: spec.readAttempts,
      ...listenerOptions(ctx),
    });
  },
  async selfTest(spec, part) {
    const name = `id-card-reader:${spec.name}`;
    const data: Record<string, unknown> = { serial: spec.serial };
    try {
      const status = await (await part()).samStatus();
      if (!status.ok) return { name, ok: false, detail: `${status.code}: ${status.message}`, data };
      const sw3 = `0x${status.value.sw3.toString(16).padStart(2, '0')}`;
      return { name, ok: status.value.ready, detail: `SAM status ${sw3}: ${status.value.meaning}`, data: { ...data, sw3 } };
    } catch (err) {
      return failed(name, err, data);
    }
  },
};

/** Resolves at once; the panel reports its start through health(). */
const matrices: OpenedPart<MatrixSpec, LedMatrix> = {
  specs: (io) => io.matrices,
  open: (spec, ctx) => ctx.openMatrix(spec),
  async selfTest(spec, part) {
    const { matrixResult } = await import('./part-self-tests.js');
    return matrixResult(spec, part);
  },
};

/** Initialised and cleared on first use over its I2C part; reachable when the chip answers a status read. */
const displays: OpenedPart<DisplaySpec, MonoDisplay> = {
  specs: (io) => io.displays,
  async open(spec, ctx) {
    const [{ openDisplay }, device] = await Promise.all([import('./open-display.js'), ctx.i2c(spec.i2c)]);
    return openDisplay(spec, device);
  },
  async selfTest(spec, part) {
    return (await import('./open-display.js')).displayResult(spec, part);
  },
};

// `opened` holds parts of several types in one field; each record's opener is only ever called
// with the specs its own specs() returned, so widening it here loses nothing at run time.
const erase = <S extends { name: string }, P extends { close(): Promise<void> }>(o: OpenedPart<S, P>): OpenedPart<never, P> => o as unknown as OpenedPart<never, P>;

/**
 * Every io section of named parts, in the order self-test rows and NOT_CONFIGURED lists follow.
 * Typed with `satisfies`, so each record keeps its own entry schema for IoConfig's type.
 */
export const PART_TYPES = {
  inputs: {
    entry: InputConfigSchema,
    description: 'debounced digital inputs: buttons, keys, door sensors',
    halMethod: 'input',
    hardware: ['GPIO lines and polarity'],
    simulator: 'simulators/gpio/sim-gpio-backend.ts',
    contract: 'test/contracts/digital-io.test.ts',
    opened: undefined,
    openedBy: 'the GPIO backend (drivers/backends.ts, simulators/backends.ts), or an expander',
  },
  outputs: {
    entry: OutputConfigSchema,
    description: 'digital outputs: LEDs, relays, buzzers',
    halMethod: 'output',
    hardware: ['GPIO lines and polarity'],
    simulator: 'simulators/gpio/sim-gpio-backend.ts',
    contract: 'test/contracts/digital-io.test.ts',
    opened: undefined,
    openedBy: 'the GPIO backend (drivers/backends.ts, simulators/backends.ts), or an expander',
  },
  serial: {
    entry: SerialConfigSchema,
    description: 'serial ports: printer, lock board, scanner',
    halMethod: 'serial',
    hardware: ['Serial lines'],
    simulator: 'simulators/serial/virtual-serial-bus.ts',
    contract: 'test/contracts/serial-link.test.ts',
    opened: undefined,
    openedBy: "AssembledHal.serial() over the backend's serial binding (reopened after a replug)",
  },
  i2c: {
    entry: I2cConfigSchema,
    description: 'I2C devices by bus and address',
    halMethod: 'i2c',
    hardware: ['I2C bus'],
    simulator: 'simulators/i2c/sim-i2c-bus.ts',
    contract: 'test/contracts/i2c-device.test.ts',
    opened: undefined,
    openedBy: "AssembledHal.i2c() over the backend's buses (create-hal.ts i2cOpener)",
  },
  printers: {
    entry: PrinterConfigSchema,
    description: 'ticket printers (ESC/POS or Star Line Mode) over a serial part, TCP or /dev/usb/lp',
    halMethod: 'printer',
    hardware: ['ESC/POS ticket printers', 'Star ticket printers'],
    simulator: 'simulators/escpos-printer/virtual-printer.ts',
    contract: 'test/contracts/ticket-printer.test.ts',
    opened: erase(printers),
  },
  scanners: {
    entry: ScannerConfigSchema,
    description: 'barcode/QR scanners on serial parts',
    halMethod: 'scanner',
    hardware: ['Barcode scanners'],
    simulator: 'simulators/scanner/virtual-scanner.ts',
    contract: 'test/contracts/scanner.test.ts',
    opened: erase(scanners),
  },
  lockBoards: {
    entry: AnyLockBoardConfigSchema,
    description:
      'lock-control boards by the name roles use: RS485 boards (boards on one line name the same io.serial part and differ by address) or "gpio" cabinets of relays and door switches on io.outputs / io.inputs lines',
    halMethod: 'lockBoard',
    hardware: ['Lock boards: common rules', 'Lock boards: relays and door switches'],
    simulator: 'simulators/hal/sim-panels-and-locks.ts',
    contract: 'test/contracts/lock-board.test.ts',
    opened: undefined,
    openedBy: 'assembly/lock-board-lines.ts (boards on one line share its bus) and AssembledHal for "gpio" cabinets; each family is a record of its own (docs/architecture.md, "Adding a lock-board family")',
  },
  idCardReaders: {
    entry: IdCardReaderConfigSchema,
    description: 'second-generation ID-card readers (GA 467 SAM modules) by the name roles use, each on its own io.serial part',
    halMethod: 'idCardReader',
    hardware: ['ID-card reader (GA 467 SAM)'],
    simulator: 'simulators/hal/sim-id-card-readers.ts',
    contract: 'test/contracts/id-card-reader.test.ts',
    opened: erase(idCardReaders),
  },
  expanders: {
    entry: ExpanderConfigSchema,
    description: 'MCP23017 I/O expanders; their pins are named "<expander>:A0".."<expander>:B7" in io.inputs and io.outputs',
    halMethod: undefined,
    hardware: ['MCP23017 expander'],
    simulator: 'simulators/hal/sim-expanders.ts',
    contract: undefined,
    opened: undefined,
    openedBy: 'assembly/open-expanders.ts, which adds their pins to the GPIO lines before the Hal is built',
  },
  matrices: {
    entry: IoMatrixConfigSchema,
    description: 'HUB75 LED panels by the name roles use',
    halMethod: 'matrix',
    hardware: ['HUB75 LED panels'],
    simulator: 'simulators/hal/sim-panels-and-locks.ts',
    contract: 'test/contracts/led-matrix.test.ts',
    opened: erase(matrices),
  },
  displays: {
    entry: DisplayConfigSchema,
    description: 'small OLED displays (SSD1306) by the name roles use, each on an io.i2c part',
    halMethod: 'display',
    hardware: ['OLED (SSD1306)'],
    simulator: 'simulators/hal/sim-displays.ts',
    contract: 'test/contracts/mono-display.test.ts',
    opened: erase(displays),
  },
} satisfies Record<string, PartType>;

export type PartSection = keyof typeof PART_TYPES;
export const PART_SECTIONS = Object.keys(PART_TYPES) as PartSection[];

const PartName = Type.String({ pattern: PART_NAME_PATTERN, description: '1-32 characters of a-z 0-9 -' });

type SectionSchemas = { [S in PartSection]: TOptional<TRecordOrObject<TString, (typeof PART_TYPES)[S]['entry']>> };

function sectionSchemas(): SectionSchemas {
  const entries = PART_SECTIONS.map((section) => {
    const { entry, description } = PART_TYPES[section] as PartType;
    return [section, Type.Optional(Type.Record(PartName, entry, { default: {}, additionalProperties: false, description }))];
  });
  return Object.fromEntries(entries) as SectionSchemas; // one entry per key of PART_TYPES, built from that record
}

export const IoConfigSchema = Type.Object(
  {
    ...sectionSchemas(),
    speaker: Type.Optional(SpeakerConfigSchema),
    firmata: Type.Optional(FirmataConfigSchema),
  },
  { default: {}, additionalProperties: false, description: "the board's named parts" },
);

/** The `io` section as written in a config file (defaults may still be missing). */
export type IoConfig = Static<typeof IoConfigSchema>;
