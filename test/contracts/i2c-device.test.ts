// The I2cDevice contract on the real driver over the simulated bus, through the sim HAL's
// hal.i2c(), and on a real chip: HALLD_TEST_I2C=BUS:ADDRESS:REGISTER names three scratch
// registers the test may overwrite (e.g. 1:0x68:0x07, a DS3231's alarm 1).
import t from 'tap';
import { I2cBusDevice, openNativeI2cBus } from '../../drivers/i2c/i2c-bus-device.js';
import { createSimHal } from '../../assembly/create-hal.js';
import { SimI2cBus } from '../../simulators/i2c/sim-i2c-bus.js';
import { i2cDeviceContract } from './i2c-device.js';
import { hardwarePart, runIf } from './hardware-part.js';

const ADDRESS = 0x68;

t.test('I2cBusDevice on the simulated bus', async (t) => {
  i2cDeviceContract(t, {
    scratch: 0x07,
    open: async () => {
      const bus = new SimI2cBus(1);
      bus.addDevice(ADDRESS);
      return { device: new I2cBusDevice('rtc', 1, ADDRESS, bus), nackOnce: () => bus.nack(ADDRESS, 1) };
    },
  });
});

t.test('hal.i2c() on the sim board', async (t) => {
  i2cDeviceContract(t, {
    scratch: 0x07,
    open: async () => {
      const hal = await createSimHal({ board: 'sim', io: { i2c: { rtc: { bus: 1, address: ADDRESS } } } });
      t.teardown(() => hal.close());
      return { device: await hal.i2c('rtc'), nackOnce: () => hal.sim.i2cNack('rtc', 1) };
    },
  });
});

const part = hardwarePart('HALLD_TEST_I2C', 'set HALLD_TEST_I2C=BUS:ADDRESS:REGISTER (three registers from REGISTER the test may overwrite, e.g. 1:0x68:0x07) to run this on a real chip');
const [bus, address, scratch] = (part.value ?? '0:0:0').split(':').map((s) => Number(s));

t.test('a real chip (HALLD_TEST_I2C)', runIf(part), async (t) => {
  i2cDeviceContract(t, {
    scratch: scratch ?? 0,
    open: async () => ({ device: new I2cBusDevice('chip', bus ?? 0, address ?? 0, await openNativeI2cBus(bus ?? 0)) }),
    noNack: 'a real chip cannot be told to stop acknowledging',
  });
});
