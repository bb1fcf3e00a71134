// The technician's view of an ID-card reader: `halld run` as a child process on the sim board,
// its reader the simulated GA 467 module on an io.serial part, and the real CLI. `halld diag`
// shows one row for the reader, passing while the SAM answers its status command 0x90; a SAM
// that failed its self-test (set through the device's sim control socket) turns exactly that
// row into FAIL with the SAM's own words, and it passes again once the SAM is mended.
import t from 'tap';
import { join } from 'node:path';
import { simControl } from '../../simulators/hal/sim-control-socket.js';
import type { DiagRow } from '../../firmware/control/host-checks.js';
import { startAedesBroker } from '../../simulators/hall/aedes-broker.js';
import { deviceProcess, runCli } from '../../testkit/device-process.js';
import { tempDir } from '../../testkit/temp.js';
import { deviceConfig } from './suites/device-config.js';
import { untilControlAnswers } from './suites/kiosk-rig.js';

const row = (stdout: string, name: string): DiagRow | undefined => (JSON.parse(stdout) as DiagRow[]).find((r) => r.name === name);

t.test('halld diag: the id-card-reader row follows the SAM status', async (t) => {
  const dir = await tempDir(t);
  const broker = await startAedesBroker({ port: 0 });
  t.teardown(() => broker.close());
  const device = await deviceProcess(
    t,
    join(dir, 'dev'),
    deviceConfig(broker.url, 'idr-1', { io: { serial: { idr: { path: '/dev/ttyUSB1', baudRate: 115200 } }, idCardReaders: { desk: { serial: 'idr' } } } }),
  );
  const dataDir = join(dir, 'dev', 'data');
  const cfg = ['-c', device.configFile];
  device.start();
  await untilControlAnswers(dataDir);

  const healthy = await runCli(['diag', '--json', ...cfg]);
  t.equal(healthy.code, 0, healthy.stdout + healthy.stderr);
  t.match(row(healthy.stdout, 'id-card-reader:desk'), { status: 'pass', detail: 'SAM status 0x90: 操作成功' });
  t.match(row(healthy.stdout, 'serial:idr'), { status: 'pass' });

  await simControl(dataDir, { op: 'sam-fault', reader: 'desk', sw3: 0x60 });
  const faulty = await runCli(['diag', ...cfg]);
  t.equal(faulty.code, 5, 'a failed check: exit 5');
  t.match(faulty.stdout, /^id-card-reader:desk +FAIL +SAM status 0x60: SAM自检失败，不能接收命令$/m);
  t.notMatch(faulty.stdout, /^serial:idr +FAIL/m, 'the port itself is fine');

  await simControl(dataDir, { op: 'sam-fault', reader: 'desk', sw3: null });
  const mended = await runCli(['diag', '--json', ...cfg]);
  t.equal(mended.code, 0, mended.stdout);
  t.match(row(mended.stdout, 'id-card-reader:desk'), { status: 'pass' });
});
