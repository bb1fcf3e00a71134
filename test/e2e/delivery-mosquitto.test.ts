import t from 'tap';
import { startMosquitto } from '../../testkit/mosquitto.js';
import { mosquittoSkip } from '../../testkit/mosquitto-skip.js';
import { tempDir } from '../../testkit/temp.js';
import { brokerRestartSuite, sigkillSuite, serverAwaySuite } from './suites/delivery.js';

const skip = mosquittoSkip();

t.test('Mosquitto restarted mid-stream: no event lost, order kept', { skip }, async (t) => {
  const dir = await tempDir(t);
  const broker = await startMosquitto(dir);
  t.teardown(() => broker.stop());
  await brokerRestartSuite(t, broker, dir);
});

t.test('SIGKILL mid-storm (Mosquitto): every acknowledged event delivered, no command re-run', { skip }, async (t) => {
  const dir = await tempDir(t);
  const broker = await startMosquitto(dir);
  t.teardown(() => broker.stop());
  await sigkillSuite(t, broker.url, dir);
});

t.test('server away while 500 events pile up past max_queued_messages 100: all delivered', { skip }, async (t) => {
  const dir = await tempDir(t);
  const broker = await startMosquitto(dir, { maxQueued: 100 });
  t.teardown(() => broker.stop());
  await serverAwaySuite(t, broker.url, dir, 500);
});
