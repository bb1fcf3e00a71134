// A simulated I2C bus: one 256-byte register file per device address, a register pointer
// that auto-increments across block transfers (as most sensors, RTCs and port expanders do),
// and NACK injection. A chip model (SimI2cChip) can take an address instead of a register
// file, for chips whose bytes are a stream rather than registers (an SSD1306's commands and
// display data). Failures look like Linux's: EREMOTEIO "Remote I/O error" when nothing
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

/**
 * A chip behind an address that decodes what it receives itself. `write` gets the first byte
 * of the transfer (the SMBus "command": a register, or a control byte) and the bytes after it;
 * `read` answers `length` bytes (register undefined for a bare receive-byte).
 */
export interface SimI2cChip {
  write(register: number, bytes: readonly number[]): void;
  read(register: number | undefined, length: number): number[];
}

function remoteIoError(op: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`EREMOTEIO: remote I/O error, ${op}`), { code: 'EREMOTEIO', errno: -121, syscall: op });
}

export class SimI2cBus implements I2cBus {
  private readonly devices = new Map<number, { registers: Uint8Array; pointer: number; chip?: SimI2cChip }>();
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

  /** Puts a chip model at `address`: its transfers go to `chip` instead of a register file. */
  addChip(address: number, chip: SimI2cChip): void {
    this.devices.set(address, { registers: new Uint8Array(256), pointer: 0, chip });
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
    d.pointer = (command + 1) & 0xff;
    const value = d.chip ? (d.chip.read(command, 1)[0] ?? 0) : (d.registers[command & 0xff] ?? 0);
    this.log(address, 'readByte', command, [value]);
    return value;
  }

  async writeByte(address: number, command: number, byte: number): Promise<void> {
    const d = this.device(address, 'writeByte', command);
    if (d.chip) d.chip.write(command, [byte]);
    else d.registers[command & 0xff] = byte;
    d.pointer = (command + 1) & 0xff;
    this.log(address, 'writeByte', command, [byte]);
  }

  async readI2cBlock(address: number, command: number, length: number, buffer: Buffer): Promise<{ bytesRead: number; buffer: Buffer }> {
    const d = this.device(address, 'readBlock', command);
    const answer = d.chip?.read(command, length);
    for (let i = 0; i < length; i++) buffer[i] = answer ? (answer[i] ?? 0) : (d.registers[(command + i) & 0xff] ?? 0);
    d.pointer = (command + length) & 0xff;
    this.log(address, 'readBlock', command, [...buffer.subarray(0, length)]);
    return { bytesRead: length, buffer };
  }

  async writeI2cBlock(address: number, command: number, length: number, buffer: Buffer): Promise<{ bytesWritten: number; buffer: Buffer }> {
    const d = this.device(address, 'writeBlock', command);
    if (d.chip) d.chip.write(command, [...buffer.subarray(0, length)]);
    else for (let i = 0; i < length; i++) d.registers[(command + i) & 0xff] = buffer[i] ?? 0;
    d.pointer = (command + length) & 0xff;
    this.log(address, 'writeBlock', command, [...buffer.subarray(0, length)]);
    return { bytesWritten: length, buffer };
  }

  async receiveByte(address: number): Promise<number> {
    const d = this.device(address, 'receiveByte');
    const value = d.chip ? (d.chip.read(undefined, 1)[0] ?? 0) : (d.registers[d.pointer] ?? 0);
    d.pointer = (d.pointer + 1) & 0xff;
    this.log(address, 'receiveByte', undefined, [value]);
    return value;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private device(address: number, op: SimI2cTransfer['op'], register?: number): { registers: Uint8Array; pointer: number; chip?: SimI2cChip } {
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
