// `halld boards` lists every board file with its parts, as the bundled CLI finds them.
import t from 'tap';
import { runCli } from '../../testkit/device-process.js';
import { listBoards } from '../../boards/index.js';

t.test('halld boards: every definition with its GPIO, serial and I2C parts', async (t) => {
  const ids = (await listBoards()).map((b) => b.id);
  t.ok(ids.length >= 5, `the board files: ${ids.join(', ')}`);
  const text = await runCli(['boards']);
  t.equal(text.code, 0, text.stderr);
  for (const id of ids) t.match(text.stdout, new RegExp(`^${id}  \\S`, 'm'), `${id} listed`);
  t.match(text.stdout, /^rpi-4b {2}Raspberry Pi 4 Model B\n(?:.*\n)*? {2}serial {4}\/dev\/serial0 \[default\] \(TX 14, RX 15\)/m, 'the Pi 4 with its header UART');
  t.match(text.stdout, /^ {2}firmata {3}StandardFirmata on \/dev\/ttyACM0 at 57600 baud$/m, 'the Arduino with its Firmata link');
  const json = await runCli(['boards', '--json']);
  const boards = JSON.parse(json.stdout) as { id: string; i2c: { buses: Record<string, unknown> } }[];
  t.same(
    boards.map((b) => b.id),
    ids,
  );
  t.same(boards.find((b) => b.id === 'rpi-5')?.i2c.buses, { '1': { sda: 2, scl: 3 } });
});

t.test('--help names the technician commands; a missing daemon and a bad --include are one line each', async (t) => {
  const help = await runCli(['--help']);
  for (const cmd of ['status', 'diag', 'identify', 'test-print', 'cmd', 'boards']) t.match(help.stdout, new RegExp(`^  ${cmd}\\b`, 'm'), `${cmd} in --help`);
  const none = await runCli(['diag', '--data-dir', '/nonexistent-halld']);
  t.equal(none.code, 6);
  t.equal(none.stderr.trim().split('\n').length, 1, none.stderr);
  const noConfig = await runCli(['status', '--config', '/nonexistent-halld/device.json']);
  t.equal(noConfig.code, 2);
  t.match(noConfig.stderr, /cannot read the device config .*give --config FILE or --data-dir DIR/);
  const noBroker = await runCli(['cmd', 'hall-1/dev-1', 'sys/ping']);
  t.equal(noBroker.code, 2);
  t.match(noBroker.stderr, /--broker/);
});
