// A register-level MCP23017 (Microchip DS20001952C) for a SimI2cBus: the register file with
// IOCON.BANK = 0 addressing (§3.5, Table 3-1), sequential addressing that wraps after 0x15 or,
// with IOCON.SEQOP set, toggles between a register and its twin (§3.2.1), GPIO reads that show
// the pins (inputs through IPOL, outputs from OLAT), GPIO writes that land in OLAT, pull-ups
// that make an undriven input read high, and interrupt-on-change with INTF/INTCAP and the INT
// pin (MIRROR, INTPOL, cleared by reading GPIO or INTCAP, §3.6). The test's side drives input
// pins, reads output pins and watches INT; NACKs and a chip that stops answering are the bus's
// (SimI2cBus.nack), a power cycle is reset().
import type { SimRegisterChip } from '../i2c/sim-i2c-bus.js';

// The chip's own copy of Table 3-1 (BANK = 0), written from the datasheet rather than taken from
// the driver, so a wrong address in the driver shows up as a test failure, not a shared mistake.
const REG = { IODIRA: 0x00, IPOLA: 0x02, GPINTENA: 0x04, DEFVALA: 0x06, INTCONA: 0x08, IOCON: 0x0a, GPPUA: 0x0c, INTFA: 0x0e, INTCAPA: 0x10, GPIOA: 0x12, OLATA: 0x14 } as const;
const REGISTER_COUNT = 0x16;
const IOCON = { BANK: 0x80, SEQOP: 0x20, INTPOL: 0x02 } as const;

function pinIndex(name: string): number | undefined {
  const m = /^([AB])([0-7])$/i.exec(name.trim());
  return m ? (m[1]?.toUpperCase() === 'A' ? 0 : 8) + Number(m[2]) : undefined;
}

function pinName(index: number): string {
  return `${index < 8 ? 'A' : 'B'}${index % 8}`;
}

export type Level = 0 | 1;

/** One change of an output pin's level, in order. */
export interface PinChange {
  pin: string;
  level: Level;
}

type PinListener = (pin: string, level: Level) => void;

function bit(mask: number, i: number): Level {
  return (mask >> i) & 1 ? 1 : 0;
}

export class SimMcp23017 implements SimRegisterChip {
  readonly registers = new Uint8Array(256);
  /** Every output pin change, in order (the relay clicks a test counts). */
  readonly outputChanges: PinChange[] = [];
  private driven = new Map<number, Level>();
  private inputLevels = 0;
  private outputLevels = 0;
  private lastOutputs = 0;
  private intLevel: Level = 1;
  private readonly pinListeners = new Set<PinListener>();
  private readonly intListeners = new Set<(level: Level) => void>();

  constructor() {
    this.powerOn();
    this.inputLevels = this.pinLevels();
  }

  /** A power cycle: every register back to its power-on value (IODIR all inputs, latch 0). */
  reset(): void {
    this.powerOn();
    this.update();
  }

  /** Drives an input pin ("A0".."B7") from outside; undefined lets it float (pull-up or low). */
  drive(pin: string, level: Level | undefined): void {
    const i = this.index(pin);
    if (level === undefined) this.driven.delete(i);
    else this.driven.set(i, level);
    this.update();
  }

  /** The level on a pin the chip drives, or undefined while it is an input. */
  output(pin: string): Level | undefined {
    const i = this.index(pin);
    return bit(this.reg(REG.IODIRA, REG.IODIRA + 1), i) === 1 ? undefined : bit(this.reg(REG.OLATA, REG.OLATA + 1), i);
  }

  /** The electrical level of the INT pin: either port's interrupt (INTA and INTB as with IOCON.MIRROR, which the driver sets). */
  interruptLevel(): Level {
    return this.intLevel;
  }

  onOutput(listener: PinListener): () => void {
    this.pinListeners.add(listener);
    return () => this.pinListeners.delete(listener);
  }

  onInterrupt(listener: (level: Level) => void): () => void {
    this.intListeners.add(listener);
    return () => this.intListeners.delete(listener);
  }

  readRegister(register: number): number {
    if (register >= REGISTER_COUNT) return 0;
    if (register === REG.GPIOA || register === REG.GPIOA + 1) {
      const port = register - REG.GPIOA;
      const value = this.gpioPort(port);
      this.clearInterrupt(port);
      return value;
    }
    const value = this.registers[register] ?? 0;
    if (register === REG.INTCAPA || register === REG.INTCAPA + 1) this.clearInterrupt(register - REG.INTCAPA);
    return value;
  }

  writeRegister(register: number, value: number): void {
    if (register >= REGISTER_COUNT) return;
    if (register === REG.IOCON || register === REG.IOCON + 1) {
      if (value & IOCON.BANK) throw new Error('SimMcp23017: IOCON.BANK = 1 (separate banks) is not simulated');
      this.registers[REG.IOCON] = value;
      this.registers[REG.IOCON + 1] = value;
    } else if (register === REG.GPIOA || register === REG.GPIOA + 1) {
      this.registers[REG.OLATA + register - REG.GPIOA] = value; // §3.5.10: a write to GPIO modifies OLAT
    } else if (register >= REG.INTFA && register <= REG.INTCAPA + 1) {
      return; // INTF and INTCAP are read-only
    } else {
      this.registers[register] = value;
    }
    this.update();
  }

