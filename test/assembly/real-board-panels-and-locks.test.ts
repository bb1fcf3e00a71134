// On a real board (a Pi 4 on the simulated gpiod tools) hal.lockBoard() runs the lock-board
// driver over the configured serial part (the OS binding here is a virtual serial bus with a
// byte-level lock line plugged in by the test), and hal.matrix() is the panel process, PanelHost
// (its child replaced by the fake that never loads rpi-led-matrix). The sim board never
// constructs a PanelHost.
import t from 'tap';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHal, createSimHal } from '../../assembly/create-hal.js';
import { PanelHost } from '../../drivers/matrix/panel-host.js';
import { FakeGpiod, piHeaderChip } from '../../simulators/gpiod/fake-gpiod.js';
import { VirtualSerialBus } from '../../simulators/serial/virtual-serial-bus.js';
import { VirtualLockBus } from '../../simulators/lock-board/virtual-lock-bus.js';
import { sim8a80 } from '../../simulators/lock-board/sim-8a80.js';
import { VirtualPanel } from '../../simulators/matrix/virtual-panel.js';
import { tempDir } from '../../testkit/temp.js';
import { until } from '../../testkit/wait.js';

const fakeChild = join(dirname(fileURLToPath(import.meta.url)), '../drivers/matrix/fixtures/fake-panel-child.js');
const io = {
  serial: { rs485: { path: '/dev/ttyUSB0' } },
  lockBoards: { 'cab-a': { serial: 'rs485', protocol: '8a80', address: 3, locks: 8 } },
  matrices: { window: { rows: 16, cols: 32 } },
  speaker: { kind: 'none' },
};

t.test('a Pi 4: the lock-board driver on the serial part, PanelHost for the matrix', async (t) => {
  const gpiod = new FakeGpiod({ major: 2, chips: [piHeaderChip('gpiochip0', 'pinctrl-bcm2711', 58)] });
  const serial = new VirtualSerialBus();
  const line = new VirtualLockBus(sim8a80());
  const sim = line.addBoard({ address: 3, locks: 8 });
  serial.attach('/dev/ttyUSB0', line);
  const record = join(await tempDir(t), 'frames.log');
  const hal = await createHal({
    board: 'rpi-4b',
    io,
    deps: { runner: gpiod.runner, serialBinding: serial.binding, panelChild: { entry: fakeChild, env: { FAKE_PANEL_MODE: 'record', FAKE_PANEL_RECORD: record } } },
  });
  t.teardown(() => hal.close());

  const board = await hal.lockBoard('cab-a');
  const opened = await board.open(2);
  t.ok(opened.ok, 'acknowledged');
  t.same(sim.pulses, [2]);
  t.equal(sim.isOpen(2), true);
  t.same(serial.written('/dev/ttyUSB0').toString('hex'), '8a0302119a', 'the documented unlock frame, once: 8A 03 02 11 BCC');

  const matrix = await hal.matrix('window');
  t.ok(matrix instanceof PanelHost, 'the panel process');
  await until('the panel process ready', () => matrix.health().state === 'ok', 10_000);
  const data = new Uint8Array(32 * 16 * 3).fill(7);
  matrix.show({ width: 32, height: 16, data });
  await until('the frame on the glass', () => matrix.health().shown === 1, 10_000);
  t.match(await readFile(record, 'utf8'), /^frame 7,7,7 1536$/m);

  const results = await hal.selfTest();
  t.match(
    results.filter((r) => r.name.startsWith('lock-board:') || r.name.startsWith('matrix:')),
    [
      { name: 'lock-board:cab-a', ok: true, detail: 'answers; doors open: 2' },
      { name: 'matrix:window', ok: true, detail: 'ok', data: { width: 32, height: 16, shown: 1 } },
    ],
  );
  await hal.close();
  t.equal(matrix.health().state, 'closed', 'closing the HAL stops the panel process');
});

t.test('the sim board gives virtual panels, never the panel process', async (t) => {
  const hal = await createSimHal({ board: 'rpi-4b', io });
  t.teardown(() => hal.close());
  const matrix = await hal.matrix('window');
  t.ok(matrix instanceof VirtualPanel);
  t.notOk(matrix instanceof PanelHost);
});
