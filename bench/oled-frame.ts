// The evaluator's OLED: what one screen change costs on the I2C wire. The SSD1306 driver sends
// only the pages that changed, so the figure is the bytes (and the time they take at 400 kHz)
// of idle → rating → thanks (every page changes) and of one line changing, against the floor of sending the whole 1 KiB RAM each time; and the
// CPU time of text() (layout, CJK glyphs, upload to the simulated chip) against rendering alone.
import { performance } from 'node:perf_hooks';
import { Ssd1306Display } from '../drivers/display/ssd1306-display.js';
import { renderMonoText } from '../drivers/display/mono-text.js';
import { I2cBusDevice } from '../drivers/i2c/i2c-bus-device.js';
import { loadBuiltinFace } from '../drivers/matrix/render/builtin-fonts.js';
import type { MonoTextLine } from '../drivers/hal/types.js';
import { SimI2cBus } from '../simulators/i2c/sim-i2c-bus.js';
import { Ssd1306Chip } from '../simulators/ssd1306/ssd1306-chip.js';
import { median, report } from './stats.js';

const RUNS = Number(process.env['BENCH_OLED_RUNS'] ?? 300);
/** Standard-mode-plus I2C as most Pi images set it (dtparam=i2c_arm_baudrate=400000). */
const I2C_HZ = 400_000;

const SCREENS: MonoTextLine[][] = [
  [{ text: '7号窗口', align: 'center', inverse: true }, { text: '李晓梅 工号GZ-0107' }, { text: '社会保障卡申领' }, { text: '养老保险关系转移' }, { text: '' }],
  [{ text: '请评价 A023', inverse: true }, { columns: ['5 非常满意', '4 满意'] }, { columns: ['3 基本满意', '2 不满意'] }, { text: '1 非常不满意' }, { text: '社会保障卡申领' }],
  [{ text: '感谢您的评价', align: 'center', inverse: true }, { text: '5 非常满意', align: 'center' }, { text: '' }, { text: 'Thank you', align: 'center' }],
];

/** Bits on the wire for `blocks` SMBus block writes carrying `bytes` (control bytes included): address byte, start/stop, ACK per byte. */
function busMs(blocks: number, bytes: number): number {
  return (((bytes + blocks) * 9 + blocks * 2) / I2C_HZ) * 1000;
}

export async function benchOledFrame(): Promise<void> {
  const face = await loadBuiltinFace('wqy-12', { fallbackPath: false });
  const bus = new SimI2cBus(1);
  bus.addChip(0x3c, new Ssd1306Chip({ height: 64 }));
  const display = await Ssd1306Display.open({ name: 'oled', device: new I2cBusDevice('oled', 1, 0x3c, bus), height: 64, contrast: 0xcf, rotate: 0, face });
  const changes: { blocks: number; bytes: number }[] = [];
  const textMs: number[] = [];
  const renderMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const lines = SCREENS[i % SCREENS.length]!;
    const before = display.written();
    let t0 = performance.now();
    await display.text(lines);
    textMs.push(performance.now() - t0);
    const after = display.written();
    changes.push({ blocks: after.blocks - before.blocks, bytes: after.bytes - before.bytes });
    t0 = performance.now();
    renderMonoText(face, 128, 64, lines);
    renderMs.push(performance.now() - t0);
  }
  // The whole RAM: a 6-byte window command, then 1024 data bytes in 32 blocks of 32.
  const full = { blocks: 1 + 32, bytes: 7 + 32 * 33 };
  const bytes = median(changes.map((c) => c.bytes));
  const blocks = median(changes.map((c) => c.blocks));
  report('oled screen change bytes on I2C', bytes, 'B', 'whole RAM', full.bytes, `${blocks} blocks`);
  report('oled screen change at 400 kHz', busMs(blocks, bytes), 'ms', 'whole RAM', busMs(full.blocks, full.bytes));
  report('oled text() to the sim chip', median(textMs), 'ms', 'render only', median(renderMs));
  // The idle card going offline: only its last line (2 of 8 pages) changes.
  const idle = SCREENS[0]!;
  const offline = [...idle.slice(0, 4), { text: '离线 offline', align: 'right' as const }];
  const flips: { blocks: number; bytes: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    await display.text(idle);
    const before = display.written();
    await display.text(offline);
    const after = display.written();
    flips.push({ blocks: after.blocks - before.blocks, bytes: after.bytes - before.bytes });
  }
  const flipBytes = median(flips.map((c) => c.bytes));
  const flipBlocks = median(flips.map((c) => c.blocks));
  report('oled one line changes at 400 kHz', busMs(flipBlocks, flipBytes), 'ms', 'whole RAM', busMs(full.blocks, full.bytes), `${flipBytes} B in ${flipBlocks} blocks`);
  await display.close();
}
