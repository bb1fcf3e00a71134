// The I2cDevice contract (drivers/hal/types.ts): register reads and writes reach the chip,
// SMBus limits are refused before the bus is touched, a chip that does not acknowledge is an
// IO HalError, and after close every call is CLOSED. Run on the real driver over the simulated
// bus, through the sim HAL, and on a real chip when HALLD_TEST_I2C names a scratch register.
import type { Test } from 'tap';
import { HalError, type I2cDevice } from './hal-imports.js';

export interface I2cUnderTest {
  device: I2cDevice;
  /** The chip stops acknowledging for one transfer (simulated chips only). */
  nackOnce?: () => void;
}

export interface I2cSubject {
  open(): Promise<I2cUnderTest>;
  /** First of three registers the test may overwrite (RAM, an unused alarm…). */
  scratch: number;
  /** Set on hardware: why the NACK case skips. */
  noNack?: string;
}

export function i2cDeviceContract(t: Test, subject: I2cSubject): void {
  const open = async (t: Test) => {
    const under = await subject.open();
    t.teardown(() => under.device.close());
    return under;
  };
  const reg = subject.scratch;

  t.test('a byte written to a register reads back', async (t) => {
    const { device } = await open(t);
    for (const value of [0x00, 0x5a, 0xa5]) {
      await device.writeByte(reg, value);
      t.equal(await device.readByte(reg), value);
    }
  });

  t.test('a block written from a register reads back, from any Uint8Array view', async (t) => {
    const { device } = await open(t);
    const backing = new Uint8Array([0xff, 0x12, 0x34, 0x56, 0xff]);
    await device.writeBlock(reg, backing.subarray(1, 4));
    const back = await device.readBlock(reg, 3);
    t.ok(Buffer.isBuffer(back));
    t.same([...back], [0x12, 0x34, 0x56]);
    t.equal(await device.readByte(reg + 1), 0x34, 'the block landed register by register');
  });

  t.test('arguments outside SMBus limits are refused before any transfer', async (t) => {
    const { device } = await open(t);
    t.throws(() => device.readBlock(reg, 33), RangeError, 'SMBus blocks are at most 32 bytes');
    t.throws(() => device.writeByte(0x100, 1), RangeError, 'registers are one byte');
    t.throws(() => device.writeByte(reg, 0x100), RangeError, 'values are one byte');
    t.throws(() => device.writeBlock(reg, new Uint8Array(0)), RangeError, 'an empty block');
  });

  t.test('a chip that does not acknowledge: HalError IO naming the part, then the next transfer works', subject.noNack === undefined ? {} : { skip: subject.noNack }, async (t) => {
    const { device, nackOnce } = await open(t);
    nackOnce?.();
    const err = await device.readByte(reg).catch((e: unknown) => e);
    t.ok(err instanceof HalError);
    t.match(err, { code: 'IO', message: new RegExp(`I2C ${device.name} \\(bus ${device.bus}, 0x${device.address.toString(16)}\\)`) });
    t.type(await device.readByte(reg), 'number');
  });

  t.test('after close every call rejects with CLOSED; closing twice is fine', async (t) => {
    const { device } = await subject.open();
    await device.close();
    await device.close();
    for (const call of [() => device.readByte(reg).then(() => undefined), () => device.writeByte(reg, 1), () => device.readBlock(reg, 2).then(() => undefined), () => device.writeBlock(reg, new Uint8Array([1]))]) {
      await t.rejects(call(), { code: 'CLOSED' });
    }
  });
}
