// The device's own plain-TCP route to the broker: taken only for a bare mqtt:// URL (so that
// mqtt.js's other transports never load), and a client on it connects, publishes, receives and
// reconnects like one from mqtt.connect().
import t from 'tap';
import { createRequire } from 'node:module';
import { plainTcpAddress, plainTcpClient } from '../../../firmware/link/plain-tcp-client.js';
import { startAedesBroker } from '../../../simulators/hall/aedes-broker.js';
import { until } from '../../../testkit/wait.js';

const mqtt = createRequire(import.meta.url)('mqtt') as typeof import('mqtt');

t.test('only a bare mqtt://host[:port] URL without a certificate or proxy takes the plain route', async (t) => {
  t.same(plainTcpAddress('mqtt://127.0.0.1:1883', {}, {}), { host: '127.0.0.1', port: 1883 });
  t.same(plainTcpAddress('mqtt://broker.hall.local', {}, {}), { host: 'broker.hall.local', port: 1883 });
  t.same(plainTcpAddress('mqtt://broker.hall.local:18830/', {}, {}), { host: 'broker.hall.local', port: 18830 });
  t.same(plainTcpAddress('mqtt://[::1]:1884', {}, {}), { host: '::1', port: 1884 });
  for (const url of ['mqtts://h:8883', 'ws://h:9001/mqtt', 'wss://h/mqtt', 'mqtt://user:pw@h:1883', 'mqtt://h:1883/path', 'mqtt://h:1883?clientId=x', 'not a url', 'tcp://h:1883']) {
    t.equal(plainTcpAddress(url, {}, {}), undefined, url);
  }
  t.equal(plainTcpAddress('mqtt://h:1883', { cert: 'c', key: 'k' }, {}), undefined, 'a client certificate: mqtt.connect() makes it TLS');
  t.equal(plainTcpAddress('mqtt://h:1883', {}, { MQTTJS_SOCKS_PROXY: 'socks5://p:1080' }), undefined, 'a SOCKS proxy');
});

t.test('a client on the plain route connects, round-trips QoS 1 and reconnects after the broker restarts', async (t) => {
  let broker = await startAedesBroker({ port: 0 });
  const port = Number(new URL(broker.url).port);
  t.teardown(() => broker.close());
  const client = plainTcpClient(mqtt.MqttClient, { host: '127.0.0.1', port }, { clientId: 'plain-1', clean: false, protocolVersion: 4, reconnectPeriod: 50 });
  t.teardown(() => client.end(true));
  let connects = 0;
  client.on('connect', () => void (connects += 1));
  await until('connected', () => client.connected, 5_000);
  const got: string[] = [];
  client.on('message', (_topic, payload) => void got.push(payload.toString()));
  await client.subscribeAsync('plain/t', { qos: 1 });
  await client.publishAsync('plain/t', 'one', { qos: 1 });
  await until('echo', () => got.includes('one'), 5_000);
  await broker.close();
  broker = await startAedesBroker({ port });
  await until('reconnected', () => connects >= 2 && client.connected, 10_000);
  await client.subscribeAsync('plain/t', { qos: 1 });
  await client.publishAsync('plain/t', 'two', { qos: 1 });
  await until('echo after reconnect', () => got.includes('two'), 5_000);
  t.same(got, ['one', 'two']);
});
