// A device on a bare mqtt:// broker never loads mqtt.js's transport table (SOCKS, WebSockets,
// TLS): checked on the bundle a board runs, in a child process, from Node's own module log.
import t from 'tap';
import { startAedesBroker } from '../../../simulators/hall/aedes-broker.js';
import { CHECKOUT_HALLD, deviceProcess } from '../../../testkit/device-process.js';
import { testServer } from '../../../testkit/hall-server.js';
import { tempDir } from '../../../testkit/temp.js';

t.test('a device born on mqtt://127.0.0.1 loaded mqtt.js but none of its other transports', async (t) => {
  const dir = await tempDir(t);
  const broker = await startAedesBroker({ port: 0 });
  t.teardown(() => broker.close());
  const server = await testServer(t, { url: broker.url });
  const device = await deviceProcess(t, dir, { hall: 'test-hall', device: 'plain-1', board: 'sim', broker: { url: broker.url }, roles: { sys: {} } }, { ...CHECKOUT_HALLD, env: { NODE_DEBUG: 'module' } });
  device.start();
  await server.waitOnline('plain-1');
  const log = device.output();
  t.match(log, /mqtt[\\/]build[\\/]lib[\\/]client\.js/, "Node's module log shows mqtt.js's client loading");
  for (const transport of ['connect/tcp.js', 'connect/ws.js', 'connect/tls.js', 'connect/socks.js']) {
    t.notOk(log.includes(`mqtt/build/lib/${transport}`), `${transport} was not loaded`);
  }
  t.notOk(/node_modules[\\/]ws[\\/]/.test(log), 'nor the ws package');
});
