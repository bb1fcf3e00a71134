// HallClient signs the way docs/protocol.md "Signed messages" says: `to` is the exact topic the message
// is published on (a broadcast's is the all/cmd topic), and with a key it signs configs and time
// beacons too.
import t from 'tap';
import { createRequire } from 'node:module';
import { HallClient } from '../../protocol/hall-client.js';
import { generateSigningKeys, verifyEnvelope } from '../../protocol/signing.js';
import { parseJsonObject } from '../../protocol/validate.js';
import { startAedesBroker } from '../../simulators/hall/aedes-broker.js';
import { waitFor } from '../../testkit/wait.js';

const mqtt = createRequire(import.meta.url)('mqtt') as typeof import('mqtt');

t.test('commands, broadcasts, configs and beacons are signed for their topic', async (t) => {
  const broker = await startAedesBroker();
  t.teardown(() => broker.close());
  const keys = generateSigningKeys();
  const seen = new Map<string, Record<string, unknown>>();
  const spy = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
  t.teardown(() => spy.endAsync(true));
  spy.on('message', (topic, payload) => {
    const parsed = parseJsonObject(payload);
    if (parsed.ok) seen.set(topic, parsed.value);
  });
  await spy.subscribeAsync('halld/v1/h1/#', { qos: 1 });
  const client = new HallClient({ url: broker.url, hall: 'h1', signingKey: keys.privateKeyPem, secureCommands: ['sys/restart'], events: false });
  await client.connect();
  t.teardown(() => client.close());

  void client.command('d1', 'sys/restart', {}, { timeoutMs: 60_000 }).catch(() => undefined);
  await client.hallCommand('sys/restart', {});
  await client.publishConfig('d1', 9, { hall: 'x' });
  t.teardown(() => spy.publishAsync('halld/v1/h1/d1/config', '', { qos: 1, retain: true }));
  await client.publishTime(1_800_000_000_000);
  const expected = ['halld/v1/h1/d1/cmd/sys/restart', 'halld/v1/h1/all/cmd/sys/restart', 'halld/v1/h1/d1/config', 'halld/v1/h1/time'];
  await waitFor('all four seen', () => expected.every((topic) => seen.has(topic)));
  for (const topic of expected) {
    const body = seen.get(topic) ?? {};
    t.equal(body['to'], topic, `${topic}: to is the topic`);
    t.ok(verifyEnvelope(body, keys.publicKeyPem), `${topic}: signature verifies`);
  }
  t.equal(seen.get('halld/v1/h1/time')?.['ts'], 1_800_000_000_000);

  // Without a key nothing is signed and nothing is bound.
  const plain = new HallClient({ url: broker.url, hall: 'h1', events: false });
  await plain.connect();
  t.teardown(() => plain.close());
  await plain.publishTime(1_800_000_000_001);
  await waitFor('plain beacon', () => seen.get('halld/v1/h1/time')?.['ts'] === 1_800_000_000_001);
  t.notOk('sig' in (seen.get('halld/v1/h1/time') ?? {}));
});
