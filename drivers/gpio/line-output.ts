// A DigitalOutput over a backend's raw writer: logical level to electrical level (active-low
// handled here), writes serialised so a slow backend (gpioset restart) never reorders them.
import { HalError } from '../hal/types.js';
import type { OutputSpec } from '../hal/part-specs.js';
import { levelFor, type GpioOutput, type Level, type PartHealth } from './gpio-backend.js';

export interface LineOutputDriver {
  /** Drives the electrical level; rejects when the line cannot be driven. */
  write(level: Level): Promise<void>;
  close(): Promise<void>;
  /** A backend-side problem that appeared after the last write (helper process died). */
  fault?(): string | undefined;
  data?(): Record<string, unknown>;
}

export class LineOutput implements GpioOutput {
  readonly name: string;
  private active: boolean;
  private chain: Promise<void> = Promise.resolve();
  private lastError: string | undefined;
  private closed = false;

  /** `initialActive` is the level the backend already drove when it opened the line. */
  constructor(
    readonly spec: OutputSpec,
    private readonly driver: LineOutputDriver,
    initialActive = spec.initial,
  ) {
    this.name = spec.name;
    this.active = initialActive;
  }

  write(active: boolean): Promise<void> {
    if (this.closed) return Promise.reject(new HalError('CLOSED', `output ${this.name} is closed`));
    const run = async (): Promise<void> => {
      if (this.closed) throw new HalError('CLOSED', `output ${this.name} is closed`);
      try {
        await this.driver.write(levelFor(active, this.spec.activeLow));
      } catch (err) {
        this.lastError = (err as Error).message;
        throw err instanceof HalError ? err : new HalError('IO', `output ${this.name} (line ${this.spec.line}): ${(err as Error).message}`, { cause: err });
      }
      this.lastError = undefined;
      this.active = active;
    };
    const result = this.chain.then(run);
    this.chain = result.catch(() => undefined);
    return result;
  }

  isActive(): boolean {
    return this.active;
  }

  health(): PartHealth {
    const data = { line: this.spec.line, active: this.active, ...this.driver.data?.() };
    if (this.closed) return { ok: false, detail: 'closed', data };
    const fault = this.lastError ?? this.driver.fault?.();
    return fault ? { ok: false, detail: fault, data } : { ok: true, data };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.chain;
    await this.driver.close();
  }
}
