// One chip on an I2C bus, register-addressed (SMBus transfers).

/**
 * An I2C bus as seen from one device address.
 * Rules for every implementation:
 * - A register or byte outside 0-255, or a block longer than the SMBus limit (32 bytes),
 *   throws RangeError before any transfer.
 * - A chip that does not acknowledge rejects with HalError IO (cause: the OS error).
 * - Devices on one bus share it; closing one device does not close the bus for the others.
 * - Calls after close() reject with HalError CLOSED.
 */
export interface I2cDevice {
  readonly name: string;
  readonly bus: number;
  readonly address: number;
  readByte(register: number): Promise<number>;
  writeByte(register: number, value: number): Promise<void>;
  readBlock(register: number, length: number): Promise<Buffer>;
  writeBlock(register: number, bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}
