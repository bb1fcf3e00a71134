// The Hal a role sees, put together from whichever parts the board and config chose (real
// drivers or simulators). It looks parts up by name, opens serial ports, I2C devices,
// printers and scanners on first use, turns every part's health into self-test results, and
// closes everything once. The printer, scanner, lock-board and ID-card reader drivers are imported when first opened.
import {
  HalError,
  type Clock,
  type DigitalInput,
  type DigitalOutput,
  type Hal,
  type HalParts,
  type I2cDevice,
  type IdCardReader,
  type LedMatrix,
  type LockBoard,
  type MonoDisplay,
  type PanelPainter,
  type Scanner,
  type SelfTestResult,
  type SerialLink,
  type Speaker,
  type TicketPrinter,
} from '../drivers/hal/types.js';
import type { DisplaySpec, GpioLockBoardSpec, I2cSpec, MatrixSpec, PrinterSpec, PrinterTransportSpec, ResolvedIo, ScannerSpec, SerialSpec } from '../drivers/hal/part-specs.js';
import type { GpioParts } from '../drivers/hal/backend.js';
import type { PartHealth, SelfChecking } from '../drivers/hal/part-health.js';
import type { SerialScanner } from '../drivers/scanner/serial-scanner.js';
import { globalTimers, type Timers } from '../drivers/clock/timers.js';
import { notConfigured } from '../drivers/hal/not-configured.js';
import { LockBoardLines } from './lock-board-lines.js';
import { IdCardReaders } from './id-card-readers.js';
import { lockBoardResult, matrixResult } from './part-self-tests.js';

/** An I2cDevice that can also do a bare read to see if the chip answers. */
export type ProbingI2cDevice = I2cDevice & { probe?(): Promise<number> };

export interface HalAssembly {
  board: string;
  clock: Clock;
  io: ResolvedIo;
  gpio: GpioParts;
  openSerial(spec: SerialSpec): Promise<SerialLink>;
  openI2c(spec: I2cSpec): Promise<ProbingI2cDevice>;
  /** The panel behind an io.matrices entry: a virtual one on the sim board, the panel process on a real one. */
  openMatrix(spec: MatrixSpec): Promise<LedMatrix>;
  speaker: Speaker & Partial<SelfChecking>;
  /** Drive the scanners' reconnect timer (default: the global timers). */
  timers?: Timers;
  /** A role's scan listener threw (default: a process warning). */
  onListenerError?: (part: string, err: unknown) => void;
  /** Releases what the assembly itself holds (virtual buses, pools). */
  close?(): Promise<void>;
}

