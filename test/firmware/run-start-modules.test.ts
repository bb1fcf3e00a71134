// A board's start (`halld run --config <file>`) loads the device's bundle only: not commander,
// not the technician's commands, nothing of the CLI's bundle. Checked on the bundle a board
// runs, in a child process, from the modules Node's ESM loader reports storing.
import t from 'tap';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startAedesBroker } from '../../simulators/hall/aedes-broker.js';
import { CHECKOUT_HALLD, deviceProcess } from '../../testkit/device-process.js';
import { testServer } from '../../testkit/hall-server.js';
import { tempDir } from '../../testkit/temp.js';

t.test('a device started with a plain run line loaded no commander and none of the CLI bundle', async (t) => {
  const dir = await tempDir(t);
  const broker = await startAedesBroker({ port: 0 });
  t.teardown(() => broker.close());
  const server = await testServer(t, { url: broker.url });
  const device = await deviceProcess(t, dir, { hall: 'test-hall', device: 'start-1', board: 'sim', broker: { url: broker.url }, roles: { sys: {} } }, { ...CHECKOUT_HALLD, env: { NODE_DEBUG: 'esm' } });
  device.start();
  await server.waitOnline('start-1');

  const loaded = [...new Set([...device.output().matchAll(/Storing (file:\/\/\S+\.mjs)/g)].map((m) => m[1] as string))];
  t.ok(loaded.some((u) => u.endsWith('/dist/halld.mjs')), "Node's ESM log names the bin it started");
  t.ok(loaded.length > 5, `and the chunks it loaded (${loaded.length})`);
  t.same(loaded.filter((u) => /\/halld-cli\.mjs$|\/cli-chunks\//.test(u)), [], 'nothing of the CLI bundle');
  // esbuild heads each bundled file's code with a comment naming it.
  const sources = await Promise.all(loaded.map((u) => readFile(fileURLToPath(u), 'utf8')));
  const bundled = sources.flatMap((s) => [...s.matchAll(/^\/\/ ((?:node_modules|dist)\/\S+)$/gm)].map((m) => m[1] as string));
  t.ok(bundled.some((f) => f.includes('firmware/runtime.js')), 'the runtime was among them');
  t.same(bundled.filter((f) => f.startsWith('node_modules/commander/')), [], 'no commander');
  t.same(bundled.filter((f) => f.includes('/firmware/commands/')), [], "none of the technician's commands");
});
