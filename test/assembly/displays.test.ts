// io.displays in the assembly: defaults, the checks a schema cannot make (an I2C part that is
// not configured, two displays on one chip) in one message from `halld config check`, and on
// the sim board hal.display() / selfTest() / describe() with the simulated SSD1306 behind it.
import t from 'tap';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSimHal } from '../../assembly/create-hal.js';
import { parseIoConfig, resolveIo, IoConfigError } from '../../assembly/resolve-io.js';
import { loadBoard } from '../../assembly/load-board.js';
import { runCli } from '../../testkit/device-process.js';
import { tempDir } from '../../testkit/temp.js';

t.test('defaults: ssd1306, 128x64, contrast 0xcf, upright', async (t) => {
  const io = resolveIo(await loadBoard('sim'), parseIoConfig({ i2c: { oled: { address: 0x3c } }, displays: { status: { i2c: 'oled' } } }));
  t.same(io.displays, [{ name: 'status', i2c: 'oled', controller: 'ssd1306', width: 128, height: 64, contrast: 0xcf, rotate: 0 }]);
});

t.test('config mistakes are named, all at once', async (t) => {
  const board = await loadBoard('sim');
  const err = t.throws(() =>
    resolveIo(board, parseIoConfig({ i2c: { oled: { address: 0x3c } }, displays: { a: { i2c: 'oled' }, b: { i2c: 'oled' }, c: { i2c: 'screen' } } })),
  ) as IoConfigError;
  t.ok(err instanceof IoConfigError);
  t.same(err.issues, [
    'displays.a and displays.b both use I2C part "oled"; one chip drives one display',
    'displays.c: I2C part "screen" is not in io.i2c (configured: oled); add it with its bus and address, e.g. "i2c": { "screen": { "address": 60 } } for 0x3c',
  ]);
  t.throws(() => parseIoConfig({ i2c: { oled: { address: 0x3c } }, displays: { a: { i2c: 'oled', height: 48 } } }), /io\.displays\.a\.height/);
});

t.test('halld config check prints the display problem as one line', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'ev.json');
  await writeFile(file, JSON.stringify({ hall: 'hall-1', device: 'ev-1', board: 'sim', dataDir: join(dir, 'data'), roles: { sys: {} }, io: { displays: { status: { i2c: 'oled' } } } }));
  const { code, stderr } = await runCli(['config', 'check', file], 60_000);
  t.equal(code, 2);
  t.match(stderr, /field \/io\/displays\/status: I2C part "oled" is not in io\.i2c \(configured: none\)/);
});

t.test('sim board: describe(), selfTest() and a display that stops answering', async (t) => {
  const hal = await createSimHal({ board: 'sim', io: { i2c: { oled: { address: 0x3c } }, displays: { status: { i2c: 'oled', height: 32, contrast: 40 } } } });
  t.teardown(() => hal.close());
  t.same(hal.describe().displays, ['status']);
  const display = await hal.display('status');
  t.equal(await hal.display('status'), display, 'the same display on the next call');
  t.equal(hal.sim.display('status').state.contrast, 40, 'configured contrast sent');
  const ok = (await hal.selfTest()).find((r) => r.name === 'display:status');
  t.match(ok, { ok: true, detail: 'answers', data: { i2c: 'oled', size: '128x32' } });
  hal.sim.i2cNack('oled');
  const bad = (await hal.selfTest()).find((r) => r.name === 'display:status');
  t.match(bad, { ok: false, detail: /EREMOTEIO|no ACK/ });
  await t.rejects(hal.display('nope'), { code: 'NOT_CONFIGURED', message: /no display named "nope" in io\.displays \(configured: status\)/ });
});
