// PanelHost against fake panel processes (never rpi-led-matrix): latest frame wins while the
// child is busy, a crash mid-frame is reported and the child restarted with the latest frame,
// a child that blocks (a hung sync()) is killed by the frame watchdog and restarted.
import t, { type Test } from 'tap';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PanelHost, type PanelHostOptions } from '../../../drivers/matrix/panel-host.js';
import type { LedMatrixHealth } from '../../../drivers/hal/led-matrix.js';
import { systemClock } from '../../../drivers/clock/system-clock.js';
import { globalTimers } from '../../../drivers/clock/timers.js';
import { tempDir } from '../../../testkit/temp.js';
import { useFakeTime } from '../fake-time.js';

const fakeChild = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/fake-panel-child.js');
const config = { rows: 32, cols: 64, chain: 1, parallel: 1, brightness: 80 } as const;
const FRAME_BYTES = 64 * 32 * 3;

async function host(tt: Test, mode: string, extra: Partial<PanelHostOptions> = {}, env: Record<string, string> = {}) {
  const dir = await tempDir(tt);
  const record = join(dir, 'frames.log');
  const panel = new PanelHost({
    name: 'window',
    config,
    clock: systemClock,
    timers: globalTimers,
    childEntry: fakeChild,
    childEnv: { FAKE_PANEL_MODE: mode, FAKE_PANEL_RECORD: record, ...env },
    restartBackoffMs: { initial: 10, max: 100 },
    ...extra,
  });
  tt.teardown(() => panel.close());
  const lines = async () => (await readFile(record, 'utf8').catch(() => '')).split('\n').filter((l) => l !== '').map((l) => (l.startsWith('ready') ? 'ready' : l));
  return { panel, lines };
}

/** Resolves with the first health (current or later) that matches. */
function healthWhere(panel: PanelHost, pred: (h: LedMatrixHealth) => boolean): Promise<LedMatrixHealth> {
  return new Promise((resolve) => {
    if (pred(panel.health())) return resolve(panel.health());
    const off = panel.onHealth((h) => {
      if (pred(h)) {
        off();
        resolve(h);
      }
    });
  });
}

function solid(r: number, g: number, b: number, buf = new Uint8Array(FRAME_BYTES)) {
  for (let i = 0; i < buf.length; i += 3) {
    buf[i] = r;
    buf[i + 1] = g;
    buf[i + 2] = b;
  }
  return { width: 64, height: 32, data: buf };
}

t.test('frames while the child is busy: the latest wins; show() copies; brightness is passed on', async (tt) => {
  const { panel, lines } = await host(tt, 'record');
  await healthWhere(panel, (h) => h.state === 'ok');
  const buf = new Uint8Array(FRAME_BYTES);
  panel.setBrightness(150);
  panel.show(solid(255, 0, 0, buf)); // goes out at once
  panel.show(solid(0, 255, 0, buf)); // waits, then is replaced
  panel.show(solid(0, 0, 255, buf));
  solid(9, 9, 9, buf); // the caller reuses its buffer: the panel must have copied
  tt.throws(() => panel.show({ width: 32, height: 32, data: new Uint8Array(32 * 32 * 3) }), { code: 'MATRIX_FRAME_SIZE' });
  const h = await healthWhere(panel, (x) => x.shown === 2);
  tt.equal(h.dropped, 1, 'the green frame was dropped');
  tt.equal(panel.brightness(), 100, 'brightness clamped to 100');
  await panel.close();
  panel.show(solid(1, 1, 1));
  tt.same(await lines(), ['ready', 'brightness 100', `frame 255,0,0 ${FRAME_BYTES}`, `frame 0,0,255 ${FRAME_BYTES}`]);
  tt.equal(panel.health().state, 'closed');
});

t.test('a child that crashes mid-frame is reported, restarted, and shows the latest frame again', async (tt) => {
  const { panel, lines } = await host(tt, 'crash', {}, { FAKE_PANEL_CRASH_AT: '2' });
  const states: string[] = [];
  panel.onHealth((h) => states.push(h.state));
  await healthWhere(panel, (h) => h.state === 'ok');
  panel.show(solid(255, 0, 0));
  await healthWhere(panel, (h) => h.shown === 1);
  panel.show(solid(0, 255, 0));
  const fault = await healthWhere(panel, (h) => h.state === 'fault');
  tt.equal(fault.lastFault?.code, 'MATRIX_CHILD_EXIT');
  tt.match(fault.lastFault?.message, /code 3/);
  const back = await healthWhere(panel, (h) => h.shown === 2);
  tt.equal(back.restarts, 1);
  tt.equal(back.state, 'ok');
  tt.same(await lines(), ['ready', `frame 255,0,0 ${FRAME_BYTES}`, 'crashed', 'ready', `frame 0,255,0 ${FRAME_BYTES}`]);
  tt.same(states.slice(0, 5), ['ok', 'ok', 'fault', 'starting', 'ok'], 'ok (shown 1), fault, restart, ok');
});

t.test('a child that blocks (hung sync) is killed by the frame watchdog and restarted with backoff', async (tt) => {
  const clock = useFakeTime(tt);
  const { panel, lines } = await host(tt, 'block', { frameTimeoutMs: 500, restartBackoffMs: { initial: 1000, max: 4000 } });
  await healthWhere(panel, (h) => h.state === 'ok');
  panel.show(solid(255, 0, 0));
  panel.show(solid(0, 0, 255)); // latest wins while the first one hangs
  clock.tick(499);
  tt.equal(panel.health().state, 'ok', 'not before the timeout');
  clock.tick(1);
  tt.equal(panel.health().state, 'fault');
  tt.equal(panel.health().lastFault?.code, 'MATRIX_HUNG');
  clock.tick(999);
  tt.equal(panel.health().restarts, 0, 'backoff: no restart before 1000 ms');
  clock.tick(1);
  tt.equal(panel.health().restarts, 1);
  await healthWhere(panel, (h) => h.state === 'ok');
  clock.tick(500); // the new child blocks on the blue frame too: second fault, backoff doubles
  tt.equal(panel.health().state, 'fault');
  clock.tick(1999);
  tt.equal(panel.health().restarts, 1, 'second backoff is 2000 ms');
  clock.tick(1);
  tt.equal(panel.health().restarts, 2);
  await healthWhere(panel, (h) => h.state === 'ok');
  const closing = panel.close();
  clock.tick(2000); // a blocked child ignores the end of stdin: close kills it after the grace
  await closing;
  tt.same((await lines()).filter((l) => l === 'ready').length, 3, 'three children started');
});

t.test('a child that never reports ready is a start-timeout fault; frames wait for the restarted one', async (tt) => {
  const clock = useFakeTime(tt);
  const { panel, lines } = await host(tt, 'mute', { startTimeoutMs: 3000, restartBackoffMs: { initial: 100, max: 100 } });
  panel.show(solid(0, 255, 0));
  tt.equal(panel.health().state, 'starting');
  clock.tick(3000);
  tt.equal(panel.health().lastFault?.code, 'MATRIX_START_TIMEOUT');
  clock.tick(100);
  tt.equal(panel.health().restarts, 1);
  tt.equal(panel.health().shown, 0, 'no frame went to a child that is not ready');
  const closing = panel.close();
  clock.tick(2000);
  await closing;
  tt.same((await lines()).filter((l) => l.startsWith('frame')), [], 'the mute children got no frame (they may be killed before writing anything)');
});
