// io.expanders and the io.inputs / io.outputs lines on their pins ("exp1:A0"), resolved and
// cross-checked: an expander a pin names must exist, a pin is A0-A7 or B0-B7 and used once,
// an MCP23017 answers only at 0x20-0x27 and one address holds one chip per bus, the chip has
// pull-ups but no pull-downs, and its interrupt line is a board GPIO input.
import { DEFAULT_DEBOUNCE_MS, DEFAULT_EXPANDER_POLL_MS, type InputConfig, type OutputConfig } from './io-schema.js';
import type { IoConfig } from './part-types.js';
import type { ExpanderSpec, InputSpec } from '../drivers/hal/part-specs.js';
import type { BoardDefinition } from '../boards/board-schema.js';

/** Same values as drivers/mcp23017/registers.ts (the assembly does not load the driver to check a config). */
const FIRST_ADDRESS = 0x20;
const LAST_ADDRESS = 0x27;
const EXPANDER_PIN_RE = /^([^:]+):(.*)$/;

/** Claims an I2C address for a part (reports a clash with another part); false when taken. */
export type I2cClaim = (part: string, bus: number, address: number) => boolean;

const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

function pinIndex(name: string): number | undefined {
  const m = /^([AB])([0-7])$/i.exec(name.trim());
  return m ? (m[1]?.toUpperCase() === 'A' ? 0 : 8) + Number(m[2]) : undefined;
}

/** A pin written "<expander>:<pin>" belongs to an expander; every other form is a board line. */
export function isExpanderPin(pin: number | string): pin is string {
  return typeof pin === 'string' && pin.includes(':');
}

export class ExpanderPins {
  private readonly specs = new Map<string, ExpanderSpec>();
  private readonly used = new Map<string, string>();
  private readonly interrupts = new Map<string, string>();

  constructor(
    board: BoardDefinition,
    io: IoConfig,
    private readonly issues: string[],
    claimAddress: I2cClaim,
  ) {
    for (const [name, c] of Object.entries(io.expanders ?? {})) {
      const part = `expanders.${name}`;
      const bus = c.bus ?? board.i2c.defaultBus;
      if (bus === undefined) {
        issues.push(`${part}: no bus given and board ${board.id} has no default I2C bus`);
        continue;
      }
      if (c.address < FIRST_ADDRESS || c.address > LAST_ADDRESS) {
        issues.push(`${part}.address: an MCP23017 answers at ${hex(FIRST_ADDRESS)}-${hex(LAST_ADDRESS)} (${FIRST_ADDRESS}-${LAST_ADDRESS}, set by its A2-A0 pins), not ${hex(c.address)} (${c.address})`);
        continue;
      }
      if (!claimAddress(part, bus, c.address)) continue;
      this.specs.set(name, { name, bus, address: c.address, pollMs: c.pollMs ?? DEFAULT_EXPANDER_POLL_MS, inputs: [], outputs: [] });
      if (c.interrupt !== undefined) this.interrupts.set(name, c.interrupt);
    }
  }

  /** Resolves an input on an expander pin; false when the pin is a board line. */
  input(name: string, c: InputConfig): boolean {
    const part = `inputs.${name}`;
    if (!isExpanderPin(c.pin)) return false;
    const at = this.claim(part, c.pin);
    if (!at) return true;
    if (c.pull === 'down') {
      this.issues.push(`${part}: pin "${c.pin}": the MCP23017 has pull-ups only; use "up" or "none" (and an external resistor to ground)`);
      return true;
    }
    at.spec.inputs.push({ name, pin: c.pin, line: at.line, ...(c.pull ? { pull: c.pull } : {}), activeLow: c.activeLow ?? false, debounceMs: c.debounceMs ?? DEFAULT_DEBOUNCE_MS });
    return true;
  }

  /** Resolves an output on an expander pin; false when the pin is a board line. */
  output(name: string, c: OutputConfig): boolean {
    if (!isExpanderPin(c.pin)) return false;
    const at = this.claim(`outputs.${name}`, c.pin);
    if (at) at.spec.outputs.push({ name, pin: c.pin, line: at.line, activeLow: c.activeLow ?? false, initial: c.initial ?? false });
    return true;
  }

  /**
   * Checks each interrupt line against the board inputs and reads it undebounced: the chip
   * holds INT until its pins are read, and a debounce window could swallow the next edge.
   */
  finish(boardInputs: InputSpec[]): ExpanderSpec[] {
    const users = new Map<string, string>();
    for (const [expander, name] of this.interrupts) {
      const spec = this.specs.get(expander);
      if (!spec) continue;
      const line = boardInputs.find((i) => i.name === name);
      if (!line) {
        const onExpander = [...this.specs.values()].some((s) => s.inputs.some((i) => i.name === name));
        this.issues.push(
          `expanders.${expander}.interrupt: "${name}" ${onExpander ? 'is on an expander; wire INT to a board GPIO line' : 'is not an io.inputs line'} (board inputs: ${boardInputs.map((i) => i.name).join(', ') || 'none'})`,
        );
        continue;
      }
      // Two chips may share one INT wire (open-drain, wired-OR) only if both are set up for it; this driver sets push-pull.
      const other = users.get(name);
      if (other) {
        this.issues.push(`expanders.${other} and expanders.${expander} both name interrupt line "${name}"; give each chip its own INT line`);
        continue;
      }
      users.set(name, expander);
      line.debounceMs = 0;
      spec.interrupt = { input: name, activeLow: line.activeLow };
    }
    return [...this.specs.values()];
  }

  private claim(part: string, pin: string): { spec: ExpanderSpec; line: number } | undefined {
    const m = EXPANDER_PIN_RE.exec(pin);
    const expander = m?.[1]?.trim() ?? '';
    const spec = this.specs.get(expander);
    if (!spec) {
      this.issues.push(`${part}: pin "${pin}" names expander "${expander}", which is not in io.expanders (configured: ${[...this.specs.keys()].join(', ') || 'none'})`);
      return undefined;
    }
    const line = pinIndex(m?.[2] ?? '');
    if (line === undefined) {
      this.issues.push(`${part}: pin "${pin}": an MCP23017 pin is A0-A7 or B0-B7`);
      return undefined;
    }
    const key = `${expander}:${line}`;
    const other = this.used.get(key);
    if (other) {
      this.issues.push(`expander ${expander} pin ${m?.[2]?.trim().toUpperCase()} is used twice: ${other} and ${part}`);
      return undefined;
    }
    this.used.set(key, part);
    return { spec, line };
  }
}
