// An MCP23017 16-bit I/O expander (Microchip DS20001952C) as a source of DigitalIo lines: each
// configured pin becomes a GpioInput (debounced by the shared DebouncedInput, so an expander key
// debounces exactly like a Pi line) or a GpioOutput (the shared LineOutput). Registers are used
// with IOCON.BANK = 0 (§3.5, Table 3-1). Outputs are written to OLAT from a shadow of the latch,
// one port byte per write, so setting one pin never rewrites another with a stale value read
// back from the chip (§3.5.11: reading GPIO returns the pins, not the latch). Inputs are read by
// polling GPIO every pollMs; with an interrupt line (INTA/INTB mirrored, §3.6) a change is read
// at once, INTCAP first so a pulse shorter than the read still reaches the debouncer. Every
// transfer goes through one queue. A failed transfer marks every pin faulty (health(), a
// rejected write) and never throws into a role; the poll keeps trying, and the first transfer
// the chip answers again re-initialises it, since a chip that lost power forgot its setup.
import { HalError } from '../hal/hal-error.js';
import type { I2cDevice } from '../hal/i2c-device.js';
import type { DigitalInput } from '../hal/digital-io.js';
import type { GpioContext, GpioInput, GpioOutput, Level } from '../hal/backend.js';
import type { PartHealth } from '../hal/part-health.js';
import type { InputSpec, OutputSpec } from '../hal/part-specs.js';
import type { IntervalHandle } from '../clock/timers.js';
import { DebouncedInput } from '../gpio/debounced-input.js';
import { LineOutput } from '../gpio/line-output.js';
import { levelFor } from '../gpio/gpio-backend.js';
import { IOCON, REG, pinName, portBytes } from './registers.js';

/** Every this many polls the direction registers are read back, to notice a chip that reset. */
export const VERIFY_EVERY_POLLS = 50;

export interface Mcp23017Options {
  /** The io.expanders key, for messages. */
  name: string;
  device: I2cDevice;
  /** `line` is the expander pin: 0-7 = A0-A7, 8-15 = B0-B7. */
  inputs: readonly InputSpec[];
  outputs: readonly OutputSpec[];
  pollMs: number;
  /** The chip's INT line wired to a host input; `activeLow` says how it is wired (IOCON.INTPOL follows it). */
  interrupt?: { input: DigitalInput; activeLow: boolean };
  ctx: GpioContext;
}

type Reason = 'poll' | 'interrupt';

export class Mcp23017Expander {
  readonly inputs = new Map<string, GpioInput>();
  readonly outputs = new Map<string, GpioOutput>();
  private readonly debounced: DebouncedInput[] = [];
  private readonly inputMask: number;
  private readonly outputMask: number;
  private readonly pullUpMask: number;
  private shadow = 0;
  private queue: Promise<void> = Promise.resolve();
  private needsInit = true;
  private initialised = false;
  private lastLevels: number | undefined;
  private fault: string | undefined;
  private refreshing = false;
  private again: Reason | undefined;
  private polls = 0;
  private timer: IntervalHandle | undefined;
  private offInterrupt: (() => void) | undefined;
  private closed = false;

  constructor(private readonly options: Mcp23017Options) {
    const where = (spec: InputSpec | OutputSpec) => () => ({ expander: options.name, pin: pinName(spec.line), address: options.device.address, bus: options.device.bus });
    let inputs = 0;
    let pullUps = 0;
    for (const spec of options.inputs) {
      const input = new DebouncedInput(spec, options.ctx, { data: where(spec) });
      this.debounced.push(input);
      this.inputs.set(spec.name, input);
      inputs |= 1 << spec.line;
      if (spec.pull === 'up') pullUps |= 1 << spec.line;
    }
    let outputs = 0;
    for (const spec of options.outputs) {
      outputs |= 1 << spec.line;
      if (levelFor(spec.initial, spec.activeLow) === 1) this.shadow |= 1 << spec.line;
      const driver = { write: (level: Level) => this.writePin(spec.line, level), close: async () => undefined, fault: () => this.fault, data: where(spec) };
      this.outputs.set(spec.name, new LineOutput(spec, driver));
    }
    this.inputMask = inputs;
    this.outputMask = outputs;
    this.pullUpMask = pullUps;
  }

  /** Sets the chip up and starts reading. Never rejects: a chip that does not answer leaves its pins faulty until it does. */
  start(): Promise<void> {
    const first = this.refresh('poll');
    this.timer = this.options.ctx.timers.setInterval(() => void this.refresh('poll'), this.options.pollMs);
    this.offInterrupt = this.options.interrupt?.input.onChange((active) => {
      if (active) void this.refresh('interrupt');
    });
    return first;
  }

