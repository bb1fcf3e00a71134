// The handles the real serial and I2C drivers run on, so a simulator can stand in below the
// driver (serialport's binding, i2c-bus's promisified bus) and CI runs the driver code the
// board runs. Types only.
import type { SerialPort, SerialPortMock } from 'serialport';

/**
 * Which serialport binding a port runs on: the OS one (bindings-cpp, the default) or one
 * shaped like @serialport/binding-mock's MockBinding (tests and the simulators' virtual
 * ports). Taken from serialport's own exports so no transitive package is imported.
 */
export type SerialBinding = typeof SerialPort.binding | typeof SerialPortMock.binding;

/**
 * The subset of i2c-bus's PromisifiedBus the I2C driver uses (fivdi/i2c-bus README).
 * A transfer to an address nobody acknowledges rejects with an errno error (EREMOTEIO/ENXIO).
 */
export interface I2cBus {
  readByte(address: number, command: number): Promise<number>;
  writeByte(address: number, command: number, byte: number): Promise<void>;
  readI2cBlock(address: number, command: number, length: number, buffer: Buffer): Promise<{ bytesRead: number; buffer: Buffer }>;
  writeI2cBlock(address: number, command: number, length: number, buffer: Buffer): Promise<{ bytesWritten: number; buffer: Buffer }>;
  receiveByte(address: number): Promise<number>;
  close(): Promise<void>;
}

export type I2cBusOpener = (bus: number) => Promise<I2cBus>;
