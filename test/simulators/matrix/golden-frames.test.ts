// Golden frames: the caller's layouts rendered by our renderer and compared pixel-exact with the
// checked-in PNGs in test/simulators/matrix/golden/. On a mismatch the actual frame is written
// next to the golden as <name>.actual.png for a person to look at. To regenerate the goldens
// after an intended change: HALLD_UPDATE_GOLDEN=1 node scripts/run-tests.mjs golden-frames
import t, { type Test } from 'tap';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBuiltinFace } from '../../../drivers/matrix/render/builtin-fonts.js';
import { PanelRenderer } from '../../../drivers/matrix/render/panel-renderer.js';
import type { PanelState } from '../../../drivers/matrix/render/layouts.js';
import { ManualClock } from '../../../simulators/clock/manual-clock.js';
import { VirtualPanel } from '../../../simulators/matrix/virtual-panel.js';
import { frameToPng, pngToFrame } from '../../../simulators/matrix/frame-png.js';
import type { RgbFrame } from '../../../drivers/hal/led-matrix.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const goldenDir = join(root, 'test/simulators/matrix/golden');
const update = process.env.HALLD_UPDATE_GOLDEN === '1';

async function render(tt: Test, width: number, height: number, state: PanelState, atMs: number): Promise<RgbFrame> {
  const face = await loadBuiltinFace('wqy-12', { fontDir: join(root, 'fonts'), fallbackPath: false });
  const clock = new ManualClock(Date.UTC(2026, 0, 1), 0);
  clock.advance(atMs);
  const panel = new VirtualPanel({ name: 'golden', width, height });
  panel.show(new PanelRenderer({ width, height, face, clock }).render(state));
  const frame = panel.lastFrame();
  if (!frame) throw new Error('no frame');
  tt.same([...face.missing], [], 'every character is in the checked-in subset');
  return frame;
}

function differingPixels(a: RgbFrame, b: RgbFrame): number {
  if (a.width !== b.width || a.height !== b.height) return Number.POSITIVE_INFINITY;
  let n = 0;
  for (let i = 0; i < a.data.length; i += 3) if (a.data[i] !== b.data[i] || a.data[i + 1] !== b.data[i + 1] || a.data[i + 2] !== b.data[i + 2]) n++;
  return n;
}

function litPixels(f: RgbFrame): number {
  let n = 0;
  for (let i = 0; i < f.data.length; i += 3) if ((f.data[i] ?? 0) + (f.data[i + 1] ?? 0) + (f.data[i + 2] ?? 0) > 0) n++;
  return n;
}

function compareGolden(tt: Test, name: string, frame: RgbFrame): void {
  const golden = join(goldenDir, `${name}.png`);
  const actual = join(goldenDir, `${name}.actual.png`);
  if (update) {
    writeFileSync(golden, frameToPng(frame));
    tt.comment(`wrote golden ${golden}`);
  }
  if (!existsSync(golden)) {
    writeFileSync(actual, frameToPng(frame));
    tt.fail(`${name}: no golden ${golden}; look at ${actual} and regenerate with HALLD_UPDATE_GOLDEN=1`);
    return;
  }
  const diff = differingPixels(pngToFrame(readFileSync(golden)), frame);
  if (diff !== 0) writeFileSync(actual, frameToPng(frame));
  tt.equal(diff, 0, `${name}: pixel-exact with the golden (on mismatch see ${actual})`);
  tt.ok(litPixels(frame) > 50, `${name}: the frame draws something`);
}

const call = { number: 'A023', window: '5', sinceMs: 0 };

t.test('Chinese call on a 128x32 window panel', async (tt) => {
  compareGolden(tt, 'window-call-zh', await render(tt, 128, 32, { kind: 'window', lang: 'zh', window: '5', current: call, paused: false }, 0));
});

t.test('Chinese call to a two-digit window: spaces dropped so it still fits 128 px', async (tt) => {
  compareGolden(tt, 'window-call-zh-12', await render(tt, 128, 32, { kind: 'window', lang: 'zh', window: '12', current: { ...call, window: '12' }, paused: false }, 0));
});

t.test('a call too long even without spaces scrolls instead of being cut', async (tt) => {
  const long = { ...call, number: 'ABCD12345', window: '12' };
  const at0 = await render(tt, 128, 32, { kind: 'window', lang: 'zh', window: '12', current: long, paused: false }, 0);
  const at1 = await render(tt, 128, 32, { kind: 'window', lang: 'zh', window: '12', current: long, paused: false }, 1000);
  tt.ok(differingPixels(at0, at1) > 0, 'the call line moves with time');
});

t.test('English call on a 128x32 window panel', async (tt) => {
  compareGolden(tt, 'window-call-en', await render(tt, 128, 32, { kind: 'window', lang: 'en', window: '5', current: call, paused: false }, 0));
});

t.test('paused window shows 暂停服务', async (tt) => {
  compareGolden(tt, 'window-paused-zh', await render(tt, 128, 32, { kind: 'window', lang: 'zh', window: '12', paused: true }, 0));
});

t.test('hall panel: the last calls that fit whole (four 13-row rows on 64 rows), newest highlighted, a priority call in its colour', async (tt) => {
  const calls = [
    { number: 'A023', window: '5' },
    { number: 'V002', window: '1', priority: true },
    { number: 'B117', window: '12' },
    { number: 'A022', window: '3' },
    { number: 'A021', window: '7' },
    { number: 'A020', window: '2' },
  ];
  const frame = await render(tt, 128, 64, { kind: 'hall', lang: 'zh', calls, limit: 5 }, 0);
  compareGolden(tt, 'hall-last-5-zh', frame);
  const row5 = frame.data.subarray(60 * 128 * 3);
  tt.equal(litPixels({ width: 128, height: 4, data: row5 }), 0, 'the sixth call is not drawn (limit 5)');
});

t.test('notice marquee at two times: the text moves 32 px/s, a function of time only', async (tt) => {
  const notice = { kind: 'notice', notice: { text: '温馨提示：请携带身份证办理业务，谢谢！', sinceMs: 0 } } as const;
  const at1 = await render(tt, 128, 16, notice, 2000);
  const at2 = await render(tt, 128, 16, notice, 3500);
  compareGolden(tt, 'marquee-t2000', at1);
  compareGolden(tt, 'marquee-t3500', at2);
  // 1.5 s later the text is 48 px further left: column x at t2 equals column x+48 at t1.
  let mismatched = 0;
  for (let y = 0; y < 16; y++) {
    for (let x = 0; x < 128 - 48; x++) {
      const a = (y * 128 + x) * 3;
      const b = (y * 128 + x + 48) * 3;
      if (at2.data[a] !== at1.data[b] || at2.data[a + 1] !== at1.data[b + 1] || at2.data[a + 2] !== at1.data[b + 2]) mismatched++;
    }
  }
  tt.equal(mismatched, 0, 'the later frame is the earlier one shifted left by 48 px');
  tt.ok(differingPixels(at1, at2) > 0, 'the two frames differ');
  const again = await render(tt, 128, 16, notice, 3500);
  tt.equal(differingPixels(again, at2), 0, 'the same time gives the same frame');
});
