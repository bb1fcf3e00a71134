// The MonoDisplay contract on the SSD1306 driver over the simulated bus with a simulated
// SSD1306 (128x64 and 128x32), through the sim board's hal.display(), and on a real module:
// HALLD_TEST_SSD1306=BUS:ADDRESS:HEIGHT (e.g. 1:0x3c:64) draws on it and a person looks.
import t from 'tap';
import { Ssd1306Display } from '../../drivers/display/ssd1306-display.js';
import { I2cBusDevice, openNativeI2cBus } from '../../drivers/i2c/i2c-bus-device.js';
import { loadBuiltinFace } from '../../drivers/matrix/render/builtin-fonts.js';
import { createSimHal } from '../../assembly/create-hal.js';
import { SimI2cBus } from '../../simulators/i2c/sim-i2c-bus.js';
import { Ssd1306Chip } from '../../simulators/ssd1306/ssd1306-chip.js';
import { monoDisplayContract } from './mono-display.js';
import { hardwarePart, runIf } from './hardware-part.js';

const ADDRESS = 0x3c;

for (const height of [64, 32] as const) {
  t.test(`Ssd1306Display on the simulated bus, 128x${height}`, async (t) => {
    const face = await loadBuiltinFace('wqy-12', { fallbackPath: false });
    monoDisplayContract(t, {
      canNack: true,
      open: async (t) => {
        const bus = new SimI2cBus(1);
        const chip = new Ssd1306Chip({ height });
        bus.addChip(ADDRESS, chip);
        const display = await Ssd1306Display.open({ name: 'oled', device: new I2cBusDevice('oled', 1, ADDRESS, bus), height, contrast: 0xcf, rotate: 0, face });
        t.teardown(() => display.close());
        t.same(chip.problems(), [], 'the chip is set up for its glass');
        return { display, glass: () => chip.glass(), nack: (n) => bus.nack(ADDRESS, n) };
      },
    });
  });
}

t.test('hal.display() on the sim board', async (t) => {
  monoDisplayContract(t, {
    canNack: true,
    open: async (t) => {
      const hal = await createSimHal({ board: 'sim', io: { i2c: { oled: { address: ADDRESS } }, displays: { status: { i2c: 'oled', height: 32 } } } });
      t.teardown(() => hal.close());
      return { display: await hal.display('status'), glass: () => hal.sim.display('status').glass(), nack: (n) => hal.sim.i2cNack('oled', n) };
    },
  });
});

const part = hardwarePart('HALLD_TEST_SSD1306', 'wire an SSD1306 module and set HALLD_TEST_SSD1306=BUS:ADDRESS:HEIGHT (e.g. 1:0x3c:64); a person watches the patterns');
const [bus = 1, address = ADDRESS, height = 64] = (part.value ?? '').split(':').map((s) => Number(s));

t.test('a real SSD1306 (HALLD_TEST_SSD1306)', runIf(part), async (t) => {
  const face = await loadBuiltinFace('wqy-12');
  monoDisplayContract(t, {
    canNack: false,
    open: async (t) => {
      const device = new I2cBusDevice('oled', bus, address, await openNativeI2cBus(bus));
      const display = await Ssd1306Display.open({ name: 'oled', device, height: height === 32 ? 32 : 64, contrast: 0xcf, rotate: 0, face });
      t.teardown(async () => {
        await display.close();
        await device.close();
      });
      return { display };
    },
  });
});
