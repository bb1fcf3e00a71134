// The runtime and the sys role run on the Timers and Clock they are given: identify's blink
// and sys/restart's delay move only when the test moves the device's time.
import t, { type Test } from 'tap';
import { join } from 'node:path';
import { startAedesBroker } from '../../simulators/hall/aedes-broker.js';
import { isSimHal } from '../../simulators/hal/sim-hal.js';
import { parseConfig } from '../../firmware/config/parse-config.js';
import { Runtime } from '../../firmware/runtime.js';
import { silentLogger } from '../../firmware/log.js';
import { HallClient } from '../../protocol/hall-client.js';
import { deviceTime, type DeviceTime } from '../../testkit/device-time.js';
import { settle } from '../drivers/fake-time.js';
import { tempDir } from '../../testkit/temp.js';
import { waitFor } from '../../testkit/wait.js';

async function device(t: Test, time: DeviceTime, restarts: string[]) {
  const dir = await tempDir(t, 'halld-time-');
  const broker = await startAedesBroker({ port: 0 });
  t.teardown(() => broker.close());
  const server = new HallClient({ url: broker.url, hall: 'test-hall' });
  await server.connect();
  t.teardown(() => server.close());
  const config = parseConfig({
    hall: 'test-hall',
    device: 'dev-1',
    board: 'sim',
    dataDir: join(dir, 'data'),
    broker: { url: broker.url },
    io: { outputs: { 'status-led': { pin: 'GPIO22' } } },
    roles: { sys: {} },
  });
  const runtime = await Runtime.start(config, { log: silentLogger(), timers: time.timers, clock: time.clock, onRestartRequest: (reason) => void restarts.push(reason) });
  t.teardown(() => runtime.stop('test end'));
  if (!isSimHal(runtime.hal)) throw new Error('expected the sim board');
  const hal = runtime.hal;
  await waitFor('device online', () => server.status('dev-1')?.online === true);
  return { server, hal };
}

t.test('sys/identify blinks on the device\'s timers and stops after its duration', async (t) => {
  const time = deviceTime(t);
  const { server, hal } = await device(t, time, []);
  const levels = () => hal.sim.outputHistory('status-led').map((c) => c.active);
  const ack = await server.command('dev-1', 'sys/identify', { durationMs: 1_000 });
  t.match(ack, { ok: true, data: { via: ['output:status-led'], durationMs: 1_000 } });
  t.same(levels(), [false], 'nothing blinks until the device\'s time moves');
  for (let i = 0; i < 4; i++) time.tick(250);
  await settle();
  t.same(levels(), [false, true, false, true, false], 'four blinks in 1 s of device time, then off');
  time.tick(5_000);
  await settle();
  t.equal(levels().length, 5, 'the blink stopped at the end of the duration');
});

t.test('sys/restart asks for the restart only once its delay has passed on the device\'s clock', async (t) => {
  const time = deviceTime(t);
  const restarts: string[] = [];
  const { server } = await device(t, time, restarts);
  const ack = await server.command('dev-1', 'sys/restart', { reason: 'firmware update' });
  t.match(ack, { ok: true, data: { restarting: true } });
  time.tick(199);
  t.same(restarts, [], 'not before the ack has had its time to go out');
  time.tick(1);
  t.same(restarts, ['firmware update']);
});
