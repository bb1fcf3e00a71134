// I2cDevice over i2c-bus (fivdi/i2c-bus README, "PromisifiedBus") using SMBus transfers on
// /dev/i2c-N. i2c-bus is a native addon, imported only when the first I2C part is opened.
// openPromisified() succeeds even when /dev/i2c-N does not exist; the first transfer fails
// (verified, docs/hardware.md, "I2C bus"), so probe() does a real one-byte read.
import { HalError, type I2cDevice } from '../hal/types.js';
import type { I2cBus, I2cBusOpener } from '../hal/bus-handles.js';

/** SMBus block transfers carry at most 32 bytes (SMBus 2.0 §5.5.7; I2C_SMBUS_BLOCK_MAX). */
export const SMBUS_BLOCK_MAX_BYTES = 32;

export type { I2cBus, I2cBusOpener } from '../hal/bus-handles.js';

/** The real opener: i2c-bus, loaded on first use. */
export const openNativeI2cBus: I2cBusOpener = async (bus) => {
  let mod: typeof import('i2c-bus');
  try {
    mod = await import('i2c-bus');
  } catch (err) {
    throw new HalError('UNAVAILABLE', `the i2c-bus package is not installed or did not build: ${(err as Error).message}`, { cause: err });
  }
  return mod.openPromisified(bus);
};

function checkByte(what: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) throw new RangeError(`${what} must be 0-255, got ${value}`);
}

function checkLength(length: number): void {
  if (!Number.isInteger(length) || length < 1 || length > SMBUS_BLOCK_MAX_BYTES) throw new RangeError(`block length must be 1-${SMBUS_BLOCK_MAX_BYTES} bytes (SMBus limit), got ${length}`);
}

export class I2cBusDevice implements I2cDevice {
  private closed = false;

  constructor(
    readonly name: string,
    readonly bus: number,
    readonly address: number,
    private readonly handle: I2cBus,
    private readonly release: () => Promise<void> = () => handle.close(),
  ) {}

  readByte(register: number): Promise<number> {
    checkByte('register', register);
    return this.io(`read register 0x${hex(register)}`, () => this.handle.readByte(this.address, register));
  }

  writeByte(register: number, value: number): Promise<void> {
    checkByte('register', register);
    checkByte('value', value);
    return this.io(`write register 0x${hex(register)}`, () => this.handle.writeByte(this.address, register, value));
  }

  readBlock(register: number, length: number): Promise<Buffer> {
    checkByte('register', register);
    checkLength(length);
    return this.io(`read ${length} bytes at 0x${hex(register)}`, async () => {
      const { bytesRead, buffer } = await this.handle.readI2cBlock(this.address, register, length, Buffer.alloc(length));
      return buffer.subarray(0, bytesRead);
    });
  }

  writeBlock(register: number, bytes: Uint8Array): Promise<void> {
    checkByte('register', register);
    checkLength(bytes.length);
    return this.io(`write ${bytes.length} bytes at 0x${hex(register)}`, async () => {
      await this.handle.writeI2cBlock(this.address, register, bytes.length, Buffer.from(bytes));
    });
  }

  /** A real transfer (SMBus receive byte) to see whether the chip answers. */
  probe(): Promise<number> {
    return this.io('probe', () => this.handle.receiveByte(this.address));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.release();
  }

  private async io<T>(what: string, transfer: () => Promise<T>): Promise<T> {
    if (this.closed) throw new HalError('CLOSED', `I2C device ${this.name} is closed`);
    try {
      return await transfer();
    } catch (err) {
      // EREMOTEIO (121) is a NACK: nothing answered at this address. ENOENT: no /dev/i2c-N.
      const code = (err as NodeJS.ErrnoException).code;
      const hint = code === 'EREMOTEIO' || code === 'ENXIO' ? ' (no ACK: wrong address, unpowered or unwired chip)' : code === 'ENOENT' ? ` (no /dev/i2c-${this.bus}: enable I2C with dtparam=i2c_arm=on)` : '';
      throw new HalError('IO', `I2C ${this.name} (bus ${this.bus}, 0x${hex(this.address)}) ${what} failed: ${(err as Error).message}${hint}`, { cause: err });
    }
  }
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}
