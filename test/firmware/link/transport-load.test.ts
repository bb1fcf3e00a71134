// A device on a bare mqtt:// broker never loads mqtt.js's transport table (SOCKS, WebSockets,
// TLS): checked on the bundle a board runs, in a child process, from Node's own module log.
import t from 'tap';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startAedesBroker } from '../../../simulators/hall/aedes-broker.js';
import { CLI } from '../../../testkit/device-process.js';
import { testServer } from '../../../testkit/hall-server.js';
import { tempDir } from '../../../testkit/temp.js';

t.test('a device born on mqtt://127.0.0.1 loaded mqtt.js but none of its other transports', async (t) => {
  const dir = await tempDir(t);
  const broker = await startAedesBroker({ port: 0 });
  t.teardown(() => broker.close());
  const server = await testServer(t, { url: broker.url });
  const config = join(dir, 'dev.json');
  await writeFile(config, JSON.stringify({ hall: 'test-hall', device: 'plain-1', board: 'sim', dataDir: './data', broker: { url: broker.url }, roles: { sys: {} } }));
  let log = '';
  const child = spawn(process.execPath, [CLI, 'run', '--config', config, '--log-level', 'warn'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NODE_DEBUG: 'module' } });
  child.stderr.on('data', (d: Buffer) => void (log += d.toString()));
  t.teardown(() => void child.kill('SIGKILL'));
  await server.waitOnline('plain-1');
  t.match(log, /mqtt[\\/]build[\\/]lib[\\/]client\.js/, "Node's module log shows mqtt.js's client loading");
  for (const transport of ['connect/tcp.js', 'connect/ws.js', 'connect/tls.js', 'connect/socks.js']) {
    t.notOk(log.includes(`mqtt/build/lib/${transport}`), `${transport} was not loaded`);
  }
  t.notOk(/node_modules[\\/]ws[\\/]/.test(log), 'nor the ws package');
});
