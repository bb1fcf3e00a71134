import t from 'tap';
import { startMosquitto } from '../../testkit/mosquitto.js';
import { mosquittoSkip } from '../../testkit/mosquitto-skip.js';
import { tempDir } from '../../testkit/temp.js';
import { commandSuite } from './suites/commands.js';

t.test('commands through Mosquitto (separate process)', { skip: mosquittoSkip() }, async (t) => {
  const dir = await tempDir(t);
  const broker = await startMosquitto(dir);
  t.teardown(() => broker.stop());
  await commandSuite(t, broker.url, dir);
});
