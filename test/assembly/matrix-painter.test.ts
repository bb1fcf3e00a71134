// hal.painter(name): the caller layouts drawn for one configured panel (its size, its io.matrices
// font) at the HAL clock's time: the same pixels as the renderer's own, a scrolling line says it
// moves, an unknown panel is NOT_CONFIGURED.
import t from 'tap';
import { createSimHal } from '../../assembly/create-hal.js';
import { HalError, type WindowPanelState } from '../../drivers/hal/types.js';
import { loadBuiltinFace } from '../../drivers/matrix/render/builtin-fonts.js';
import { PanelRenderer } from '../../drivers/matrix/render/panel-renderer.js';
import { ManualClock } from '../../simulators/clock/manual-clock.js';

const io = { matrices: { window: { rows: 16, cols: 64, chain: 2 }, big: { rows: 32, cols: 64, chain: 2, font: 'unifont-16' } } };

t.test('the painter draws what the renderer draws, for the panel\'s size and font', async (t) => {
  const clock = new ManualClock();
  const hal = await createSimHal({ board: 'sim', io, clock });
  t.teardown(() => hal.close());
  const state: WindowPanelState = { kind: 'window', lang: 'zh', window: '5', paused: false, current: { number: 'A023', window: '5', sinceMs: 0 } };
  const painter = await hal.painter('window');
  t.equal(await hal.painter('window'), painter, 'the same painter on the next call');
  t.same([painter.width, painter.height], [128, 16]);
  const expected = new PanelRenderer({ width: 128, height: 16, face: await loadBuiltinFace('wqy-12', { fallbackPath: false }), clock }).render(state);
  t.same(Buffer.from(painter.paint(state).data), Buffer.from(expected.data), 'pixel for pixel');
  const big = await hal.painter('big');
  const unifont = new PanelRenderer({ width: 128, height: 32, face: await loadBuiltinFace('unifont-16', { fallbackPath: false }), clock }).render(state);
  t.same(Buffer.from(big.paint(state).data), Buffer.from(unifont.data), 'the big panel uses its own font');
  const hall = { kind: 'hall', lang: 'zh', calls: [{ number: 'A1', window: '2' }, { number: 'B2', window: '3' }] } as const;
  const bigHall = new PanelRenderer({ width: 128, height: 32, face: await loadBuiltinFace('unifont-16', { fallbackPath: false }), clock }).render(hall);
  t.same(Buffer.from(big.paint(hall).data), Buffer.from(bigHall.data), 'hall rows of 16 px with the 16 px font');
  t.equal(painter.moving(state), false, 'a call that fits stands still');
  const short = { ...state, current: { number: 'A1', window: '5', sinceMs: 0 } };
  t.equal(big.moving(short), false, 'two lines (32 rows): a call that fits stands still');
  t.equal(big.moving({ ...short, notice: { text: '今日下午16:00停止取号，请各位市民合理安排时间', sinceMs: 0 } }), true, 'a notice wider than the panel scrolls');
  t.equal(big.moving({ ...short, notice: { text: '午休', sinceMs: 0 } }), false, 'a short notice stands');
  const { current: _, ...idle } = state;
  t.equal(painter.moving({ ...idle, notice: { text: '今日下午16:00停止取号，请各位市民合理安排时间', sinceMs: 0 } }), true, 'one line (16 rows): the notice scrolls when no call is shown');
  t.equal(painter.moving({ ...state, notice: { text: '今日下午16:00停止取号，请各位市民合理安排时间', sinceMs: 0 } }), false, 'one line (16 rows): the call that fits is shown, standing');
  t.equal(painter.moving({ kind: 'hall', lang: 'zh', calls: [{ number: 'A1', window: '2' }] }), false);
  const err = await hal.painter('nope').then(() => null, (e: unknown) => e);
  t.ok(err instanceof HalError && err.code === 'NOT_CONFIGURED', 'an unknown panel');
});
