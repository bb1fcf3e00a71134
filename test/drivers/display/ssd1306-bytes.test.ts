// The SSD1306 driver's bytes on the wire, pinned from the datasheet (Rev 1.1 table 9-1 and
// the charge-pump application note), and what it sends for a frame: the whole RAM in SMBus
// blocks of at most 32 bytes the first time, then only the pages that changed.
import t from 'tap';
import { Ssd1306Display } from '../../../drivers/display/ssd1306-display.js';
import { I2cBusDevice } from '../../../drivers/i2c/i2c-bus-device.js';
import { loadBuiltinFace } from '../../../drivers/matrix/render/builtin-fonts.js';
import { SimI2cBus } from '../../../simulators/i2c/sim-i2c-bus.js';
import { Ssd1306Chip } from '../../../simulators/ssd1306/ssd1306-chip.js';

const ADDRESS = 0x3c;

async function rig(height: 32 | 64, rotate: 0 | 180 = 0) {
  const face = await loadBuiltinFace('wqy-12', { fallbackPath: false });
  const bus = new SimI2cBus(1);
  const chip = new Ssd1306Chip({ height });
  bus.addChip(ADDRESS, chip);
  const display = await Ssd1306Display.open({ name: 'oled', device: new I2cBusDevice('oled', 1, ADDRESS, bus), height, contrast: 0xcf, rotate, face });
  return { bus, chip, display };
}

// AE; D5 80; A8 mux; D3 00; 40; 8D 14; 20 00; A1; C8; DA pins; 81 CF; D9 F1; DB 40; A4; A6; 2E
const init = (mux: number, pins: number) => [0xae, 0xd5, 0x80, 0xa8, mux, 0xd3, 0x00, 0x40, 0x8d, 0x14, 0x20, 0x00, 0xa1, 0xc8, 0xda, pins, 0x81, 0xcf, 0xd9, 0xf1, 0xdb, 0x40, 0xa4, 0xa6, 0x2e];

for (const [height, pins] of [
  [64, 0x12],
  [32, 0x02],
] as const) {
  t.test(`128x${height}: init sequence, then the whole RAM cleared in 32-byte blocks, then display on`, async (t) => {
    const { bus, chip } = await rig(height);
    const w = bus.transfers;
    t.same(w[0], { address: ADDRESS, op: 'writeBlock', register: 0x00, bytes: init(height - 1, pins) }, 'one command block, control byte 0x00');
    t.same(w[1], { address: ADDRESS, op: 'writeBlock', register: 0x00, bytes: [0x21, 0, 127, 0x22, 0, height / 8 - 1] }, 'window: every column of every page');
    const data = w.filter((x) => x.register === 0x40);
    t.equal(data.length, (128 * height) / 8 / 32, 'data blocks');
    t.ok(data.every((d) => d.bytes.length === 32 && d.bytes.every((b) => b === 0)), 'each 32 zero bytes');
    t.same(w[w.length - 1], { address: ADDRESS, op: 'writeBlock', register: 0x00, bytes: [0xaf] }, 'display on last: never shows power-up garbage');
    t.same(chip.problems(), []);
    t.equal(chip.glass().data.reduce((n, v) => n + v, 0), 0, 'the glass is clear');
  });
}

t.test('a later frame sends only the pages that changed', async (t) => {
  const { bus, display } = await rig(64);
  const frame = { width: 128, height: 64, data: new Uint8Array(128 * 64) };
  frame.data[30 * 128 + 5] = 1; // row 30: page 3
  frame.data[33 * 128 + 6] = 1; // row 33: page 4
  bus.transfers.length = 0;
  await display.show(frame);
  t.same(bus.transfers[0]?.bytes, [0x21, 0, 127, 0x22, 3, 4], 'window pages 3-4');
  t.equal(bus.transfers.filter((x) => x.register === 0x40).reduce((n, x) => n + x.bytes.length, 0), 256, 'two pages of data');
  bus.transfers.length = 0;
  await display.show(frame);
  t.same(bus.transfers, [], 'the same frame again sends nothing');
});

t.test('rotate 180: plain segment and COM order, the picture turned on the glass', async (t) => {
  const { bus, chip, display } = await rig(32, 180);
  t.ok(bus.transfers[0]?.bytes.includes(0xa0) && bus.transfers[0].bytes.includes(0xc0), 'A0 and C0');
  const frame = { width: 128, height: 32, data: new Uint8Array(128 * 32) };
  frame.data[0] = 1; // top-left in the frame
  await display.show(frame);
  const g = chip.glass();
  t.equal(g.data[31 * 128 + 127], 1, 'bottom-right of the glass (read upright)');
  t.equal(g.data[0], 0);
});

t.test('contrast and power commands', async (t) => {
  const { bus, chip, display } = await rig(64);
  bus.transfers.length = 0;
  await display.setContrast(0x10);
  await display.setPower(false);
  t.same(bus.transfers.map((x) => [x.register, ...x.bytes]), [[0x00, 0x81, 0x10], [0x00, 0xae]]);
  t.equal(chip.state.contrast, 0x10);
  t.equal(chip.state.displayOn, false);
  t.equal(chip.read(undefined, 1)[0]! & 0x40, 0x40, 'status D6: display off');
});
