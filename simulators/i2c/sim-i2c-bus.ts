// A simulated I2C bus: one 256-byte register file per device address, a register pointer
// that auto-increments across block transfers (as most sensors, RTCs and port expanders do),
// and NACK injection. A chip model can take an address instead of a plain register file:
// a register chip (SimRegisterChip: a port expander whose GPIO register reads its pins) keeps
// the register semantics and decides its own sequential addressing; a stream chip (SimI2cChip:
// an SSD1306, whose bytes are commands and display data) decodes each transfer itself.
// Failures look like Linux's: EREMOTEIO "Remote I/O error" when nothing
// acknowledges. It implements the same I2cBus surface as i2c-bus, so the real driver
// (I2cBusDevice) runs on it unchanged.
import type { I2cBus } from '../../drivers/hal/bus-handles.js';

export interface SimI2cTransfer {
  address: number;
  op: 'readByte' | 'writeByte' | 'readBlock' | 'writeBlock' | 'receiveByte';
  register?: number;
  bytes: number[];
  nack?: boolean;
}

function remoteIoError(op: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`EREMOTEIO: remote I/O error, ${op}`), { code: 'EREMOTEIO', errno: -121, syscall: op });
}

/**
 * A chip behind an address that decodes what it receives itself. `write` gets the first byte
 * of the transfer (the SMBus "command": a register, or a control byte) and the bytes after it;
 * `read` answers `length` bytes (register undefined for a bare receive-byte).
 */
export interface SimI2cChip {
  write(register: number, bytes: readonly number[]): void;
  read(register: number | undefined, length: number): number[];
}

/**
 * A chip with behaviour behind its registers (a port expander whose GPIO register reads the
 * pins): the bus hands it each byte of a transfer in turn and asks it where the register
 * pointer goes next, so the chip decides its own sequential addressing.
 */
export interface SimRegisterChip {
  /** The raw register file, for inspection. */
  readonly registers: Uint8Array;
  readRegister(register: number): number;
  writeRegister(register: number, value: number): void;
  /** The register a sequential transfer moves to after `register`. */
  nextRegister(register: number): number;
}

interface SimDevice {
  registers: Uint8Array;
  pointer: number;
  chip?: SimRegisterChip;
  stream?: SimI2cChip;
}

function isRegisterChip(chip: SimI2cChip | SimRegisterChip): chip is SimRegisterChip {
  return 'readRegister' in chip;
}

export class SimI2cBus implements I2cBus {
  private readonly devices = new Map<number, SimDevice>();
  private readonly nacks = new Map<number, number>();
  private closed = false;
  /** Every transfer, in order, for assertions. */
  readonly transfers: SimI2cTransfer[] = [];

  constructor(readonly bus = 1) {}

  /** Puts a device at `address`; `registers` seeds its register file. Returns the live file. */
  addDevice(address: number, registers: Uint8Array | Record<number, number> = {}): Uint8Array {
    const file = new Uint8Array(256);
    if (registers instanceof Uint8Array) file.set(registers.subarray(0, 256));
    else for (const [reg, value] of Object.entries(registers)) file[Number(reg) & 0xff] = value & 0xff;
    this.devices.set(address, { registers: file, pointer: 0 });
    return file;
  }

  /** Puts a chip model at `address`: a register chip keeps register semantics, a stream chip decodes its transfers. */
  addChip(address: number, chip: SimI2cChip | SimRegisterChip): void {
    if (isRegisterChip(chip)) this.devices.set(address, { registers: chip.registers, pointer: 0, chip });
    else this.devices.set(address, { registers: new Uint8Array(256), pointer: 0, stream: chip });
  }

  removeDevice(address: number): void {
    this.devices.delete(address);
  }

  /** The live register file at `address` (writes by the host show up here). */
  registers(address: number): Uint8Array {
    const device = this.devices.get(address);
    if (!device) throw new Error(`no simulated I2C device at 0x${address.toString(16)} on bus ${this.bus}`);
    return device.registers;
  }

