// A sim-board device config with io.lockBoards and io.matrices: `halld config check` accepts it,
// and on the sim board hal.lockBoard() and hal.matrix() work end to end: an open through the
// real lock-board driver opens the simulator's door; a frame drawn by our renderer and shown
// through hal.matrix() is the frame the virtual panel holds. describe() and selfTest() list both.
import t from 'tap';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSimHal } from '../../assembly/create-hal.js';
import { HalError } from '../../drivers/hal/types.js';
import { Framebuffer } from '../../drivers/matrix/render/framebuffer.js';
import { drawText } from '../../drivers/matrix/render/text.js';
import { loadBuiltinFace } from '../../drivers/matrix/render/builtin-fonts.js';
import { runCli } from '../../testkit/device-process.js';
import { tempDir } from '../../testkit/temp.js';

const io = {
  serial: { 'rs485-a': { path: '/dev/ttyUSB1' }, 'rs485-b': { path: '/dev/ttyUSB2' } },
  lockBoards: {
    'cab-a': { serial: 'rs485-a', protocol: '8a80', address: 1, locks: 24 },
    'cab-b': { serial: 'rs485-a', protocol: '8a80', address: 2, locks: 12 },
    'cab-c': { serial: 'rs485-b', protocol: 'kerong-cu', address: 0, locks: 16 },
  },
  matrices: { window: { rows: 16, cols: 64, brightness: 60 }, hall: { rows: 32, cols: 64, chain: 2 } },
};

t.test('halld config check accepts a sim-board config with lock boards and matrices', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'locker.json');
  await writeFile(file, JSON.stringify({ hall: 'hall-1', device: 'locker-1', board: 'sim', dataDir: join(dir, 'data'), roles: { sys: {} }, io }));
  const { code, stdout, stderr } = await runCli(['config', 'check', file], 60_000);
  // Only the warning every config without the hall server's key gets.
  t.match(stderr, /^[^\n]*locker\.json: warning: field \/security\/serverPublicKey: not set: [^\n]*\n$/);
  t.equal(code, 0);
  t.match(stdout, /: ok \(hall hall-1, device locker-1, board sim/);
});

t.test('hal.lockBoard(): an open through the driver opens the simulated door, on the right board of a shared line', async (t) => {
  const hal = await createSimHal({ board: 'sim', io });
  t.teardown(() => hal.close());
  t.same(hal.describe().lockBoards, ['cab-a', 'cab-b', 'cab-c']);
  const a = await hal.lockBoard('cab-a');
  const b = await hal.lockBoard('cab-b');
  t.equal(await hal.lockBoard('cab-a'), a, 'the same board on the next call');
  t.same([a.protocol, a.locks, b.locks], ['8a80', 24, 12]);

  const opened = await a.open(3);
  t.ok(opened.ok, 'acknowledged');
  t.equal(hal.sim.lockBoard('cab-a').isOpen(3), true, "the simulator's door 3 is open");
  t.same(hal.sim.lockBoard('cab-b').pulses, [], 'cab-b on the same line was not pulsed');
  const status = await a.status(3);
  t.same(status.ok && status.value, { lock: 3, open: true }, 'the driver reads the door open');
  hal.sim.lockBoard('cab-a').closeDoor(3);
  const closed = await a.status(3);
  t.same(closed.ok && closed.value.open, false, 'and closed again');

  t.ok((await b.open(12)).ok);
  t.same(hal.sim.lockBoard('cab-b').pulses, [12]);
  t.same(
    hal.sim.lockBus('cab-a').unlocksHeard().map((r) => [r.address, r.lock]),
    [
      [1, 3],
      [2, 12],
    ],
    'one unlock frame per open on the shared line',
  );

  const c = await hal.lockBoard('cab-c');
  hal.sim.lockBoard('cab-c').setItem(5, true);
  const all = await c.statusAll();
  t.same(all.ok && all.value.filter((s) => s.itemPresent).map((s) => s.lock), [5], 'the kerong-cu board reports its item sensors');

  const err = await hal.lockBoard('cab-z').then(
    () => null,
    (e: unknown) => e,
  );
  t.ok(err instanceof HalError && err.code === 'NOT_CONFIGURED');
  t.match((err as Error).message, /no lock board named "cab-z" in io.lockBoards \(configured: cab-a, cab-b, cab-c\)/);
});

t.test('hal.matrix(): a rendered frame shown through the HAL is the frame in the virtual panel', async (t) => {
  const hal = await createSimHal({ board: 'sim', io });
  t.teardown(() => hal.close());
  t.same(hal.describe().matrices, ['window', 'hall']);
  const hall = await hal.matrix('hall');
  t.same([hall.width, hall.height], [128, 32], 'cols x chain by rows x parallel');
  const window = await hal.matrix('window');
  t.same([window.width, window.height, window.brightness()], [64, 16, 60]);

  const face = await loadBuiltinFace('wqy-12', { fallbackPath: false });
  const fb = new Framebuffer(window.width, window.height);
  drawText(fb, face, '请A023号', 1, 12, { r: 255, g: 0, b: 0 });
  const drawn = fb.data.slice();
  t.ok(drawn.some((v) => v !== 0), 'the renderer drew something');
  window.show(fb);
  fb.clear(); // the panel copied the frame
  const panel = hal.sim.matrix('window');
  t.same(Buffer.from(panel.lastFrame()?.data ?? []), Buffer.from(drawn), 'the virtual panel holds the frame as drawn');
  t.equal(hal.sim.matrix('hall').lastFrame(), undefined, 'nothing on the other panel');

  const png = join(await tempDir(t), 'window.png');
  await panel.writePng(png);
  t.same([...(await readFile(png)).subarray(1, 4)], [...Buffer.from('PNG')], 'and writes it as a PNG a person can look at');
});

t.test('selfTest() asks every lock board for its doors and reports each matrix by its health', async (t) => {
  const hal = await createSimHal({ board: 'sim', io });
  t.teardown(() => hal.close());
  hal.sim.lockBoard('cab-b').forceOpen(7);
  hal.sim.lockBoard('cab-c').faults.silent = true;
  const results = await hal.selfTest();
  const by = (name: string) => results.find((r) => r.name === name);
  t.match(by('lock-board:cab-a'), { ok: true, detail: 'answers; all doors closed', data: { serial: 'rs485-a', protocol: '8a80', address: 1, locks: 24 } });
  t.match(by('lock-board:cab-b'), { ok: true, detail: 'answers; doors open: 7' });
  t.match(by('lock-board:cab-c'), { ok: false, detail: /^TIMEOUT/ });
  t.match(by('matrix:window'), { ok: true, detail: 'ok', data: { width: 64, height: 16 } });
  t.match(by('serial:rs485-b'), { data: { baudRate: 19200 } }, 'a kerong-cu line without a baud rate runs at 19200');
  t.match(by('serial:rs485-a'), { data: { baudRate: 9600 } });
});