function result(name: string, health: PartHealth): SelfTestResult {
  return { name, ok: health.ok, ...(health.detail ? { detail: health.detail } : {}), ...(health.data ? { data: health.data } : {}) };
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

/** One open-on-first-use cache entry per name; a failed open is forgotten so the next call retries. */
function cachedOpen<T>(cache: Map<string, Promise<T>>, name: string, open: () => Promise<T>): Promise<T> {
  const cached = cache.get(name);
  if (cached) return cached;
  const opening = open();
  cache.set(name, opening);
  opening.catch(() => {
    if (cache.get(name) === opening) cache.delete(name);
  });
  return opening;
}

export class AssembledHal implements Hal {
  readonly board: string;
  readonly clock: Clock;
  private readonly serialSpecs: Map<string, SerialSpec>;
  private readonly i2cSpecs: Map<string, I2cSpec>;
  private readonly links = new Map<string, Promise<SerialLink>>();
  private readonly devices = new Map<string, Promise<ProbingI2cDevice>>();
  private readonly printerSpecs: Map<string, PrinterSpec>;
  private readonly scannerSpecs: Map<string, ScannerSpec>;
  private readonly printers = new Map<string, Promise<TicketPrinter>>();
  private readonly scanners = new Map<string, Promise<SerialScanner>>();
  private readonly lockBoards: LockBoardLines;
  private readonly idCardReaders: IdCardReaders;
  private readonly gpioLockSpecs: Map<string, GpioLockBoardSpec>;
  private readonly gpioLockBoards = new Map<string, Promise<LockBoard>>();
  private readonly matrixSpecs: Map<string, MatrixSpec>;
  private readonly matrices = new Map<string, Promise<LedMatrix>>();
  private readonly displaySpecs: Map<string, DisplaySpec>;
  private readonly displays = new Map<string, Promise<MonoDisplay>>();
  private readonly painters = new Map<string, Promise<PanelPainter>>();
  private closing: Promise<void> | undefined;

  constructor(protected readonly assembly: HalAssembly) {
    this.board = assembly.board;
    this.clock = assembly.clock;
    this.serialSpecs = new Map(assembly.io.serial.map((s) => [s.name, s]));
    this.i2cSpecs = new Map(assembly.io.i2c.map((s) => [s.name, s]));
    this.printerSpecs = new Map(assembly.io.printers.map((s) => [s.name, s]));
    this.scannerSpecs = new Map(assembly.io.scanners.map((s) => [s.name, s]));
    this.matrixSpecs = new Map(assembly.io.matrices.map((s) => [s.name, s]));
    this.gpioLockSpecs = new Map((assembly.io.gpioLockBoards ?? []).map((s) => [s.name, s]));
    this.displaySpecs = new Map(assembly.io.displays.map((s) => [s.name, s]));
    this.lockBoards = new LockBoardLines({
      specs: assembly.io.lockBoards,
      openLink: (serial) => this.serial(serial),
      clock: assembly.clock,
      ...(assembly.timers ? { timers: assembly.timers } : {}),
      ...(assembly.onListenerError ? { onListenerError: assembly.onListenerError } : {}),
    });
    this.idCardReaders = new IdCardReaders({
      specs: assembly.io.idCardReaders ?? [],
      openLink: (serial) => this.serial(serial),
      clock: assembly.clock,
      ...(assembly.timers ? { timers: assembly.timers } : {}),
      ...(assembly.onListenerError ? { onListenerError: assembly.onListenerError } : {}),
    });
  }

  input(name: string): DigitalInput {
    this.ensureOpen();
    const input = this.assembly.gpio.inputs.get(name);
    if (!input) throw notConfigured('inputs', name, this.assembly.gpio.inputs.keys());
    return input;
  }

  output(name: string): DigitalOutput {
    this.ensureOpen();
    const output = this.assembly.gpio.outputs.get(name);
    if (!output) throw notConfigured('outputs', name, this.assembly.gpio.outputs.keys());
    return output;
  }

  /** Opens the port on first use; a port that closed (unplugged) is reopened on the next call. */
  async serial(name: string): Promise<SerialLink> {
    this.ensureOpen();
    const spec = this.serialSpecs.get(name);
    if (!spec) throw notConfigured('serial', name, this.serialSpecs.keys());
    const cached = this.links.get(name);
    if (cached) {
      const link = await cached.catch(() => undefined);
      if (link?.isOpen()) return link;
      if (this.links.get(name) !== cached) return this.serial(name); // someone else reopened meanwhile
    }
    const opening = this.assembly.openSerial(spec);
    this.links.set(name, opening);
    opening.catch(() => {
      if (this.links.get(name) === opening) this.links.delete(name); // retry on the next call
    });
    return opening;
  }

  i2c(name: string): Promise<I2cDevice> {
    return this.i2cDevice(name);
  }

  private async i2cDevice(name: string): Promise<ProbingI2cDevice> {
    this.ensureOpen();
    const spec = this.i2cSpecs.get(name);
    if (!spec) throw notConfigured('i2c', name, this.i2cSpecs.keys());
    return cachedOpen(this.devices, name, () => this.assembly.openI2c(spec));
  }

  /**
   * Opens the printer on first use and returns the same one afterwards. Rejects when its
   * serial port or usblp node cannot be opened (the next call tries again); a TCP printer
   * connects on its first status query. A serial printer survives its port being replugged.
   */
  async printer(name: string): Promise<TicketPrinter> {
    this.ensureOpen();
    const spec = this.printerSpecs.get(name);
    if (!spec) throw notConfigured('printers', name, this.printerSpecs.keys());
    return cachedOpen(this.printers, name, async () => {
      const { openTicketPrinter } = await import('./open-printer.js');
      return openTicketPrinter(spec, { serial: (part) => this.serial(part), clock: this.clock });
    });
  }

  scanner(name: string): Promise<Scanner> {
    return this.serialScanner(name);
  }

  /**
   * Opens the scanner on first use and returns the same one afterwards. Resolves even when
   * its port cannot be opened now: the scanner retries until it can, and the self-test says why.
   */
  private async serialScanner(name: string): Promise<SerialScanner> {
    this.ensureOpen();
    const spec = this.scannerSpecs.get(name);
    if (!spec) throw notConfigured('scanners', name, this.scannerSpecs.keys());
    return cachedOpen(this.scanners, name, async () => {
      const { SerialScanner } = await import('../drivers/scanner/serial-scanner.js');
      return SerialScanner.open({
        name,
        openLink: () => this.serial(spec.serial),
        clock: this.clock,
        suffix: spec.suffix,
        encoding: spec.encoding,
        maxLength: spec.maxLength,
        ...(this.assembly.timers ? { timers: this.assembly.timers } : {}),
        ...(this.assembly.onListenerError ? { onListenerError: this.assembly.onListenerError } : {}),
      });
    });
  }

  /** Opens the board's line (and every board on it) on first use; the same board afterwards. */
  async lockBoard(name: string): Promise<LockBoard> {
    this.ensureOpen();
    const gpio = this.gpioLockSpecs.get(name);
    if (gpio) return cachedOpen(this.gpioLockBoards, name, () => this.openGpioLockBoard(gpio));
    if (this.lockBoards.spec(name)) return this.lockBoards.open(name);
    throw notConfigured('lockBoards', name, this.lockBoardNames());
  }

  /** Opens the reader on first use and starts it looking for cards; the same reader afterwards. */
  async idCardReader(name: string): Promise<IdCardReader> {
    this.ensureOpen();
    return this.idCardReaders.open(name);
  }

  private lockBoardNames(): string[] {
    return [...this.lockBoards.names(), ...this.gpioLockSpecs.keys()];
  }

  /** Relays and door switches on the Hal's own lines (resolveIo checked that each exists). */
  private async openGpioLockBoard(spec: GpioLockBoardSpec): Promise<LockBoard> {
    const { GpioLockBoard } = await import('../drivers/lock-board/gpio-lock-board.js');
    const { timers, onListenerError } = this.assembly;
    return new GpioLockBoard({
      name: spec.name,
      locks: spec.locks.map((l) => ({ relay: this.output(l.relay), sensor: this.input(l.sensor), sensorActiveLow: l.sensorActiveLow })),
      pulseMs: spec.pulseMs,
      sensorOpenLevel: spec.sensorOpenLevel,
      clock: this.clock,
      timers: timers ?? globalTimers,
      ...(onListenerError ? { onListenerError } : {}),
    });
  }

  async matrix(name: string): Promise<LedMatrix> {
    this.ensureOpen();
    const spec = this.matrixSpecs.get(name);
    if (!spec) throw notConfigured('matrices', name, this.matrixSpecs.keys());
    return cachedOpen(this.matrices, name, () => this.assembly.openMatrix(spec));
  }

  async display(name: string): Promise<MonoDisplay> {
    this.ensureOpen();
    const spec = this.displaySpecs.get(name);
    if (!spec) throw notConfigured('displays', name, this.displaySpecs.keys());
    return cachedOpen(this.displays, name, async () => {
      const [{ openDisplay }, device] = await Promise.all([import('./open-display.js'), this.i2cDevice(spec.i2c)]);
      return openDisplay(spec, device);
    });
  }

  /** The subset font loads on first use (a few ms); a character outside it loads the full font in the background. */
  async painter(name: string): Promise<PanelPainter> {
    this.ensureOpen();
    const spec = this.matrixSpecs.get(name);
    if (!spec) throw notConfigured('matrices', name, this.matrixSpecs.keys());
    return cachedOpen(this.painters, name, async () => {
      const { openPainter } = await import('../drivers/matrix/render/panel-painter.js');
      return openPainter(spec, this.clock);
    });
  }

  speaker(): Speaker {
    this.ensureOpen();
    return this.assembly.speaker;
  }

  describe(): HalParts {
    const lockBoards = this.lockBoardNames();
    const idCardReaders = this.idCardReaders.names();
    const locksOf = (name: string): number => this.lockBoards.spec(name)?.locks ?? this.gpioLockSpecs.get(name)?.locks.length ?? 0;
    return {
      // Only where there are lock boards: the locker's config check reads it.
      ...(lockBoards.length > 0 ? { lockBoardLocks: Object.fromEntries(lockBoards.map((n) => [n, locksOf(n)])) } : {}),
      ...(idCardReaders.length > 0 ? { idCardReaders } : {}),
      inputs: [...this.assembly.gpio.inputs.keys()],
      outputs: [...this.assembly.gpio.outputs.keys()],
      serial: [...this.serialSpecs.keys()],
      i2c: [...this.i2cSpecs.keys()],
      printers: [...this.printerSpecs.keys()],
      scanners: [...this.scannerSpecs.keys()],
      lockBoards,
      matrices: [...this.matrixSpecs.keys()],
      displays: [...this.displaySpecs.keys()],
    };
  }

  /** One result per part. Never rejects: a part that cannot be reached is a failed result. */
  async selfTest(): Promise<SelfTestResult[]> {
    this.ensureOpen();
    const results: SelfTestResult[] = [];
    for (const [name, input] of this.assembly.gpio.inputs) results.push(result(`input:${name}`, input.health()));
    for (const [name, output] of this.assembly.gpio.outputs) results.push(result(`output:${name}`, output.health()));
    const serial = [...this.serialSpecs.values()].map(async (spec) => {
      const data = { path: spec.path, baudRate: spec.baudRate };
      try {
        const link = await this.serial(spec.name);
        return result(`serial:${spec.name}`, link.isOpen() ? { ok: true, data } : { ok: false, detail: 'port closed', data });
      } catch (err) {
        return result(`serial:${spec.name}`, { ok: false, detail: (err as Error).message, data });
      }
    });
    const i2c = [...this.i2cSpecs.values()].map(async (spec) => {
      const data = { bus: spec.bus, address: spec.address };
      try {
        const device = await this.i2cDevice(spec.name);
        // A real transfer: opening /dev/i2c-N succeeds even when nothing is there.
        if (device.probe) await device.probe();
        else await device.readByte(0);
        return result(`i2c:${spec.name}`, { ok: true, data });
      } catch (err) {
        return result(`i2c:${spec.name}`, { ok: false, detail: (err as Error).message, data });
      }
    });
    // A printer that answers is reachable (ok); whether it can print now is in the detail.
    const printers = [...this.printerSpecs.values()].map(async (spec) => {
      const data: Record<string, unknown> = { transport: describeTransport(spec.transport, this.serialSpecs) };
      try {
        const status = await (await this.printer(spec.name)).status();
        const detail = status.ready ? (status.paperLow ? 'ready, paper low' : 'ready') : `not ready: ${status.faults.join(', ') || 'error reported'}`;
        return result(`printer:${spec.name}`, { ok: true, detail, data: { ...data, ready: status.ready, faults: status.faults } });
      } catch (err) {
        return result(`printer:${spec.name}`, { ok: false, detail: (err as Error).message, data });
      }
    });
    const scanners = [...this.scannerSpecs.values()].map(async (spec) => {
      const data = { serial: spec.serial };
      try {
        const health = (await this.serialScanner(spec.name)).health();
        return result(`scanner:${spec.name}`, { ...health, data: { ...data, ...health.data } });
      } catch (err) {
        return result(`scanner:${spec.name}`, { ok: false, detail: (err as Error).message, data });
      }
    });
    // Boards on one line take turns on its bus; asking them all at once is still one at a time on the wire.
    const lockBoards = this.lockBoardNames().map((name) => lockBoardResult(name, this.lockBoards.spec(name) ?? this.gpioLockSpecs.get(name), () => this.lockBoard(name)));
    const matrices = [...this.matrixSpecs.values()].map((spec) => matrixResult(spec, () => this.matrix(spec.name)));
    const displays = [...this.displaySpecs.values()].map(async (spec) => (await import('./open-display.js')).displayResult(spec, () => this.display(spec.name)));
    results.push(
      ...(await Promise.all(serial)),
      ...(await Promise.all(i2c)),
      ...(await Promise.all(printers)),
      ...(await Promise.all(scanners)),
      ...(await Promise.all(lockBoards)),
      ...(await this.idCardReaders.selfTest()),
      ...(await Promise.all(matrices)),
      ...(await Promise.all(displays)),
    );
    const speaker = this.assembly.speaker;
    if (speaker.check) {
      try {
        results.push(result('speaker', await speaker.check()));
      } catch (err) {
        results.push(result('speaker', { ok: false, detail: (err as Error).message }));
      }
    }
    return results;
  }

  close(): Promise<void> {
    this.closing ??= this.closeAll();
    return this.closing;
  }

  private async closeAll(): Promise<void> {
    const settled = async <T extends { close(): Promise<void> }>(p: Promise<T>): Promise<void> => {
      const part = await p.catch(() => undefined);
      await part?.close().catch(() => undefined);
    };
    // Printers first: close() lets a ticket being sent finish before the port goes.
    const users: Promise<{ close(): Promise<void> }>[] = [...this.printers.values(), ...this.scanners.values()];
    await Promise.all(users.map(settled));
    await Promise.all(this.matrices.size > 0 ? [...this.matrices.values()].map(settled) : []);
    await Promise.all([...this.displays.values()].map(settled)); // before their I2C devices
    await this.lockBoards.close(); // before the links: a request on the wire finishes first
    await this.idCardReaders.close();
    await Promise.all([...this.gpioLockBoards.values()].map(settled)); // before the lines: a pulse under way releases its relay
    await Promise.all([...this.links.values()].map(settled));
    await Promise.all([...this.devices.values()].map(settled));
    await Promise.all([...this.assembly.gpio.inputs.values(), ...this.assembly.gpio.outputs.values()].map((p) => p.close().catch(() => undefined)));
    await this.assembly.gpio.close().catch(() => undefined);
    await this.assembly.speaker.close().catch(() => undefined);
    await this.assembly.close?.().catch(() => undefined);
  }

  private ensureOpen(): void {
    if (this.closing) throw new HalError('CLOSED', `the HAL of board ${this.board} is closed`);
  }
}