  /** NACK the next `count` transfers to `address` (Infinity: until nack(address, 0)). */
  nack(address: number, count = Infinity): void {
    if (count <= 0) this.nacks.delete(address);
    else this.nacks.set(address, count);
  }

  async readByte(address: number, command: number): Promise<number> {
    const d = this.device(address, 'readByte', command);
    const value = d.stream ? (d.stream.read(command, 1)[0] ?? 0) : readAt(d, command & 0xff);
    d.pointer = next(d, command & 0xff);
    this.log(address, 'readByte', command, [value]);
    return value;
  }

  async writeByte(address: number, command: number, byte: number): Promise<void> {
    const d = this.device(address, 'writeByte', command);
    if (d.stream) d.stream.write(command, [byte]);
    else writeAt(d, command & 0xff, byte);
    d.pointer = next(d, command & 0xff);
    this.log(address, 'writeByte', command, [byte]);
  }

  async readI2cBlock(address: number, command: number, length: number, buffer: Buffer): Promise<{ bytesRead: number; buffer: Buffer }> {
    const d = this.device(address, 'readBlock', command);
    let register = command & 0xff;
    const answer = d.stream?.read(command, length);
    for (let i = 0; i < length; i++) {
      buffer[i] = answer ? (answer[i] ?? 0) : readAt(d, register);
      register = next(d, register);
    }
    d.pointer = register;
    this.log(address, 'readBlock', command, [...buffer.subarray(0, length)]);
    return { bytesRead: length, buffer };
  }

  async writeI2cBlock(address: number, command: number, length: number, buffer: Buffer): Promise<{ bytesWritten: number; buffer: Buffer }> {
    const d = this.device(address, 'writeBlock', command);
    let register = command & 0xff;
    if (d.stream) d.stream.write(command, [...buffer.subarray(0, length)]);
    for (let i = 0; i < length; i++) {
      if (!d.stream) writeAt(d, register, buffer[i] ?? 0);
      register = next(d, register);
    }
    d.pointer = register;
    this.log(address, 'writeBlock', command, [...buffer.subarray(0, length)]);
    return { bytesWritten: length, buffer };
  }

  async receiveByte(address: number): Promise<number> {
    const d = this.device(address, 'receiveByte');
    const value = d.stream ? (d.stream.read(undefined, 1)[0] ?? 0) : readAt(d, d.pointer);
    d.pointer = next(d, d.pointer);
    this.log(address, 'receiveByte', undefined, [value]);
    return value;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private device(address: number, op: SimI2cTransfer['op'], register?: number): SimDevice {
    if (this.closed) throw new Error('bus is closed');
    const nacks = this.nacks.get(address);
    const device = this.devices.get(address);
    if (nacks !== undefined || !device) {
      if (nacks !== undefined && nacks !== Infinity) {
        if (nacks <= 1) this.nacks.delete(address);
        else this.nacks.set(address, nacks - 1);
      }
      this.transfers.push({ address, op, ...(register !== undefined ? { register } : {}), bytes: [], nack: true });
      throw remoteIoError(op);
    }
    return device;
  }

  private log(address: number, op: SimI2cTransfer['op'], register: number | undefined, bytes: number[]): void {
    this.transfers.push({ address, op, ...(register !== undefined ? { register } : {}), bytes });
  }
}

function readAt(d: SimDevice, register: number): number {
  return d.chip ? d.chip.readRegister(register) : (d.registers[register] ?? 0);
}

function writeAt(d: SimDevice, register: number, value: number): void {
  if (d.chip) d.chip.writeRegister(register, value & 0xff);
  else d.registers[register] = value & 0xff;
}

function next(d: SimDevice, register: number): number {
  return d.chip ? d.chip.nextRegister(register) : (register + 1) & 0xff;
}
