// The Hal a role sees, put together from whichever parts the board and config chose (real
// drivers or simulators). It looks parts up by name, opens serial ports and I2C devices on
// first use, turns every part's health into self-test results, and closes everything once.
import { HalError, type Clock, type DigitalInput, type DigitalOutput, type Hal, type I2cDevice, type SelfTestResult, type SerialLink, type Speaker } from './types.js';
import type { I2cSpec, ResolvedIo, SerialSpec } from './resolve-io.js';
import type { GpioParts } from '../gpio/gpio-backend.js';
import type { PartHealth, SelfChecking } from './part-health.js';
import { notConfigured } from './not-configured.js';

/** An I2cDevice that can also do a bare read to see if the chip answers. */
export type ProbingI2cDevice = I2cDevice & { probe?(): Promise<number> };

export interface HalAssembly {
  board: string;
  clock: Clock;
  io: ResolvedIo;
  gpio: GpioParts;
  openSerial(spec: SerialSpec): Promise<SerialLink>;
  openI2c(spec: I2cSpec): Promise<ProbingI2cDevice>;
  speaker: Speaker & Partial<SelfChecking>;
  /** Releases what the assembly itself holds (virtual buses, pools). */
  close?(): Promise<void>;
}

function result(name: string, health: PartHealth): SelfTestResult {
  return { name, ok: health.ok, ...(health.detail ? { detail: health.detail } : {}), ...(health.data ? { data: health.data } : {}) };
}

export class AssembledHal implements Hal {
  readonly board: string;
  readonly clock: Clock;
  private readonly serialSpecs: Map<string, SerialSpec>;
  private readonly i2cSpecs: Map<string, I2cSpec>;
  private readonly links = new Map<string, Promise<SerialLink>>();
  private readonly devices = new Map<string, Promise<ProbingI2cDevice>>();
  private closing: Promise<void> | undefined;

  constructor(protected readonly assembly: HalAssembly) {
    this.board = assembly.board;
    this.clock = assembly.clock;
    this.serialSpecs = new Map(assembly.io.serial.map((s) => [s.name, s]));
    this.i2cSpecs = new Map(assembly.io.i2c.map((s) => [s.name, s]));
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
    const cached = this.devices.get(name);
    if (cached) return cached;
    const opening = this.assembly.openI2c(spec);
    this.devices.set(name, opening);
    opening.catch(() => {
      if (this.devices.get(name) === opening) this.devices.delete(name);
    });
    return opening;
  }

  speaker(): Speaker {
    this.ensureOpen();
    return this.assembly.speaker;
  }

  describe(): { inputs: string[]; outputs: string[]; serial: string[]; i2c: string[] } {
    return {
      inputs: [...this.assembly.gpio.inputs.keys()],
      outputs: [...this.assembly.gpio.outputs.keys()],
      serial: [...this.serialSpecs.keys()],
      i2c: [...this.i2cSpecs.keys()],
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
