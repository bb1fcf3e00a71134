// docs/protocol.md "Limits" on a whole device (in-process runtime, aedes): the deep
// payloads and the configured payload limit, through the real link.
import t from 'tap';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { startAedesBroker } from '../../simulators/hall/aedes-broker.js';
import { parseConfig } from '../../firmware/config/parse-config.js';
import { Runtime } from '../../firmware/runtime.js';
import { silentLogger } from '../../firmware/log.js';
import { topics } from '../../protocol/topics.js';
import type { Ack } from '../../protocol/messages.js';
import { testServer } from '../../testkit/hall-server.js';
import { tempDir } from '../../testkit/temp.js';
import { waitFor } from '../../testkit/wait.js';
import { deviceConfig } from './suites/device-config.js';

const deep = (n: number) => `${'{"a":'.repeat(n)}{}${'}'.repeat(n)}`;

t.test('deep and oversized payloads on a running device', async (t) => {
  const dir = await tempDir(t);
  const broker = await startAedesBroker();
  t.teardown(() => broker.close());
  const server = await testServer(t, { url: broker.url });
  const raw = await mqtt.connectAsync(broker.url, { clientId: 'raw-publisher' });
  t.teardown(() => raw.endAsync());
  const runtime = await Runtime.start(parseConfig({ ...deviceConfig(broker.url, 'lim-1'), dataDir: join(dir, 'data'), limits: { maxPayloadBytes: 65_536 } }), {
    log: silentLogger(),
  });
  t.teardown(() => runtime.stop('test end'));
  await server.waitOnline('lim-1');
  const address = { hall: 'test-hall', device: 'lim-1' };
  const acks: Ack[] = [];
  server.client.onAck((_d, a) => void acks.push(a));

  t.test('a 20,000-deep ping (40 KB, under the limit) gets BAD_REQUEST', async (t) => {
    const now = Date.now();
    await raw.publishAsync(`${topics.status(address).replace(/status$/, '')}cmd/sys/ping`, `{"v":1,"id":"deep-ping","ts":${now},"exp":${now + 30_000},"data":{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`, {
      qos: 1,
    });
    const ack = await waitFor('ack for deep-ping', () => acks.find((a) => a.id === 'deep-ping'));
    t.match(ack, { ok: false, error: { code: 'BAD_REQUEST', message: /deeper than 64 levels/ } });
  });

  t.test('a 10,000-deep config is rejected and the next config still applies', async (t) => {
    await raw.publishAsync(topics.config(address), `{"v":1,"rev":7,"data":{"roles":{"sys":${deep(10_000)}}}}`, { qos: 1, retain: true });
    const rejected = await waitFor('config.rejected', () => server.eventsNamed('config.rejected')[0]);
    t.match(rejected.message.data, { reasons: [/deeper than 64 levels/] });
    await server.client.publishConfig('lim-1', 8, { roles: { sys: { identifyMs: 2000 } } });
    const applied = await waitFor('config.applied rev 8', () => server.eventsNamed('config.applied').find((e) => e.message.data['rev'] === 8));
    t.ok(applied, 'config handling is not wedged');
  });

  t.test('limits.maxPayloadBytes from the config file reaches the link', async (t) => {
    const now = Date.now();
    const big = JSON.stringify({ v: 1, id: 'big-ping', ts: now, exp: now + 30_000, data: { s: 'x'.repeat(70_000) } });
    await server.client.publishRawCommand('lim-1', 'sys/ping', big);
    const error = await waitFor('protocol.error', () => server.eventsNamed('protocol.error').find((e) => String(e.message.data['reason']).includes('65536')));
    t.match(error.message.data, { topic: 'cmd/sys/ping', reason: /payload of \d+ bytes is over the limit of 65536 bytes/ });
    const small = await server.client.command('lim-1', 'sys/ping', { s: 'x'.repeat(60_000) });
    t.equal(small.ok, true, 'under the configured limit is answered');
    t.equal(acks.filter((a) => a.id === 'big-ping').length, 0, 'the oversized one got no ack (checked after a later ack arrived)');
  });
});
