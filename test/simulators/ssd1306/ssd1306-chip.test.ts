// The SSD1306 simulator decodes the byte stream as the datasheet says, and its glass shows
// the mistakes a driver can make (no segment remap: mirrored; no charge pump: dark; wrong COM
// pins: interleaved), so golden images catch them.
import t from 'tap';
import { Ssd1306Chip } from '../../../simulators/ssd1306/ssd1306-chip.js';
import { monoToPng, pngToMono } from '../../../simulators/ssd1306/oled-png.js';

const GOOD = [0xa8, 63, 0x8d, 0x14, 0x20, 0x00, 0xa1, 0xc8, 0xda, 0x12, 0xaf];

function lit(chip: Ssd1306Chip): Array<[number, number]> {
  const g = chip.glass();
  const out: Array<[number, number]> = [];
  g.data.forEach((v, i) => v && out.push([i % g.width, Math.floor(i / g.width)]));
  return out;
}

function cleared(chip: Ssd1306Chip): void {
  chip.write(0x00, [0x21, 0, 127, 0x22, 0, 7]);
  for (let i = 0; i < 1024; i += 32) chip.write(0x40, new Array<number>(32).fill(0));
}

t.test('horizontal addressing: column first, then page, inside the window', async (t) => {
  const chip = new Ssd1306Chip({ height: 64 });
  chip.write(0x00, GOOD);
  cleared(chip);
  chip.write(0x00, [0x21, 10, 11, 0x22, 2, 3]);
  chip.write(0x40, [0x01, 0x02, 0x80, 0x00]);
  t.same(lit(chip), [
    [10, 16],
    [11, 17],
    [10, 31],
  ]);
  t.same(chip.problems(), []);
});

t.test('page addressing and Co = 1 control bytes (one byte each)', async (t) => {
  const chip = new Ssd1306Chip({ height: 64 });
  chip.write(0x00, GOOD);
  cleared(chip);
  // 0x80: one command follows, then another control byte.
  chip.write(0x80, [0x20, 0x80, 0x02, 0x80, 0xb1, 0x80, 0x05, 0x80, 0x10]);
  chip.write(0x40, [0xff]);
  t.equal(chip.state.addressing, 'page');
  t.same(lit(chip), Array.from({ length: 8 }, (_, i) => [5, 8 + i]));
});

t.test('power-up: display off, dark glass, RAM full of garbage that shows once it is switched on', async (t) => {
  const chip = new Ssd1306Chip({ height: 64 });
  t.equal(lit(chip).length, 0);
  chip.write(0x00, GOOD);
  t.ok(lit(chip).length > 1000, 'garbage');
});

t.test('the mistakes a driver can make show on the glass', async (t) => {
  const dot = (cmds: number[]) => {
    const chip = new Ssd1306Chip({ height: 64 });
    chip.write(0x00, cmds);
    cleared(chip);
    chip.write(0x00, [0x21, 0, 0, 0x22, 0, 0]);
    chip.write(0x40, [0x01]); // column 0, row 0
    return { chip, at: lit(chip) };
  };
  t.same(dot(GOOD).at, [[0, 0]], 'upright with A1 C8');
  const noRemap = dot(GOOD.filter((b) => b !== 0xa1));
  t.same(noRemap.at, [[127, 0]], 'mirrored without A1');
  t.match(noRemap.chip.problems().join(), /mirrored/);
  t.same(dot(GOOD.filter((b) => b !== 0xc8)).at, [[0, 63]], 'upside down without C8');
  const noPump = dot([0xa8, 63, 0x20, 0x00, 0xa1, 0xc8, 0xda, 0x12, 0xaf]);
  t.same(noPump.at, [], 'dark without the charge pump');
  const wrongPins = dot([...GOOD.slice(0, -3), 0xda, 0x02, 0xaf]);
  t.match(wrongPins.chip.problems().join(), /COM pins/);
  t.same(dot([...GOOD, 0xa7]).at.length, 128 * 64 - 1, 'inverted');
});

t.test('PNG: lit pixels read back whatever the contrast; dimmer at low contrast', async (t) => {
  const chip = new Ssd1306Chip({ height: 32 });
  chip.write(0x00, [0xa8, 31, 0x8d, 0x14, 0x20, 0x00, 0xa1, 0xc8, 0xda, 0x02, 0xaf]);
  const g = chip.glass();
  for (const contrast of [0, 0xff]) t.same(pngToMono(monoToPng(g, contrast)).data, g.data, `contrast ${contrast}`);
  t.ok(chip.png().length > 100);
});
