// The in-memory GPIO backend for the sim board: input lines a test (or the demo) drives with
// press/release/bounce, outputs that remember every level written. The debounce and
// active-low logic are the same objects the real backends use (drivers/gpio's shared,
// hardware-independent helpers), so the sim board debounces exactly like a Pi.
import { notConfigured } from '../../drivers/hal/not-configured.js';
import type { InputSpec, OutputSpec } from '../../drivers/hal/part-specs.js';
import { DebouncedInput } from '../../drivers/gpio/debounced-input.js';
import { LineOutput } from '../../drivers/gpio/line-output.js';
import type { GpioBackend, GpioContext, GpioParts, Level } from '../../drivers/hal/backend.js';
import { activeLevel, levelFor } from '../../drivers/gpio/gpio-backend.js';

/** One level an output was driven to, in order. */
export interface OutputLevelChange {
  active: boolean;
  level: Level;
  atMs: number;
}

export class SimGpioBackend implements GpioBackend {
  readonly kind = 'sim' as const;
  private readonly inputs = new Map<string, DebouncedInput>();
  private readonly history = new Map<string, OutputLevelChange[]>();
  private readonly outputListeners = new Map<string, Set<(change: OutputLevelChange) => void>>();

  constructor(private readonly ctx: GpioContext) {}

  async open(inputs: readonly InputSpec[], outputs: readonly OutputSpec[]): Promise<GpioParts> {
    const parts: GpioParts = { backend: 'sim', inputs: new Map(), outputs: new Map(), close: async () => undefined };
    for (const spec of inputs) {
      const input = new DebouncedInput(spec, this.ctx, { data: () => ({ backend: 'sim' }) });
      this.inputs.set(spec.name, input);
      parts.inputs.set(spec.name, input);
    }
    for (const spec of outputs) {
      const history: OutputLevelChange[] = [];
      this.history.set(spec.name, history);
      const record = (level: Level): void => {
        const change = { active: level === activeLevel(spec.activeLow), level, atMs: this.ctx.clock.monotonicMs() };
        history.push(change);
        for (const listener of [...(this.outputListeners.get(spec.name) ?? [])]) listener(change);
      };
      record(levelFor(spec.initial, spec.activeLow));
      parts.outputs.set(spec.name, new LineOutput(spec, { write: async (level) => record(level), close: async () => undefined, data: () => ({ backend: 'sim' }) }));
    }
    return parts;
  }

  /** Drives the input's line to its active level (one clean edge). */
  press(name: string): void {
    const input = this.input(name);
    input.edge(activeLevel(input.spec.activeLow));
  }

  /** Drives the input's line back to its resting level. */
  release(name: string): void {
    const input = this.input(name);
    input.edge(activeLevel(input.spec.activeLow) === 1 ? 0 : 1);
  }

  /**
   * A contact bouncing: `times` raw toggles in a row, all inside the debounce window, then
   * the line settles at `settle`. Debounce turns this into at most one transition.
   */
  bounce(name: string, times: number, settle: 'active' | 'inactive' = 'active'): void {
    const input = this.input(name);
    const active = activeLevel(input.spec.activeLow);
    let level: Level = active;
    for (let i = 0; i < times; i++) {
      input.edge(level);
      level = level === 1 ? 0 : 1;
    }
    input.edge(settle === 'active' ? active : active === 1 ? 0 : 1);
  }

  /** Sets the raw electrical level of an input line. */
  setLevel(name: string, level: Level): void {
    this.input(name).edge(level);
  }

  /** The level the line already has when the board starts (a door switch wired shut): no transition. */
  establish(name: string, level: Level): void {
    this.input(name).establish(level);
  }

  /** Every level written to the output, starting with the one driven at open. */
  outputHistory(name: string): readonly OutputLevelChange[] {
    const history = this.history.get(name);
    if (!history) throw notConfigured('outputs', name, [...this.history.keys()]);
    return [...history];
  }

  /** Hears every later level the output is driven to (a simulated relay watching its coil). */
  onOutput(name: string, listener: (change: OutputLevelChange) => void): () => void {
    if (!this.history.has(name)) throw notConfigured('outputs', name, [...this.history.keys()]);
    const set = this.outputListeners.get(name) ?? new Set();
    this.outputListeners.set(name, set);
    set.add(listener);
    return () => set.delete(listener);
  }

  private input(name: string): DebouncedInput {
    const input = this.inputs.get(name);
    if (!input) throw notConfigured('inputs', name, [...this.inputs.keys()]);
    return input;
  }
}