  nextRegister(register: number): number {
    if ((this.registers[REG.IOCON] ?? 0) & IOCON.SEQOP) return register ^ 1; // byte mode, BANK = 0: toggles within the pair
    return (register + 1) % REGISTER_COUNT;
  }

  private powerOn(): void {
    this.registers.fill(0);
    this.registers[REG.IODIRA] = 0xff;
    this.registers[REG.IODIRA + 1] = 0xff;
  }

  private index(pin: string): number {
    const i = pinIndex(pin);
    if (i === undefined) throw new RangeError(`SimMcp23017: "${pin}" is not a pin (A0-A7, B0-B7)`);
    return i;
  }

  private reg(a: number, b: number): number {
    return (this.registers[a] ?? 0) | ((this.registers[b] ?? 0) << 8);
  }

  /** What each pin carries: outputs their latch bit, inputs what drives them, else the pull-up or low. */
  private pinLevels(): number {
    const iodir = this.reg(REG.IODIRA, REG.IODIRA + 1);
    const olat = this.reg(REG.OLATA, REG.OLATA + 1);
    const gppu = this.reg(REG.GPPUA, REG.GPPUA + 1);
    let levels = 0;
    for (let i = 0; i < 16; i++) {
      const level = bit(iodir, i) === 0 ? bit(olat, i) : (this.driven.get(i) ?? bit(gppu, i));
      levels |= level << i;
    }
    return levels;
  }

  private outputPins(): number {
    return ~this.reg(REG.IODIRA, REG.IODIRA + 1) & 0xffff;
  }

  private gpioPort(port: number): number {
    const iodir = this.registers[REG.IODIRA + port] ?? 0;
    const ipol = this.registers[REG.IPOLA + port] ?? 0;
    const pins = (this.pinLevels() >> (8 * port)) & 0xff;
    return ((pins ^ (ipol & iodir)) & 0xff) >>> 0;
  }

  /** Recomputes the pins after any change, raises interrupts and reports output pins that moved. */
  private update(): void {
    const before = this.inputLevels;
    const levels = this.pinLevels();
    this.inputLevels = levels;
    const gpinten = this.reg(REG.GPINTENA, REG.GPINTENA + 1) & this.reg(REG.IODIRA, REG.IODIRA + 1);
    const intcon = this.reg(REG.INTCONA, REG.INTCONA + 1);
    const defval = this.reg(REG.DEFVALA, REG.DEFVALA + 1);
    // INTCON = 0: a change from the previous level; INTCON = 1: any level unlike DEFVAL.
    const fired = gpinten & (((levels ^ before) & ~intcon) | ((levels ^ defval) & intcon));
    for (const port of [0, 1]) {
      const portFired = (fired >> (8 * port)) & 0xff;
      if (portFired === 0) continue;
      if ((this.registers[REG.INTFA + port] ?? 0) === 0) this.registers[REG.INTCAPA + port] = this.gpioPort(port);
      this.registers[REG.INTFA + port] = (this.registers[REG.INTFA + port] ?? 0) | portFired;
    }
    this.updateInt();
    // Only pins the chip drives are logged: a pin turned into an output counts as a change.
    // State is updated before anyone hears of it: a listener may drive a pin (a relay that opens
    // a door whose switch is on this chip), which runs update() again.
    const outputs = this.outputPins();
    const drivenNow = levels & outputs;
    const changes: PinChange[] = [];
    for (let i = 0; i < 16; i++) {
      if (bit(outputs, i) === 0) continue;
      if (bit(this.lastOutputs, i) === 1 && bit(this.outputLevels, i) === bit(drivenNow, i)) continue;
      changes.push({ pin: pinName(i), level: bit(drivenNow, i) });
    }
    this.lastOutputs = outputs;
    this.outputLevels = drivenNow;
    for (const change of changes) {
      this.outputChanges.push(change);
      for (const l of [...this.pinListeners]) l(change.pin, change.level);
    }
  }

  private clearInterrupt(port: number): void {
    this.registers[REG.INTFA + port] = 0;
    // INTCON = 1 keeps the condition while the pin still differs from DEFVAL (§3.6.2).
    const mask = ((this.registers[REG.GPINTENA + port] ?? 0) & (this.registers[REG.INTCONA + port] ?? 0) & (this.registers[REG.IODIRA + port] ?? 0)) & 0xff;
    const pins = (this.inputLevels >> (8 * port)) & 0xff;
    const still = mask & (pins ^ (this.registers[REG.DEFVALA + port] ?? 0));
    if (still !== 0) {
      this.registers[REG.INTCAPA + port] = this.gpioPort(port);
      this.registers[REG.INTFA + port] = still;
    }
    this.updateInt();
  }

  private updateInt(): void {
    const iocon = this.registers[REG.IOCON] ?? 0;
    const pending = (this.registers[REG.INTFA] ?? 0) !== 0 || (this.registers[REG.INTFA + 1] ?? 0) !== 0;
    const activeHigh = (iocon & IOCON.INTPOL) !== 0;
    const level: Level = pending === activeHigh ? 1 : 0;
    if (level === this.intLevel) return;
    this.intLevel = level;
    for (const l of [...this.intListeners]) l(level);
  }
}
