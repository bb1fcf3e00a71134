// The Hal a role sees, put together from whichever parts the board and config chose (real
// drivers or simulators). It looks parts up by name, opens each part on first use the way its
// record in part-types.ts says (the printer, scanner, display, matrix and ID-card reader
// drivers are imported then), turns every part's health into self-test results, and closes
// everything once. Lock boards (boards on one line share a bus) and the backend's own lines,
// serial ports and I2C devices are opened here.
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
import type { GpioLockBoardSpec, I2cSpec, MatrixSpec, ResolvedIo, SerialSpec } from '../drivers/hal/part-specs.js';
import type { GpioParts } from '../drivers/hal/backend.js';
import type { PartHealth, SelfChecking } from '../drivers/hal/part-health.js';
import { globalTimers, type Timers } from '../drivers/clock/timers.js';
import { notConfigured, type PartSection as HalSection } from '../drivers/hal/not-configured.js';
import { LockBoardLines } from './lock-board-lines.js';
import { lockBoardResult } from './part-self-tests.js';
import { PART_SECTIONS, PART_TYPES, type OpenedPart, type PartContext, type PartSection, type ProbingI2cDevice } from './part-types.js';

export type { ProbingI2cDevice } from './part-types.js';

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

/** The parts of one record of part-types.ts: its specs by name and what has been opened. */
class OpenedParts<Part extends { close(): Promise<void> }> {
  readonly specs: Map<string, { name: string }>;
  private readonly opened = new Map<string, Promise<Part>>();

  constructor(
    readonly section: HalSection,
    private readonly type: OpenedPart<never, Part>,
    io: ResolvedIo,
    private readonly ctx: PartContext,
  ) {
    this.specs = new Map((type as unknown as OpenedPart<{ name: string }, Part>).specs(io).map((s) => [s.name, s]));
  }

  open(name: string): Promise<Part> {
    const spec = this.specs.get(name);
    if (!spec) return Promise.reject(notConfigured(this.section, name, this.specs.keys()));
    return cachedOpen(this.opened, name, () => this.type.open(spec as never, this.ctx));
  }

  selfTest(): Promise<SelfTestResult>[] {
    return [...this.specs.values()].map((spec) => this.type.selfTest(spec as never, () => this.open(spec.name), this.ctx));
  }

  async close(): Promise<void> {
    await Promise.all([...this.opened.values()].map(async (p) => (await p.catch(() => undefined))?.close().catch(() => undefined)));
  }
}

type OpenedSection = { [S in PartSection]: (typeof PART_TYPES)[S]['opened'] extends undefined ? never : S }[PartSection];

export class AssembledHal implements Hal {
  readonly board: string;
  readonly clock: Clock;
  private readonly serialSpecs: Map<string, SerialSpec>;
  private readonly i2cSpecs: Map<string, I2cSpec>;
  private readonly links = new Map<string, Promise<SerialLink>>();
  private readonly devices = new Map<string, Promise<ProbingI2cDevice>>();
  /** Every part opened by its record in part-types.ts, in the registry's order. */
  private readonly parts = new Map<OpenedSection, OpenedParts<{ close(): Promise<void> }>>();
  private readonly lockBoards: LockBoardLines;
  private readonly gpioLockSpecs: Map<string, GpioLockBoardSpec>;
  private readonly gpioLockBoards = new Map<string, Promise<LockBoard>>();
  private readonly painters = new Map<string, Promise<PanelPainter>>();
  private closing: Promise<void> | undefined;

