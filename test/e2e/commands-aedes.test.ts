import t from 'tap';
import { startAedesBroker } from '../../simulators/hall/aedes-broker.js';
import { tempDir } from '../../testkit/temp.js';
import { commandSuite } from './suites/commands.js';

t.test('commands through aedes (in-process broker)', async (t) => {
  const broker = await startAedesBroker();
  t.teardown(() => broker.close());
  await commandSuite(t, broker.url, await tempDir(t));
});
