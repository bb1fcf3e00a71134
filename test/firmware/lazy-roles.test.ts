// A device loads the code of the roles it runs, not of the others: each role's implementation
// is its own chunk of the bundle (the manifest's start() imports it), and so is each role's
// manifest (config schema, contract, migrations; firmware/roles/load-role.ts), so a `sys`-only
// board never reads the caller's, evaluator's, locker's or ticket printer's code, nor their drivers.
// Checked on the bundle a board runs, in a child process, by a module hook that lists every
// module the process loaded until its birth.
import t from 'tap';
import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startAedesBroker } from '../../simulators/hall/aedes-broker.js';
import { CLI } from '../../testkit/device-process.js';
import { testServer } from '../../testkit/hall-server.js';
import { tempDir } from '../../testkit/temp.js';

const ROLE_CHUNKS = ['caller-instance', 'evaluator-instance', 'locker-instance', 'ticket-printer-instance', 'caller-role', 'evaluator-role', 'locker-role', 'ticket-printer-role'];

t.test('a sys-only device loads no other role\'s chunk', async (t) => {
  const dir = await tempDir(t);
  const chunks = (await readdir(join(dirname(CLI), 'chunks'))).filter((f) => f.endsWith('.mjs'));
  for (const role of ROLE_CHUNKS) t.ok(chunks.some((f) => f.startsWith(`${role}-`)), `${role} is a chunk of its own in the bundle`);

  const loadedFile = join(dir, 'loaded.txt');
  // The hook runs off the main thread; appending synchronously keeps every line.
  const hooks = join(dir, 'hooks.mjs');
  await writeFile(hooks, `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) {\n  appendFileSync(${JSON.stringify(loadedFile)}, url + '\\n');\n  return next(url, context);\n}\n`);
  const register = join(dir, 'register.mjs');
  await writeFile(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);

  const broker = await startAedesBroker({ port: 0 });
  t.teardown(() => broker.close());
  const server = await testServer(t, { url: broker.url });
  const config = join(dir, 'dev.json');
  await writeFile(config, JSON.stringify({ hall: 'test-hall', device: 'lazy-1', board: 'sim', dataDir: './data', broker: { url: broker.url }, roles: { sys: {} } }));
  const child = spawn(process.execPath, ['--import', pathToFileURL(register).href, CLI, 'run', '--config', config, '--log-level', 'warn'], { stdio: 'ignore' });
  t.teardown(() => void child.kill('SIGKILL'));
  await server.waitOnline('lazy-1');

  const loaded = (await readFile(loadedFile, 'utf8')).split('\n').filter((l) => l !== '').map((url) => basename(url));
  t.ok(loaded.includes(basename(CLI)), 'the hook saw the bundle load');
  t.ok(loaded.some((f) => /^chunk-.*\.mjs$/.test(f)), 'and its shared chunks');
  for (const role of ROLE_CHUNKS) t.notOk(loaded.some((f) => f.startsWith(`${role}-`)), `${role} was not loaded`);
});

t.test('the lazy manifests are the registry: same roles, same order as ROLE_MODULES', async (t) => {
  const { ROLE_MODULES } = await import('../../firmware/roles/index.js');
  const { ROLE_NAMES, loadRoleModule } = await import('../../firmware/roles/load-role.js');
  // The order is the `roles` section's property order: it orders the config check's problems.
  t.same([...ROLE_NAMES], ROLE_MODULES.map((m) => m.role), 'ROLE_NAMES lists ROLE_MODULES in order');
  for (const role of ROLE_NAMES) t.equal(await loadRoleModule(role), ROLE_MODULES.find((m) => m.role === role), `${role}: the same manifest object`);
});