  constructor(protected readonly assembly: HalAssembly) {
    this.board = assembly.board;
    this.clock = assembly.clock;
    this.serialSpecs = new Map(assembly.io.serial.map((s) => [s.name, s]));
    this.i2cSpecs = new Map(assembly.io.i2c.map((s) => [s.name, s]));
    this.gpioLockSpecs = new Map((assembly.io.gpioLockBoards ?? []).map((s) => [s.name, s]));
    const listeners = {
      ...(assembly.timers ? { timers: assembly.timers } : {}),
      ...(assembly.onListenerError ? { onListenerError: assembly.onListenerError } : {}),
    };
    const ctx: PartContext = {
      clock: assembly.clock,
      ...listeners,
      serial: (name) => this.serial(name),
      i2c: (name) => this.i2cDevice(name),
      openMatrix: (spec) => this.assembly.openMatrix(spec),
      serialSpecs: this.serialSpecs,
    };
    for (const section of PART_SECTIONS) {
      const type: OpenedPart<never, { close(): Promise<void> }> | undefined = PART_TYPES[section].opened;
      if (type) this.parts.set(section as OpenedSection, new OpenedParts(section as OpenedSection, type, assembly.io, ctx));
    }
    this.lockBoards = new LockBoardLines({ specs: assembly.io.lockBoards, openLink: (serial) => this.serial(serial), clock: assembly.clock, ...listeners });
  }

  /** The part named `name` of a section opened through its record, typed by the caller's method. */
  private async openPart<Part>(section: OpenedSection, name: string): Promise<Part> {
    this.ensureOpen();
    const parts = this.parts.get(section);
    if (!parts) throw notConfigured(section, name, []);
    return (await parts.open(name)) as Part;
  }

  private partNames(section: OpenedSection): string[] {
    return [...(this.parts.get(section)?.specs.keys() ?? [])];
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

  /** Rejects when its serial port or usblp node cannot be opened (the next call tries again). */
  printer(name: string): Promise<TicketPrinter> {
    return this.openPart('printers', name);
  }

  scanner(name: string): Promise<Scanner> {
    return this.openPart('scanners', name);
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
  idCardReader(name: string): Promise<IdCardReader> {
    return this.openPart('idCardReaders', name);
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

  matrix(name: string): Promise<LedMatrix> {
    return this.openPart('matrices', name);
  }

  display(name: string): Promise<MonoDisplay> {
    return this.openPart('displays', name);
  }

  /** The subset font loads on first use (a few ms); a character outside it loads the full font in the background. */
  async painter(name: string): Promise<PanelPainter> {
    this.ensureOpen();
    const spec = this.parts.get('matrices')?.specs.get(name) as MatrixSpec | undefined;
    if (!spec) throw notConfigured('matrices', name, this.partNames('matrices'));
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
    const idCardReaders = this.partNames('idCardReaders');
    const locksOf = (name: string): number => this.lockBoards.spec(name)?.locks ?? this.gpioLockSpecs.get(name)?.locks.length ?? 0;
    return {
      // Only where there are lock boards: the locker's config check reads it.
      ...(lockBoards.length > 0 ? { lockBoardLocks: Object.fromEntries(lockBoards.map((n) => [n, locksOf(n)])) } : {}),
      ...(idCardReaders.length > 0 ? { idCardReaders } : {}),
      inputs: [...this.assembly.gpio.inputs.keys()],
      outputs: [...this.assembly.gpio.outputs.keys()],
      serial: [...this.serialSpecs.keys()],
      i2c: [...this.i2cSpecs.keys()],
      printers: this.partNames('printers'),
      scanners: this.partNames('scanners'),
      lockBoards,
      matrices: this.partNames('matrices'),
      displays: this.partNames('displays'),
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
    results.push(...(await Promise.all(serial)), ...(await Promise.all(i2c)));
    // The rest in the registry's order; boards on one line take turns on its bus, so asking them
    // all at once is still one at a time on the wire.
    for (const section of PART_SECTIONS) {
      const parts = this.parts.get(section as OpenedSection);
      if (parts) results.push(...(await Promise.all(parts.selfTest())));
      else if (section === 'lockBoards') {
        results.push(...(await Promise.all(this.lockBoardNames().map((name) => lockBoardResult(name, this.lockBoards.spec(name) ?? this.gpioLockSpecs.get(name), () => this.lockBoard(name))))));
      }
    }
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
    // The parts over links and I2C devices first (a printer lets a ticket being sent finish
    // before the port goes; a display before its I2C device).
    for (const parts of this.parts.values()) await parts.close();
    await this.lockBoards.close(); // before the links: a request on the wire finishes first
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
