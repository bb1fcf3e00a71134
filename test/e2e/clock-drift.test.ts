// A board whose clock is wrong while the hall server's beacon gives the true time: `halld diag`
// fails the clock row once the drift is over the skew a signed command may have
// (security.maxClockSkewMs, 60 s by default), saying by how much, which way, and which source
// the device trusts. `halld run` as a child process, its system clock the real one; the beacon
// (unsigned: the device has no server key) carries a time two days ahead of it, as a board two
// days behind would see it.
import t from 'tap';
import { connectAsync } from 'mqtt';
import { join } from 'node:path';
import { startAedesBroker } from '../../simulators/hall/aedes-broker.js';
import type { DiagRow } from '../../firmware/control/host-checks.js';
import { deviceProcess, runCli } from '../../testkit/device-process.js';
import { tempDir } from '../../testkit/temp.js';
import { waitFor } from '../../testkit/wait.js';
import { deviceConfig } from './suites/device-config.js';
import { untilControlAnswers } from './suites/kiosk-rig.js';

const DAY = 24 * 3600 * 1000;

t.test('the clock row fails when the trusted system clock is far from the beacon, and says by how much', async (t) => {
  const dir = await tempDir(t);
  const broker = await startAedesBroker({ port: 0 });
  t.teardown(() => broker.close());
  const device = await deviceProcess(t, join(dir, 'dev'), deviceConfig(broker.url, 'clock-1', { clock: { source: 'system' } }));
  const dataDir = join(dir, 'dev', 'data');
  device.start();
  await untilControlAnswers(dataDir, true);
  const server = await connectAsync(broker.url, { clientId: 'server', reconnectPeriod: 0 });
  t.teardown(() => server.endAsync(true));
  const beacon = (ts: number) => server.publishAsync('halld/v1/test-hall/time', JSON.stringify({ v: 1, ts }), { qos: 1 });
  const clockRow = async () => {
    const r = await runCli(['diag', '--json', '-c', device.configFile], 90_000);
    return { code: r.code, row: (JSON.parse(r.stdout) as DiagRow[]).find((x) => x.name === 'clock') };
  };
  const beacons = async () => ((await runCli(['status', '--json', '-c', device.configFile], 90_000)).stdout.match(/"beacons": (\d+)/)?.[1] ?? '0');

  await beacon(Date.now() + 20_000);
  await waitFor('the first beacon', async () => (await beacons()) === '1', 30_000, 200);
  const near = await clockRow();
  t.match(near.row, { status: 'pass', detail: /system clock trusted \(clock\.source system\); (19|2\d) s behind the server's time beacon \(within 60 s\)/ }, `20 s is within the skew: ${JSON.stringify(near.row)}`);

  await beacon(Date.now() + 2 * DAY);
  await waitFor('the second beacon', async () => (await beacons()) === '2', 30_000, 200);
  const far = await clockRow();
  t.equal(far.code, 5, 'diag exits 5');
  t.match(far.row, {
    status: 'fail',
    detail: /^system clock 48 h behind the server's time beacon \(over the 60 s allowed, security\.maxClockSkewMs\); the device trusts its system clock \(clock\.source system\)/,
    data: { systemDriftMs: Number, maxDriftMs: 60_000 },
  });
  t.ok(Math.abs((far.row?.data?.['systemDriftMs'] as number) - 2 * DAY) < 60_000, 'the drift in the data');
  const table = await runCli(['diag', '-c', device.configFile], 90_000);
  t.match(table.stdout, /^clock +FAIL +system clock 48 h behind/m, 'the table row');
});
