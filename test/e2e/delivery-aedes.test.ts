import t from 'tap';
import { startAedesBroker, type EmbeddedBroker } from '../../simulators/hall/aedes-broker.js';
import { tempDir } from '../../testkit/temp.js';
import { brokerRestartSuite, sigkillSuite, staleWillSuite } from './suites/delivery.js';

async function restartable(t: { teardown(fn: () => unknown): void }) {
  let broker: EmbeddedBroker = await startAedesBroker();
  const port = broker.port;
  t.teardown(() => broker.close());
  return {
    url: broker.url,
    current: () => broker,
    // Retained messages and sessions are lost with the in-memory broker: the device must re-announce.
    restart: async () => {
      await broker.close();
      broker = await startAedesBroker({ port });
    },
  };
}

t.test('aedes restarted mid-stream: no event lost, order kept', async (t) => {
  const b = await restartable(t);
  await brokerRestartSuite(t, b, await tempDir(t));
});

t.test('SIGKILL mid-storm (aedes): every acknowledged event delivered, no command re-run', async (t) => {
  const b = await restartable(t);
  await sigkillSuite(t, b.url, await tempDir(t));
});

t.test('stale will after a reconnect is ignored (aedes)', async (t) => {
  const b = await restartable(t);
  await staleWillSuite(t, b.url, await tempDir(t), async () => {
    const client = (b.current().aedes as unknown as { clients: Record<string, { conn: { destroy(): void } }> }).clients['dev-will'];
    if (!client) throw new Error('device not connected to aedes');
    client.conn.destroy();
  });
});
