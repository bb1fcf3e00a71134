// The sim board's MCP23017s: one register-level SimMcp23017 per io.expanders entry on the
// simulated I2C bus at its address (the real driver talks to it), its INT pin wired to the
// interrupt input's simulated line. The sim controls press, release and read expander lines
// by name like board lines, so a test drives a keypad on an expander the way it drives a Pi pin.
import type { ExpanderSpec, InputSpec, OutputSpec } from '../../drivers/hal/part-specs.js';
import type { Level } from '../../drivers/hal/backend.js';
import type { Clock } from '../../drivers/hal/clock.js';
import { notConfigured } from '../../drivers/hal/not-configured.js';
import type { SimI2cBus } from '../i2c/sim-i2c-bus.js';
import { SimMcp23017 } from '../mcp23017/sim-mcp23017.js';
import type { OutputLevelChange } from '../gpio/sim-gpio-backend.js';

const pinOf = (line: number): string => `${line < 8 ? 'A' : 'B'}${line % 8}`;

export class SimExpanders {
  private readonly chips = new Map<string, SimMcp23017>();
  private readonly inputs = new Map<string, { chip: SimMcp23017; spec: InputSpec }>();
  private readonly outputs = new Map<string, { chip: SimMcp23017; spec: OutputSpec; history: OutputLevelChange[]; listeners: Set<(change: OutputLevelChange) => void> }>();

  constructor(specs: readonly ExpanderSpec[], busFor: (bus: number) => SimI2cBus, setInterruptLine: (input: string, level: Level) => void, clock: Clock) {
    for (const spec of specs) {
      const chip = new SimMcp23017();
      busFor(spec.bus).addChip(spec.address, chip);
      this.chips.set(spec.name, chip);
      const interrupt = spec.interrupt;
      if (interrupt) chip.onInterrupt((level) => setInterruptLine(interrupt.input, level));
      for (const s of spec.inputs) this.inputs.set(s.name, { chip, spec: s });
      for (const s of spec.outputs) {
        const history: OutputLevelChange[] = [];
        const listeners = new Set<(change: OutputLevelChange) => void>();
        this.outputs.set(s.name, { chip, spec: s, history, listeners });
        chip.onOutput((pin, level) => {
          if (pin !== pinOf(s.line)) return;
          const change = { active: (level === 1) !== s.activeLow, level, atMs: clock.monotonicMs() };
          history.push(change);
          for (const listener of [...listeners]) listener(change);
        });
      }
    }
  }

  chip(name: string): SimMcp23017 {
    const chip = this.chips.get(name);
    if (!chip) throw new Error(`no expander named "${name}" in io.expanders (configured: ${[...this.chips.keys()].join(', ') || 'none'})`);
    return chip;
  }

  hasInput(name: string): boolean {
    return this.inputs.has(name);
  }

  hasOutput(name: string): boolean {
    return this.outputs.has(name);
  }

  /** Drives the pin to the input's active (or resting) level. */
  press(name: string, active = true): void {
    const { chip, spec } = this.input(name);
    chip.drive(pinOf(spec.line), active !== spec.activeLow ? 1 : 0);
  }

  setLevel(name: string, level: Level): void {
    const { chip, spec } = this.input(name);
    chip.drive(pinOf(spec.line), level);
  }

  outputHistory(name: string): readonly OutputLevelChange[] {
    return [...this.output(name).history];
  }

  onOutput(name: string, listener: (change: OutputLevelChange) => void): () => void {
    const { listeners } = this.output(name);
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  private output(name: string) {
    const found = this.outputs.get(name);
    if (!found) throw notConfigured('outputs', name, this.outputs.keys());
    return found;
  }

  private input(name: string): { chip: SimMcp23017; spec: InputSpec } {
    const found = this.inputs.get(name);
    if (!found) throw notConfigured('inputs', name, this.inputs.keys());
    return found;
  }
}