  health(): PartHealth {
    const data = { address: this.options.device.address, bus: this.options.device.bus, olat: this.shadow };
    if (this.closed) return { ok: false, detail: 'closed', data };
    return this.fault ? { ok: false, detail: this.fault, data } : { ok: true, data };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.options.ctx.timers.clearInterval(this.timer);
    this.offInterrupt?.();
    await this.queue;
    await this.options.device.close().catch(() => undefined);
  }

  /** Reads the pins now (one read at a time; a request during a read runs right after it). */
  private refresh(reason: Reason): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.refreshing) {
      if (this.again !== 'interrupt') this.again = reason;
      return this.queue;
    }
    this.refreshing = true;
    return this.enqueue(async () => {
      try {
        await this.read(reason);
      } catch (err) {
        this.markFault(err);
      }
    }).finally(() => {
      this.refreshing = false;
      const again = this.again;
      this.again = undefined;
      if (again) void this.refresh(again);
    });
  }

  private async read(reason: Reason): Promise<void> {
    if (this.needsInit) await this.init();
    else if (++this.polls % VERIFY_EVERY_POLLS === 0 && !(await this.configIntact())) await this.init();
    let flagged = 0;
    let captured = 0;
    if (reason === 'interrupt' && this.inputMask !== 0) {
      const [intfA = 0, intfB = 0, capA = 0, capB = 0] = await this.options.device.readBlock(REG.INTFA, 4);
      flagged = (intfA | (intfB << 8)) & this.inputMask;
      captured = capA | (capB << 8);
    }
    const [a = 0, b = 0] = await this.options.device.readBlock(REG.GPIOA, 2);
    this.healthy();
    this.feed(a | (b << 8), flagged, captured);
  }

  /** Order matters: the latch before the direction, so an output starts at its initial level. */
  private async init(): Promise<void> {
    const d = this.options.device;
    const intActiveHigh = this.options.interrupt ? !this.options.interrupt.activeLow : false;
    await d.writeByte(REG.IOCON, IOCON.MIRROR | (intActiveHigh ? IOCON.INTPOL : 0));
    await d.writeBlock(REG.OLATA, Uint8Array.from(portBytes(this.shadow)));
    await d.writeBlock(REG.IPOLA, Uint8Array.from([0, 0])); // active-low is the debouncer's job
    await d.writeBlock(REG.GPPUA, Uint8Array.from(portBytes(this.pullUpMask)));
    // GPINTEN, DEFVAL, INTCON: interrupt on any change of an input pin.
    await d.writeBlock(REG.GPINTENA, Uint8Array.from([...portBytes(this.inputMask), 0, 0, 0, 0]));
    await d.writeBlock(REG.IODIRA, Uint8Array.from(portBytes(~this.outputMask & 0xffff)));
    this.needsInit = false;
  }

  private async configIntact(): Promise<boolean> {
    const [a = 0, b = 0] = await this.options.device.readBlock(REG.IODIRA, 2);
    return (a | (b << 8)) === (~this.outputMask & 0xffff);
  }

  private feed(levels: number, flagged: number, captured: number): void {
    const first = !this.initialised;
    this.initialised = true;
    const previous = this.lastLevels;
    this.lastLevels = levels;
    for (const input of this.debounced) {
      const bit = 1 << input.spec.line;
      const level: Level = levels & bit ? 1 : 0;
      if (first || previous === undefined) {
        input.establish(level);
        continue;
      }
      if (flagged & bit) input.edge(captured & bit ? 1 : 0);
      if ((previous & bit) !== (levels & bit) || flagged & bit) input.edge(level);
    }
  }

  private writePin(pin: number, level: Level): Promise<void> {
    return this.enqueue(async () => {
      if (this.closed) throw new HalError('CLOSED', `expander ${this.options.name} is closed`);
      try {
        if (this.needsInit) await this.init();
        const next = level === 1 ? this.shadow | (1 << pin) : this.shadow & ~(1 << pin);
        const port = pin < 8 ? 0 : 1;
        await this.options.device.writeByte(REG.OLATA + port, (next >> (8 * port)) & 0xff);
        this.shadow = next;
      } catch (err) {
        this.markFault(err);
        throw err instanceof HalError ? err : new HalError('IO', `expander ${this.options.name} pin ${pinName(pin)}: ${(err as Error).message}`, { cause: err });
      }
      this.healthy();
    });
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job);
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private markFault(err: unknown): void {
    const detail = `expander ${this.options.name} (I2C bus ${this.options.device.bus}, 0x${this.options.device.address.toString(16)}) does not answer: ${err instanceof Error ? err.message : String(err)}`;
    this.needsInit = true; // it may have lost power: set it up again when it answers
    this.fault = detail;
    for (const input of this.debounced) input.markFault(detail);
  }

  private healthy(): void {
    if (this.fault === undefined) return;
    this.fault = undefined;
    for (const input of this.debounced) input.markFault(undefined);
  }
}
