// Stand-ins for parts whose line could not be opened. The device keeps running: a failed
// input stays inactive and never fires, a failed output rejects writes, and both say why in
// the self-test instead of crashing the runtime.
import { HalError } from '../hal/types.js';
import type { InputSpec, OutputSpec } from '../hal/part-specs.js';
import type { GpioBackendKind } from '../hal/part-specs.js';
import type { GpioInput, GpioOutput, GpioParts, PartHealth } from './gpio-backend.js';

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class FailedInput implements GpioInput {
  readonly name: string;
  constructor(
    readonly spec: InputSpec,
    private readonly reason: unknown,
  ) {
    this.name = spec.name;
  }
  isActive(): boolean {
    return false;
  }
  onChange(): () => void {
    return () => undefined;
  }
  health(): PartHealth {
    return { ok: false, detail: errorText(this.reason), data: { line: this.spec.line } };
  }
  async close(): Promise<void> {}
}

export class FailedOutput implements GpioOutput {
  readonly name: string;
  constructor(
    readonly spec: OutputSpec,
    private readonly reason: unknown,
  ) {
    this.name = spec.name;
  }
  write(): Promise<void> {
    return Promise.reject(new HalError('UNAVAILABLE', `output ${this.name} (line ${this.spec.line}) is not available: ${errorText(this.reason)}`, { cause: this.reason }));
  }
  isActive(): boolean {
    return false;
  }
  health(): PartHealth {
    return { ok: false, detail: errorText(this.reason), data: { line: this.spec.line } };
  }
  async close(): Promise<void> {}
}

/** Every part failed for one reason (the backend itself could not start). */
export function failedParts(backend: GpioBackendKind, inputs: readonly InputSpec[], outputs: readonly OutputSpec[], reason: unknown): GpioParts {
  return {
    backend,
    inputs: new Map(inputs.map((s) => [s.name, new FailedInput(s, reason)])),
    outputs: new Map(outputs.map((s) => [s.name, new FailedOutput(s, reason)])),
    close: async () => undefined,
  };
}
