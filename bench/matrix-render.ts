// Render time of one 128x32 window-panel frame (a Chinese call plus a scrolling CJK notice, the
// clock advanced every run) vs the floor of clearing and copying the framebuffer alone; and the
// load time of the checked-in subset font vs the full Debian font it falls back to.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadBuiltinFace, SYSTEM_FONT_PATHS } from '../drivers/matrix/render/builtin-fonts.js';
import { Framebuffer } from '../drivers/matrix/render/framebuffer.js';
import { parseBdf } from '../drivers/matrix/render/bdf-font.js';
import { PanelRenderer } from '../drivers/matrix/render/panel-renderer.js';
import type { WindowPanelState } from '../drivers/matrix/render/layouts.js';
import { ManualClock } from '../simulators/clock/manual-clock.js';
import { median, report } from './stats.js';

const RUNS = Number(process.env['BENCH_MATRIX_RUNS'] ?? 5000);

export async function benchMatrixRender(): Promise<void> {
  const face = await loadBuiltinFace('wqy-12', { fallbackPath: false });
  const clock = new ManualClock();
  const renderer = new PanelRenderer({ width: 128, height: 32, face, clock });
  const state: WindowPanelState = {
    kind: 'window',
    lang: 'zh',
    window: '5',
    paused: false,
    current: { number: 'A023', window: '5', sinceMs: 0 },
    notice: { text: '温馨提示：请携带身份证办理业务，午休时间请稍候，谢谢！', sinceMs: 0 },
  };
  const fb = new Framebuffer(128, 32);
  const render: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    clock.advance(16); // ~60 Hz: the marquee moves between frames
    let t0 = performance.now();
    const frame = renderer.render(state).snapshot();
    render.push(performance.now() - t0);
    t0 = performance.now();
    fb.clear();
    const copy = fb.snapshot();
    floor.push(performance.now() - t0);
    if (frame.data.length !== copy.data.length) throw new Error('size mismatch');
  }
  report('matrix: render 128x32 CJK marquee', median(render) * 1000, 'µs', 'clear+copy framebuffer', median(floor) * 1000, `median of ${RUNS}`);

  const subsetMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await loadBuiltinFace('wqy-12', { fallbackPath: false });
    subsetMs.push(performance.now() - t0);
  }
  const pcf = SYSTEM_FONT_PATHS['wqy-12'];
  if (!existsSync(pcf)) {
    process.stdout.write(`matrix: subset font load ${median(subsetMs).toFixed(2)} ms (full font ${pcf} not installed: apt install xfonts-wqy pcf2bdf)\n`);
    return;
  }
  const fullMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    parseBdf(execFileSync('pcf2bdf', [pcf], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
    fullMs.push(performance.now() - t0);
  }
  report('matrix: full font load (pcf2bdf+parse)', median(fullMs), 'ms', 'subset BDF load', median(subsetMs));
}

if (process.argv[1]?.endsWith('matrix-render.js')) await benchMatrixRender();
