// The real I2C driver (I2cBusDevice) on the simulated bus, plus the bus pool.
import t from 'tap';
import { I2cBusDevice, type I2cBus } from '../../drivers/i2c/i2c-bus-device.js';
import { I2cBusPool } from '../../drivers/i2c/i2c-bus-pool.js';
import { SimI2cBus } from '../../simulators/i2c/sim-i2c-bus.js';

const DS3231 = 0x68; // an RTC: seconds, minutes, hours in BCD at 0x00-0x02

t.test('byte and block transfers move the register file', async (t) => {
  const bus = new SimI2cBus(1);
  const regs = bus.addDevice(DS3231, { 0x00: 0x45, 0x01: 0x30, 0x02: 0x12, 0x03: 0x07 });
  const rtc = new I2cBusDevice('rtc', 1, DS3231, bus);
  t.equal(await rtc.readByte(0x02), 0x12);
  t.same([...(await rtc.readBlock(0x00, 3))], [0x45, 0x30, 0x12]);
  await rtc.writeByte(0x0e, 0x1c);
  t.equal(regs[0x0e], 0x1c);
  await rtc.writeBlock(0x00, new Uint8Array([0x00, 0x15, 0x09]));
  t.same([...regs.subarray(0, 3)], [0x00, 0x15, 0x09]);
  t.equal(await rtc.probe(), 0x07, 'a bare read returns the register after the last one written (pointer auto-increment)');
  t.same(
    bus.transfers.map((x) => x.op),
    ['readByte', 'readBlock', 'writeByte', 'writeBlock', 'receiveByte'],
  );
});

t.test('a NACK becomes HalError IO naming the part, bus and address, with the errno cause', async (t) => {
  const bus = new SimI2cBus(1);
  bus.addDevice(DS3231);
  const rtc = new I2cBusDevice('rtc', 1, DS3231, bus);
  bus.nack(DS3231, 1);
  const err = await rtc.readByte(0).catch((e: unknown) => e);
  t.match(err, { code: 'IO', message: /^I2C rtc \(bus 1, 0x68\) read register 0x00 failed: EREMOTEIO: remote I\/O error, readByte \(no ACK/ });
  t.match((err as Error).cause, { code: 'EREMOTEIO', errno: -121 });
  t.equal(await rtc.readByte(0), 0, 'the next transfer is acknowledged again');
  const ghost = new I2cBusDevice('ghost', 1, 0x50, bus);
  await t.rejects(ghost.probe(), { code: 'IO' }, 'nothing at the address: NACK too');
});

t.test('arguments outside SMBus limits are refused before touching the bus', async (t) => {
  const bus = new SimI2cBus(1);
  bus.addDevice(DS3231);
  const rtc = new I2cBusDevice('rtc', 1, DS3231, bus);
  t.throws(() => rtc.readBlock(0, 33), RangeError);
  t.throws(() => rtc.writeByte(0x100, 1), RangeError);
  t.throws(() => rtc.writeBlock(0, new Uint8Array(0)), RangeError);
  t.same(bus.transfers, []);
});

t.test('after close: CLOSED, and the bus handle is released', async (t) => {
  const bus = new SimI2cBus(1);
  bus.addDevice(DS3231);
  const rtc = new I2cBusDevice('rtc', 1, DS3231, bus);
  await rtc.close();
  await rtc.close();
  t.ok(bus.isClosed);
  await t.rejects(rtc.readByte(0), { code: 'CLOSED' });
});

t.test('the pool shares one handle per bus and closes it with the last user', async (t) => {
  const opened: SimI2cBus[] = [];
  const pool = new I2cBusPool(async (n) => {
    const b = new SimI2cBus(n);
    opened.push(b);
    return b;
  });
  const a = await pool.acquire(1);
  const b = await pool.acquire(1);
  const c = await pool.acquire(3);
  t.equal(opened.length, 2, 'bus 1 opened once, bus 3 once');
  t.equal(a.handle, b.handle);
  await a.release();
  t.notOk(opened[0]?.isClosed, 'still used by b');
  await b.release();
  await b.release();
  t.ok(opened[0]?.isClosed);
  await c.release();
  let attempts = 0;
  const failing = new I2cBusPool(async () => {
    attempts++;
    throw new Error('ENOENT /dev/i2c-7');
  });
  await t.rejects(failing.acquire(7), { message: /ENOENT/ });
  await t.rejects(failing.acquire(7), { message: /ENOENT/ });
  t.equal(attempts, 2, 'a failed open is retried, not remembered');
});

t.test('like i2c-bus, opening succeeds without the device node and the first transfer fails', async (t) => {
  const lazyBus: I2cBus = Object.assign(new SimI2cBus(9), {
    readByte: async () => {
      throw Object.assign(new Error("ENOENT: no such file or directory, open '/dev/i2c-9'"), { code: 'ENOENT' });
    },
  });
  const dev = new I2cBusDevice('sensor', 9, 0x40, lazyBus);
  await t.rejects(dev.readByte(0), { code: 'IO', message: /no \/dev\/i2c-9: enable I2C with dtparam=i2c_arm=on/ });
});
